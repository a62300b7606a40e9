## diagnosis: messages of src/diagnosis (see src/i18n/mod.rs).
