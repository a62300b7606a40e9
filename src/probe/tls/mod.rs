//! The TLS handshake with a recording verifier.
//!
//! [`handshake`] runs a rustls client handshake (aws-lc-rs provider) whose
//! certificate verifier *records* the chain the server presents and the
//! verdict of rustls' WebPKI verifier, then lets the handshake continue. One
//! run therefore reports every problem: the session facts, the chain and why
//! it is not trusted. The caller decides whether to go on talking to an
//! untrusted server (popscope only does so to diagnose, never to send
//! credentials: that is the caller's rule to enforce).
//!
//! The parts: `error` classifies failures for humans ([`TlsError`]) and
//! tells every rustls and WebPKI error in words ([`describe_tls_error`]);
//! `sniff` keeps the server's first bytes to name a plaintext answer
//! ([`Sniff`]); `verifier` records the chain; `chain` tells apart
//! self-signed, untrusted private CA, missing intermediate, expired, not yet
//! valid and wrong-name certificates ([`diagnose_chain`]).
//!
//! Certificate facts (`cert_info`, `key_facts`, `name_match`) live in
//! [`super::certs`] and are re-exported here.

mod chain;
mod error;
mod sniff;
mod verifier;

#[cfg(test)]
mod tests;

use std::collections::HashSet;
use std::fmt;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use rustls::client::{VerifierBuilderError, WebPkiServerVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{ClientConfig, ProtocolVersion, RootCertStore, SupportedProtocolVersion};
use tokio::io::{AsyncRead, AsyncWrite};

use crate::i18n::t;
use crate::model::{CertInfo, Verification};
use crate::transcript::{Recorder, TlsEventKind, sanitize};

pub use super::certs::{cert_info, sha256_hex};
pub use chain::{ChainProblem, diagnose_chain_for};
pub use error::{
    TlsError, TlsFailure, describe_tls_error, describe_verify_error, describe_verify_error_for,
};
pub use sniff::Sniff;

use super::certs::{format_name, name_contents, parse};
use error::classify;
use sniff::looks_not_tls;
use verifier::{RecordingVerifier, Seen};

/// The TLS stream [`handshake`] returns: the caller's stream wrapped in
/// [`Sniff`] (a pass-through once the handshake is done).
pub type TlsClientStream<S> = tokio_rustls::client::TlsStream<Sniff<S>>;

/// Trust anchors and protocol settings shared by all handshakes of a run.
#[derive(Debug, Clone)]
pub struct TlsSetup {
    provider: Arc<CryptoProvider>,
    verifier: Arc<WebPkiServerVerifier>,
    anchor_subjects: HashSet<Vec<u8>>,
    #[cfg_attr(not(test), allow(dead_code))] // read by tests only
    extra_anchors: usize,
    pinned: Arc<[CertificateDer<'static>]>,
    versions: Vec<&'static SupportedProtocolVersion>,
}

impl TlsSetup {
    /// Trust anchors: the webpki-roots (Mozilla) set plus every certificate
    /// in `extra_roots_pem` (a PEM CA file). A CA file without any
    /// certificate, or with one that is not usable as a trust anchor, is a
    /// [`TlsError::Config`]. TLS 1.3 and 1.2 are enabled.
    pub fn new(extra_roots_pem: Option<&[u8]>) -> Result<TlsSetup, TlsError> {
        let mut roots = RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        let mut extra_anchors = 0;
        let mut pinned = Vec::new();
        if let Some(pem) = extra_roots_pem {
            for (i, cert) in CertificateDer::pem_slice_iter(pem).enumerate() {
                let cert = cert.map_err(|e| {
                    TlsError::Config(t!(
                        "probe-tls-ca-file-pem-unreadable",
                        index = i + 1,
                        reason = pem_error_words(&e)
                    ))
                })?;
                roots.add(cert.clone()).map_err(|e| {
                    TlsError::Config(t!(
                        "probe-tls-ca-file-not-anchor",
                        index = i + 1,
                        reason = describe_verify_error(&e)
                    ))
                })?;
                pinned.push(cert);
                extra_anchors += 1;
            }
            if extra_anchors == 0 {
                return Err(TlsError::Config(t!("probe-tls-ca-file-empty")));
            }
        }
        let anchor_subjects = roots
            .roots
            .iter()
            .map(|a| a.subject.as_ref().to_vec())
            .collect();
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let verifier =
            WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                .build()
                .map_err(|e| {
                    TlsError::Config(match e {
                        VerifierBuilderError::NoRootAnchors => t!("probe-tls-verifier-no-anchors"),
                        _ => t!("probe-tls-verifier-unusable"),
                    })
                })?;
        Ok(TlsSetup {
            provider,
            verifier,
            anchor_subjects,
            extra_anchors,
            pinned: pinned.into(),
            versions: vec![&rustls::version::TLS13, &rustls::version::TLS12],
        })
    }

    #[cfg(test)]
    /// Builder: restrict the TLS versions offered (e.g. only TLS 1.2 to see
    /// whether a server still speaks it).
    pub fn with_versions(mut self, versions: &[&'static SupportedProtocolVersion]) -> Self {
        self.versions = versions.to_vec();
        self
    }

    #[cfg(test)]
    /// Number of trust anchors added from the CA file.
    pub fn extra_anchors(&self) -> usize {
        self.extra_anchors
    }

    /// Whether `subject` (a DER `Name`, with or without its SEQUENCE header)
    /// is the subject of a trust anchor.
    pub fn is_anchor_subject(&self, subject: &[u8]) -> bool {
        self.anchor_subjects.contains(name_contents(subject))
    }

    fn client_config(
        &self,
        verifier: Arc<RecordingVerifier>,
        sni: bool,
    ) -> Result<ClientConfig, TlsError> {
        let mut config = ClientConfig::builder_with_provider(self.provider.clone())
            .with_protocol_versions(&self.versions)
            .map_err(|e| {
                TlsError::Config(t!(
                    "probe-tls-versions-setup",
                    reason = describe_tls_error(&e)
                ))
            })?
            .dangerous()
            .with_custom_certificate_verifier(verifier)
            .with_no_client_auth();
        config.enable_sni = sni;
        config.resumption = rustls::client::Resumption::disabled();
        Ok(config)
    }
}

/// The name a handshake verifies the certificate against, and the SNI sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandshakeName {
    server_name: ServerName<'static>,
    text: String,
    sni: Option<String>,
}

impl HandshakeName {
    /// A DNS name (sent as SNI) or an IP literal (IPv6 optionally in
    /// brackets; no SNI, verified against IP SANs).
    pub fn new(name: &str) -> Result<HandshakeName, TlsError> {
        let name = name.trim();
        let unbracketed = name
            .strip_prefix('[')
            .and_then(|n| n.strip_suffix(']'))
            .unwrap_or(name);
        if let Ok(ip) = unbracketed.parse::<IpAddr>() {
            return Ok(HandshakeName::from(ip));
        }
        let server_name = ServerName::try_from(name.to_string()).map_err(|_| {
            TlsError::Config(t!(
                "probe-tls-invalid-server-name",
                name = sanitize(name.as_bytes())
            ))
        })?;
        Ok(HandshakeName {
            server_name,
            text: name.to_string(),
            sni: Some(name.to_string()),
        })
    }

    /// Builder: verify against the name but do not send SNI.
    pub fn without_sni(mut self) -> Self {
        self.sni = None;
        self
    }

    /// The SNI sent, if any.
    pub fn sni(&self) -> Option<&str> {
        self.sni.as_deref()
    }

    /// The name as text (DNS name or IP address).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The rustls server name.
    pub fn server_name(&self) -> &ServerName<'static> {
        &self.server_name
    }
}

impl From<IpAddr> for HandshakeName {
    fn from(ip: IpAddr) -> Self {
        HandshakeName {
            server_name: ServerName::IpAddress(ip.into()),
            text: ip.to_string(),
            sni: None,
        }
    }
}

impl fmt::Display for HandshakeName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Facts about a completed handshake.
#[derive(Debug, Clone)]
pub struct TlsFacts {
    /// Negotiated version, e.g. `TLSv1.3`.
    pub version: String,
    /// Negotiated cipher suite, e.g. `TLS13_AES_256_GCM_SHA384`.
    pub cipher: String,
    /// The SNI sent.
    #[cfg_attr(not(test), allow(dead_code))] // read by tests only
    pub sni: Option<String>,
    /// The name the chain was verified against (DNS name or IP).
    #[cfg_attr(not(test), allow(dead_code))] // read by tests only
    pub name: String,
    /// The chain the server presented, leaf first.
    pub chain: Vec<CertificateDer<'static>>,
    /// Why verification failed; `None` when the chain is trusted for the
    /// name.
    pub verify_error: Option<rustls::Error>,
    /// Time from sending the ClientHello to the end of the handshake.
    pub handshake_time: Duration,
}

impl TlsFacts {
    #[cfg(test)]
    /// The report form.
    pub fn info(&self) -> crate::model::TlsInfo {
        crate::model::TlsInfo {
            version: Some(self.version.clone()),
            cipher: Some(self.cipher.clone()),
            sni: self.sni.clone(),
            certificates: self.chain.iter().map(|c| cert_info_lossy(c)).collect(),
            verification: verification(self.verify_error.as_ref(), &self.chain),
        }
    }

    /// Whether the chain verified for the name.
    pub fn trusted(&self) -> bool {
        self.verify_error.is_none()
    }

    #[cfg(test)]
    /// [`diagnose_chain_for`] this handshake's chain and name.
    pub fn diagnose(&self, setup: &TlsSetup) -> chain::ChainVerdict {
        diagnose_chain_for(
            setup,
            &self.chain,
            self.verify_error.as_ref(),
            Some(&self.name),
        )
    }
}

/// The report form of a verification verdict for `chain`.
fn verification(err: Option<&rustls::Error>, chain: &[CertificateDer<'_>]) -> Verification {
    Verification {
        trusted: err.is_none(),
        error: err.map(|e| describe_verify_error_for(e, chain)),
    }
}

/// Certificate facts for the report, also for an unparsable certificate.
fn cert_info_lossy(der: &CertificateDer<'_>) -> CertInfo {
    cert_info(der).unwrap_or_else(|e| CertInfo {
        subject: t!("probe-tls-unparsable-subject", reason = e.to_string()),
        sha256: sha256_hex(der),
        ..CertInfo::default()
    })
}

/// Version name as in reports, e.g. `TLSv1.3`.
pub fn version_text(v: ProtocolVersion) -> String {
    match v {
        ProtocolVersion::TLSv1_3 => "TLSv1.3".into(),
        ProtocolVersion::TLSv1_2 => "TLSv1.2".into(),
        ProtocolVersion::TLSv1_1 => "TLSv1.1".into(),
        ProtocolVersion::TLSv1_0 => "TLSv1.0".into(),
        ProtocolVersion::SSLv3 => "SSLv3".into(),
        other => format!("protocol version 0x{:04x}", u16::from(other)),
    }
}

/// Runs a TLS client handshake over `stream` (see [`handshake_full`]); on
/// failure only the classified error is returned.
pub async fn handshake<S: AsyncRead + AsyncWrite + Unpin>(
    setup: &TlsSetup,
    stream: S,
    name: &HandshakeName,
    timeout: Duration,
    recorder: &Recorder,
) -> Result<(TlsClientStream<S>, TlsFacts), TlsError> {
    handshake_full(setup, stream, name, timeout, recorder)
        .await
        .map_err(|f| f.error)
}

/// Runs a TLS client handshake over `stream`, verifying against `name`.
///
/// The handshake completes even when the chain is not trusted:
/// [`TlsFacts::verify_error`] says why. Transcript lines: `handshake started,
/// SNI …`, `TLSv1.3 TLS13_…`, one `certificate: … issued by …` per
/// certificate, then `certificate verified for …` or `verification failed:
/// …`, or `handshake failed: …`. On failure, the chain seen before it (if
/// any) is returned in the [`TlsFailure`].
pub async fn handshake_full<S: AsyncRead + AsyncWrite + Unpin>(
    setup: &TlsSetup,
    stream: S,
    name: &HandshakeName,
    timeout: Duration,
    recorder: &Recorder,
) -> Result<(TlsClientStream<S>, TlsFacts), TlsFailure> {
    let seen = Arc::new(Mutex::new(None));
    let verifier = Arc::new(RecordingVerifier {
        inner: setup.verifier.clone(),
        pinned: setup.pinned.clone(),
        seen: seen.clone(),
    });
    let config = setup
        .client_config(verifier, name.sni().is_some())
        .map_err(TlsFailure::bare)?;
    match name.sni() {
        Some(sni) => recorder.tls_event(
            TlsEventKind::HandshakeStart,
            &t!("probe-note-handshake-sni", sni = sni),
        ),
        None => recorder.tls_event(
            TlsEventKind::HandshakeStart,
            &t!("probe-note-handshake-no-sni", name = name.to_string()),
        ),
    }
    let (sniff, first) = Sniff::new(stream);
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let start = Instant::now();
    let result = tokio::time::timeout(
        timeout,
        connector.connect(name.server_name().clone(), sniff),
    )
    .await;
    let elapsed = start.elapsed();
    let Seen {
        chain,
        verify_error,
    } = seen
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .take()
        .unwrap_or_default();
    let first = first.lock().unwrap_or_else(PoisonError::into_inner).clone();

    match result {
        Ok(Ok(tls)) => {
            let conn = tls.get_ref().1;
            let version = conn
                .protocol_version()
                .map(version_text)
                .unwrap_or_else(|| "unknown".into());
            let cipher = conn
                .negotiated_cipher_suite()
                .map(|s| {
                    let suite = s.suite();
                    suite
                        .as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| format!("cipher suite 0x{:04x}", u16::from(suite)))
                })
                .unwrap_or_else(|| "unknown".into());
            recorder.tls_event(TlsEventKind::Established, &format!("{version} {cipher}"));
            record_chain(recorder, &chain, verify_error.as_ref(), name);
            let facts = TlsFacts {
                version,
                cipher,
                sni: name.sni().map(str::to_string),
                name: name.as_str().to_string(),
                chain,
                verify_error,
                handshake_time: elapsed,
            };
            Ok((tls, facts))
        }
        Ok(Err(err)) => {
            let error = classify(err, &first);
            Err(failed(recorder, name, error, chain, verify_error, elapsed))
        }
        Err(_) => {
            let error = if looks_not_tls(&first) {
                TlsError::PlaintextReply { first_bytes: first }
            } else {
                TlsError::Timeout {
                    after: timeout,
                    answered: !first.is_empty(),
                }
            };
            Err(failed(recorder, name, error, chain, verify_error, elapsed))
        }
    }
}

/// Records a failed handshake (the chain seen, then the failure) and keeps
/// what was seen for the checks.
fn failed(
    recorder: &Recorder,
    name: &HandshakeName,
    error: TlsError,
    chain: Vec<CertificateDer<'static>>,
    verify_error: Option<rustls::Error>,
    elapsed: Duration,
) -> TlsFailure {
    record_chain(recorder, &chain, verify_error.as_ref(), name);
    recorder.tls_event(
        failure_kind(&error),
        &t!("probe-note-handshake-failed", error = error.to_string()),
    );
    TlsFailure {
        error,
        chain,
        verify_error,
        elapsed,
    }
}

fn record_chain(
    recorder: &Recorder,
    chain: &[CertificateDer<'_>],
    verify_error: Option<&rustls::Error>,
    name: &HandshakeName,
) {
    if chain.is_empty() {
        return;
    }
    for der in chain {
        match parse(der) {
            Ok(c) => recorder.tls_event(
                TlsEventKind::Certificate,
                &t!(
                    "probe-note-certificate",
                    subject = format_name(c.subject()),
                    issuer = format_name(c.issuer())
                ),
            ),
            Err(e) => recorder.tls_event(
                TlsEventKind::CertificateUnreadable,
                &t!("probe-note-certificate-unreadable", error = e.to_string()),
            ),
        }
    }
    match verify_error {
        None => recorder.tls_event(
            TlsEventKind::Verified,
            &t!("probe-note-certificate-verified", name = name.to_string()),
        ),
        Some(e) => recorder.tls_event(
            TlsEventKind::VerificationFailed,
            &t!(
                "probe-note-verification-failed",
                reason = describe_verify_error_for(e, chain)
            ),
        ),
    }
}

/// The transcript kind of a failed handshake.
fn failure_kind(error: &TlsError) -> TlsEventKind {
    match error {
        TlsError::Alert(_) => TlsEventKind::Alert,
        _ => TlsEventKind::HandshakeFailed,
    }
}

/// A PEM decoding error in words.
fn pem_error_words(e: &rustls::pki_types::pem::Error) -> String {
    use rustls::pki_types::pem::Error as P;
    match e {
        P::MissingSectionEnd { .. } => t!("probe-tls-pem-no-end"),
        P::IllegalSectionStart { .. } => t!("probe-tls-pem-bad-begin"),
        P::Base64Decode(_) => t!("probe-tls-pem-base64"),
        P::Io(e) => t!("probe-tls-pem-io", error = e.to_string()),
        P::NoItemsFound => t!("probe-tls-pem-empty"),
        P::SectionTooLarge => t!("probe-tls-pem-too-large"),
        _ => t!("probe-tls-pem-undecodable"),
    }
}
