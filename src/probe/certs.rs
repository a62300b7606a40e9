//! Certificate facts: parsing a DER certificate into [`CertInfo`], its key
//! ([`key_facts`]), its validity ([`validity`]) and whether it is valid for a
//! host name ([`name_match`], RFC 6125 / RFC 7817 rules).
//!
//! Also home of [`testpki`], the certificate factory used by the lab server
//! and by tests. Everything here is a pure function over bytes: no I/O, and no
//! panics on any input (certificates come from untrusted servers).

use std::net::IpAddr;

use rustls::SupportedCipherSuite;
use rustls::crypto::ring::cipher_suite::TLS13_AES_128_GCM_SHA256;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use x509_parser::prelude::{FromDer, GeneralName, X509Certificate, X509Name};
use x509_parser::public_key::RSAPublicKey;

use crate::model::CertInfo;
use crate::transcript::sanitize_str;

/// Why certificate facts could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CertError {
    /// The bytes are not a parsable X.509 certificate.
    #[error("the certificate could not be parsed: {0}")]
    Parse(String),
}

/// Parses DER into an x509-parser certificate (trailing bytes are ignored).
pub(crate) fn parse(der: &[u8]) -> Result<X509Certificate<'_>, CertError> {
    X509Certificate::from_der(der)
        .map(|(_, cert)| cert)
        .map_err(|e| CertError::Parse(e.to_string()))
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

/// Formats a time as RFC 3339 (falls back to the Unix timestamp).
pub fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339)
        .unwrap_or_else(|_| t.unix_timestamp().to_string())
}

/// SHA-256 of `data` as lower-case hex (ring's digest through the rustls
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

/// The subject of a certificate as an RFC 4514 string.
pub fn subject(der: &[u8]) -> Result<String, CertError> {
    Ok(format_name(parse(der)?.subject()))
}

/// The issuer of a certificate as an RFC 4514 string.
pub fn issuer(der: &[u8]) -> Result<String, CertError> {
    Ok(format_name(parse(der)?.issuer()))
}

