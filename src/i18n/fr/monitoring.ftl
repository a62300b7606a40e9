## monitoring : messages de src/monitoring (voir src/i18n/mod.rs).
