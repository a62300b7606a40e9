//! The TLS handshake with a recording verifier, and chain diagnosis.
//!
//! [`handshake`] runs a rustls client handshake (ring provider) whose
//! certificate verifier *records* the chain the server presents and the
//! verdict of rustls' WebPKI verifier, then lets the handshake continue. One
//! run therefore reports every problem: the session facts, the chain and why
//! it is not trusted. The caller decides whether to go on talking to an
//! untrusted server (popscope only does so to diagnose, never to send
//! credentials: that is the caller's rule to enforce).
//!
//! Failures are classified for humans ([`TlsError`]): a plaintext answer on
//! a TLS port, an alert and what it usually means, no common TLS version, a
//! timeout, a closed connection. [`diagnose_chain`] tells apart self-signed,
//! untrusted private CA, missing intermediate, expired, not yet valid and
//! wrong-name certificates.
//!
//! Certificate facts (`cert_info`, `key_facts`, `name_match`) live in
//! [`super::certs`] and are re-exported here.

use std::collections::HashSet;
use std::fmt;
use std::io;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    AlertDescription, CertificateError, ClientConfig, DigitallySignedStruct, PeerIncompatible,
    ProtocolVersion, RootCertStore, SignatureScheme, SupportedProtocolVersion,
};
use time::OffsetDateTime;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use crate::model::{CertInfo, TlsInfo, Verification};
use crate::transcript::{Recorder, TlsEventKind, sanitize};

pub use super::certs::testpki;
pub use super::certs::{
    CertError, KeyAlg, KeyFacts, NameMatch, Validity, cert_info, key_facts, name_match, sha256_hex,
    validity,
};

use super::certs::{format_name, name_contents, parse, rfc3339};
use super::legacy::alert_name;

/// How many of the server's first bytes are kept to recognise a plaintext
/// answer.
pub const SNIFF_BYTES: usize = 64;

/// The TLS stream [`handshake`] returns: the caller's stream wrapped in
/// [`Sniff`] (a pass-through once the handshake is done).
pub type TlsClientStream<S> = tokio_rustls::client::TlsStream<Sniff<S>>;

/// A TLS failure, classified so a technician knows what to do.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// The handshake did not finish in time.
    #[error(
        "the TLS handshake timed out after {}s: the server accepted the connection but did not answer the TLS hello (is this port TLS at all? a plain POP3 port waits for STLS)",
        .0.as_secs_f32()
    )]
    Timeout(Duration),
    /// The peer closed the connection during the handshake.
    #[error(
        "the server closed the connection during the TLS handshake (it may not speak TLS on this port, or it rejected the hello without an alert)"
    )]
    Closed,
    /// The server answered in plaintext (or some other non-TLS protocol).
    #[error("{}", plaintext_message(first_bytes))]
    PlaintextReply {
        /// The first bytes the server sent (at most [`SNIFF_BYTES`]).
        first_bytes: Vec<u8>,
    },
    /// The server refused the handshake with an alert.
    #[error("the server aborted the TLS handshake with alert {}: {}", alert_text(*.0), alert_meaning(*.0))]
    Alert(AlertDescription),
    /// The server chose a protocol version this client does not speak.
    #[error(
        "no TLS version in common: the server picked a version older than TLS 1.2 (TLS 1.0/1.1 or SSL), which this client refuses; upgrade the server's TLS configuration"
    )]
    NoCommonVersion,
    /// Another TLS protocol error (bad handshake signature, decrypt error,
    /// misbehaving peer, ...).
    #[error("{}", tls_message(.0))]
    Tls(rustls::Error),
    /// An I/O error on the connection.
    #[error("I/O error during the TLS handshake: {0}")]
    Io(#[from] io::Error),
    /// The local TLS setup is unusable (CA file, name).
    #[error("TLS setup error: {0}")]
    Config(String),
}

fn alert_text(a: AlertDescription) -> &'static str {
    alert_name(u8::from(a))
}

fn alert_meaning(a: AlertDescription) -> &'static str {
    match a {
        AlertDescription::HandshakeFailure => "no cipher suite or key exchange in common",
        AlertDescription::ProtocolVersion => {
            "no TLS version in common (the server may only speak TLS 1.0/1.1)"
        }
        AlertDescription::InsufficientSecurity => {
            "the server requires cipher suites stronger than those offered"
        }
        AlertDescription::UnrecognisedName => {
            "the server does not know the name sent as SNI (check the host name, or the server's virtual host configuration)"
        }
        AlertDescription::InternalError => {
            "the server hit an internal error (often a missing or unreadable certificate or key on the server)"
        }
        AlertDescription::CertificateRequired
        | AlertDescription::BadCertificate
        | AlertDescription::CertificateUnknown => {
            "the server wants a client certificate, or rejected one"
        }
        AlertDescription::AccessDenied => "the server refuses this client (access control)",
        AlertDescription::DecodeError | AlertDescription::IllegalParameter => {
            "the server could not handle the TLS hello (old or broken TLS stack, or a middlebox)"
        }
        AlertDescription::DecryptError => {
            "a handshake signature or key exchange did not verify on the server"
        }
        AlertDescription::InappropriateFallback => "the server detected a version downgrade",
        AlertDescription::NoApplicationProtocol => "no application protocol (ALPN) in common",
        AlertDescription::CloseNotify => "the server closed the connection during the handshake",
        _ => "the server rejected the handshake",
    }
}

/// `DnsName("a.example")` / `IpAddress(V4(..))` as rustls prints presented
/// names → `a.example`.
fn presented_name(p: &str) -> String {
    if let Some(inner) = p
        .strip_prefix("DnsName(\"")
        .and_then(|r| r.strip_suffix("\")"))
    {
        return inner.to_string();
    }
    p.trim_start_matches("IpAddress(")
        .trim_end_matches(')')
        .replace("V4(", "")
        .replace("V6(", "")
        .replace(['(', ')'], "")
}

/// What kind of plaintext answer `b` looks like.
pub fn plaintext_kind(b: &[u8]) -> Option<&'static str> {
    if b.starts_with(b"+OK") || b.starts_with(b"-ERR") {
        Some("a POP3 greeting")
    } else if b.starts_with(b"* OK") || b.starts_with(b"* PREAUTH") || b.starts_with(b"* BYE") {
        Some("an IMAP greeting")
    } else if b.starts_with(b"220") || b.starts_with(b"554") || b.starts_with(b"421") {
        Some("an SMTP/FTP greeting")
    } else if b.starts_with(b"HTTP/") {
        Some("an HTTP response")
    } else if b.starts_with(b"SSH-") {
        Some("an SSH banner")
    } else {
        None
    }
}

