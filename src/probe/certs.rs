//! Certificate facts: parsing a DER certificate into [`CertInfo`], its key
//! ([`key_facts`]), its validity ([`validity`]) and whether it is valid for a
//! host name ([`name_match`], RFC 6125 / RFC 7817 rules).
//!
//! Everything here is a pure function over bytes: no I/O, and no panics on
//! any input (certificates come from untrusted servers).

use std::net::IpAddr;

use rustls::SupportedCipherSuite;
use rustls::crypto::aws_lc_rs::cipher_suite::TLS13_AES_128_GCM_SHA256;
use time::OffsetDateTime;
use x509_parser::error::X509Error;
use x509_parser::prelude::{FromDer, GeneralName, X509Certificate, X509Name};
use x509_parser::public_key::RSAPublicKey;

use crate::i18n::t;
use crate::model::CertInfo;
use crate::timefmt::rfc3339;
use crate::transcript::sanitize_str;

/// Why certificate facts could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CertError {
    /// The bytes are not a parsable X.509 certificate.
    #[error("{}", t!("probe-cert-parse", reason = .0))]
    Parse(String),
}

/// Parses DER into an x509-parser certificate (trailing bytes are ignored).
pub(crate) fn parse(der: &[u8]) -> Result<X509Certificate<'_>, CertError> {
    X509Certificate::from_der(der)
        .map(|(_, cert)| cert)
        .map_err(|e| CertError::Parse(parse_error_words(&e)))
}

/// A certificate parse error in words (the parser's own texts of DER and
/// nom errors are Debug output).
fn parse_error_words(e: &x509_parser::nom::Err<X509Error>) -> String {
    use x509_parser::nom::Err;
    match e {
        Err::Incomplete(_) => t!("probe-cert-truncated"),
        Err::Error(x) | Err::Failure(x) => match x {
            X509Error::Der(_) | X509Error::NomError(_) => t!("probe-cert-der-broken"),
            other => other.to_string(),
        },
    }
}

/// The family of a public key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyAlg {
    /// RSA (including RSA-PSS keys).
    Rsa,
    /// Elliptic curve (ECDSA) on a named curve.
    Ec,
    /// Ed25519.
    Ed25519,
    /// Anything else (DSA, Ed448, GOST, unknown).
    Other,
}

/// Facts about a certificate's public key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyFacts {
    /// Key family.
    pub algorithm: KeyAlg,
    /// Size in bits: RSA modulus bits, curve size for EC, 256 for Ed25519,
    /// 0 when unknown.
    pub bits: u32,
    /// Human label, e.g. `RSA 2048`, `EC P-256`, `Ed25519`.
    pub label: String,
}

impl std::fmt::Display for KeyFacts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.label)
    }
}

/// Validity period of a certificate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Validity {
    /// Start of validity.
    pub not_before: OffsetDateTime,
    /// End of validity.
    pub not_after: OffsetDateTime,
}

impl Validity {
    #[cfg(test)]
    /// True when `now` is within the validity period (inclusive).
    pub fn contains(&self, now: OffsetDateTime) -> bool {
        self.not_before <= now && now <= self.not_after
    }
}

/// Result of matching a certificate against a host name or IP address.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NameMatch {
    /// Whether the certificate is valid for the name.
    pub valid: bool,
    /// The names the certificate is valid for: DNS SANs, IP SANs, and the
    /// subject CN when it was used as a fallback.
    pub names: Vec<String>,
    /// True when the decision relied on the subject CN because the certificate
    /// has no DNS SANs (modern clients, rustls included, reject such
    /// certificates).
    pub used_cn_fallback: bool,
}

