//! The test PKI of the server fixtures (Dovecot, Courier, Cyrus): a test CA
//! and a server certificate of a chosen [`CertKind`], written as PEM files.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use anyhow::Result;
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose,
};
use time::OffsetDateTime;

/// Which server certificate a fixture presents. All but `SelfSigned` are
/// issued by the fixture's test CA.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertKind {
    /// CA-issued, valid for `localhost`, 127.0.0.1 and ::1, 90 days left.
    Good,
    /// CA-issued for `localhost`, expired 30 days ago.
    Expired,
    /// CA-issued for `localhost`, 5 days left (inside the usual warning window).
    ExpiringSoon,
    /// CA-issued for `localhost`, valid only from 30 days in the future.
    NotYetValid,
    /// Self-signed (its own issuer) for `localhost`, 127.0.0.1 and ::1.
    SelfSigned,
    /// CA-issued, valid for `mail.example.net` only.
    WrongHost,
}

/// Certificates the fixtures write: a test CA and a server certificate of
/// the given [`CertKind`] (all but `SelfSigned` issued by the CA).
pub struct TlsFiles {
    /// The test CA (PEM), for `--ca-file`.
    pub ca: PathBuf,
    /// The server certificate (PEM).
    pub cert: PathBuf,
    /// The server key (PEM, mode 0600).
    pub key: PathBuf,
    /// Key and certificate in one PEM (what Courier's `TLS_CERTFILE` wants).
    pub combined: PathBuf,
}

/// Writes the test PKI into `dir`: `ca.pem`, `server.pem`, `server.key`
/// and `server-combined.pem`.
pub fn write_tls(dir: &Path, kind: CertKind) -> Result<TlsFiles> {
    let now = OffsetDateTime::now_utc();
    let day = time::Duration::days(1);

    let ca_key = KeyPair::generate()?;
    let mut ca = CertificateParams::new(Vec::<String>::new())?;
    ca.distinguished_name = dn("popscope test CA");
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    ca.not_before = now - day * 400;
    ca.not_after = now + day * 3650;
    let ca_cert = ca.self_signed(&ca_key)?;
    let issuer = Issuer::new(ca, ca_key);

    let local: Vec<String> = vec!["localhost".into(), "127.0.0.1".into(), "::1".into()];
    let (names, cn, not_before, not_after) = match kind {
        CertKind::Good | CertKind::SelfSigned => (local, "localhost", now - day, now + day * 90),
        CertKind::Expired => (local, "localhost", now - day * 120, now - day * 30),
        CertKind::ExpiringSoon => (local, "localhost", now - day * 85, now + day * 5),
        CertKind::NotYetValid => (local, "localhost", now + day * 30, now + day * 120),
        CertKind::WrongHost => (
            vec!["mail.example.net".into()],
            "mail.example.net",
            now - day,
            now + day * 90,
        ),
    };
    let key = KeyPair::generate()?;
    let mut leaf = CertificateParams::new(names)?;
    leaf.distinguished_name = dn(cn);
    leaf.not_before = not_before;
    leaf.not_after = not_after;
    leaf.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let cert = if kind == CertKind::SelfSigned {
        leaf.self_signed(&key)?
    } else {
        leaf.use_authority_key_identifier_extension = true;
        leaf.signed_by(&key, &issuer)?
    };

    let files = TlsFiles {
        ca: dir.join("ca.pem"),
        cert: dir.join("server.pem"),
        key: dir.join("server.key"),
        combined: dir.join("server-combined.pem"),
    };
    write_mode(&files.ca, ca_cert.pem().as_bytes(), 0o644)?;
    write_mode(&files.cert, cert.pem().as_bytes(), 0o644)?;
    write_mode(&files.key, key.serialize_pem().as_bytes(), 0o600)?;
    let combined = format!("{}{}", key.serialize_pem(), cert.pem());
    write_mode(&files.combined, combined.as_bytes(), 0o600)?;
    Ok(files)
}

fn dn(cn: &str) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::OrganizationName, "popscope tests");
    dn.push(DnType::CommonName, cn);
    dn
}

fn write_mode(path: &Path, data: &[u8], mode: u32) -> Result<()> {
    fs::write(path, data)?;
    fs::set_permissions(path, fs::Permissions::from_mode(mode))?;
    Ok(())
}
