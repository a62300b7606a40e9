//! Flags + defaults → a validated [`RunConfig`]. Errors here are usage
//! errors (exit code 3) and say what to type instead.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use crate::cli::{AuthArg, ColorArg, FormatArg, LoginArgs, OutputArgs, ProbeArgs};
use crate::pop3::auth::{Mechanism, Secret};
use crate::target::Target;

/// A usage error: bad flag value, unreadable file, bad target.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

/// Which address families to probe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// IPv4 and IPv6.
    Any,
    /// IPv4 only (-4).
    V4,
    /// IPv6 only (-6).
    V6,
}

impl Family {
    /// Whether `ip` is allowed.
    pub fn allows(self, ip: IpAddr) -> bool {
        match self {
            Family::Any => true,
            Family::V4 => ip.is_ipv4(),
            Family::V6 => ip.is_ipv6(),
        }
    }
}

/// Everything the prober needs, validated.
#[derive(Debug, Clone)]
pub struct RunConfig {
    /// What to probe.
    pub target: Target,
    /// DNS servers (empty: system resolver).
    pub dns_servers: Vec<SocketAddr>,
    /// Path of the extra CA file (for messages).
    pub ca_file: Option<PathBuf>,
    /// Its PEM contents, read up front so a bad path is a usage error.
    pub ca_pem: Option<Vec<u8>>,
    /// Name to verify / send as SNI, overriding the target's host.
    pub tls_name: Option<String>,
    /// Per-step timeout.
    pub timeout: Duration,
    /// Whole-run deadline.
    pub deadline: Duration,
    /// Address families.
    pub family: Family,
    /// Days before expiry that warn.
    pub expiry_warn_days: u32,
    /// Greeting slower than this warns.
    pub slow: Duration,
    /// Plain port in two-port mode.
    pub plain_port: u16,
    /// TLS port in two-port mode.
    pub tls_port: u16,
    /// Login settings (None: no credentials).
    pub login: Option<LoginConfig>,
    /// The dialogue to replay after the probes (validated); None: probes only.
    pub profile: Option<crate::script::Profile>,
}

/// Output settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutputConfig {
    /// JSON instead of text.
    pub json: bool,
    /// Use ANSI colour.
    pub color: bool,
    /// Include transcripts in the text report.
    pub transcript: bool,
    /// Only transcripts in the text report.
    pub transcript_only: bool,
}

/// Parses `10s`, `500ms`, `2m`, `1.5s` or a bare number of seconds.
pub fn parse_duration(s: &str) -> Result<Duration, ConfigError> {
    let t = s.trim();
    let bad = || {
        ConfigError(format!(
            "invalid duration '{s}': write a number with a unit, e.g. 500ms, 10s or 2m"
        ))
    };
    let (num, mult) = if let Some(n) = t.strip_suffix("ms") {
        (n, 0.001)
    } else if let Some(n) = t.strip_suffix('s') {
        (n, 1.0)
    } else if let Some(n) = t.strip_suffix('m') {
        (n, 60.0)
    } else if let Some(n) = t.strip_suffix('h') {
        (n, 3600.0)
    } else {
        (t, 1.0)
    };
    let v: f64 = num.trim().parse().map_err(|_| bad())?;
    if !v.is_finite() || v <= 0.0 || v * mult > 86_400.0 {
        return Err(ConfigError(format!(
            "invalid duration '{s}': it must be more than 0 and at most 24h"
        )));
    }
    Ok(Duration::from_secs_f64(v * mult))
}

/// Parses a DNS server `IP` or `IP:PORT` (`[v6]:port`); port defaults to 53.
pub fn parse_dns_server(s: &str) -> Result<SocketAddr, ConfigError> {
    let t = s.trim();
    if let Ok(sa) = t.parse::<SocketAddr>() {
        return Ok(sa);
    }
    let inner = t.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = inner.parse::<IpAddr>() {
        return Ok(SocketAddr::new(ip, 53));
    }
    Err(ConfigError(format!(
        "invalid --dns-server '{s}': give an IP address, optionally with a port (9.9.9.9, 9.9.9.9:53, [2620:fe::fe]:53)"
    )))
}