/// SHA-256 of `data` as lower-case hex (the crypto provider's digest through the rustls
/// provider).
pub fn sha256_hex(data: &[u8]) -> String {
    let SupportedCipherSuite::Tls13(suite) = TLS13_AES_128_GCM_SHA256 else {
        return String::new();
    };
    let out = suite.common.hash_provider.hash(data);
    out.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// Facts about one certificate for reports.
pub fn cert_info(der: &[u8]) -> Result<CertInfo, CertError> {
    let cert = parse(der)?;
    let v = cert.validity();
    Ok(CertInfo {
        subject: format_name(cert.subject()),
        issuer: format_name(cert.issuer()),
        sans: sans(&cert)
            .into_iter()
            .map(|s| match s {
                San::Dns(d) => sanitize_str(&d),
                San::Ip(ip) => ip.to_string(),
            })
            .collect(),
        not_before: rfc3339(v.not_before.to_datetime()),
        not_after: rfc3339(v.not_after.to_datetime()),
        not_before_unix: Some(v.not_before.timestamp()),
        not_after_unix: Some(v.not_after.timestamp()),
        key: key_facts_of(&cert).label,
        signature_algorithm: signature_algorithm_name(&cert),
        sha256: sha256_hex(der),
    })
}

/// Facts about a certificate's public key.
pub fn key_facts(der: &[u8]) -> Result<KeyFacts, CertError> {
    Ok(key_facts_of(&parse(der)?))
}

/// The validity period of a certificate.
pub fn validity(der: &[u8]) -> Result<Validity, CertError> {
    let cert = parse(der)?;
    Ok(Validity {
        not_before: cert.validity().not_before.to_datetime(),
        not_after: cert.validity().not_after.to_datetime(),
    })
}

/// Whether the certificate (DER) is valid for `name` (a DNS name or an IP
/// literal, IPv6 optionally in brackets), per RFC 6125 / RFC 7817:
///
/// * only subject alternative names count, as in webpki (rustls) and every
///   modern mail client: a name found only in the subject CN, on a
///   certificate without any DNS SAN, is reported (`used_cn_fallback`, the
///   CN in `names`) but never valid;
/// * a wildcard only as the whole left-most label: `*.example.com` matches
///   `a.example.com`, not `example.com`, not `a.b.example.com`; `f*.example.com`
///   matches nothing; a wildcard needs at least two labels after it;
/// * case-insensitive, a trailing dot is ignored;
/// * IP targets match IP address SANs only.
///
/// An unparsable certificate matches nothing.
pub fn name_match(der: &[u8], name: &str) -> NameMatch {
    let Ok(cert) = parse(der) else {
        return NameMatch::default();
    };
    let sans = sans(&cert);
    let mut names: Vec<String> = sans
        .iter()
        .map(|s| match s {
            San::Dns(d) => sanitize_str(d),
            San::Ip(ip) => ip.to_string(),
        })
        .collect();
    let has_dns_san = sans.iter().any(|s| matches!(s, San::Dns(_)));
    let target = name.trim();
    let ip_target = target
        .strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .unwrap_or(target)
        .parse::<IpAddr>()
        .ok();

    if let Some(ip) = ip_target {
        let valid = sans.iter().any(|s| matches!(s, San::Ip(a) if *a == ip));
        return NameMatch {
            valid,
            names,
            used_cn_fallback: false,
        };
    }

    if has_dns_san {
        let valid = sans
            .iter()
            .any(|s| matches!(s, San::Dns(pattern) if dns_matches(pattern, target)));
        return NameMatch {
            valid,
            names,
            used_cn_fallback: false,
        };
    }

    let cns: Vec<&str> = cert
        .subject()
        .iter_common_name()
        .filter_map(|a| a.as_str().ok())
        .collect();
    if cns.is_empty() {
        return NameMatch {
            valid: false,
            names,
            used_cn_fallback: false,
        };
    }
    // RFC 6125 6.4.4 names the most specific (last) CN; modern clients and
    // webpki no longer accept it, so it is reported, never valid.
    let cn = cns[cns.len() - 1];
    names.push(sanitize_str(cn));
    NameMatch {
        valid: false,
        names,
        used_cn_fallback: true,
    }
}

/// Matches one presented DNS identifier (possibly a wildcard) against a
/// reference host name.
pub fn dns_matches(pattern: &str, host: &str) -> bool {
    let p = normalize_dns(pattern);
    let h = normalize_dns(host);
    if p.is_empty() || h.is_empty() || h.contains('*') {
        return false;
    }
    if let Some(rest) = p.strip_prefix("*.") {
        if rest.contains('*') || !rest.contains('.') || rest.starts_with('.') {
            return false;
        }
        return match h.split_once('.') {
            Some((first, hrest)) => !first.is_empty() && hrest == rest,
            None => false,
        };
    }
    !p.contains('*') && p == h
}

fn normalize_dns(s: &str) -> String {
    let s = s.trim();
    let s = s.strip_suffix('.').unwrap_or(s);
    s.to_ascii_lowercase()
}

/// A subject alternative name we care about.
#[derive(Debug, Clone, PartialEq, Eq)]
enum San {
    Dns(String),
    Ip(IpAddr),
}

/// DNS and IP SANs; a malformed SAN extension yields none.
fn sans(cert: &X509Certificate<'_>) -> Vec<San> {
    let Ok(Some(ext)) = cert.subject_alternative_name() else {
        return Vec::new();
    };
    ext.value
        .general_names
        .iter()
        .filter_map(|g| match g {
            GeneralName::DNSName(d) => Some(San::Dns((*d).to_string())),
            GeneralName::IPAddress(b) => match b.len() {
                4 => {
                    let a: [u8; 4] = (*b).try_into().ok()?;
                    Some(San::Ip(IpAddr::from(a)))
                }
                16 => {
                    let a: [u8; 16] = (*b).try_into().ok()?;
                    Some(San::Ip(IpAddr::from(a)))
                }
                _ => None,
            },
            _ => None,
        })
        .collect()
}

const OID_RSA: &str = "1.2.840.113549.1.1.1";
const OID_RSA_PSS: &str = "1.2.840.113549.1.1.10";
const OID_EC: &str = "1.2.840.10045.2.1";
const OID_ED25519: &str = "1.3.101.112";
const OID_ED448: &str = "1.3.101.113";
const OID_DSA: &str = "1.2.840.10040.4.1";

/// DER contents of the named-curve OIDs.
const CURVE_P256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
const CURVE_P384: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x22];
const CURVE_P521: &[u8] = &[0x2b, 0x81, 0x04, 0x00, 0x23];

