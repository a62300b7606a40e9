## report : messages de src/report (voir src/i18n/mod.rs).