fn plaintext_message(first: &[u8]) -> String {
    let line_end = first
        .iter()
        .position(|&b| b == b'\r' || b == b'\n')
        .unwrap_or(first.len());
    let shown = sanitize(&first[..line_end]);
    match plaintext_kind(first) {
        Some("a POP3 greeting") => format!(
            "the server answered in plaintext instead of TLS (a POP3 greeting: \"{shown}\"): this is a plain POP3 port; use STLS on it, or connect to the POP3S port (995)"
        ),
        Some(kind) => format!(
            "the server answered in plaintext instead of TLS ({kind}: \"{shown}\"): this port runs another service, not POP3 over TLS"
        ),
        None => format!(
            "the server answered with bytes that are not TLS (\"{shown}\"): this port does not speak TLS from the first byte"
        ),
    }
}

fn tls_message(e: &rustls::Error) -> String {
    match e {
        rustls::Error::InvalidCertificate(CertificateError::BadSignature)
        | rustls::Error::InvalidCertificate(CertificateError::UnsupportedSignatureAlgorithmForPublicKeyContext { .. })
        | rustls::Error::InvalidCertificate(CertificateError::UnsupportedSignatureAlgorithmContext { .. }) => {
            "the server's handshake signature did not verify (its key may be too weak for this client, e.g. RSA under 2048 bits, or the certificate does not match the server's key)".to_string()
        }
        rustls::Error::PeerIncompatible(p) => format!(
            "the server's TLS configuration is incompatible with this client: {p:?}"
        ),
        rustls::Error::DecryptError => {
            "the TLS handshake failed to decrypt (broken middlebox or server TLS stack)".into()
        }
        other => format!("TLS protocol error: {other}"),
    }
}

/// A handshake failure together with what was seen before it failed.
#[derive(Debug)]
pub struct TlsFailure {
    /// What went wrong.
    pub error: TlsError,
    /// The chain the server presented before the failure (may be empty).
    pub chain: Vec<CertificateDer<'static>>,
    /// Verification result for that chain (when one was presented).
    pub verify_error: Option<rustls::Error>,
    /// Time until the failure.
    pub elapsed: Duration,
}

impl fmt::Display for TlsFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.error.fmt(f)
    }
}

impl std::error::Error for TlsFailure {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

impl From<TlsFailure> for TlsError {
    fn from(f: TlsFailure) -> Self {
        f.error
    }
}

impl TlsFailure {
    fn bare(error: TlsError) -> Self {
        TlsFailure {
            error,
            chain: Vec::new(),
            verify_error: None,
            elapsed: Duration::ZERO,
        }
    }

    /// TLS facts for the report when a chain was seen before the failure
    /// (version and cipher unknown).
    pub fn partial_info(&self, sni: Option<String>) -> Option<TlsInfo> {
        if self.chain.is_empty() {
            return None;
        }
        Some(TlsInfo {
            version: None,
            cipher: None,
            sni,
            certificates: self.chain.iter().map(|c| cert_info_lossy(c)).collect(),
            verification: verification(self.verify_error.as_ref()),
        })
    }
}

/// Trust anchors and protocol settings shared by all handshakes of a run.
#[derive(Debug, Clone)]
pub struct TlsSetup {
    provider: Arc<CryptoProvider>,
    verifier: Arc<WebPkiServerVerifier>,
    anchor_subjects: HashSet<Vec<u8>>,
    extra_anchors: usize,
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
        if let Some(pem) = extra_roots_pem {
            for (i, cert) in CertificateDer::pem_slice_iter(pem).enumerate() {
                let cert = cert.map_err(|e| {
                    TlsError::Config(format!("CA file: PEM block #{} is unreadable: {e}", i + 1))
                })?;
                roots.add(cert).map_err(|e| {
                    TlsError::Config(format!(
                        "CA file: certificate #{} is not usable as a trust anchor: {e}",
                        i + 1
                    ))
                })?;
                extra_anchors += 1;
            }
            if extra_anchors == 0 {
                return Err(TlsError::Config(
                    "the CA file contains no PEM certificate (expected -----BEGIN CERTIFICATE----- blocks)"
                        .into(),
                ));
            }
        }
        let anchor_subjects = roots
            .roots
            .iter()
            .map(|a| a.subject.as_ref().to_vec())
            .collect();
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let verifier =
            WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                .build()
                .map_err(|e| TlsError::Config(format!("certificate verifier: {e}")))?;
        Ok(TlsSetup {
            provider,
            verifier,
            anchor_subjects,
            extra_anchors,
            versions: vec![&rustls::version::TLS13, &rustls::version::TLS12],
        })
    }

