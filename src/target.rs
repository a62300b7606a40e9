//! What the user typed, understood: `host`, `host:port`, `pop3://host`,
//! `pop3s://[::1]:995`, IP literals and `user@domain` become a [`Target`].
//!
//! Parsing is strict about what cannot work (spaces, port 0, a scheme other
//! than POP3) and every [`TargetError`] says what to type instead. Host names
//! come out lower-case ASCII without a trailing dot; international names are
//! converted to their `xn--` form.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use serde::Serialize;

use crate::i18n::t;
use crate::model::Security;

/// Which form the user typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TargetKind {
    /// A bare host name: `mail.example.com`.
    Host,
    /// A host name or IP address with a port: `mail.example.com:995`,
    /// `[::1]:110`.
    HostPort,
    /// A `pop3://` or `pop3s://` URL.
    Url,
    /// A bare IP address: `192.0.2.10`, `::1`, `[::1]`.
    Ip,
    /// An e-mail address: `alice@example.com` (the server is discovered
    /// from the domain's SRV/MX records).
    Email,
}

impl TargetKind {
    /// The JSON/text name: `host`, `host-port`, `url`, `ip`, `email`.
    pub fn as_str(self) -> &'static str {
        match self {
            TargetKind::Host => "host",
            TargetKind::HostPort => "host-port",
            TargetKind::Url => "url",
            TargetKind::Ip => "ip",
            TargetKind::Email => "email",
        }
    }
}

impl fmt::Display for TargetKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The host part of a target.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Host {
    /// A DNS name: lower-case ASCII (IDN in `xn--` form), no trailing dot.
    Name(String),
    /// An IP address literal.
    Ip(IpAddr),
}

impl Host {
    /// The host as it goes in a URL or `host:port`: IPv6 in brackets.
    pub fn url_form(&self) -> String {
        match self {
            Host::Ip(IpAddr::V6(v6)) => format!("[{v6}]"),
            other => other.to_string(),
        }
    }

    /// The name, when the host is a name.
    pub fn name(&self) -> Option<&str> {
        match self {
            Host::Name(n) => Some(n),
            Host::Ip(_) => None,
        }
    }

    /// The address, when the host is an IP literal.
    pub fn ip(&self) -> Option<IpAddr> {
        match self {
            Host::Name(_) => None,
            Host::Ip(ip) => Some(*ip),
        }
    }
}

impl fmt::Display for Host {
    /// The name, or the address without brackets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Host::Name(n) => f.write_str(n),
            Host::Ip(ip) => write!(f, "{ip}"),
        }
    }
}

impl Serialize for Host {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A parsed target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Target {
    /// Exactly what the user typed.
    pub input: String,
    /// Which form it was.
    pub kind: TargetKind,
    /// The server host (for [`TargetKind::Email`]: the mail domain).
    pub host: Host,
    /// The port, when one was given.
    pub port: Option<u16>,
    /// The security implied by the URL scheme (`pop3://` plain,
    /// `pop3s://` implicit TLS); `None` without a scheme.
    pub security: Option<Security>,
    /// A user name from `user@domain` or URL user-info (percent-decoded).
    pub user: Option<String>,
}

/// Why a target could not be understood. Every message ends with what to
/// type instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    /// Nothing was typed.
    #[error("{}", t!("probe-target-empty"))]
    Empty,
    /// Spaces or control characters inside the target.
    #[error("{}", t!("probe-target-whitespace", input = quote(input)))]
    Whitespace {
        /// The target as typed.
        input: String,
    },
    /// A URL scheme other than POP3.
    #[error("{}", t!("probe-target-scheme", scheme = scheme, rest = rest))]
    Scheme {
        /// The scheme typed.
        scheme: String,
        /// The rest of the URL after `://`, for the suggestion.
        rest: String,
    },
    /// The port is not a number from 1 to 65535.
    #[error("{}", t!("probe-target-port", port = quote(port)))]
    Port {
        /// The port text typed.
        port: String,
    },
    /// The host part is not a valid name or address.
    #[error("{}", t!("probe-target-host", host = quote(host), reason = reason))]
    Host {
        /// The host text typed.
        host: String,
        /// What is wrong with it, and what to type instead.
        reason: String,
    },
    /// Anything else wrong with the shape of the target.
    #[error("{}", t!("probe-target-syntax", input = quote(input), reason = reason))]
    Syntax {
        /// The target as typed.
        input: String,
        /// What is wrong with it, and what to type instead.
        reason: String,
    },
}

impl Target {
    /// Parses what the user typed (surrounding whitespace is ignored).
    pub fn parse(input: &str) -> Result<Target, TargetError> {
        let text = input.trim();
        if text.is_empty() {
            return Err(TargetError::Empty);
        }
        if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(TargetError::Whitespace {
                input: text.to_string(),
            });
        }
        let syntax = |reason: String| TargetError::Syntax {
            input: text.to_string(),
            reason,
        };

        if let Some((scheme, rest)) = text.split_once("://") {
            return parse_url(input, text, scheme, rest);
        }
        if text.contains('/') || text.contains('?') || text.contains('#') {
            return Err(syntax(t!("probe-target-only-server-name-host-port")));
        }

