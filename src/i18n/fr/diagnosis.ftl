## diagnosis : messages de src/diagnosis (voir src/i18n/mod.rs).