    /// Builder: restrict the TLS versions offered (e.g. only TLS 1.2 to see
    /// whether a server still speaks it).
    pub fn with_versions(mut self, versions: &[&'static SupportedProtocolVersion]) -> Self {
        self.versions = versions.to_vec();
        self
    }

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
            .map_err(|e| TlsError::Config(format!("TLS versions: {e}")))?
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
            TlsError::Config(format!(
                "\"{}\" is not a valid TLS server name",
                sanitize(name.as_bytes())
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
    pub sni: Option<String>,
    /// The name the chain was verified against (DNS name or IP).
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
    /// The report form.
    pub fn info(&self) -> TlsInfo {
        TlsInfo {
            version: Some(self.version.clone()),
            cipher: Some(self.cipher.clone()),
            sni: self.sni.clone(),
            certificates: self.chain.iter().map(|c| cert_info_lossy(c)).collect(),
            verification: verification(self.verify_error.as_ref()),
        }
    }

    /// Whether the chain verified for the name.
    pub fn trusted(&self) -> bool {
        self.verify_error.is_none()
    }

    /// [`diagnose_chain_for`] this handshake's chain and name.
    pub fn diagnose(&self, setup: &TlsSetup) -> ChainVerdict {
        diagnose_chain_for(
            setup,
            &self.chain,
            self.verify_error.as_ref(),
            Some(&self.name),
        )
    }
}

fn verification(err: Option<&rustls::Error>) -> Verification {
    Verification {
        trusted: err.is_none(),
        error: err.map(describe_verify_error),
    }
}

fn cert_info_lossy(der: &CertificateDer<'_>) -> CertInfo {
    cert_info(der).unwrap_or_else(|e| CertInfo {
        subject: format!("(unparsable certificate: {e})"),
        sha256: sha256_hex(der),
        ..CertInfo::default()
    })
}

fn unix_rfc3339(t: &UnixTime) -> String {
    i64::try_from(t.as_secs())
        .ok()
        .and_then(|s| OffsetDateTime::from_unix_timestamp(s).ok())
        .map(rfc3339)
        .unwrap_or_else(|| t.as_secs().to_string())
}

/// A verification error in words a technician understands.
pub fn describe_verify_error(e: &rustls::Error) -> String {
    use CertificateError as C;
    let rustls::Error::InvalidCertificate(c) = e else {
        return e.to_string();
    };
    match c {
        C::Expired => "the certificate has expired".into(),
        C::ExpiredContext { time, not_after } => format!(
            "the certificate expired on {} (now {})",
            unix_rfc3339(not_after),
            unix_rfc3339(time)
        ),
        C::NotValidYet => "the certificate is not valid yet".into(),
        C::NotValidYetContext { time, not_before } => format!(
            "the certificate is not valid before {} (now {}; check the server's and this machine's clocks)",
            unix_rfc3339(not_before),
            unix_rfc3339(time)
        ),
        C::UnknownIssuer => {
            "the certificate's issuer is not trusted (self-signed, private CA, or missing intermediate)".into()
        }
        C::NotValidForName => "the certificate is not valid for this name".into(),
        C::NotValidForNameContext {
            expected,
            presented,
        } => format!(
            "the certificate is not valid for {}; it is valid for: {}",
            expected.to_str(),
            if presented.is_empty() {
                "(no names)".to_string()
            } else {
                sanitize(
                    presented
                        .iter()
                        .map(|p| presented_name(p))
                        .collect::<Vec<_>>()
                        .join(", ")
                        .as_bytes(),
                )
            }
        ),
        C::BadSignature => "a certificate signature in the chain does not verify".into(),
        C::Revoked => "the certificate has been revoked".into(),
        C::BadEncoding => "the certificate is malformed".into(),
        C::InvalidPurpose | C::InvalidPurposeContext { .. } => {
            "the certificate is not allowed for TLS server authentication (extended key usage)".into()
        }
        C::UnhandledCriticalExtension => {
            "the certificate has a critical extension this client does not understand".into()
        }
        C::UnsupportedSignatureAlgorithmContext { .. }
        | C::UnsupportedSignatureAlgorithmForPublicKeyContext { .. } => {
            "the chain uses a signature algorithm this client refuses (e.g. SHA-1, or RSA under 2048 bits)".into()
        }
        other => format!("certificate error: {other:?}"),
    }
}

/// What the recording verifier saw.
#[derive(Debug, Default)]
struct Seen {
    chain: Vec<CertificateDer<'static>>,
    verify_error: Option<rustls::Error>,
}

/// Wraps the WebPKI verifier: records the chain and its verdict, then
/// accepts it so the handshake can continue and be inspected. Handshake
/// signatures are verified normally.
#[derive(Debug)]
struct RecordingVerifier {
    inner: Arc<WebPkiServerVerifier>,
    seen: Arc<Mutex<Option<Seen>>>,
}

impl ServerCertVerifier for RecordingVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let result = self.inner.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        );
        let mut chain = Vec::with_capacity(1 + intermediates.len());
        chain.push(end_entity.clone().into_owned());
        chain.extend(intermediates.iter().map(|c| c.clone().into_owned()));
        *self.seen.lock().unwrap_or_else(PoisonError::into_inner) = Some(Seen {
            chain,
            verify_error: result.err(),
        });
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// A stream adapter that remembers the first [`SNIFF_BYTES`] bytes read, to
/// recognise a plaintext answer on a TLS port. Otherwise a pass-through.
#[derive(Debug)]
pub struct Sniff<S> {
    inner: S,
    first: Arc<Mutex<Vec<u8>>>,
    done: bool,
}

impl<S> Sniff<S> {
    fn new(inner: S) -> (Sniff<S>, Arc<Mutex<Vec<u8>>>) {
        let first = Arc::new(Mutex::new(Vec::with_capacity(SNIFF_BYTES)));
        (
            Sniff {
                inner,
                first: first.clone(),
                done: false,
            },
            first,
        )
    }

    /// The wrapped stream.
    pub fn get_ref(&self) -> &S {
        &self.inner
    }

    /// The wrapped stream, mutably.
    pub fn get_mut(&mut self) -> &mut S {
        &mut self.inner
    }

    /// Unwraps the stream.
    pub fn into_inner(self) -> S {
        self.inner
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Sniff<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let this = &mut *self;
        let res = Pin::new(&mut this.inner).poll_read(cx, buf);
        if !this.done && res.is_ready() {
            let new = &buf.filled()[before..];
            let mut first = this.first.lock().unwrap_or_else(PoisonError::into_inner);
            let take = (SNIFF_BYTES - first.len()).min(new.len());
            first.extend_from_slice(&new[..take]);
            this.done = first.len() >= SNIFF_BYTES;
        }
        res
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Sniff<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

/// True when the first bytes of an answer cannot be a TLS record.
fn looks_not_tls(first: &[u8]) -> bool {
    match first {
        [] => false,
        [t, ..] if !(0x14..=0x18).contains(t) => true,
        [_, major, ..] => *major != 0x03,
        _ => false,
    }
}

/// Version name as in reports, e.g. `TLSv1.3`.
pub fn version_text(v: ProtocolVersion) -> String {
    match v {
        ProtocolVersion::TLSv1_3 => "TLSv1.3".into(),
        ProtocolVersion::TLSv1_2 => "TLSv1.2".into(),
        ProtocolVersion::TLSv1_1 => "TLSv1.1".into(),
        ProtocolVersion::TLSv1_0 => "TLSv1.0".into(),
        ProtocolVersion::SSLv3 => "SSLv3".into(),
        other => format!("{other:?}"),
    }
}

fn classify(err: io::Error, first: &[u8]) -> TlsError {
    if looks_not_tls(first) {
        return TlsError::PlaintextReply {
            first_bytes: first.to_vec(),
        };
    }
    if let Some(e) = err
        .get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
    {
        return match e {
            rustls::Error::AlertReceived(a) => TlsError::Alert(*a),
            rustls::Error::PeerIncompatible(
                PeerIncompatible::ServerDoesNotSupportTls12Or13
                | PeerIncompatible::ServerTlsVersionIsDisabledByOurConfig,
            ) => TlsError::NoCommonVersion,
            other => TlsError::Tls(other.clone()),
        };
    }
    use io::ErrorKind::*;
    match err.kind() {
        UnexpectedEof | ConnectionReset | ConnectionAborted | BrokenPipe => TlsError::Closed,
        _ => TlsError::Io(err),
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
        seen: seen.clone(),
    });
    let config = setup
        .client_config(verifier, name.sni().is_some())
        .map_err(TlsFailure::bare)?;
    match name.sni() {
        Some(sni) => recorder.tls_event(
            TlsEventKind::HandshakeStart,
            &format!("handshake started, SNI {sni}"),
        ),
        None => recorder.tls_event(
            TlsEventKind::HandshakeStart,
            &format!("handshake started, no SNI (verifying {name})"),
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
                        .unwrap_or_else(|| format!("{suite:?}"))
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
            record_chain(recorder, &chain, verify_error.as_ref(), name);
            recorder.tls_event(failure_kind(&error), &format!("handshake failed: {error}"));
            Err(TlsFailure {
                error,
                chain,
                verify_error,
                elapsed,
            })
        }
        Err(_) => {
            let error = if looks_not_tls(&first) {
                TlsError::PlaintextReply { first_bytes: first }
            } else {
                TlsError::Timeout(timeout)
            };
            record_chain(recorder, &chain, verify_error.as_ref(), name);
            recorder.tls_event(failure_kind(&error), &format!("handshake failed: {error}"));
            Err(TlsFailure {
                error,
                chain,
                verify_error,
                elapsed,
            })
        }
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
                &format!(
                    "certificate: {} issued by {}",
                    format_name(c.subject()),
                    format_name(c.issuer())
                ),
            ),
            Err(e) => recorder.tls_event(
                TlsEventKind::CertificateUnreadable,
                &format!("certificate: {e}"),
            ),
        }
    }
    match verify_error {
        None => recorder.tls_event(
            TlsEventKind::Verified,
            &format!("certificate verified for {name}"),
        ),
        Some(e) => recorder.tls_event(
            TlsEventKind::VerificationFailed,
            &format!("verification failed: {}", describe_verify_error(e)),
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

/// One problem with a served chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainProblem {
    /// The chain leads to a self-issued CA that is not a trust anchor (an
    /// untrusted private or unknown root).
    UnknownIssuer {
        /// The untrusted root's name (RFC 4514).
        top_issuer: String,
    },
    /// The server's certificate is self-signed.
    SelfSigned,
    /// The chain stops at a certificate whose issuer was neither sent nor
    /// trusted.
    MissingIntermediate {
        /// Name of the issuer the server did not send (RFC 4514).
        issuer: String,
    },
    /// A certificate of the chain has expired.
    Expired,
    /// A certificate of the chain is not valid yet.
    NotYetValid,
    /// The certificate is not valid for the name used.
    NotValidForName,
    /// The certificate has been revoked.
    Revoked,
    /// A signature in the chain does not verify.
    BadSignature,
    /// Anything else, in words.
    Other(String),
}

impl fmt::Display for ChainProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChainProblem::UnknownIssuer { top_issuer } => write!(
                f,
                "the chain ends at \"{top_issuer}\", a CA this client does not trust (private or unknown root); install that CA on clients or use a certificate from a public CA"
            ),
            ChainProblem::SelfSigned => f.write_str(
                "the certificate is self-signed; clients will not trust it unless it is installed on each of them: use a certificate from a CA",
            ),
            ChainProblem::MissingIntermediate { issuer } => write!(
                f,
                "the server did not send the certificate of \"{issuer}\", which issued the last certificate it sent, and it is not a trusted CA: configure the server to send the full chain (intermediate certificates), or trust \"{issuer}\" if it is a private root"
            ),
            ChainProblem::Expired => f.write_str("a certificate in the chain has expired: renew it"),
            ChainProblem::NotYetValid => f.write_str(
                "a certificate in the chain is not valid yet: check the server's and this machine's clocks",
            ),
            ChainProblem::NotValidForName => f.write_str(
                "the certificate is not valid for the name used: connect with a name it lists, or get a certificate for this name",
            ),
            ChainProblem::Revoked => f.write_str("the certificate has been revoked: replace it"),
            ChainProblem::BadSignature => f.write_str(
                "a signature in the chain does not verify: the chain is corrupt or mixed up",
            ),
            ChainProblem::Other(s) => f.write_str(s),
        }
    }
}