        if let Some((user, rest)) = text.rsplit_once('@') {
            if user.contains('@') {
                return Err(syntax(t!("probe-target-has-more-than-one-user")));
            }
            if user.is_empty() {
                return Err(syntax(t!("probe-target-nothing-before-type-e-mail")));
            }
            if rest.is_empty() {
                return Err(syntax(t!("probe-target-nothing-after-type-e-mail")));
            }
            let (host, port) = split_host_port(rest)?;
            let host = parse_host(host)?;
            let kind = if port.is_some() {
                TargetKind::HostPort
            } else {
                TargetKind::Email
            };
            return Ok(Target {
                input: input.to_string(),
                kind,
                host,
                port,
                security: None,
                user: Some(user.to_string()),
            });
        }

        let (host_text, port) = split_host_port(text)?;
        let host = parse_host(host_text)?;
        let kind = match (&host, port) {
            (_, Some(_)) => TargetKind::HostPort,
            (Host::Ip(_), None) => TargetKind::Ip,
            (Host::Name(_), None) => TargetKind::Host,
        };
        Ok(Target {
            input: input.to_string(),
            kind,
            host,
            port,
            security: None,
            user: None,
        })
    }

    /// True when the host is a mail domain whose POP3 server must be
    /// discovered (SRV, then MX and conventional names): e-mail targets.
    pub fn is_domain_lookup(&self) -> bool {
        self.kind == TargetKind::Email && matches!(self.host, Host::Name(_))
    }
}

impl fmt::Display for Target {
    /// The canonical form: `pop3s://alice@host:995`, `host:110`, `host`,
    /// `alice@example.com`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.kind == TargetKind::Email {
            let user = self.user.as_deref().unwrap_or_default();
            return match &self.host {
                Host::Name(n) => write!(f, "{user}@{n}"),
                Host::Ip(ip) => write!(f, "{user}@[{ip}]"),
            };
        }
        match self.security {
            Some(Security::ImplicitTls) => f.write_str("pop3s://")?,
            Some(_) => f.write_str("pop3://")?,
            None => {}
        }
        if let Some(u) = &self.user {
            write!(f, "{}@", percent_encode_user(u))?;
        }
        match (&self.host, self.port) {
            (h, Some(p)) => write!(f, "{}:{p}", h.url_form()),
            (Host::Ip(ip), None) if self.security.is_none() => write!(f, "{ip}"),
            (h, None) => f.write_str(&h.url_form()),
        }
    }
}

fn parse_url(input: &str, text: &str, scheme: &str, rest: &str) -> Result<Target, TargetError> {
    let syntax = |reason: String| TargetError::Syntax {
        input: text.to_string(),
        reason,
    };
    let security = match scheme.to_ascii_lowercase().as_str() {
        "pop3" | "pop" => Security::Plain,
        "pop3s" | "pops" => Security::ImplicitTls,
        _ => {
            return Err(TargetError::Scheme {
                scheme: scheme.to_string(),
                rest: rest.split('/').next().unwrap_or_default().to_string(),
            });
        }
    };
    if rest.contains('?') || rest.contains('#') {
        return Err(syntax(t!("probe-target-pop3-url-has-no-query")));
    }
    let authority = match rest.split_once('/') {
        None => rest,
        Some((auth, "")) => auth,
        Some(_) => {
            return Err(syntax(t!("probe-target-pop3-url-has-no-path")));
        }
    };
    if authority.is_empty() {
        return Err(syntax(t!("probe-target-url-has-no-server-name")));
    }
    let (user, hostport) = match authority.rsplit_once('@') {
        Some((userinfo, hostport)) => {
            // RFC 2384: pop://user;AUTH=mech@host: the mechanism is ignored.
            let name = match userinfo.find(';') {
                Some(i) if userinfo[i + 1..].to_ascii_lowercase().starts_with("auth=") => {
                    &userinfo[..i]
                }
                _ => userinfo,
            };
            if name.is_empty() {
                return Err(syntax(t!("probe-target-empty-user-name-before-type")));
            }
            let name = percent_decode(name)
                .ok_or_else(|| syntax(t!("probe-target-bad-escape-user-name-write")))?;
            (Some(name), hostport)
        }
        None => (None, authority),
    };
    if hostport.is_empty() {
        return Err(syntax(t!("probe-target-url-has-no-server-name-2")));
    }
    let (host, port) = split_host_port(hostport)?;
    let host = parse_host(host)?;
    Ok(Target {
        input: input.to_string(),
        kind: TargetKind::Url,
        host,
        port,
        security: Some(security),
        user,
    })
}

