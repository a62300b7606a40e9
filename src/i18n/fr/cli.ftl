## cli : messages de src/cli (voir src/i18n/mod.rs).
