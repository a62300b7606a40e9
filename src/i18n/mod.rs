//! Localisation: every sentence a person reads comes from a Fluent message
//! file (`src/i18n/<lang>/*.ftl`), English and French, embedded in the
//! binary. Machine fields (check ids, statuses, JSON keys, cause ids, metric
//! names, the Monitoring Plugins status word) are never translated.
//!
//! The language is chosen once at the edge ([`detect`]: `--lang`, then
//! `LANGUAGE`/`LC_ALL`/`LC_MESSAGES`/`LANG`, else English) and set with
//! [`set_global`]. Pure code that must render in another language (tests,
//! a report rendered twice) uses [`scoped`], which overrides the language on
//! the current thread only.
//!
//! Messages are looked up with `t!` (`t!("id")`,
//! `t!("id", name = value)`). A message missing in French falls back to
//! English; a message missing everywhere shows its id (a test forbids both).

use std::cell::Cell;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, Ordering};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

/// A language popscope speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    /// English (the reference).
    En,
    /// French.
    Fr,
}

impl Lang {
    /// Every language, reference first.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fr];

    /// The language's code (`en`, `fr`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    /// Parses a language tag or POSIX locale (`fr`, `fr-CA`, `fr_FR.UTF-8`,
    /// `en_US`, `C`); `None` for a language popscope does not speak.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag
            .split(['_', '-', '.', '@'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match primary.as_str() {
            "fr" => Some(Lang::Fr),
            "en" | "c" | "posix" => Some(Lang::En),
            _ => None,
        }
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// The language for this process: `explicit` (`--lang`) when given, else
/// the first of `LANGUAGE`, `LC_ALL`, `LC_MESSAGES`, `LANG` that is set
/// (read by `sys-locale`), else English. A locale popscope does not speak
/// gives English; an explicit value it does not speak is an error in words.
pub fn detect(explicit: Option<&str>) -> Result<Lang, String> {
    if let Some(v) = explicit {
        return Lang::from_tag(v).ok_or_else(|| {
            t!(
                "i18n-unknown-language",
                value = crate::i18n::quote(v),
                known = "en, fr"
            )
        });
    }
    Ok(from_env(sys_locale::get_locales()))
}

/// The language of a list of locales from the environment (the first one
/// popscope speaks; `LANGUAGE` may list several, as `fr:en`).
fn from_env(locales: impl Iterator<Item = String>) -> Lang {
    locales
        .flat_map(|l| l.split(':').map(str::to_string).collect::<Vec<String>>())
        .find_map(|l| Lang::from_tag(&l))
        .unwrap_or(Lang::En)
}

/// Quotes a value typed by the user for a message (control characters
/// escaped).
pub fn quote(v: &str) -> String {
    let mut s = String::from("\"");
    for c in v.chars() {
        if c.is_control() {
            s.extend(c.escape_default());
        } else {
            s.push(c);
        }
    }
    s.push('"');
    s
}

static GLOBAL: AtomicU8 = AtomicU8::new(0);

thread_local! {
    static OVERRIDE: Cell<Option<Lang>> = const { Cell::new(None) };
}

fn to_u8(l: Lang) -> u8 {
    match l {
        Lang::En => 0,
        Lang::Fr => 1,
    }
}

/// Sets the process's language (the edge calls this once, at start-up).
pub fn set_global(lang: Lang) {
    GLOBAL.store(to_u8(lang), Ordering::Relaxed);
}

/// The language in effect on this thread.
pub fn current() -> Lang {
    OVERRIDE.with(Cell::get).unwrap_or_else(|| {
        if GLOBAL.load(Ordering::Relaxed) == 1 {
            Lang::Fr
        } else {
            Lang::En
        }
    })
}

/// Runs `f` with `lang` in effect on this thread (for pure rendering code;
/// the previous language is restored afterwards, even on panic).
pub fn scoped<R>(lang: Lang, f: impl FnOnce() -> R) -> R {
    struct Restore(Option<Lang>);
    impl Drop for Restore {
        fn drop(&mut self) {
            OVERRIDE.with(|o| o.set(self.0));
        }
    }
    let _restore = Restore(OVERRIDE.with(|o| o.replace(Some(lang))));
    f()
}

/// A message argument: text or a number (numbers choose plural forms).
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// Text, inserted as is.
    Text(String),
    /// A number (Fluent selects `[one]`/`[other]` with it).
    Number(f64),
}

impl From<&str> for Arg {
    fn from(v: &str) -> Arg {
        Arg::Text(v.to_string())
    }
}

impl From<String> for Arg {
    fn from(v: String) -> Arg {
        Arg::Text(v)
    }
}

impl From<&String> for Arg {
    fn from(v: &String) -> Arg {
        Arg::Text(v.clone())
    }
}

macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(v: $t) -> Arg {
                Arg::Number(v as f64)
            }
        }
    )*};
}
number_arg!(u8, u16, u32, u64, usize, i32, i64, f64);

