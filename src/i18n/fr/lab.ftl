## lab : messages de src/lab (voir src/i18n/mod.rs).
