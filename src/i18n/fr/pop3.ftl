## pop3 : messages de src/pop3 (voir src/i18n/mod.rs).