/// The message files, per language, in one list (a new `.ftl` file is added
/// here for both languages).
macro_rules! ftl_files {
    ($($name:literal),* $(,)?) => {
        const EN_FILES: &[(&str, &str)] = &[$(($name, include_str!(concat!("en/", $name)))),*];
        const FR_FILES: &[(&str, &str)] = &[$(($name, include_str!(concat!("fr/", $name)))),*];
    };
}
ftl_files!(
    "general.ftl",
    "checks.ftl",
    "diagnosis.ftl",
    "report.ftl",
    "tui.ftl",
    "lab.ftl",
    "pop3.ftl",
    "probe.ftl",
    "script.ftl",
    "cli.ftl",
    "monitoring.ftl",
);

/// The message files of a language: (file name, source).
pub fn sources(lang: Lang) -> &'static [(&'static str, &'static str)] {
    match lang {
        Lang::En => EN_FILES,
        Lang::Fr => FR_FILES,
    }
}

type Bundle = FluentBundle<FluentResource>;

fn build(lang: Lang) -> Bundle {
    let id: unic_langid::LanguageIdentifier = lang.code().parse().unwrap_or_default();
    let mut bundle = Bundle::new_concurrent(vec![id]);
    // Unicode isolation marks would end up in terminals, JSON and logs.
    bundle.set_use_isolating(false);
    for (_, src) in sources(lang) {
        // A syntax error keeps the rest of the file; the message-file tests
        // fail on any error, so none ships.
        let res = FluentResource::try_new((*src).to_string()).unwrap_or_else(|(res, _)| res);
        // Duplicate ids across files: the first one wins (a test forbids them).
        let _ = bundle.add_resource(res);
    }
    bundle
}

fn bundle(lang: Lang) -> &'static Bundle {
    static EN: OnceLock<Bundle> = OnceLock::new();
    static FR: OnceLock<Bundle> = OnceLock::new();
    match lang {
        Lang::En => EN.get_or_init(|| build(Lang::En)),
        Lang::Fr => FR.get_or_init(|| build(Lang::Fr)),
    }
}

/// Whether `lang` has a message `id` (tests).
pub fn has(lang: Lang, id: &str) -> bool {
    bundle(lang).has_message(id)
}

/// Formats message `id` in `lang`, or `None` when that language lacks it.
pub fn format_in(lang: Lang, id: &str, args: &[(&str, Arg)]) -> Option<String> {
    let b = bundle(lang);
    let pattern = b.get_message(id)?.value()?;
    let mut fargs = FluentArgs::new();
    for (k, v) in args {
        match v {
            Arg::Text(s) => fargs.set(*k, FluentValue::from(s.as_str())),
            Arg::Number(n) => fargs.set(*k, FluentValue::from(*n)),
        }
    }
    let mut errors = Vec::new();
    let text = b.format_pattern(pattern, Some(&fargs), &mut errors);
    Some(text.into_owned())
}

/// Formats message `id` in the current language (English when the current
/// language lacks it; the id itself when no language has it).
pub fn tr(id: &str, args: &[(&str, Arg)]) -> String {
    format_in(current(), id, args)
        .or_else(|| format_in(Lang::En, id, args))
        .unwrap_or_else(|| id.to_string())
}

/// `t!("id")` or `t!("id", name = value, ...)`: message `id` in the current
/// language; values are anything an [`Arg`] converts from.
macro_rules! t {
    ($id:expr) => {
        $crate::i18n::tr($id, &[])
    };
    ($id:expr, $($k:ident = $v:expr),+ $(,)?) => {
        $crate::i18n::tr($id, &[$((stringify!($k), $crate::i18n::Arg::from($v))),+])
    };
}
pub(crate) use t;

#[cfg(test)]
mod tests;

#[cfg(test)]
mod cli_tests;

/// Helpers for tests that render in both languages.
#[cfg(test)]
pub(crate) mod testing {
    /// Common English words that never appear in French prose (whole words,
    /// case-insensitive; technical names such as STLS or CAPA are not in it).
    const ENGLISH_WORDS: &[&str] = &[
        "the",
        "and",
        "is",
        "are",
        "not",
        "with",
        "this",
        "that",
        "from",
        "your",
        "was",
        "were",
        "has",
        "have",
        "does",
        "cannot",
        "must",
        "should",
        "which",
        "when",
        "server",
        "check",
        "failed",
        "expired",
        "expires",
        "certificate",
        "offered",
        "refused",
        "connection",
        "timeout",
        "password",
        "login",
        "only",
        "but",
        "before",
        "after",
        "then",
        "there",
        "no",
        "yes",
        "can",
        "will",
        "use",
        "used",
        "using",
        "set",
        "see",
        "try",
        "run",
    ];

    /// The first English word found in `text`, if any: French output that
    /// still contains one has an untranslated message. `allowed` lists
    /// words to ignore (for example parts of a server's own text).
    pub(crate) fn english_word<'a>(text: &'a str, allowed: &[&str]) -> Option<&'a str> {
        text.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '-')
            .filter(|w| !w.is_empty())
            .find(|w| {
                let lw = w.to_lowercase();
                ENGLISH_WORDS.contains(&lw.as_str())
                    && !allowed.iter().any(|a| a.eq_ignore_ascii_case(w))
            })
    }

    #[test]
    fn english_words_are_found_and_french_passes() {
        assert_eq!(english_word("the certificate expired", &[]), Some("the"));
        assert_eq!(
            english_word("le certificat a expiré il y a 3 jours", &[]),
            None
        );
        assert_eq!(english_word("commande RUN", &["run"]), None);
    }
}
