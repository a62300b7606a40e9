## monitoring: messages of src/monitoring (see src/i18n/mod.rs).
