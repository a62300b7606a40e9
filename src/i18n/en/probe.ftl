## probe: messages of src/probe (see src/i18n/mod.rs).
