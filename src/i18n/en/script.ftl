## script: messages of src/script (see src/i18n/mod.rs).
