## checks : messages de src/checks (voir src/i18n/mod.rs).
