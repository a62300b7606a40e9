## pop3: messages of src/pop3 (see src/i18n/mod.rs).
