//! Flags + defaults → a validated [`RunConfig`]. Errors here are usage
//! errors (exit code 3) and say what to type instead.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use crate::cli::{ColorArg, FormatArg, OutputArgs, ProbeArgs};
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
        })
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