fn key_facts_of(cert: &X509Certificate<'_>) -> KeyFacts {
    let spki = cert.public_key();
    let alg = spki.algorithm.algorithm.to_id_string();
    match alg.as_str() {
        OID_RSA | OID_RSA_PSS => {
            let bits = RSAPublicKey::from_der(&spki.subject_public_key.data)
                .map(|(_, k)| bit_length(k.modulus))
                .unwrap_or(0);
            KeyFacts {
                algorithm: KeyAlg::Rsa,
                bits,
                label: if alg == OID_RSA_PSS {
                    format!("RSA-PSS {bits}")
                } else {
                    format!("RSA {bits}")
                },
            }
        }
        OID_EC => {
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .map(|p| p.as_bytes())
                .unwrap_or_default();
            let (name, bits) = if curve == CURVE_P256 {
                ("P-256".to_string(), 256)
            } else if curve == CURVE_P384 {
                ("P-384".to_string(), 384)
            } else if curve == CURVE_P521 {
                ("P-521".to_string(), 521)
            } else {
                // unknown curve: estimate from the point length
                let point = &spki.subject_public_key.data;
                let bits = if point.first() == Some(&4) {
                    ((point.len().saturating_sub(1)) / 2 * 8) as u32
                } else {
                    0
                };
                ("unknown curve".to_string(), bits)
            };
            KeyFacts {
                algorithm: KeyAlg::Ec,
                bits,
                label: format!("EC {name}"),
            }
        }
        OID_ED25519 => KeyFacts {
            algorithm: KeyAlg::Ed25519,
            bits: 256,
            label: "Ed25519".into(),
        },
        OID_ED448 => KeyFacts {
            algorithm: KeyAlg::Other,
            bits: 456,
            label: "Ed448".into(),
        },
        OID_DSA => {
            let bits = spki
                .parsed()
                .map(|k| k.key_size() as u32)
                .unwrap_or_default();
            KeyFacts {
                algorithm: KeyAlg::Other,
                bits,
                label: format!("DSA {bits}"),
            }
        }
        other => KeyFacts {
            algorithm: KeyAlg::Other,
            bits: 0,
            label: format!("unknown key type {other}"),
        },
    }
}