/// Whether the certificate (DER) is valid for `name` (a DNS name or an IP
/// literal, IPv6 optionally in brackets), per RFC 6125 / RFC 7817:
///
/// * DNS-ID subject alternative names are used first; the subject CN only
///   when the certificate has no DNS SAN at all (`used_cn_fallback`);
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
    // RFC 6125 6.4.4: use the most specific (last) CN.
    let cn = cns[cns.len() - 1];
    names.push(sanitize_str(cn));
    NameMatch {
        valid: dns_matches(cn, target),
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

/// Test certificate factory: a root CA, an intermediate CA and leaves with
/// chosen names, validity and keys, plus rustls server configs built with the
/// ring provider. Used by the lab server and by tests.
///
/// RSA keys cannot be generated with ring, so the two RSA key kinds use
/// fixed test keys embedded below (generated once with `openssl genpkey`);
/// they are test fixtures, never secrets.
pub mod testpki {
    use std::sync::Arc;

    use rcgen::{
        BasicConstraints, CertificateParams, CertifiedIssuer, DistinguishedName, DnType,
        ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose, SubjectPublicKeyInfo,
    };
    use rustls::crypto::ring::default_provider;
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
    use rustls::server::ServerConfig;
    use rustls::sign::{CertifiedKey, Signer, SigningKey, SingleCertAndKey};
    use rustls::{SignatureAlgorithm, SignatureScheme, SupportedProtocolVersion};
    use time::{Duration, OffsetDateTime};

    /// A fixed 2048-bit RSA test key (PKCS#8), generated with
    /// `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048`.
    pub const RSA2048_TEST_KEY_PEM: &str = "-----BEGIN PRIVATE KEY-----
MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQCkgkTRQhiY2feA
l0B39Fpsvr3lAGupIAxUr1L/tntaS1gcxegn9OWAjLzJYcmMZdqLSvuOr5ElX0Hk
GU3z4lpgGB2mV58ZsBz6E2aLkefRQB1auKPud027rlSIntxtWhasO5bYEmueIjHE
jW94jBkW//QeAklFp4/DrnTilNsAg6CXlvTmK5CRPytaWA3e7AzELH4HIxFF5ToN
PnhbY13FSCOj/lvQf+P9i2Rg6WMy4eyUerCoeaCro/Fyl6MpCCenDm4T+dIVBRa/
o6JypRzVyzf5RliUnwLCDGuPa8cneaHGw213CDt2Zhjlfj1ZMx9DKoBy8W8QRGC0
RHYKCdebAgMBAAECggEAKURkbvndobpL0/4dNfoeFNlkWWXZm/tmHHg+odbs6qGr
4MvkiOFuEOk9EmdtX8LNJ9QPdqOkDXPv24Bdhahqc2CZT3j7eD4thq4HM0vOkzc6
Jd/bf5596W651evD78qBlYL9PAai6HA7e8rfA6ZhRNvAKSb5qnd2IOhKeexNY7s5
nTEOvSb3K+SoMXMxmjqyNw1BqvBC1xr34BRTEjs7xpWPWIwbWbJ1xohopwv/Di3J
KNr2Xz+oifbZH51YL09MEi6+HR9NKsyu6PJknWhMu/5cmrqFvWb7nw1rS/Ua978m
UrG6j88XA8lB5iJtuSDSuFhnY1SNKhKLx9ODUmI1wQKBgQDlV71Sn+UzTDNYwDCN
A4CGZbkhaf3hVxB4ZMCcdBd0KOmZDIireO+T3xqrWtvyiIgFbiye278HXhYPtu80
6e5aRD/r73sTHDTmL6lNzqobxhA4O8tvjUyt95GSaV9tmOnIbfEyxvkNnC0I1g+B
yGRbc/fpT16t/oaXTUNll9OE5wKBgQC3oVmijTF+PMPBUNoYYSVSBUODmkABWh+k
NhEuZOTLzyy+cajz5T0bCOrRctuj1OFTTRuhBo/fiZvJN0JoUaugRF3jf9kmtaOQ
xUZ7woyZGYYLrqtcwlvIbShX8ZijGsyr2UGkLZq4dXApG/J43PH1nvBSMPdHIfDF
YQkcz85NLQKBgEXL2wFPSii/cwz6iIwR2caNJLdnk21F2uxY9UloB09BuD3s05cj
2f2ts2cc4r1AEe1dJ1U9WTi7yIkFymzXGMP961o5asJZHjxDmwnj8F89eugyQmpz
nTeAlZvyV6l6FQP7eaFTbq5Wrln3E4cS3n/6niMyFYVsZbecOvurJiNXAoGALCT6
0mwVCN78xF12gMPh3+zqBRow5uJOlwB0cu3IXwKoJARY9IEYhoZHRSDSknkbzhXM
XZKhRcDkFaRWL5PqqXWmCIn0nyytbKEwR5JGkIulQOu1wG/s9qrfNv0aj6NirrFk
6V4ZQtzgoNFaIhojhMO3zFp/J7eOFTU1ppqCYuUCgYAhyU6gZC/dOhI2fgBb8IEM
KXtbCjeXDFaHvne+6cWpPXS7R60k9XfYZOs4I9knbXy4t+DJa5BwvHjdnWB8hijc
pW2dHGp+FmJrDPGAQy+Hs94sAAj2s4E3zE8znDcChA14365bTCVhuThDj7VN9nXB
6UofJhMsA+4BcbOgYuBrxg==
-----END PRIVATE KEY-----
";

    /// A fixed, deliberately weak 1024-bit RSA test key (PKCS#8), generated
    /// with `openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024`.
    /// ring refuses RSA keys under 2048 bits, so see [`KeyKind::Rsa1024Weak`].
    pub const RSA1024_WEAK_TEST_KEY_PEM: &str = "-----BEGIN PRIVATE KEY-----
MIICdQIBADANBgkqhkiG9w0BAQEFAASCAl8wggJbAgEAAoGBANA61KVEV8uAmhp2
AL5qqq1D5A+1uB1AE+8VIl6n4AB+1Fx5xWy1q5VwVcl6eMPY/8oTGEE6wQzxpKg7
E2MNXf81zaeBDv4iof7a0Xm1G8Pua9Bi8Iae+JmudDbbV/a52fzoDnXIZTW5AI/T
vM051lEtmUfeJv0Y9QmDUvpCEAlxAgMBAAECgYB51HHl3/6eCjgfkzsMLcx+Y2Jj
7qYyNvNyxqK9Tus4XvxQvs5LtF8XqAoJP6a4r5W43UMrpvycXiVAaJAHPCLpyI+o
Xk6G589RdkeCJGIwTzay4rTvlXLKN85d+j5sPJt3ANd+5c/k8tiknI+FE7w4GhnB
wnvH+RspS7A4MZ0AAQJBAOt8uOxyXc5LdS9QJUufOO0YkkaqDa18Z49uRw1FvTdd
gOlSjBJp2IvVyc7EYdHNYoJ0bY3tO+0cRtaPwRJWBXECQQDiXkdPZfOpfMWPWdsk
gPHdpzDokwyAqi9hP8u/kT8mrKMd4f8zPUFHCMESIqgqqCAjd4+dveCmuZsNKOR2
yEQBAkBrZLXxHzconcETkrlvg22ys0ICeAtE0zdnciN1Khjg5wOjZMH8o8jd/OHM
KkNyKviCBhbwYwCxYfPsZiLm+dQBAkAMqLsSLKBovQqLTrobm35rJ9trVjXfyCSo
KpopV2URs5vXovjTk7xfzZSGgBupbweFFD2a07CJgl2yabQFFIQBAkBrinVJHX3x
FQ6Oxln8+tk17eU/M0Uhkweu1pe8lZMimMoYFkmM36jaatZrVINsfJHBfrXOFIJE
WJhz3ymqsbun
-----END PRIVATE KEY-----
";

    /// The public half of [`RSA1024_WEAK_TEST_KEY_PEM`] (SubjectPublicKeyInfo).
    pub const RSA1024_WEAK_TEST_PUBLIC_PEM: &str = "-----BEGIN PUBLIC KEY-----
MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDQOtSlRFfLgJoadgC+aqqtQ+QP
tbgdQBPvFSJep+AAftRcecVstauVcFXJenjD2P/KExhBOsEM8aSoOxNjDV3/Nc2n
gQ7+IqH+2tF5tRvD7mvQYvCGnviZrnQ221f2udn86A51yGU1uQCP07zNOdZRLZlH
3ib9GPUJg1L6QhAJcQIDAQAB
-----END PUBLIC KEY-----
";

    /// Why a test certificate or server config could not be made.
    #[derive(Debug, thiserror::Error)]
    pub enum PkiError {
        /// rcgen refused the parameters (e.g. an invalid name).
        #[error("certificate generation failed: {0}")]
        Rcgen(#[from] rcgen::Error),
        /// rustls refused the certificate or key.
        #[error("rustls refused the server configuration: {0}")]
        Rustls(#[from] rustls::Error),
        /// A PEM fixture could not be decoded.
        #[error("PEM decoding failed: {0}")]
        Pem(String),
        /// The leaf spec has no names.
        #[error("a leaf certificate needs at least one name")]
        NoNames,
    }

    /// The key type of a leaf certificate.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub enum KeyKind {
        /// ECDSA P-256 (fresh key).
        #[default]
        EcP256,
        /// ECDSA P-384 (fresh key).
        EcP384,
        /// Ed25519 (fresh key).
        Ed25519,
        /// RSA 2048 ([`RSA2048_TEST_KEY_PEM`], a fixed test key).
        Rsa2048,
        /// RSA 1024 ([`RSA1024_WEAK_TEST_KEY_PEM`], a fixed, weak test key).
        ///
        /// ring cannot sign with RSA keys under 2048 bits, so
        /// [`server_config`] serves this key with a placeholder signer whose
        /// handshake signatures are not valid. Clients built on ring/webpki
        /// (popscope included) reject a 1024-bit RSA handshake signature
        /// before looking at its bytes, so they see exactly what a real
        /// 1024-bit server produces: the chain arrives, then the handshake
        /// fails on the server's signature.
        Rsa1024Weak,
    }

    /// Which certificates the server sends.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub enum ServedChain {
        /// Only the leaf (the classic "missing intermediate" mistake when the
        /// leaf was issued by the intermediate).
        LeafOnly,
        /// Leaf and, when it issued the leaf, the intermediate.
        #[default]
        WithIntermediate,
        /// Leaf, intermediate (when it issued the leaf) and the root.
        WithIntermediateAndRoot,
    }

    /// Which TLS versions a test server speaks.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
    pub enum ServerVersions {
        /// TLS 1.2 and 1.3.
        #[default]
        All,
        /// TLS 1.2 only.
        Tls12Only,
        /// TLS 1.3 only.
        Tls13Only,
    }

    static TLS12_ONLY: &[&SupportedProtocolVersion] = &[&rustls::version::TLS12];
    static TLS13_ONLY: &[&SupportedProtocolVersion] = &[&rustls::version::TLS13];

    impl ServerVersions {
        fn list(self) -> &'static [&'static SupportedProtocolVersion] {
            match self {
                ServerVersions::All => rustls::ALL_VERSIONS,
                ServerVersions::Tls12Only => TLS12_ONLY,
                ServerVersions::Tls13Only => TLS13_ONLY,
            }
        }
    }

    /// What leaf certificate to issue.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct LeafSpec {
        /// DNS names and/or IP literals. The first one is also the subject CN.
        pub names: Vec<String>,
        /// Start of validity.
        pub not_before: OffsetDateTime,
        /// End of validity.
        pub not_after: OffsetDateTime,
        /// Key type.
        pub key: KeyKind,
        /// Issue from the root directly instead of the intermediate.
        pub issued_by_root: bool,
        /// Which certificates the server sends.
        pub served: ServedChain,
        /// Put the names in the SAN extension (false: CN only, for
        /// CN-fallback scenarios).
        pub san: bool,
        /// Subject CN; `None` uses the first name.
        pub cn: Option<String>,
    }

    impl LeafSpec {
        /// A leaf for `names`, valid from a day ago for 90 days, EC P-256,
        /// issued by the intermediate, served with the intermediate.
        pub fn new<S: AsRef<str>>(names: &[S]) -> Self {
            let now = OffsetDateTime::now_utc();
            LeafSpec {
                names: names.iter().map(|s| s.as_ref().to_string()).collect(),
                not_before: now - Duration::days(1),
                not_after: now + Duration::days(90),
                key: KeyKind::EcP256,
                issued_by_root: false,
                served: ServedChain::WithIntermediate,
                san: true,
                cn: None,
            }
        }

        /// Builder: expired `days_ago` days ago (valid for 90 days before).
        pub fn expired(mut self, days_ago: i64) -> Self {
            let now = OffsetDateTime::now_utc();
            self.not_after = now - Duration::days(days_ago);
            self.not_before = self.not_after - Duration::days(90);
            self
        }

        /// Builder: becomes valid in `days` days.
        pub fn not_yet_valid(mut self, days: i64) -> Self {
            let now = OffsetDateTime::now_utc();
            self.not_before = now + Duration::days(days);
            self.not_after = self.not_before + Duration::days(90);
            self
        }

        /// Builder: expires in `days` days (valid since a day ago).
        pub fn expires_in(mut self, days: i64) -> Self {
            let now = OffsetDateTime::now_utc();
            self.not_before = now - Duration::days(1);
            self.not_after = now + Duration::days(days);
            self
        }

        /// Builder: key type.
        pub fn key(mut self, key: KeyKind) -> Self {
            self.key = key;
            self
        }

        /// Builder: which certificates the server sends.
        pub fn served(mut self, served: ServedChain) -> Self {
            self.served = served;
            self
        }

        /// Builder: issue from the root directly.
        pub fn by_root(mut self) -> Self {
            self.issued_by_root = true;
            self
        }

        /// Builder: no SAN extension, the first name only in the CN.
        pub fn cn_only(mut self) -> Self {
            self.san = false;
            self
        }

        /// Builder: a subject CN different from the first name.
        pub fn common_name(mut self, cn: &str) -> Self {
            self.cn = Some(cn.to_string());
            self
        }
    }

    impl Default for LeafSpec {
        fn default() -> Self {
            LeafSpec::new(&["localhost"])
        }
    }

    /// An issued leaf: the chain the server sends and its private key.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct Leaf {
        /// Certificates the server sends, leaf first.
        pub chain: Vec<CertificateDer<'static>>,
        /// The leaf's private key, PKCS#8 DER.
        pub key_der: Vec<u8>,
        /// The leaf's key type.
        pub key_kind: KeyKind,
    }

    impl Leaf {
        /// The leaf certificate itself.
        pub fn leaf(&self) -> &CertificateDer<'static> {
            &self.chain[0]
        }

        /// The private key for rustls.
        pub fn key(&self) -> PrivateKeyDer<'static> {
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.key_der.clone()))
        }

        /// The served chain as PEM (leaf first).
        pub fn chain_pem(&self) -> String {
            self.chain.iter().map(|c| pem("CERTIFICATE", c)).collect()
        }

        /// The private key as PEM.
        pub fn key_pem(&self) -> String {
            pem("PRIVATE KEY", &self.key_der)
        }

        /// A rustls server config serving this leaf.
        pub fn server_config(
            &self,
            versions: ServerVersions,
        ) -> Result<Arc<ServerConfig>, PkiError> {
            server_config(self.chain.clone(), self.key(), versions)
        }
    }

    /// A test PKI: a root CA and an intermediate CA (both EC P-256).
    pub struct Pki {
        root: CertifiedIssuer<'static, KeyPair>,
        intermediate: CertifiedIssuer<'static, KeyPair>,
    }

    impl std::fmt::Debug for Pki {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("Pki").finish_non_exhaustive()
        }
    }

    impl Pki {
        /// A PKI named "popscope test" (`CN=popscope test Root CA`, ...).
        pub fn new() -> Result<Pki, PkiError> {
            Pki::with_name("popscope test")
        }

        /// A PKI whose CA names start with `label`; use distinct labels for
        /// PKIs that must not be confused (trusted vs. untrusted).
        pub fn with_name(label: &str) -> Result<Pki, PkiError> {
            let now = OffsetDateTime::now_utc();
            let mut root_params = CertificateParams::default();
            root_params.distinguished_name = dn(&format!("{label} Root CA"), label);
            root_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
            root_params.key_usages = vec![
                KeyUsagePurpose::KeyCertSign,
                KeyUsagePurpose::CrlSign,
                KeyUsagePurpose::DigitalSignature,
            ];
            root_params.not_before = now - Duration::days(2);
            root_params.not_after = now + Duration::days(3650);
            let root_key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)?;
            let root = CertifiedIssuer::self_signed(root_params, root_key)?;

            let mut int_params = CertificateParams::default();
            int_params.distinguished_name = dn(&format!("{label} Intermediate CA"), label);
            int_params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
            int_params.key_usages = vec![
                KeyUsagePurpose::KeyCertSign,
                KeyUsagePurpose::CrlSign,
                KeyUsagePurpose::DigitalSignature,
            ];
            int_params.use_authority_key_identifier_extension = true;
            int_params.not_before = now - Duration::days(2);
            int_params.not_after = now + Duration::days(1825);
            let int_key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)?;
            let intermediate = CertifiedIssuer::signed_by(int_params, int_key, &root)?;
            Ok(Pki { root, intermediate })
        }

        /// The root CA certificate as PEM (what a client adds as trust anchor).
        pub fn ca_pem(&self) -> String {
            self.root.pem()
        }

        /// The root CA certificate.
        pub fn root_der(&self) -> CertificateDer<'static> {
            self.root.der().clone()
        }

        /// The intermediate CA certificate.
        pub fn intermediate_der(&self) -> CertificateDer<'static> {
            self.intermediate.der().clone()
        }

        /// Issues a leaf certificate.
        pub fn issue_leaf(&self, spec: &LeafSpec) -> Result<Leaf, PkiError> {
            let params = leaf_params(spec)?;
            let (key_der, cert) = {
                let issuer: &CertifiedIssuer<'static, KeyPair> = if spec.issued_by_root {
                    &self.root
                } else {
                    &self.intermediate
                };
                match spec.key {
                    KeyKind::Rsa1024Weak => {
                        let public = SubjectPublicKeyInfo::from_pem(RSA1024_WEAK_TEST_PUBLIC_PEM)?;
                        let cert = params.signed_by(&public, issuer)?;
                        (pkcs8_der(RSA1024_WEAK_TEST_KEY_PEM)?, cert)
                    }
                    kind => {
                        let key = leaf_key(kind)?;
                        let cert = params.signed_by(&key, issuer)?;
                        (key.serialize_der(), cert)
                    }
                }
            };
            let mut chain = vec![cert.der().clone()];
            match spec.served {
                ServedChain::LeafOnly => {}
                ServedChain::WithIntermediate => {
                    if !spec.issued_by_root {
                        chain.push(self.intermediate_der());
                    }
                }
                ServedChain::WithIntermediateAndRoot => {
                    if !spec.issued_by_root {
                        chain.push(self.intermediate_der());
                    }
                    chain.push(self.root_der());
                }
            }
            Ok(Leaf {
                chain,
                key_der,
                key_kind: spec.key,
            })
        }

        /// A self-signed leaf (EC P-256) for `names`, valid since a day ago
        /// for 90 days.
        pub fn self_signed<S: AsRef<str>>(names: &[S]) -> Result<Leaf, PkiError> {
            let spec = LeafSpec::new(names);
            let params = leaf_params(&spec)?;
            let key = leaf_key(KeyKind::EcP256)?;
            let cert = params.self_signed(&key)?;
            Ok(Leaf {
                chain: vec![cert.der().clone()],
                key_der: key.serialize_der(),
                key_kind: KeyKind::EcP256,
            })
        }
    }

    fn dn(cn: &str, org: &str) -> DistinguishedName {
        let mut dn = DistinguishedName::new();
        dn.push(DnType::OrganizationName, org);
        dn.push(DnType::CommonName, cn);
        dn
    }

    fn leaf_params(spec: &LeafSpec) -> Result<CertificateParams, PkiError> {
        let first = spec.names.first().ok_or(PkiError::NoNames)?;
        let mut params = if spec.san {
            CertificateParams::new(spec.names.clone())?
        } else {
            CertificateParams::default()
        };
        let mut name = DistinguishedName::new();
        name.push(DnType::CommonName, spec.cn.as_deref().unwrap_or(first));
        params.distinguished_name = name;
        params.not_before = spec.not_before;
        params.not_after = spec.not_after;
        params.use_authority_key_identifier_extension = true;
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        Ok(params)
    }

    fn leaf_key(kind: KeyKind) -> Result<KeyPair, PkiError> {
        Ok(match kind {
            KeyKind::EcP256 => KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)?,
            KeyKind::EcP384 => KeyPair::generate_for(&rcgen::PKCS_ECDSA_P384_SHA384)?,
            KeyKind::Ed25519 => KeyPair::generate_for(&rcgen::PKCS_ED25519)?,
            KeyKind::Rsa2048 => {
                KeyPair::from_pem_and_sign_algo(RSA2048_TEST_KEY_PEM, &rcgen::PKCS_RSA_SHA256)?
            }
            KeyKind::Rsa1024Weak => {
                // ring cannot load it; callers use the public key only
                return Err(PkiError::Rcgen(rcgen::Error::KeyGenerationUnavailable));
            }
        })
    }

    fn pkcs8_der(pem_text: &str) -> Result<Vec<u8>, PkiError> {
        PrivatePkcs8KeyDer::from_pem_slice(pem_text.as_bytes())
            .map(|k| k.secret_pkcs8_der().to_vec())
            .map_err(|e| PkiError::Pem(e.to_string()))
    }

    fn pem(label: &str, der: &[u8]) -> String {
        const ALPHABET: &[u8; 64] =
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut b64 = String::with_capacity(der.len().div_ceil(3) * 4);
        for chunk in der.chunks(3) {
            let b = [
                chunk[0],
                chunk.get(1).copied().unwrap_or(0),
                chunk.get(2).copied().unwrap_or(0),
            ];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            for i in 0..4 {
                if i <= chunk.len() {
                    b64.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
                } else {
                    b64.push('=');
                }
            }
        }
        let mut out = format!("-----BEGIN {label}-----\n");
        let bytes = b64.as_bytes();
        for line in bytes.chunks(64) {
            out.push_str(std::str::from_utf8(line).unwrap_or_default());
            out.push('\n');
        }
        out.push_str(&format!("-----END {label}-----\n"));
        out
    }

    /// A rustls server config (ring provider) serving `chain` with `key`.
    ///
    /// The weak [`KeyKind::Rsa1024Weak`] test key, which ring cannot load, is
    /// served with a placeholder signer (see there); any other key ring
    /// cannot load is an error.
    pub fn server_config(
        chain: Vec<CertificateDer<'static>>,
        key: PrivateKeyDer<'static>,
        versions: ServerVersions,
    ) -> Result<Arc<ServerConfig>, PkiError> {
        let provider = Arc::new(default_provider());
        let builder = ServerConfig::builder_with_provider(provider.clone())
            .with_protocol_versions(versions.list())?
            .with_no_client_auth();
        let weak = pkcs8_der(RSA1024_WEAK_TEST_KEY_PEM)?;
        let config = if key.secret_der() == weak.as_slice() {
            let certified = CertifiedKey::new(chain, Arc::new(PlaceholderRsaKey));
            builder.with_cert_resolver(Arc::new(SingleCertAndKey::from(certified)))
        } else {
            builder.with_single_cert(chain, key)?
        };
        Ok(Arc::new(config))
    }

    /// Serves the 1024-bit test key: offers RSA schemes, signs with bytes
    /// that are not a valid signature (ring cannot sign with such a key).
    #[derive(Debug)]
    struct PlaceholderRsaKey;

    impl SigningKey for PlaceholderRsaKey {
        fn choose_scheme(&self, offered: &[SignatureScheme]) -> Option<Box<dyn Signer>> {
            [
                SignatureScheme::RSA_PSS_SHA256,
                SignatureScheme::RSA_PKCS1_SHA256,
            ]
            .into_iter()
            .find(|s| offered.contains(s))
            .map(|scheme| Box::new(PlaceholderRsaSigner(scheme)) as Box<dyn Signer>)
        }

        fn algorithm(&self) -> SignatureAlgorithm {
            SignatureAlgorithm::RSA
        }
    }

    #[derive(Debug)]
    struct PlaceholderRsaSigner(SignatureScheme);

    impl Signer for PlaceholderRsaSigner {
        fn sign(&self, _message: &[u8]) -> Result<Vec<u8>, rustls::Error> {
            // 1024-bit modulus: 128-byte signature
            Ok(vec![0x5a; 128])
        }

        fn scheme(&self) -> SignatureScheme {
            self.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testpki::*;
    use super::*;

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
        let m = name_match(cn_only.leaf(), "pop.example.com");
        assert!(m.valid);
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

        // IP SANs only: a DNS target falls back to the CN
        let leaf = pki
            .issue_leaf(&LeafSpec::new(&["10.0.0.1"]).common_name("pop.example.com"))
            .unwrap();
        let m = name_match(leaf.leaf(), "pop.example.com");
        assert!(m.valid && m.used_cn_fallback);
        assert_eq!(m.names, vec!["10.0.0.1", "pop.example.com"]);
        let m = name_match(leaf.leaf(), "10.0.0.1");
        assert!(m.valid && !m.used_cn_fallback);
    }

    #[test]
    fn garbage_is_not_a_certificate() {
        assert!(cert_info(b"not a certificate").is_err());
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
    fn pem_round_trip() {
        let pki = Pki::new().unwrap();
        let leaf = pki.issue_leaf(&LeafSpec::default()).unwrap();
        let certs: Vec<_> =
            rustls::pki_types::CertificateDer::pem_slice_iter(leaf.chain_pem().as_bytes())
                .collect::<Result<_, _>>()
                .unwrap();
        assert_eq!(certs, leaf.chain);
        use rustls::pki_types::pem::PemObject;
        let key =
            rustls::pki_types::PrivateKeyDer::from_pem_slice(leaf.key_pem().as_bytes()).unwrap();
        assert_eq!(key.secret_der(), leaf.key_der.as_slice());
        assert!(pki.ca_pem().starts_with("-----BEGIN CERTIFICATE-----"));
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