impl RunConfig {
    /// Builds the config for `target` from probe flags.
    pub fn from_args(target: &str, p: &ProbeArgs) -> Result<RunConfig, ConfigError> {
        let target = Target::parse(target).map_err(|e| ConfigError(e.to_string()))?;
        let dns_servers = p
            .dns_servers
            .iter()
            .filter(|s| !s.trim().is_empty())
            .map(|s| parse_dns_server(s))
            .collect::<Result<Vec<_>, _>>()?;
        let ca_pem = match &p.ca_file {
            Some(path) => Some(std::fs::read(path).map_err(|e| {
                ConfigError(format!(
                    "cannot read --ca-file {}: {e}; give the path of a PEM file with the CA certificate(s)",
                    path.display()
                ))
            })?),
            None => None,
        };
        let family = if p.ipv4 {
            Family::V4
        } else if p.ipv6 {
            Family::V6
        } else {
            Family::Any
        };
        if p.plain_port == 0 || p.tls_port == 0 {
            return Err(ConfigError(
                "--plain-port and --tls-port must be 1-65535".into(),
            ));
        }
        if let Some(n) = p.tls_name.as_deref().filter(|n| !n.is_empty()) {
            crate::probe::tls::HandshakeName::new(n).map_err(|e| {
                ConfigError(format!(
                    "invalid --tls-name: {e}; give a host name such as pop.example.com"
                ))
            })?;
        }
        let timeout = parse_duration(&p.timeout)?;
        let deadline = parse_duration(&p.deadline)?;
        Ok(RunConfig {
            target,
            dns_servers,
            ca_file: p.ca_file.clone(),
            ca_pem,
            tls_name: p.tls_name.clone().filter(|s| !s.is_empty()),
            timeout,
            deadline: deadline.max(timeout),
            family,
            expiry_warn_days: p.expiry_warn,
            slow: parse_duration(&p.slow)?,
            plain_port: p.plain_port,
            tls_port: p.tls_port,
            login: None,
            profile: None,
        })
    }
}

impl RunConfig {
    /// Adds login settings and the profile to replay: `profile` names a
    /// built-in profile or a TOML file; with credentials and no profile,
    /// `basic`. The profile is validated here, before anything connects
    /// (DELE without --allow-delete is refused).
    pub fn with_dialogue(
        mut self,
        login: Option<LoginConfig>,
        profile: Option<&str>,
    ) -> Result<RunConfig, ConfigError> {
        let name = profile
            .map(str::to_string)
            .or_else(|| login.as_ref().and_then(|l| l.profile.clone()))
            .or_else(|| login.as_ref().map(|_| "basic".to_string()));
        if let Some(name) = name {
            let p = crate::script::Profile::load(&name).map_err(|e| ConfigError(e.to_string()))?;
            p.validate(login.as_ref().is_some_and(|l| l.allow_delete))
                .map_err(|e| ConfigError(e.to_string()))?;
            self.profile = Some(p);
        }
        self.login = login;
        Ok(self)
    }
}

impl OutputConfig {
    /// Resolves format and colour (`NO_COLOR`, terminal detection).
    pub fn from_args(o: &OutputArgs, stdout_is_terminal: bool) -> OutputConfig {
        let json = o.json || o.format == FormatArg::Json;
        let no_color_env = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = match o.color {
            ColorArg::Always => true,
            ColorArg::Never => false,
            ColorArg::Auto => stdout_is_terminal && !no_color_env,
        };
        OutputConfig {
            json,
            color: color && !json,
            transcript: !o.no_transcript,
            transcript_only: o.transcript_only,
        }
    }
}

/// Login settings: who, with which secret, how, and what is allowed.
#[derive(Debug, Clone)]
pub struct LoginConfig {
    /// User name.
    pub user: String,
    /// Password (never printed: `Secret` shows `********`).
    pub password: Option<Secret>,
    /// OAuth token for XOAUTH2/OAUTHBEARER.
    pub token: Option<Secret>,
    /// Mechanism (None: the strongest offered).
    pub mechanism: Option<Mechanism>,
    /// Credentials may travel unencrypted.
    pub allow_cleartext: bool,
    /// DELE allowed in dialogues.
    pub allow_delete: bool,
    /// Profile name or path (None: `basic`).
    pub profile: Option<String>,
    /// Bytes kept per response.
    pub max_bytes: u64,
}

fn read_secret_file(path: &std::path::Path, what: &str) -> Result<Secret, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        ConfigError(format!(
            "cannot read the {what} file {}: {e}",
            path.display()
        ))
    })?;
    let first = text.lines().next().unwrap_or("").trim_end_matches('\r');
    if first.is_empty() {
        return Err(ConfigError(format!(
            "the {what} file {} is empty",
            path.display()
        )));
    }
    Ok(Secret::new(first.to_string()))
}

fn env_secret(var: &str) -> Option<Secret> {
    std::env::var(var)
        .ok()
        .filter(|v| !v.is_empty())
        .map(Secret::new)
}

impl LoginConfig {
    /// Login settings with a password given directly (the TUI's masked
    /// field); mechanism auto, nothing else allowed.
    pub fn with_password(user: &str, password: Secret) -> LoginConfig {
        LoginConfig {
            user: user.to_string(),
            password: Some(password),
            token: None,
            mechanism: None,
            allow_cleartext: false,
            allow_delete: false,
            profile: None,
            max_bytes: 1_048_576,
        }
    }

