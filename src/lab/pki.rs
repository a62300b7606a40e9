//! The lab's certificates: one lab CA (root + intermediate, from
//! [`super::testpki`]) and one leaf per scenario, shaped by the
//! scenario's fault (expired, self-signed, wrong name, missing intermediate,
//! weak key).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::scenario::Scenario;
use super::server::TlsMode;
use super::testpki::{KeyKind, LeafSpec, Pki, PkiError, ServedChain, ServerVersions};

/// The name the `wrong-hostname` leaf is valid for.
pub const WRONG_HOSTNAME: &str = "mail.wrong.example";

/// The names every other leaf is valid for: `localhost`, `127.0.0.1`, `::1`,
/// the listen address unless it is unspecified (`0.0.0.0`, `::`), and `extra`
/// (`--hostname`, the machine's addresses; duplicates dropped).
pub(crate) fn leaf_names(listen: IpAddr, extra: &[String]) -> Vec<String> {
    let mut names = vec![
        "localhost".to_string(),
        Ipv4Addr::LOCALHOST.to_string(),
        Ipv6Addr::LOCALHOST.to_string(),
    ];
    for name in std::iter::once(listen.to_string())
        .filter(|_| !listen.is_unspecified())
        .chain(extra.iter().cloned())
    {
        let name = name.trim().trim_start_matches('[').trim_end_matches(']');
        if !name.is_empty() && !names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            names.push(name.to_string());
        }
    }
    names
}

/// The lab CA.
pub(crate) struct LabPki {
    pki: Pki,
}

impl LabPki {
    /// A fresh lab CA ("popscope lab Root CA" / "... Intermediate CA").
    pub(crate) fn new() -> Result<LabPki, PkiError> {
        Ok(LabPki {
            pki: Pki::with_name("popscope lab")?,
        })
    }

    /// The root certificate, PEM: the trust anchor clients need.
    pub(crate) fn ca_pem(&self) -> String {
        self.pki.ca_pem()
    }

    /// The root certificate, DER.
    pub(crate) fn root_der(&self) -> rustls::pki_types::CertificateDer<'static> {
        self.pki.root_der()
    }

    /// The TLS behaviour of `scenario`, with a leaf issued for `names`.
    pub(crate) fn tls_mode(
        &self,
        scenario: Scenario,
        names: &[String],
    ) -> Result<TlsMode, PkiError> {
        let spec = LeafSpec::new(names);
        let leaf = match scenario {
            Scenario::Tls10Only => return Ok(TlsMode::Legacy10),
            Scenario::SelfSigned => Pki::self_signed(names)?,
            Scenario::ExpiredCert => self.pki.issue_leaf(&spec.expired(30))?,
            Scenario::WrongHostname => self.pki.issue_leaf(&LeafSpec::new(&[WRONG_HOSTNAME]))?,
            Scenario::MissingIntermediate => {
                self.pki.issue_leaf(&spec.served(ServedChain::LeafOnly))?
            }
            Scenario::WeakKey => self.pki.issue_leaf(&spec.key(KeyKind::Rsa1024Weak))?,
            _ => self.pki.issue_leaf(&spec)?,
        };
        let config = leaf.server_config(ServerVersions::All)?;
        Ok(TlsMode::Rustls(tokio_rustls::TlsAcceptor::from(config)))
    }
}
