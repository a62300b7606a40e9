//! The "new diagnosis" form: target, ports, user, masked password, profile
//! and CA file, turned into a [`RunConfig`] by the same builder every front
//! end uses, on top of the options `popscope tui` was started with (so its
//! flags and `POPSCOPE_*` variables still apply).

use std::fmt;
use std::path::PathBuf;

use crate::config::{LoginConfig, RunConfig, RunConfigBuilder};
use crate::i18n::t;
use crate::pop3::auth::Secret;

/// One input of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The target, as on the command line.
    Target,
    /// `--plain-port`.
    PlainPort,
    /// `--tls-port`.
    TlsPort,
    /// User name for the login checks.
    User,
    /// Password (masked, never shown).
    Password,
    /// Dialogue profile name.
    Profile,
    /// `--ca-file`.
    CaFile,
}

impl Field {
    /// Every field, in display order.
    pub const ALL: [Field; 7] = [
        Field::Target,
        Field::PlainPort,
        Field::TlsPort,
        Field::User,
        Field::Password,
        Field::Profile,
        Field::CaFile,
    ];

    /// The label shown left of the input.
    pub fn label(self) -> String {
        match self {
            Field::Target => t!("tui-field-target"),
            Field::PlainPort => t!("tui-field-plain-port"),
            Field::TlsPort => t!("tui-field-tls-port"),
            Field::User => t!("tui-field-user"),
            Field::Password => t!("tui-field-password"),
            Field::Profile => t!("tui-field-profile"),
            Field::CaFile => t!("tui-field-ca-file"),
        }
    }

    /// A hint shown when the field is empty.
    pub fn placeholder(self) -> String {
        match self {
            Field::Target => {
                "mail.example.com, host:995, pop3s://host, alice@example.com".to_string()
            }
            Field::PlainPort => t!("tui-placeholder-plain-port"),
            Field::TlsPort => t!("tui-placeholder-tls-port"),
            Field::User => t!("tui-placeholder-user"),
            Field::Password => t!("tui-placeholder-password"),
            Field::Profile => t!("tui-placeholder-profile"),
            Field::CaFile => t!("tui-placeholder-ca-file"),
        }
    }

    /// Whether the value is a secret (masked on screen, never in `Debug`).
    pub fn is_secret(self) -> bool {
        self == Field::Password
    }
}

/// The text shown for a secret field instead of its value.
pub const MASK: &str = crate::transcript::REDACTED;

/// The form's state: one text value per [`Field`], the focused field, the
/// cursor (in characters) and the last validation error.
#[derive(Clone, Default)]
pub struct Form {
    values: [String; 7],
    /// The options the form's values are laid over (the `popscope tui`
    /// command line; the defaults otherwise).
    pub base: RunConfigBuilder,
    /// Index into [`Field::ALL`] of the focused field.
    pub focus: usize,
    /// Cursor position in the focused field, in characters.
    pub cursor: usize,
    /// Why the last submit was refused (already sanitised).
    pub error: Option<String>,
}

impl fmt::Debug for Form {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Form");
        for field in Field::ALL {
            let v = self.value(field);
            if field.is_secret() && !v.is_empty() {
                d.field(&field.label(), &MASK);
            } else {
                d.field(&field.label(), &v);
            }
        }
        d.field("focus", &self.focus)
            .field("error", &self.error)
            .finish()
    }
}

impl Form {
    /// An empty form with the cursor on the target.
    pub fn new() -> Self {
        Form::default()
    }

    /// A form prefilled from the configuration of the last run (target,
    /// ports, CA file), so that `n` lets the user change one thing.
    pub fn from_config(cfg: &RunConfig) -> Self {
        let mut f = Form::new();
        f.set(Field::Target, &cfg.target.input);
        f.set(Field::PlainPort, &cfg.plain_port.to_string());
        f.set(Field::TlsPort, &cfg.tls_port.to_string());
        if let Some(p) = &cfg.ca_file {
            f.set(Field::CaFile, &p.display().to_string());
        }
        f.cursor = f.value(Field::Target).chars().count();
        f
    }

    /// The value of a field.
    pub fn value(&self, field: Field) -> &str {
        &self.values[Self::index(field)]
    }

    /// Sets the value of a field.
    pub fn set(&mut self, field: Field, value: &str) {
        self.values[Self::index(field)] = value.to_string();
    }

    fn index(field: Field) -> usize {
        Field::ALL.iter().position(|f| *f == field).unwrap_or(0)
    }

    /// The focused field.
    pub fn focused(&self) -> Field {
        Field::ALL[self.focus.min(Field::ALL.len() - 1)]
    }

    /// What the screen shows for a field: the value, or the mask for a
    /// non-empty secret.
    pub fn display_value(&self, field: Field) -> String {
        let v = self.value(field);
        if field.is_secret() && !v.is_empty() {
            MASK.to_string()
        } else {
            crate::transcript::sanitize_str(v)
        }
    }

    /// Moves the focus by `delta` fields (wrapping) and puts the cursor at the
    /// end of the new field.
    pub fn move_focus(&mut self, delta: isize) {
        let n = Field::ALL.len() as isize;
        self.focus = (self.focus as isize + delta).rem_euclid(n) as usize;
        self.cursor = self.value(self.focused()).chars().count();
    }

