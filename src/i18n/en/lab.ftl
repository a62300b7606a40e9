## lab: messages of src/lab (see src/i18n/mod.rs).
