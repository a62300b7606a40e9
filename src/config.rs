//! Flags + defaults → a validated [`RunConfig`]. Errors here are usage
//! errors (exit code 3) and say what to type instead.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use crate::i18n::t;
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
    /// Whole-run deadline: a hard bound (`timeout` never exceeds it).
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
    /// Compact JSON on one line (`--format jsonl`) instead of pretty JSON.
    pub compact: bool,
    /// Include transcripts in the text report.
    pub transcript: bool,
    /// Only transcripts in the text report.
    pub transcript_only: bool,
    /// Explain dialogue steps and replies in the text report; `None`: only
    /// when the profile is `teaching`.
    pub explain: Option<bool>,
}

/// Parses `10s`, `500ms`, `2m`, `1.5s` or a bare number of seconds.
pub fn parse_duration(s: &str) -> Result<Duration, ConfigError> {
    let t = s.trim();
    let bad = || ConfigError(t!("cli-error-duration-syntax", value = s));
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
        return Err(ConfigError(t!("cli-error-duration-range", value = s)));
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
    Err(ConfigError(t!("cli-error-dns-server", value = s)))
}

/// Builds a validated [`RunConfig`]: typed values in, usage errors out.
/// Every front end (the command line, the TUI form, the demo, the lab, the
/// exporter) builds its runs through it, so defaults live in one place.
#[derive(Debug, Clone)]
pub struct RunConfigBuilder {
    dns_servers: Vec<SocketAddr>,
    ca_file: Option<PathBuf>,
    tls_name: Option<String>,
    timeout: Duration,
    deadline: Duration,
    family: Family,
    expiry_warn_days: u32,
    slow: Duration,
    plain_port: u16,
    tls_port: u16,
    login: Option<LoginConfig>,
    profile: Option<String>,
}

impl Default for RunConfigBuilder {
    fn default() -> Self {
        RunConfigBuilder {
            dns_servers: Vec::new(),
            ca_file: None,
            tls_name: None,
            timeout: Duration::from_secs(10),
            deadline: Duration::from_secs(60),
            family: Family::Any,
            expiry_warn_days: 14,
            slow: Duration::from_secs(2),
            plain_port: 110,
            tls_port: 995,
            login: None,
            profile: None,
        }
    }
}

impl RunConfigBuilder {
    /// DNS servers to ask instead of the system resolver.
    pub fn dns_servers(mut self, servers: Vec<SocketAddr>) -> Self {
        self.dns_servers = servers;
        self
    }

    /// A PEM file with extra trust anchors (read by [`Self::build`]).
    pub fn ca_file(mut self, path: Option<PathBuf>) -> Self {
        self.ca_file = path;
        self
    }

    /// The name to verify and send as SNI instead of the target's host.
    pub fn tls_name(mut self, name: Option<String>) -> Self {
        self.tls_name = name.filter(|n| !n.trim().is_empty());
        self
    }

    /// The time limit of each network step.
    pub fn timeout(mut self, d: Duration) -> Self {
        self.timeout = d;
        self
    }

    /// The time limit of the whole run: a hard bound. The per-step timeout
    /// is capped at it, and steps started late get the time that remains.
    pub fn deadline(mut self, d: Duration) -> Self {
        self.deadline = d;
        self
    }

    /// Which address families to probe.
    pub fn family(mut self, f: Family) -> Self {
        self.family = f;
        self
    }

    /// Days before certificate expiry that warn.
    pub fn expiry_warn_days(mut self, days: u32) -> Self {
        self.expiry_warn_days = days;
        self
    }

    /// A greeting slower than this warns.
    pub fn slow(mut self, d: Duration) -> Self {
        self.slow = d;
        self
    }

    /// The plain (STLS) port probed when the target names none.
    pub fn plain_port(mut self, port: u16) -> Self {
        self.plain_port = port;
        self
    }

    /// The implicit-TLS port probed when the target names none.
    pub fn tls_port(mut self, port: u16) -> Self {
        self.tls_port = port;
        self
    }

    /// Login settings (None: probes only).
    pub fn login(mut self, login: Option<LoginConfig>) -> Self {
        self.login = login;
        self
    }

    /// The dialogue profile to replay: a built-in name or a TOML file (None:
    /// the login's profile, else `basic` when there is a login).
    pub fn profile(mut self, profile: Option<String>) -> Self {
        self.profile = profile.filter(|p| !p.trim().is_empty());
        self
    }

    /// Validates everything and builds the run configuration for `target`
    /// (host, host:port, pop3:// or pop3s:// URL, IP literal or user@domain).
    pub fn build(self, target: &str) -> Result<RunConfig, ConfigError> {
        let target = Target::parse(target).map_err(|e| ConfigError(e.to_string()))?;
        let ca_pem = match &self.ca_file {
            Some(path) => Some(std::fs::read(path).map_err(|e| {
                ConfigError(t!(
                    "cli-error-ca-file",
                    path = path.display().to_string(),
                    error = e.to_string()
                ))
            })?),
            None => None,
        };
        if self.plain_port == 0 || self.tls_port == 0 {
            return Err(ConfigError(t!("cli-error-port-zero")));
        }
        if let Some(n) = &self.tls_name {
            validate_tls_name(n)?;
        }
        let cfg = RunConfig {
            target,
            dns_servers: self.dns_servers,
            ca_file: self.ca_file,
            ca_pem,
            tls_name: self.tls_name,
            // --deadline bounds the whole run: no step may outlive it.
            timeout: self.timeout.min(self.deadline),
            deadline: self.deadline,
            family: self.family,
            expiry_warn_days: self.expiry_warn_days,
            slow: self.slow,
            plain_port: self.plain_port,
            tls_port: self.tls_port,
            login: None,
            profile: None,
        };
        cfg.with_dialogue(self.login, self.profile.as_deref())
    }
}

/// A `--tls-name` must be a DNS name or an IP address (IPv6 optionally in
/// brackets).
fn validate_tls_name(name: &str) -> Result<(), ConfigError> {
    let n = name.trim();
    let unbracketed = n
        .strip_prefix('[')
        .and_then(|x| x.strip_suffix(']'))
        .unwrap_or(n);
    if unbracketed.parse::<IpAddr>().is_ok()
        || rustls_pki_types::ServerName::try_from(n.to_string()).is_ok()
    {
        return Ok(());
    }
    Err(ConfigError(t!(
        "cli-error-tls-name",
        value = crate::transcript::sanitize_str(n)
    )))
}

impl RunConfig {
    /// A builder with the defaults (both ports, 10 s per step, 60 s in all).
    pub fn builder() -> RunConfigBuilder {
        RunConfigBuilder::default()
    }
}

impl RunConfig {
    /// Adds login settings and the profile to replay: `profile` names a
    /// built-in profile or a TOML file; with credentials and no profile,
    /// `basic`. The profile is validated here, before anything connects
    /// (DELE without --allow-delete is refused).
    fn with_dialogue(
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