    fn edit(&mut self, f: impl FnOnce(&mut Vec<char>, &mut usize)) {
        let i = Self::index(self.focused());
        let mut chars: Vec<char> = self.values[i].chars().collect();
        let mut cur = self.cursor.min(chars.len());
        f(&mut chars, &mut cur);
        self.values[i] = chars.into_iter().collect();
        self.cursor = cur;
        self.error = None;
    }

    /// Inserts a character at the cursor (control characters are ignored).
    pub fn insert(&mut self, c: char) {
        if c.is_control() {
            return;
        }
        self.edit(|s, cur| {
            s.insert(*cur, c);
            *cur += 1;
        });
    }

    /// Deletes the character before the cursor.
    pub fn backspace(&mut self) {
        self.edit(|s, cur| {
            if *cur > 0 {
                *cur -= 1;
                s.remove(*cur);
            }
        });
    }

    /// Deletes the character under the cursor.
    pub fn delete(&mut self) {
        self.edit(|s, cur| {
            if *cur < s.len() {
                s.remove(*cur);
            }
        });
    }

    /// Clears the focused field.
    pub fn clear_field(&mut self) {
        self.edit(|s, cur| {
            s.clear();
            *cur = 0;
        });
    }

    /// Moves the cursor left (negative) or right (positive), clamped.
    pub fn move_cursor(&mut self, delta: isize) {
        let len = self.value(self.focused()).chars().count() as isize;
        self.cursor = (self.cursor as isize + delta).clamp(0, len) as usize;
    }

    /// Moves the cursor to the start or the end of the field.
    pub fn cursor_to(&mut self, end: bool) {
        self.cursor = if end {
            self.value(self.focused()).chars().count()
        } else {
            0
        };
    }

    /// Validates the form and builds the run configuration, or says what to
    /// fix.
    pub fn to_config(&self) -> Result<RunConfig, String> {
        let target = self.value(Field::Target).trim();
        if target.is_empty() {
            return Err(t!("tui-form-need-target"));
        }
        let mut builder = self.base.clone();
        for (field, set) in [
            (
                Field::PlainPort,
                RunConfigBuilder::plain_port as fn(_, _) -> _,
            ),
            (Field::TlsPort, RunConfigBuilder::tls_port),
        ] {
            let v = self.value(field).trim();
            if !v.is_empty() {
                let port = v.parse::<u16>().ok().filter(|p| *p != 0).ok_or_else(|| {
                    t!(
                        "tui-form-bad-port",
                        field = field.label(),
                        value = crate::transcript::sanitize_str(v)
                    )
                })?;
                builder = set(builder, port);
            }
        }
        let ca = self.value(Field::CaFile).trim();
        if !ca.is_empty() {
            builder = builder.ca_file(Some(PathBuf::from(ca)));
        }
        let user = self.value(Field::User).trim();
        let password = self.value(Field::Password);
        let profile = self.value(Field::Profile).trim();
        let login = match (user.is_empty(), password.is_empty()) {
            (true, true) => None,
            (true, false) => return Err(t!("tui-form-need-user")),
            (false, true) => {
                return Err(t!("tui-form-need-password", user = user));
            }
            (false, false) => Some(LoginConfig::with_password(
                user,
                Secret::new(password.to_string()),
            )),
        };
        builder
            .login(login)
            .profile((!profile.is_empty()).then(|| profile.to_string()))
            .build(target)
            .map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_a_config_through_the_builder() {
        let mut f = Form::new();
        for c in "127.0.0.1".chars() {
            f.insert(c);
        }
        f.set(Field::PlainPort, "1110");
        f.set(Field::TlsPort, "1995");
        let cfg = f.to_config().expect("valid");
        assert_eq!(cfg.plain_port, 1110);
        assert_eq!(cfg.tls_port, 1995);
        assert_eq!(cfg.target.input, "127.0.0.1");
    }

    #[test]
    fn errors_say_what_to_fix() {
        let f = Form::new();
        assert!(f.to_config().unwrap_err().contains("type a target"));
        let mut f = Form::new();
        f.set(Field::Target, "mail.example.com");
        f.set(Field::PlainPort, "0");
        assert!(f.to_config().is_err());
        f.set(Field::PlainPort, "abc");
        let e = f.to_config().unwrap_err();
        assert!(e.contains("abc"), "{e}");
    }

    #[test]
    fn editing_and_masking() {
        let mut f = Form::new();
        f.focus = Form::index(Field::Password);
        for c in "hunter2".chars() {
            f.insert(c);
        }
        f.insert('\u{7}');
        assert_eq!(f.value(Field::Password), "hunter2");
        assert_eq!(f.display_value(Field::Password), MASK);
        assert!(!format!("{f:?}").contains("hunter2"));
        f.move_cursor(-3);
        f.backspace();
        assert_eq!(f.value(Field::Password), "huner2");
        f.delete();
        assert_eq!(f.value(Field::Password), "hunr2");
        f.cursor_to(false);
        f.insert('X');
        assert_eq!(f.value(Field::Password), "Xhunr2");
        f.clear_field();
        assert_eq!(f.value(Field::Password), "");
        f.move_focus(1);
        assert_eq!(f.focused(), Field::Profile);
        f.move_focus(3);
        assert_eq!(f.focused(), Field::PlainPort);
        f.move_focus(-2);
        assert_eq!(f.focused(), Field::CaFile);
    }
}