/// Where the walk up the served chain ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainTop {
    /// At a certificate issued by (or being) a trust anchor.
    Anchored,
    /// The leaf is self-issued.
    SelfSignedLeaf,
    /// At a self-issued CA that is not a trust anchor.
    UntrustedRoot(String),
    /// At a certificate whose issuer was neither served nor trusted.
    MissingIssuer(String),
    /// The leaf could not be parsed.
    Unparsable,
    /// The server sent no certificate.
    Empty,
}

/// The diagnosis of a served chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainVerdict {
    /// Whether rustls verified the chain for the name.
    pub trusted: bool,
    /// Every problem found (empty when trusted).
    pub problems: Vec<ChainProblem>,
    /// Subjects of the certificates walked from the leaf up (RFC 4514).
    pub path: Vec<String>,
    /// Where the walk ended.
    pub top: ChainTop,
    /// Details worth showing: which certificate expired when, certificates
    /// sent but unused, a root sent needlessly.
    pub notes: Vec<String>,
}

impl ChainVerdict {
    /// One line for reports.
    pub fn summary(&self) -> String {
        if self.trusted {
            return "certificate chain trusted".into();
        }
        match self.problems.first() {
            Some(p) => p.to_string(),
            None => "certificate chain not trusted".into(),
        }
    }
}

