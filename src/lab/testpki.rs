//! The test certificate factory: a root CA, an intermediate CA and leaves
//! with chosen names, validity, keys and basic constraints, plus rustls
//! server configs built with the aws-lc-rs provider. The lab issues its
//! certificates with it; tests use it to serve every kind of broken chain.
//!
//! The two RSA key kinds use fixed test keys embedded below (generated once
//! with `openssl genpkey`; RSA key generation is slow, and the weak key
//! cannot be made by the provider at all); they are test fixtures, never
//! secrets.
use std::sync::Arc;

use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DistinguishedName, DnType,
    ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose, SubjectPublicKeyInfo,
};
use rustls::crypto::aws_lc_rs::default_provider;
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
/// aws-lc-rs refuses RSA keys under 2048 bits, so see [`KeyKind::Rsa1024Weak`].
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
    /// ECDSA P-521 (fresh key): OpenSSL serves it and OpenSSL/NSS clients
    /// accept it, so popscope must too.
    EcP521,
    /// Ed25519 (fresh key).
    Ed25519,
    /// RSA 2048 ([`RSA2048_TEST_KEY_PEM`], a fixed test key).
    Rsa2048,
    /// RSA 1024 ([`RSA1024_WEAK_TEST_KEY_PEM`], a fixed, weak test key).
    ///
    /// aws-lc-rs cannot sign with RSA keys under 2048 bits, so
    /// [`server_config`] serves this key with a placeholder signer whose
    /// handshake signatures are not valid. Clients built on rustls/webpki
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
    /// Mark the certificate CA:TRUE (critical basicConstraints) with no key
    /// usage or extended key usage: what `openssl req -x509` makes by
    /// default. WebPKI clients refuse such a certificate as a server
    /// certificate.
    pub ca: bool,
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
            ca: false,
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

    /// Builder: CA:TRUE, as `openssl req -x509` makes it (see
    /// [`LeafSpec::ca`]).
    pub fn ca_true(mut self) -> Self {
        self.ca = true;
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
    pub fn server_config(&self, versions: ServerVersions) -> Result<Arc<ServerConfig>, PkiError> {
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
        Pki::self_signed_spec(&LeafSpec::new(names))
    }

    /// A self-signed certificate shaped by `spec` (names, validity, key,
    /// CA flag; the issuer and served-chain settings do not apply). The
    /// weak RSA 1024 key cannot self-sign (aws-lc-rs cannot sign with it).
    pub fn self_signed_spec(spec: &LeafSpec) -> Result<Leaf, PkiError> {
        let params = leaf_params(spec)?;
        let key = leaf_key(spec.key)?;
        let cert = params.self_signed(&key)?;
        Ok(Leaf {
            chain: vec![cert.der().clone()],
            key_der: key.serialize_der(),
            key_kind: spec.key,
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
    if spec.ca {
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    } else {
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    }
    Ok(params)
}

fn leaf_key(kind: KeyKind) -> Result<KeyPair, PkiError> {
    Ok(match kind {
        KeyKind::EcP256 => KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)?,
        KeyKind::EcP384 => KeyPair::generate_for(&rcgen::PKCS_ECDSA_P384_SHA384)?,
        KeyKind::EcP521 => KeyPair::generate_for(&rcgen::PKCS_ECDSA_P521_SHA512)?,
        KeyKind::Ed25519 => KeyPair::generate_for(&rcgen::PKCS_ED25519)?,
        KeyKind::Rsa2048 => {
            KeyPair::from_pem_and_sign_algo(RSA2048_TEST_KEY_PEM, &rcgen::PKCS_RSA_SHA256)?
        }
        KeyKind::Rsa1024Weak => {
            // aws-lc-rs cannot load it; callers use the public key only
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
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
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

/// A rustls server config (aws-lc-rs provider) serving `chain` with `key`.
///
/// The weak [`KeyKind::Rsa1024Weak`] test key, which aws-lc-rs cannot load, is
/// served with a placeholder signer (see there); any other key aws-lc-rs
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
/// that are not a valid signature (aws-lc-rs cannot sign with such a key).
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn ca_true_self_signed() {
        use x509_parser::prelude::{FromDer, X509Certificate};
        let leaf = Pki::self_signed_spec(&LeafSpec::new(&["localhost"]).ca_true()).unwrap();
        assert_eq!(leaf.chain.len(), 1);
        let (_, cert) = X509Certificate::from_der(leaf.leaf()).unwrap();
        assert_eq!(cert.subject(), cert.issuer());
        let bc = cert.basic_constraints().unwrap().unwrap();
        assert!(bc.critical && bc.value.ca);
        let plain = Pki::self_signed(&["localhost"]).unwrap();
        let (_, cert) = X509Certificate::from_der(plain.leaf()).unwrap();
        assert!(!cert.is_ca());
    }
}
