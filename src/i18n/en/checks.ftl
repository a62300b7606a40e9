## checks: messages of src/checks (see src/i18n/mod.rs).