/// Number of significant bits in a big-endian unsigned integer.
fn bit_length(be: &[u8]) -> u32 {
    let mut i = 0;
    while i < be.len() && be[i] == 0 {
        i += 1;
    }
    match be.get(i) {
        None => 0,
        Some(first) => ((be.len() - i - 1) as u32) * 8 + (8 - first.leading_zeros()),
    }
}

fn signature_algorithm_name(cert: &X509Certificate<'_>) -> String {
    let oid = &cert.signature_algorithm.algorithm;
    let id = oid.to_id_string();
    let known = match id.as_str() {
        "1.2.840.113549.1.1.4" => "md5WithRSAEncryption",
        "1.2.840.113549.1.1.5" => "sha1WithRSAEncryption",
        "1.2.840.113549.1.1.10" => "rsassaPss",
        "1.2.840.113549.1.1.11" => "sha256WithRSAEncryption",
        "1.2.840.113549.1.1.12" => "sha384WithRSAEncryption",
        "1.2.840.113549.1.1.13" => "sha512WithRSAEncryption",
        "1.2.840.10045.4.1" => "ecdsa-with-SHA1",
        "1.2.840.10045.4.3.2" => "ecdsa-with-SHA256",
        "1.2.840.10045.4.3.3" => "ecdsa-with-SHA384",
        "1.2.840.10045.4.3.4" => "ecdsa-with-SHA512",
        "1.3.101.112" => "Ed25519",
        "1.3.101.113" => "Ed448",
        "1.2.840.10040.4.3" => "dsa-with-SHA1",
        _ => "",
    };
    if known.is_empty() {
        id
    } else {
        known.to_string()
    }
}

/// Short names of common attribute types (RFC 4514 section 3 and friends).
fn attr_short_name(oid: &str) -> Option<&'static str> {
    Some(match oid {
        "2.5.4.3" => "CN",
        "2.5.4.6" => "C",
        "2.5.4.7" => "L",
        "2.5.4.8" => "ST",
        "2.5.4.9" => "STREET",
        "2.5.4.10" => "O",
        "2.5.4.11" => "OU",
        "2.5.4.5" => "serialNumber",
        "0.9.2342.19200300.100.1.25" => "DC",
        "0.9.2342.19200300.100.1.1" => "UID",
        "1.2.840.113549.1.9.1" => "emailAddress",
        _ => return None,
    })
}

/// Formats a distinguished name as an RFC 4514 string (last RDN first,
/// special characters escaped, control characters as `\XX`).
pub(crate) fn format_name(name: &X509Name<'_>) -> String {
    let rdns: Vec<String> = name
        .iter_rdn()
        .map(|rdn| {
            rdn.iter()
                .map(|attr| {
                    let oid = attr.attr_type().to_id_string();
                    let key = attr_short_name(&oid).map(str::to_string).unwrap_or(oid);
                    let value = match attr.as_str() {
                        Ok(s) => escape_value(s),
                        Err(_) => {
                            let hex: String =
                                attr.as_slice().iter().map(|b| format!("{b:02x}")).collect();
                            format!("#{hex}")
                        }
                    };
                    format!("{key}={value}")
                })
                .collect::<Vec<_>>()
                .join("+")
        })
        .collect();
    let joined = rdns.into_iter().rev().collect::<Vec<_>>().join(",");
    sanitize_str(&joined)
}

