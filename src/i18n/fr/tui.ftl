## tui : messages de src/tui (voir src/i18n/mod.rs).