    /// Builds the login settings; `None` when no user is known (no login).
    /// The password comes from `--password-env` (default `POPSCOPE_PASSWORD`),
    /// `--password-file`, or a prompt when `interactive`.
    pub fn from_args(
        a: &LoginArgs,
        target_user: Option<&str>,
        interactive: bool,
    ) -> Result<Option<LoginConfig>, ConfigError> {
        let Some(user) = a
            .user
            .clone()
            .or(target_user.map(str::to_string))
            .filter(|u| !u.is_empty())
        else {
            if a.password_file.is_some() || a.password_env.is_some() || a.token_file.is_some() {
                return Err(ConfigError(
                    "a password or token was given but no user: add --user NAME (or use a user@domain target)".into(),
                ));
            }
            return Ok(None);
        };
        let mechanism = match a.auth {
            None | Some(AuthArg::Auto) => None,
            Some(AuthArg::User) => Some(Mechanism::User),
            Some(AuthArg::Apop) => Some(Mechanism::Apop),
            Some(AuthArg::Plain) => Some(Mechanism::Plain),
            Some(AuthArg::Login) => Some(Mechanism::Login),
            Some(AuthArg::CramMd5) => Some(Mechanism::CramMd5),
            Some(AuthArg::Xoauth2) => Some(Mechanism::XOauth2),
            Some(AuthArg::Oauthbearer) => Some(Mechanism::OauthBearer),
        };
        let token = match &a.token_file {
            Some(p) => Some(read_secret_file(p, "token")?),
            None => env_secret(a.token_env.as_deref().unwrap_or("POPSCOPE_TOKEN")),
        };
        let wants_token = matches!(mechanism, Some(Mechanism::XOauth2 | Mechanism::OauthBearer));
        if wants_token && token.is_none() {
            return Err(ConfigError(
                "XOAUTH2/OAUTHBEARER need a token: set POPSCOPE_TOKEN, or give --token-env VAR or --token-file FILE".into(),
            ));
        }
        // A user taken from a user@domain target is tested only when a
        // password or token was provided; no prompt for it.
        let explicit_user = a.user.is_some();
        let has_source = a.password_file.is_some()
            || a.password_env.is_some()
            || token.is_some()
            || env_secret("POPSCOPE_PASSWORD").is_some();
        if !explicit_user && !has_source {
            return Ok(None);
        }
        let password = match (&a.password_file, &a.password_env) {
            (Some(p), _) => Some(read_secret_file(p, "password")?),
            (None, Some(var)) => Some(env_secret(var).ok_or_else(|| {
                ConfigError(format!(
                    "--password-env {var}: that environment variable is not set or empty"
                ))
            })?),
            (None, None) => env_secret("POPSCOPE_PASSWORD"),
        };
        let password = match password {
            Some(p) => Some(p),
            None if wants_token => None,
            None if interactive => {
                let p = rpassword::prompt_password(format!("POP3 password for {user}: ")).map_err(
                    |e| ConfigError(format!("cannot read the password from the terminal: {e}")),
                )?;
                Some(Secret::new(p))
            }
            None => {
                return Err(ConfigError(format!(
                    "no password for {user}: set POPSCOPE_PASSWORD, or give --password-env VAR or --password-file FILE (popscope never takes a password on the command line)"
                )));
            }
        };
        Ok(Some(LoginConfig {
            user,
            password,
            token,
            mechanism,
            allow_cleartext: a.allow_cleartext_auth,
            allow_delete: a.allow_delete,
            profile: a.profile.clone(),
            max_bytes: a.max_bytes,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("10s").unwrap(), Duration::from_secs(10));
        assert_eq!(parse_duration("500ms").unwrap(), Duration::from_millis(500));
        assert_eq!(parse_duration("2m").unwrap(), Duration::from_secs(120));
        assert_eq!(parse_duration("3").unwrap(), Duration::from_secs(3));
        assert_eq!(parse_duration("1.5s").unwrap(), Duration::from_millis(1500));
        assert!(parse_duration("0s").is_err());
        assert!(parse_duration("abc").is_err());
        assert!(parse_duration("-1s").is_err());
    }

    #[test]
    fn dns_servers() {
        assert_eq!(
            parse_dns_server("9.9.9.9").unwrap(),
            "9.9.9.9:53".parse().unwrap()
        );
        assert_eq!(
            parse_dns_server("127.0.0.1:5353").unwrap(),
            "127.0.0.1:5353".parse().unwrap()
        );
        assert_eq!(
            parse_dns_server("::1").unwrap(),
            "[::1]:53".parse().unwrap()
        );
        assert_eq!(
            parse_dns_server("[::1]:54").unwrap(),
            "[::1]:54".parse().unwrap()
        );
        assert!(parse_dns_server("dns.example").is_err());
    }
}
