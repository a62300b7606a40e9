## probe : messages de src/probe (voir src/i18n/mod.rs).