fn escape_value(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let n = s.chars().count();
    for (i, c) in s.chars().enumerate() {
        match c {
            ',' | '+' | '"' | '\\' | '<' | '>' | ';' | '=' => {
                out.push('\\');
                out.push(c);
            }
            '#' if i == 0 => out.push_str("\\#"),
            ' ' if i == 0 || i + 1 == n => out.push_str("\\ "),
            c if c.is_control() => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("\\{b:02X}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// The contents of a DER `Name` without its outer SEQUENCE header, the form
/// webpki uses for trust-anchor subjects. Returns the input when it is not a
/// well-formed SEQUENCE.
pub(crate) fn name_contents(raw: &[u8]) -> &[u8] {
    if raw.len() < 2 || raw[0] != 0x30 {
        return raw;
    }
    let (len, hdr) = match raw[1] {
        l if l < 0x80 => (l as usize, 2),
        0x81 if raw.len() >= 3 => (raw[2] as usize, 3),
        0x82 if raw.len() >= 4 => (((raw[2] as usize) << 8) | raw[3] as usize, 4),
        0x83 if raw.len() >= 5 => (
            ((raw[2] as usize) << 16) | ((raw[3] as usize) << 8) | raw[4] as usize,
            5,
        ),
        _ => return raw,
    };
    if hdr + len == raw.len() {
        &raw[hdr..]
    } else {
        raw
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lab::testpki::*;
    use time::format_description::well_known::Rfc3339;

    #[test]
    fn wildcard_rules() {
        assert!(dns_matches("*.example.com", "a.example.com"));
        assert!(dns_matches("*.EXAMPLE.com", "A.example.COM."));
        assert!(!dns_matches("*.example.com", "example.com"));
        assert!(!dns_matches("*.example.com", "a.b.example.com"));
        assert!(!dns_matches("f*.example.com", "foo.example.com"));
        assert!(!dns_matches("*.com", "example.com"));
        assert!(!dns_matches("*", "example"));
        assert!(!dns_matches("a.*.example.com", "a.b.example.com"));
        assert!(dns_matches("pop.example.com", "POP.Example.Com"));
        assert!(!dns_matches("pop.example.com", "imap.example.com"));
        assert!(!dns_matches("", ""));
    }

    #[test]
    fn name_match_uses_sans_wildcards_and_ips() {
        let pki = Pki::new().unwrap();
        let leaf = pki
            .issue_leaf(&LeafSpec::new(&[
                "*.example.com",
                "mail.example.org",
                "192.0.2.7",
                "::1",
            ]))
            .unwrap();
        let der = leaf.leaf();
        let m = name_match(der, "pop.example.com");
        assert!(m.valid);
        assert!(!m.used_cn_fallback);
        assert_eq!(
            m.names,
            vec!["*.example.com", "mail.example.org", "192.0.2.7", "::1"]
        );
        assert!(!name_match(der, "example.com").valid);
        assert!(!name_match(der, "a.pop.example.com").valid);
        assert!(name_match(der, "MAIL.example.org").valid);
        assert!(name_match(der, "192.0.2.7").valid);
        assert!(name_match(der, "[::1]").valid);
        assert!(!name_match(der, "192.0.2.8").valid);
        // an IP literal never matches a DNS SAN
        assert!(!name_match(der, "127.0.0.1").valid);
    }

    #[test]
    fn cn_fallback_only_without_dns_sans() {
        let pki = Pki::new().unwrap();
        let cn_only = pki
            .issue_leaf(&LeafSpec::new(&["pop.example.com"]).cn_only())
            .unwrap();
        // The CN is reported, but like webpki and modern clients popscope
        // does not accept it.
        let m = name_match(cn_only.leaf(), "pop.example.com");
        assert!(!m.valid);
        assert!(m.used_cn_fallback);
        assert_eq!(m.names, vec!["pop.example.com"]);
        let m = name_match(cn_only.leaf(), "other.example.com");
        assert!(!m.valid);
        assert!(m.used_cn_fallback);
    }

    #[test]
    fn cn_is_ignored_when_dns_sans_exist() {
        let pki = Pki::new().unwrap();
        let leaf = pki
            .issue_leaf(&LeafSpec::new(&["other.example.com"]).common_name("pop.example.com"))
            .unwrap();
        let m = name_match(leaf.leaf(), "pop.example.com");
        assert!(!m.valid);
        assert!(!m.used_cn_fallback);
        assert_eq!(m.names, vec!["other.example.com"]);

        // IP SANs only: the CN is reported for a DNS target, never valid
        let leaf = pki
            .issue_leaf(&LeafSpec::new(&["10.0.0.1"]).common_name("pop.example.com"))
            .unwrap();
        let m = name_match(leaf.leaf(), "pop.example.com");
        assert!(!m.valid && m.used_cn_fallback);
        assert_eq!(m.names, vec!["10.0.0.1", "pop.example.com"]);
        let m = name_match(leaf.leaf(), "10.0.0.1");
        assert!(m.valid && !m.used_cn_fallback);
    }

    #[test]
    fn garbage_is_not_a_certificate() {
        assert!(cert_info(b"not a certificate").is_err());
        for junk in [
            &b"not a certificate"[..],
            &[0x30, 0x82, 0xff],
            &[0x30, 0x03, 0x02, 0x01, 0x00],
            &[],
        ] {
            let e = cert_info(junk).unwrap_err().to_string();
            assert!(!e.contains('(') && !e.contains('{'), "{e}");
        }
        assert!(key_facts(&[0x30, 0x82, 0xff]).is_err());
        assert_eq!(name_match(b"", "x"), NameMatch::default());
        assert!(validity(&[]).is_err());
    }

    #[test]
    fn cert_info_fields() {
        let pki = Pki::new().unwrap();
        let leaf = pki
            .issue_leaf(&LeafSpec::new(&["pop.example.com", "192.0.2.1"]))
            .unwrap();
        let info = cert_info(leaf.leaf()).unwrap();
        assert_eq!(info.subject, "CN=pop.example.com");
        assert_eq!(
            info.issuer,
            "CN=popscope test Intermediate CA,O=popscope test"
        );
        assert_eq!(info.sans, vec!["pop.example.com", "192.0.2.1"]);
        assert_eq!(info.key, "EC P-256");
        assert_eq!(info.signature_algorithm, "ecdsa-with-SHA256");
        assert_eq!(info.sha256.len(), 64);
        assert!(info.not_before.ends_with('Z'), "{}", info.not_before);
        assert!(OffsetDateTime::parse(&info.not_after, &Rfc3339).is_ok());
        // The epoch fields are the same instants as the RFC 3339 ones.
        for (text, unix) in [
            (&info.not_before, info.not_before_unix),
            (&info.not_after, info.not_after_unix),
        ] {
            let t = OffsetDateTime::parse(text, &Rfc3339).unwrap();
            assert_eq!(unix, Some(t.unix_timestamp()), "{text}");
        }
        let v = validity(leaf.leaf()).unwrap();
        assert!(v.contains(OffsetDateTime::now_utc()));
    }

    #[test]
    fn sha256_known_answer() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn key_kinds() {
        let pki = Pki::new().unwrap();
        let cases = [
            (KeyKind::EcP256, KeyAlg::Ec, 256, "EC P-256"),
            (KeyKind::EcP384, KeyAlg::Ec, 384, "EC P-384"),
            (KeyKind::Ed25519, KeyAlg::Ed25519, 256, "Ed25519"),
            (KeyKind::Rsa2048, KeyAlg::Rsa, 2048, "RSA 2048"),
            (KeyKind::Rsa1024Weak, KeyAlg::Rsa, 1024, "RSA 1024"),
        ];
        for (kind, alg, bits, label) in cases {
            let leaf = pki
                .issue_leaf(&LeafSpec::new(&["localhost"]).key(kind))
                .unwrap();
            let k = key_facts(leaf.leaf()).unwrap();
            assert_eq!((k.algorithm, k.bits, k.label.as_str()), (alg, bits, label));
            assert_eq!(leaf.key_kind, kind);
        }
        let ss = Pki::self_signed(&["localhost"]).unwrap();
        let info = cert_info(ss.leaf()).unwrap();
        assert_eq!(info.subject, info.issuer);
    }

    #[test]
    fn rfc4514_escaping() {
        assert_eq!(escape_value("a,b"), "a\\,b");
        assert_eq!(escape_value(" x "), "\\ x\\ ");
        assert_eq!(escape_value("#x"), "\\#x");
        assert_eq!(escape_value("a\u{1b}b"), "a\\1Bb");
    }

    #[test]
    fn name_contents_strips_sequence_header() {
        assert_eq!(name_contents(&[0x30, 0x02, 0x31, 0x00]), &[0x31, 0x00]);
        assert_eq!(name_contents(&[0x30, 0x05, 0x31]), &[0x30, 0x05, 0x31]);
        assert_eq!(name_contents(&[]), &[] as &[u8]);
        let pki = Pki::new().unwrap();
        let root = pki.root_der();
        let cert = parse(&root).unwrap();
        let raw = cert.subject().as_raw();
        assert_eq!(name_contents(raw).len() + 2, raw.len());
    }
}
