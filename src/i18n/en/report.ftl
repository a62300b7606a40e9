## report: messages of src/report (see src/i18n/mod.rs).
