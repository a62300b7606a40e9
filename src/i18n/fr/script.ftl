## script : messages de src/script (voir src/i18n/mod.rs).