/// Splits `host:port`, `[v6]:port`, `[v6]` and bare IPv6; the port is
/// validated, the host is returned as text (brackets kept) for
/// [`parse_host`].
fn split_host_port(text: &str) -> Result<(&str, Option<u16>), TargetError> {
    if text.starts_with('[') {
        let Some(close) = text.find(']') else {
            return Err(TargetError::Host {
                host: text.to_string(),
                reason: t!("probe-target-has-no-closing-type-ipv6"),
            });
        };
        let (host, after) = text.split_at(close + 1);
        return match after {
            "" => Ok((host, None)),
            _ => match after.strip_prefix(':') {
                Some(port) => Ok((host, Some(parse_port(port)?))),
                None => Err(TargetError::Host {
                    host: text.to_string(),
                    reason: t!("probe-target-unexpected-text-after-type-2001"),
                }),
            },
        };
    }
    match text.matches(':').count() {
        0 => Ok((text, None)),
        1 => {
            let (host, port) = text.split_once(':').unwrap_or((text, ""));
            Ok((host, Some(parse_port(port)?)))
        }
        // Several colons: a bare IPv6 address, or a mistake.
        _ => {
            if text.parse::<Ipv6Addr>().is_ok() {
                Ok((text, None))
            } else if text.contains('%') {
                Err(TargetError::Host {
                    host: text.to_string(),
                    reason: t!("probe-target-ipv6-zone-ids-eth0-are"),
                })
            } else {
                Err(TargetError::Host {
                    host: text.to_string(),
                    reason: t!("probe-target-not-ipv6-address-give-port"),
                })
            }
        }
    }
}

fn parse_port(text: &str) -> Result<u16, TargetError> {
    match text.parse::<u16>() {
        Ok(0) | Err(_) => Err(TargetError::Port {
            port: text.to_string(),
        }),
        Ok(p) if text.starts_with('+') => Err(TargetError::Port {
            port: p.to_string(),
        }),
        Ok(p) => Ok(p),
    }
}

/// Validates the host text: IP literal (IPv6 possibly in brackets) or DNS
/// name (normalised to lower-case ASCII without a trailing dot).
fn parse_host(text: &str) -> Result<Host, TargetError> {
    let bad = |reason: String| TargetError::Host {
        host: text.to_string(),
        reason,
    };
    if text.is_empty() {
        return Err(bad(t!("probe-target-server-name-empty-type-e")));
    }
    if let Some(inner) = text.strip_prefix('[').and_then(|t| t.strip_suffix(']')) {
        return match inner.parse::<IpAddr>() {
            Ok(ip) => Ok(Host::Ip(ip)),
            Err(_) if inner.contains('%') => Err(bad(t!("probe-target-ipv6-zone-ids-eth0-are"))),
            Err(_) => Err(bad(t!("probe-target-brackets-are-only-ip-addresses"))),
        };
    }
    if let Ok(ip) = text.parse::<IpAddr>() {
        return Ok(Host::Ip(ip));
    }
    validate_name(text).map(Host::Name).map_err(bad)
}

/// Checks a DNS host name and returns its normal form.
fn validate_name(text: &str) -> Result<String, String> {
    let trimmed = text.strip_suffix('.').unwrap_or(text);
    if trimmed.is_empty() {
        return Err(t!("probe-target-server-name-empty-type-e-2"));
    }
    let ascii = if trimmed.is_ascii() {
        trimmed.to_ascii_lowercase()
    } else {
        let name = hickory_proto::rr::Name::from_utf8(trimmed)
            .map_err(|_| t!("probe-target-international-name-cannot-converted-dns"))?;
        let a = name.to_ascii().to_ascii_lowercase();
        a.strip_suffix('.').unwrap_or(&a).to_string()
    };
    if ascii.len() > 253 {
        return Err(t!("probe-target-name-too-long", length = ascii.len()));
    }
    let labels: Vec<&str> = ascii.split('.').collect();
    for label in &labels {
        if label.is_empty() {
            return Err(t!("probe-target-has-empty-label-two-dots"));
        }
        if label.len() > 63 {
            return Err(t!(
                "probe-target-label-too-long",
                label = quote(label),
                length = label.len()
            ));
        }
        if let Some(c) = label
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
        {
            return Err(t!(
                "probe-target-bad-character",
                character = c.escape_debug().to_string()
            ));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(t!("probe-target-hyphen", label = quote(label)));
        }
    }
    let last = labels.last().copied().unwrap_or_default();
    if last.chars().all(|c| c.is_ascii_digit()) {
        let reason =
            if labels.len() == 4 && labels.iter().all(|l| l.chars().all(|c| c.is_ascii_digit())) {
                t!("probe-target-looks-like-ipv4-address-but")
            } else {
                t!("probe-target-server-name-cannot-end-number")
            };
        return Err(reason);
    }
    Ok(ascii)
}

/// Decodes `%XX` escapes; `None` for a broken escape or invalid UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Escapes what cannot appear in URL user-info.
fn percent_encode_user(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,=".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Convenience for tests and callers: an IPv4 literal target.
impl From<Ipv4Addr> for Host {
    fn from(ip: Ipv4Addr) -> Self {
        Host::Ip(IpAddr::V4(ip))
    }
}

/// Convenience for tests and callers: an IPv6 literal target.
impl From<Ipv6Addr> for Host {
    fn from(ip: Ipv6Addr) -> Self {
        Host::Ip(IpAddr::V6(ip))
    }
}

/// Text typed by the user, quoted with every control character escaped.
fn quote(s: &str) -> String {
    format!("\"{}\"", s.escape_debug())
}

#[cfg(test)]
mod tests;
