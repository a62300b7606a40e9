## tui: messages of src/tui (see src/i18n/mod.rs).