/// [`diagnose_chain_for`] without a name check of its own.
pub fn diagnose_chain(
    setup: &TlsSetup,
    chain: &[CertificateDer<'_>],
    verify_error: Option<&rustls::Error>,
) -> ChainVerdict {
    diagnose_chain_for(setup, chain, verify_error, None)
}

/// Diagnoses a served chain given rustls' verdict.
///
/// The chain is walked from the leaf by issuer name (raw DER) through the
/// served certificates: a self-issued single leaf is [`ChainProblem::SelfSigned`];
/// a self-issued top that is not a trust anchor is
/// [`ChainProblem::UnknownIssuer`]; a top whose issuer is neither served nor
/// a trust anchor is [`ChainProblem::MissingIntermediate`]. Validity periods
/// of the walked certificates are checked against the clock, and, when
/// `name` is given, the leaf's names (rustls stops at the first error, so
/// an expired chain is never checked for the name). When rustls trusted the
/// chain, there are no problems.
pub fn diagnose_chain_for(
    setup: &TlsSetup,
    chain: &[CertificateDer<'_>],
    verify_error: Option<&rustls::Error>,
    name: Option<&str>,
) -> ChainVerdict {
    let mut verdict = ChainVerdict {
        trusted: verify_error.is_none(),
        problems: Vec::new(),
        path: Vec::new(),
        top: ChainTop::Empty,
        notes: Vec::new(),
    };
    if chain.is_empty() {
        if !verdict.trusted {
            verdict
                .problems
                .push(ChainProblem::Other("the server sent no certificate".into()));
        }
        return verdict;
    }
    let parsed: Vec<_> = chain.iter().map(|c| parse(c).ok()).collect();
    if parsed[0].is_none() {
        verdict.top = ChainTop::Unparsable;
        if !verdict.trusted {
            verdict.problems.push(ChainProblem::Other(
                "the server's certificate could not be parsed".into(),
            ));
        }
        return verdict;
    }

    // walk up by issuer name
    let now = OffsetDateTime::now_utc();
    let mut used = vec![false; chain.len()];
    let mut cur = 0usize;
    used[0] = true;
    let mut time_problems: Vec<ChainProblem> = Vec::new();
    while let Some(cert) = parsed[cur].as_ref() {
        let subject_text = format_name(cert.subject());
        verdict.path.push(subject_text.clone());
        let v = cert.validity();
        let (nb, na) = (v.not_before.to_datetime(), v.not_after.to_datetime());
        let what = if cur == 0 {
            "the server certificate"
        } else {
            "CA certificate"
        };
        if now > na {
            verdict.notes.push(format!(
                "{what} \"{subject_text}\" expired on {}",
                rfc3339(na)
            ));
            push_unique(&mut time_problems, ChainProblem::Expired);
        } else if now < nb {
            verdict.notes.push(format!(
                "{what} \"{subject_text}\" is not valid before {}",
                rfc3339(nb)
            ));
            push_unique(&mut time_problems, ChainProblem::NotYetValid);
        }

        let issuer_raw = name_contents(cert.issuer().as_raw());
        let self_issued = issuer_raw == name_contents(cert.subject().as_raw());
        if setup.is_anchor_subject(issuer_raw) {
            verdict.top = ChainTop::Anchored;
            // the anchor itself may have been sent too
            if !self_issued {
                let served_root = (0..chain.len()).find(|&i| {
                    !used[i]
                        && parsed[i].as_ref().is_some_and(|c| {
                            let subject = name_contents(c.subject().as_raw());
                            subject == issuer_raw && subject == name_contents(c.issuer().as_raw())
                        })
                });
                if let Some(i) = served_root {
                    used[i] = true;
                    verdict.path.push(
                        parsed[i]
                            .as_ref()
                            .map(|c| format_name(c.subject()))
                            .unwrap_or_default(),
                    );
                    verdict.notes.push(
                        "the server also sends the root certificate (harmless but unnecessary)"
                            .into(),
                    );
                }
            }
            break;
        }
        if self_issued {
            verdict.top = if cur == 0 {
                ChainTop::SelfSignedLeaf
            } else {
                ChainTop::UntrustedRoot(subject_text)
            };
            break;
        }
        let next = (0..chain.len()).find(|&i| {
            !used[i]
                && parsed[i]
                    .as_ref()
                    .is_some_and(|c| name_contents(c.subject().as_raw()) == issuer_raw)
        });
        match next {
            Some(i) => {
                used[i] = true;
                cur = i;
            }
            None => {
                verdict.top = ChainTop::MissingIssuer(format_name(cert.issuer()));
                break;
            }
        }
    }
    for (i, u) in used.iter().enumerate() {
        if !u {
            let subject = parsed[i]
                .as_ref()
                .map(|c| format_name(c.subject()))
                .unwrap_or_else(|| "(unparsable certificate)".into());
            verdict.notes.push(format!(
                "certificate #{} (\"{subject}\") was sent but is not part of the chain",
                i + 1
            ));
        }
    }

    if verdict.trusted {
        return verdict;
    }

    let structural = match &verdict.top {
        ChainTop::SelfSignedLeaf => Some(ChainProblem::SelfSigned),
        ChainTop::UntrustedRoot(root) => Some(ChainProblem::UnknownIssuer {
            top_issuer: root.clone(),
        }),
        ChainTop::MissingIssuer(issuer) => Some(ChainProblem::MissingIntermediate {
            issuer: issuer.clone(),
        }),
        _ => None,
    };

    use CertificateError as C;
    let from_error = match verify_error {
        Some(rustls::Error::InvalidCertificate(c)) => match c {
            C::UnknownIssuer => match &structural {
                Some(_) => None,
                None => Some(ChainProblem::Other(
                    "the chain names a trusted CA as issuer, but its signature does not match that CA (re-issued or impostor CA)"
                        .into(),
                )),
            },
            C::Expired | C::ExpiredContext { .. } => Some(ChainProblem::Expired),
            C::NotValidYet | C::NotValidYetContext { .. } => Some(ChainProblem::NotYetValid),
            C::NotValidForName | C::NotValidForNameContext { .. } => {
                Some(ChainProblem::NotValidForName)
            }
            C::Revoked => Some(ChainProblem::Revoked),
            C::BadSignature => Some(ChainProblem::BadSignature),
            _ => Some(ChainProblem::Other(describe_verify_error(
                verify_error.unwrap_or(&rustls::Error::General(String::new())),
            ))),
        },
        Some(other) => Some(ChainProblem::Other(describe_verify_error(other))),
        None => None,
    };

    if let Some(p) = from_error {
        push_unique(&mut verdict.problems, p);
    }
    if let Some(p) = structural {
        push_unique(&mut verdict.problems, p);
    }
    for p in time_problems {
        push_unique(&mut verdict.problems, p);
    }
    if let Some(n) = name {
        let m = name_match(&chain[0], n);
        if !m.valid {
            push_unique(&mut verdict.problems, ChainProblem::NotValidForName);
            verdict.notes.push(format!(
                "the certificate is valid for: {}",
                if m.names.is_empty() {
                    "(no names)".to_string()
                } else {
                    m.names.join(", ")
                }
            ));
        }
    }
    verdict
}

fn push_unique(v: &mut Vec<ChainProblem>, p: ChainProblem) {
    if !v.contains(&p) {
        v.push(p);
    }
}

#[cfg(test)]
mod tests {
    use super::testpki::{KeyKind, Leaf, LeafSpec, Pki, ServedChain, ServerVersions};
    use super::*;
    use crate::probe::legacy::{FakeLegacyServer, read_client_hello};
    use std::net::SocketAddr;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::{TcpListener, TcpStream};

    const T: Duration = Duration::from_secs(5);

    /// Serves one TLS connection on 127.0.0.1: sends a POP3 greeting after
    /// the handshake, then waits for the client to go away.
    async fn tls_server(config: Arc<rustls::ServerConfig>) -> SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let Ok((tcp, _)) = listener.accept().await else {
                return;
            };
            let acceptor = tokio_rustls::TlsAcceptor::from(config);
            if let Ok(mut tls) = acceptor.accept(tcp).await {
                let _ = tls.write_all(b"+OK ready\r\n").await;
                let _ = tls.flush().await;
                let mut buf = [0u8; 64];
                let _ = tokio::time::timeout(T, tls.read(&mut buf)).await;
            }
        });
        addr
    }

    /// Serves one raw TCP connection with `f`.
    async fn raw_server<F, Fut>(f: F) -> SocketAddr
    where
        F: FnOnce(TcpStream) -> Fut + Send + 'static,
        Fut: std::future::Future<Output = ()> + Send,
    {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            if let Ok((tcp, _)) = listener.accept().await {
                f(tcp).await;
            }
        });
        addr
    }

    async fn connect(
        setup: &TlsSetup,
        addr: SocketAddr,
        name: &str,
    ) -> (
        Result<(TlsClientStream<TcpStream>, TlsFacts), TlsFailure>,
        Recorder,
    ) {
        let rec = Recorder::detached();
        let tcp = TcpStream::connect(addr).await.unwrap();
        let name = HandshakeName::new(name).unwrap();
        (handshake_full(setup, tcp, &name, T, &rec).await, rec)
    }

    async fn facts_for(setup: &TlsSetup, leaf: &Leaf, name: &str) -> (TlsFacts, Recorder) {
        let addr = tls_server(leaf.server_config(ServerVersions::All).unwrap()).await;
        let (res, rec) = connect(setup, addr, name).await;
        let (mut stream, facts) = res.unwrap_or_else(|f| panic!("handshake failed: {f}"));
        // the session is usable even when verification failed
        let mut buf = [0u8; 11];
        stream.read_exact(&mut buf).await.unwrap();
        assert_eq!(&buf, b"+OK ready\r\n");
        (facts, rec)
    }

    fn setup_for(pki: &Pki) -> TlsSetup {
        TlsSetup::new(Some(pki.ca_pem().as_bytes())).unwrap()
    }

    fn texts(rec: &Recorder) -> Vec<String> {
        rec.lines().into_iter().map(|l| l.text).collect()
    }

    #[tokio::test]
    async fn trusted_chain_passes() {
        let pki = Pki::new().unwrap();
        let setup = setup_for(&pki);
        let leaf = pki.issue_leaf(&LeafSpec::new(&["localhost"])).unwrap();
        let (facts, rec) = facts_for(&setup, &leaf, "localhost").await;
        assert!(facts.trusted(), "{:?}", facts.verify_error);
        assert_eq!(facts.version, "TLSv1.3");
        assert!(facts.cipher.starts_with("TLS13_"), "{}", facts.cipher);
        assert_eq!(facts.chain.len(), 2);
        assert_eq!(facts.sni.as_deref(), Some("localhost"));
        let v = facts.diagnose(&setup);
        assert!(v.trusted && v.problems.is_empty(), "{v:?}");
        assert_eq!(v.top, ChainTop::Anchored);
        assert_eq!(v.path.len(), 2);
        let info = facts.info();
        assert!(info.verification.trusted);
        assert_eq!(info.certificates[0].subject, "CN=localhost");
        assert_eq!(info.version.as_deref(), Some("TLSv1.3"));
        let lines = texts(&rec);
        assert_eq!(lines[0], "handshake started, SNI localhost");
        assert!(lines[1].starts_with("TLSv1.3 TLS13_"), "{lines:?}");
        assert_eq!(
            lines[2],
            "certificate: CN=localhost issued by CN=popscope test Intermediate CA,O=popscope test"
        );
        assert_eq!(lines.last().unwrap(), "certificate verified for localhost");
    }

    #[tokio::test]
    async fn expired_certificate() {
        let pki = Pki::new().unwrap();
        let setup = setup_for(&pki);
        let leaf = pki
            .issue_leaf(&LeafSpec::new(&["localhost"]).expired(3))
            .unwrap();
        let (facts, rec) = facts_for(&setup, &leaf, "localhost").await;
        assert!(matches!(
            facts.verify_error,
            Some(rustls::Error::InvalidCertificate(
                CertificateError::Expired | CertificateError::ExpiredContext { .. }
            ))
        ));
        let v = facts.diagnose(&setup);
        assert_eq!(v.problems, vec![ChainProblem::Expired]);
        assert!(v.notes[0].contains("expired on"), "{:?}", v.notes);
        assert!(!facts.info().verification.trusted);
        assert!(
            texts(&rec)
                .iter()
                .any(|l| l.starts_with("verification failed: the certificate expired on"))
        );
    }

    #[tokio::test]
    async fn not_yet_valid_certificate() {
        let pki = Pki::new().unwrap();
        let setup = setup_for(&pki);
        let leaf = pki
            .issue_leaf(&LeafSpec::new(&["localhost"]).not_yet_valid(5))
            .unwrap();
        let (facts, _) = facts_for(&setup, &leaf, "localhost").await;
        assert_eq!(
            facts.diagnose(&setup).problems,
            vec![ChainProblem::NotYetValid]
        );
    }

    #[tokio::test]
    async fn wrong_name() {
        let pki = Pki::new().unwrap();
        let setup = setup_for(&pki);
        let leaf = pki
            .issue_leaf(&LeafSpec::new(&["mail.example.org"]))
            .unwrap();
        let (facts, rec) = facts_for(&setup, &leaf, "localhost").await;
        let v = facts.diagnose(&setup);
        assert_eq!(v.problems, vec![ChainProblem::NotValidForName]);
        assert!(v.notes.iter().any(|n| n.contains("mail.example.org")));
        let err = facts.info().verification.error.unwrap();
        assert!(err.contains("mail.example.org"), "{err}");
        assert!(
            texts(&rec)
                .iter()
                .any(|l| l.contains("not valid for localhost"))
        );
    }

    #[tokio::test]
    async fn self_signed_certificate() {
        let pki = Pki::new().unwrap();
        let setup = setup_for(&pki);
        let leaf = Pki::self_signed(&["localhost"]).unwrap();
        let (facts, _) = facts_for(&setup, &leaf, "localhost").await;
        let v = facts.diagnose(&setup);
        assert_eq!(v.problems, vec![ChainProblem::SelfSigned]);
        assert_eq!(v.top, ChainTop::SelfSignedLeaf);
    }

    #[tokio::test]
    async fn missing_intermediate() {
        let pki = Pki::new().unwrap();
        let setup = setup_for(&pki);
        let leaf = pki
            .issue_leaf(&LeafSpec::new(&["localhost"]).served(ServedChain::LeafOnly))
            .unwrap();
        let (facts, _) = facts_for(&setup, &leaf, "localhost").await;
        assert_eq!(facts.chain.len(), 1);
        let v = facts.diagnose(&setup);
        assert_eq!(
            v.problems,
            vec![ChainProblem::MissingIntermediate {
                issuer: "CN=popscope test Intermediate CA,O=popscope test".into()
            }]
        );
    }

    #[tokio::test]
    async fn unknown_issuer_private_root() {
        let trusted = Pki::new().unwrap();
        let setup = setup_for(&trusted);
        let private = Pki::with_name("Private Corp").unwrap();
        let leaf = private
            .issue_leaf(&LeafSpec::new(&["localhost"]).served(ServedChain::WithIntermediateAndRoot))
            .unwrap();
        let (facts, _) = facts_for(&setup, &leaf, "localhost").await;
        assert_eq!(facts.chain.len(), 3);
        let v = facts.diagnose(&setup);
        assert_eq!(
            v.problems,
            vec![ChainProblem::UnknownIssuer {
                top_issuer: "CN=Private Corp Root CA,O=Private Corp".into()
            }]
        );
        assert!(v.summary().contains("does not trust"));

        // the same private chain trusted through the CA file
        let setup = setup_for(&private);
        let (facts, _) = facts_for(&setup, &leaf, "localhost").await;
        let v = facts.diagnose(&setup);
        assert!(v.trusted, "{v:?}");
        assert!(
            v.notes.iter().any(|n| n.contains("root certificate")),
            "{v:?}"
        );
    }

    #[tokio::test]
    async fn several_problems_in_one_run() {
        let pki = Pki::new().unwrap();
        let setup = setup_for(&pki);
        let leaf = pki
            .issue_leaf(
                &LeafSpec::new(&["other.example"])
                    .expired(10)
                    .served(ServedChain::LeafOnly),
            )
            .unwrap();
        let (facts, _) = facts_for(&setup, &leaf, "localhost").await;
        let v = facts.diagnose(&setup);
        assert!(v.problems.contains(&ChainProblem::Expired), "{v:?}");
        assert!(v.problems.contains(&ChainProblem::NotValidForName), "{v:?}");
        assert!(
            v.problems
                .iter()
                .any(|p| matches!(p, ChainProblem::MissingIntermediate { .. })),
            "{v:?}"
        );
    }

    #[tokio::test]
    async fn tls12_only_server() {
        let pki = Pki::new().unwrap();
        let setup = setup_for(&pki);
        let leaf = pki.issue_leaf(&LeafSpec::new(&["localhost"])).unwrap();
        let addr = tls_server(leaf.server_config(ServerVersions::Tls12Only).unwrap()).await;
        let (res, rec) = connect(&setup, addr, "localhost").await;
        let (_, facts) = res.unwrap();
        assert_eq!(facts.version, "TLSv1.2");
        assert!(
            facts.cipher.starts_with("TLS_ECDHE_ECDSA_"),
            "{}",
            facts.cipher
        );
        assert!(facts.trusted());
        assert!(texts(&rec)[1].starts_with("TLSv1.2 "));
    }

    #[tokio::test]
    async fn key_types_handshake() {
        let pki = Pki::new().unwrap();
        let setup = setup_for(&pki);
        for (kind, label) in [
            (KeyKind::Rsa2048, "RSA 2048"),
            (KeyKind::Ed25519, "Ed25519"),
            (KeyKind::EcP384, "EC P-384"),
        ] {
            let leaf = pki
                .issue_leaf(&LeafSpec::new(&["localhost"]).key(kind))
                .unwrap();
            let (facts, _) = facts_for(&setup, &leaf, "localhost").await;
            assert!(facts.trusted());
            assert_eq!(facts.info().certificates[0].key, label);
        }
    }

    #[tokio::test]
    async fn weak_rsa_key_fails_but_chain_is_seen() {
        let pki = Pki::new().unwrap();
        let setup = setup_for(&pki);
        let leaf = pki
            .issue_leaf(&LeafSpec::new(&["localhost"]).key(KeyKind::Rsa1024Weak))
            .unwrap();
        let addr = tls_server(leaf.server_config(ServerVersions::All).unwrap()).await;
        let (res, rec) = connect(&setup, addr, "localhost").await;
        let Err(failure) = res else {
            panic!("a 1024-bit RSA handshake must fail");
        };
        assert!(
            matches!(failure.error, TlsError::Tls(_)),
            "{:?}",
            failure.error
        );
        assert!(failure.to_string().contains("too weak"), "{failure}");
        assert_eq!(failure.chain.len(), 2);
        assert!(failure.verify_error.is_none());
        let kf = key_facts(&failure.chain[0]).unwrap();
        assert_eq!((kf.algorithm, kf.bits), (KeyAlg::Rsa, 1024));
        let info = failure.partial_info(Some("localhost".into())).unwrap();
        assert_eq!(info.certificates[0].key, "RSA 1024");
        assert!(
            texts(&rec)
                .iter()
                .any(|l| l.starts_with("certificate: CN=localhost"))
        );
        assert!(texts(&rec).last().unwrap().starts_with("handshake failed:"));
    }

    #[tokio::test]
    async fn ip_address_target_sends_no_sni() {
        let pki = Pki::new().unwrap();
        let setup = setup_for(&pki);
        let leaf = pki.issue_leaf(&LeafSpec::new(&["127.0.0.1"])).unwrap();
        let (facts, rec) = facts_for(&setup, &leaf, "127.0.0.1").await;
        assert!(facts.trusted(), "{:?}", facts.verify_error);
        assert_eq!(facts.sni, None);
        assert_eq!(
            texts(&rec)[0],
            "handshake started, no SNI (verifying 127.0.0.1)"
        );

        let leaf = pki.issue_leaf(&LeafSpec::new(&["localhost"])).unwrap();
        let (facts, _) = facts_for(&setup, &leaf, "127.0.0.1").await;
        assert_eq!(
            facts.diagnose(&setup).problems,
            vec![ChainProblem::NotValidForName]
        );
    }

    #[tokio::test]
    async fn plaintext_reply_is_named() {
        let setup = TlsSetup::new(None).unwrap();
        let addr = raw_server(|mut tcp| async move {
            let _ = tcp.write_all(b"+OK POP3 server ready <1@x>\r\n").await;
            let mut buf = [0u8; 512];
            let _ = tokio::time::timeout(T, tcp.read(&mut buf)).await;
        })
        .await;
        let (res, rec) = connect(&setup, addr, "localhost").await;
        let err = res.err().unwrap().error;
        match &err {
            TlsError::PlaintextReply { first_bytes } => {
                assert!(first_bytes.starts_with(b"+OK POP3"))
            }
            other => panic!("expected plaintext, got {other:?}"),
        }
        let msg = err.to_string();
        assert!(
            msg.contains("POP3 greeting") && msg.contains("STLS"),
            "{msg}"
        );
        assert!(texts(&rec).last().unwrap().contains("plaintext"));
    }

    #[tokio::test]
    async fn timeout_and_closed() {
        let setup = TlsSetup::new(None).unwrap();
        let addr = raw_server(|mut tcp| async move {
            let mut buf = [0u8; 4096];
            let _ = tokio::time::timeout(T, tcp.read(&mut buf)).await;
            tokio::time::sleep(Duration::from_secs(2)).await;
        })
        .await;
        let tcp = TcpStream::connect(addr).await.unwrap();
        let name = HandshakeName::new("localhost").unwrap();
        let res = handshake(
            &setup,
            tcp,
            &name,
            Duration::from_millis(200),
            &Recorder::detached(),
        )
        .await;
        assert!(matches!(res, Err(TlsError::Timeout(_))), "{:?}", res.err());

        let addr = raw_server(|mut tcp| async move {
            let mut buf = [0u8; 4096];
            let _ = tcp.read(&mut buf).await;
            drop(tcp);
        })
        .await;
        let (res, _) = connect(&setup, addr, "localhost").await;
        let err = res.err().unwrap().error;
        assert!(matches!(err, TlsError::Closed), "{err:?}");
    }

    async fn legacy_server(fake: FakeLegacyServer) -> SocketAddr {
        raw_server(move |mut tcp| async move {
            if let Ok(hello) = read_client_hello(&mut tcp, T).await {
                let _ = tcp.write_all(&fake.reply(&hello)).await;
                let mut buf = [0u8; 512];
                let _ = tokio::time::timeout(T, tcp.read(&mut buf)).await;
            }
        })
        .await
    }

    #[tokio::test]
    async fn tls10_only_server_alert_and_downgrade() {
        let setup = TlsSetup::new(None).unwrap();
        let addr = legacy_server(FakeLegacyServer::default()).await;
        let (res, _) = connect(&setup, addr, "localhost").await;
        let err = res.err().unwrap().error;
        assert!(
            matches!(err, TlsError::Alert(AlertDescription::ProtocolVersion)),
            "{err:?}"
        );
        assert!(
            err.to_string().contains("no TLS version in common"),
            "{err}"
        );

        let addr = legacy_server(FakeLegacyServer::negotiating_down()).await;
        let (res, _) = connect(&setup, addr, "localhost").await;
        let err = res.err().unwrap().error;
        assert!(matches!(err, TlsError::NoCommonVersion), "{err:?}");
    }

    #[tokio::test]
    async fn version_mismatch_alert() {
        let pki = Pki::new().unwrap();
        let setup = setup_for(&pki).with_versions(&[&rustls::version::TLS12]);
        let leaf = pki.issue_leaf(&LeafSpec::new(&["localhost"])).unwrap();
        let addr = tls_server(leaf.server_config(ServerVersions::Tls13Only).unwrap()).await;
        let (res, _) = connect(&setup, addr, "localhost").await;
        let err = res.err().unwrap().error;
        assert!(
            matches!(err, TlsError::Alert(AlertDescription::ProtocolVersion)),
            "{err:?}"
        );
    }

    #[test]
    fn ca_file_errors() {
        let err = TlsSetup::new(Some(b"just some text\n")).unwrap_err();
        assert!(err.to_string().contains("no PEM certificate"), "{err}");
        let bad = b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n";
        assert!(matches!(TlsSetup::new(Some(bad)), Err(TlsError::Config(_))));
        let pki = Pki::new().unwrap();
        let setup = setup_for(&pki);
        assert_eq!(setup.extra_anchors(), 1);
        let root = pki.root_der();
        let cert = parse(&root).unwrap();
        assert!(setup.is_anchor_subject(cert.subject().as_raw()));
    }

    #[test]
    fn handshake_names() {
        let n = HandshakeName::new("pop.example.com").unwrap();
        assert_eq!(n.sni(), Some("pop.example.com"));
        assert_eq!(n.clone().without_sni().sni(), None);
        let n = HandshakeName::new("[2001:db8::1]").unwrap();
        assert_eq!(n.sni(), None);
        assert_eq!(n.as_str(), "2001:db8::1");
        assert!(HandshakeName::new("bad name").is_err());
        assert!(HandshakeName::new("").is_err());
    }

    #[test]
    fn diagnosis_without_network() {
        let setup = TlsSetup::new(None).unwrap();
        let v = diagnose_chain(&setup, &[], Some(&rustls::Error::NoCertificatesPresented));
        assert_eq!(v.top, ChainTop::Empty);
        assert_eq!(v.problems.len(), 1);
        let junk = CertificateDer::from(vec![0x30, 0x03, 0x02, 0x01, 0x00]);
        let v = diagnose_chain(
            &setup,
            &[junk],
            Some(&rustls::Error::InvalidCertificate(
                CertificateError::BadEncoding,
            )),
        );
        assert_eq!(v.top, ChainTop::Unparsable);
        // a served intermediate that does not belong is noted
        let pki = Pki::new().unwrap();
        let other = Pki::with_name("Other").unwrap();
        let leaf = pki.issue_leaf(&LeafSpec::default()).unwrap();
        let chain = vec![
            leaf.chain[0].clone(),
            other.intermediate_der(),
            leaf.chain[1].clone(),
        ];
        let v = diagnose_chain(
            &setup,
            &chain,
            Some(&rustls::Error::InvalidCertificate(
                CertificateError::UnknownIssuer,
            )),
        );
        assert_eq!(
            v.problems,
            vec![ChainProblem::MissingIntermediate {
                issuer: "CN=popscope test Root CA,O=popscope test".into()
            }]
        );
        assert!(
            v.notes.iter().any(|n| n.contains("not part of the chain")),
            "{v:?}"
        );
    }

    #[test]
    fn plaintext_kinds() {
        assert_eq!(plaintext_kind(b"* OK IMAP4rev1"), Some("an IMAP greeting"));
        assert_eq!(plaintext_kind(b"220 smtp"), Some("an SMTP/FTP greeting"));
        assert!(looks_not_tls(b"+OK"));
        assert!(looks_not_tls(b"\x16\x01"));
        assert!(!looks_not_tls(b"\x16\x03\x03"));
        assert!(!looks_not_tls(b""));
        let m = plaintext_message(b"\x00\x01\xff");
        assert!(m.contains("not TLS"), "{m}");
        let m = TlsError::PlaintextReply {
            first_bytes: b"* OK ready\r\n".to_vec(),
        }
        .to_string();
        assert!(m.contains("IMAP") && !m.contains('\r'), "{m}");
    }
}
