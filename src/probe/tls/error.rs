//! TLS failures in words. [`TlsError`] classifies a failed handshake (a
//! plaintext answer, an alert, no common version, a timeout, a closed
//! connection); [`describe_tls_error`] and [`describe_verify_error`] tell
//! every rustls and WebPKI error as a plain sentence that says what went
//! wrong and what to do about it. No Debug output ever reaches a user: an
//! error this module does not know by name gets a generic sentence.

use std::fmt;
use std::io;
use std::time::Duration;

use rustls::pki_types::{CertificateDer, UnixTime};
use rustls::{
    AlertDescription, CertRevocationListError, CertificateError, ContentType,
    EncryptedClientHelloError, ExtendedKeyPurpose, HandshakeType, InconsistentKeys, InvalidMessage,
    OtherError, PeerIncompatible, PeerMisbehaved,
};
use time::OffsetDateTime;

use super::sniff::{looks_not_tls, plaintext_kind};
use super::{cert_info_lossy, verification};
use crate::model::TlsInfo;
use crate::probe::legacy::alert_name;
use crate::timefmt::rfc3339;
use crate::transcript::sanitize;

/// A TLS failure, classified so a technician knows what to do.
#[derive(Debug, thiserror::Error)]
pub enum TlsError {
    /// The handshake did not finish in time; `answered`: the server's TLS
    /// answer had started to arrive (a slow server, not a silent one).
    #[error("{}", timeout_words(*after, *answered))]
    Timeout {
        /// The time allowed.
        after: Duration,
        /// Whether TLS bytes had arrived.
        answered: bool,
    },
    /// The peer closed the connection during the handshake.
    #[error(
        "the server closed the connection during the TLS handshake: it may not speak TLS on this port, or it rejected the hello without an alert"
    )]
    Closed,
    /// The server answered in plaintext (or some other non-TLS protocol).
    #[error("{}", plaintext_message(first_bytes))]
    PlaintextReply {
        /// The first bytes the server sent (at most
        /// [`super::SNIFF_BYTES`]).
        first_bytes: Vec<u8>,
    },
    /// The server refused the handshake with an alert.
    #[error("the server aborted the TLS handshake with alert {}: {}", alert_text(*.0), alert_meaning(*.0))]
    Alert(AlertDescription),
    /// The server chose a protocol version this client does not speak.
    #[error(
        "no TLS version in common: the server picked a version older than TLS 1.2, that is TLS 1.0, TLS 1.1 or SSL, which this client refuses; enable TLS 1.2 and 1.3 on the server"
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
    pub(super) fn bare(error: TlsError) -> Self {
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
            verification: verification(self.verify_error.as_ref(), &self.chain),
        })
    }
}

/// Classifies the error that ended a handshake; `first` are the server's
/// first bytes (a plaintext answer wins over whatever rustls made of it).
pub(super) fn classify(err: io::Error, first: &[u8]) -> TlsError {
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

fn alert_text(a: AlertDescription) -> &'static str {
    alert_name(u8::from(a))
}

/// What an alert from the server usually means, and what to look at.
fn alert_meaning(a: AlertDescription) -> &'static str {
    use AlertDescription as A;
    match a {
        A::HandshakeFailure => {
            "no cipher suite or key exchange in common; enable modern TLS 1.2 and 1.3 cipher suites on the server"
        }
        A::ProtocolVersion => {
            "no TLS version in common, the server may only speak TLS 1.0 or 1.1; enable TLS 1.2 and 1.3 on the server"
        }
        A::InsufficientSecurity => "the server requires cipher suites stronger than those offered",
        A::UnrecognisedName => {
            "the server does not know the name sent as SNI; check the host name, or the server's virtual host configuration"
        }
        A::InternalError => {
            "the server hit an internal error, often a missing or unreadable certificate or key; check the server's logs"
        }
        A::CertificateRequired
        | A::BadCertificate
        | A::CertificateUnknown
        | A::UnsupportedCertificate
        | A::CertificateExpired
        | A::CertificateRevoked
        | A::UnknownCA => {
            "the server wants a client certificate, or rejected one; POP3 servers rarely require one, check the server's TLS client authentication setting"
        }
        A::AccessDenied => "the server refuses this client by access control",
        A::DecodeError | A::IllegalParameter => {
            "the server could not handle the TLS hello: an old or broken TLS stack, or a middlebox in between"
        }
        A::UnexpectedMessage | A::BadRecordMac | A::RecordOverflow => {
            "the server saw a TLS message it did not expect or could not check: a broken TLS stack, or a middlebox altering the traffic"
        }
        A::MissingExtension | A::UnsupportedExtension => {
            "the server and this client disagree on a TLS extension: the server's TLS stack is outdated or broken"
        }
        A::DecryptError => "a handshake signature or key exchange did not verify on the server",
        A::InappropriateFallback => "the server detected a version downgrade",
        A::NoApplicationProtocol => "no application protocol in common, ALPN",
        A::CloseNotify | A::UserCanceled => "the server closed the connection during the handshake",
        _ => "the server rejected the handshake; check the server's TLS configuration and logs",
    }
}

pub(super) fn plaintext_message(first: &[u8]) -> String {
    let line_end = first
        .iter()
        .position(|&b| b == b'\r' || b == b'\n')
        .unwrap_or(first.len());
    let shown = sanitize(&first[..line_end]);
    match plaintext_kind(first) {
        Some("a POP3 greeting") => format!(
            "the server answered in plaintext instead of TLS, with a POP3 greeting \"{shown}\": this port speaks plain POP3, not implicit TLS"
        ),
        Some(kind) => format!(
            "the server answered in plaintext instead of TLS, with {kind} \"{shown}\": this port runs another service, not POP3 over TLS"
        ),
        None => format!(
            "the server answered with bytes that are not TLS, \"{shown}\": this port does not speak TLS from the first byte"
        ),
    }
}

/// The words for a [`TlsError::Tls`]: a failed handshake. A certificate
/// signature error here is about the handshake signature made with the
/// server's key, not the chain.
fn tls_message(e: &rustls::Error) -> String {
    use CertificateError as C;
    match e {
        #[allow(deprecated)]
        rustls::Error::InvalidCertificate(
            C::BadSignature
            | C::UnsupportedSignatureAlgorithm
            | C::UnsupportedSignatureAlgorithmForPublicKeyContext { .. }
            | C::UnsupportedSignatureAlgorithmContext { .. },
        ) => "the server's handshake signature did not verify: its key may be too weak for this client, such as RSA under 2048 bits, or its certificate does not match its key; install an RSA 2048 or ECDSA P-256 key with a certificate made for it".into(),
        other => describe_tls_error(other),
    }
}

/// Any rustls error in words a technician understands, with what to do.
///
/// Certificate errors are worded as verification verdicts
/// ([`describe_verify_error`]); errors inside `Other` that come from WebPKI
/// are recognised and named; anything unknown gets a generic sentence,
/// never Debug output.
pub fn describe_tls_error(e: &rustls::Error) -> String {
    use rustls::Error as E;
    match e {
        E::InappropriateMessage {
            expect_types,
            got_type,
        } => format!(
            "the server sent a TLS {} record where {} was expected: its TLS stack is broken, or a middlebox is interfering",
            content_type_words(*got_type),
            either(expect_types.iter().map(|t| content_type_words(*t)))
        ),
        E::InappropriateHandshakeMessage {
            expect_types,
            got_type,
        } => format!(
            "the server sent the handshake message {} where {} was expected: its TLS stack is broken, or a middlebox is interfering",
            handshake_type_words(*got_type),
            either(expect_types.iter().map(|t| handshake_type_words(*t)))
        ),
        E::InvalidEncryptedClientHello(ech) => ech_words(ech),
        E::InvalidMessage(m) => format!(
            "the server sent a malformed TLS message, {}: its TLS stack is broken, this port does not speak TLS, or a middlebox is interfering",
            invalid_message_words(m)
        ),
        E::NoCertificatesPresented => {
            "the server sent no certificate: configure a certificate and its key for this port on the server".into()
        }
        E::UnsupportedNameType => {
            "the server name is of a type TLS cannot verify: connect by DNS name or IP address".into()
        }
        E::DecryptError => {
            "the TLS handshake failed to decrypt: a broken middlebox or server TLS stack; try from another network, and update the server's TLS library".into()
        }
        E::EncryptError => {
            "this client could not encrypt a TLS message: an internal error of its TLS library; please report it".into()
        }
        E::PeerIncompatible(p) => peer_incompatible_words(p),
        E::PeerMisbehaved(p) => format!(
            "the server broke the TLS protocol: {}; update the server's TLS library, or look for a middlebox that intercepts TLS",
            peer_misbehaved_words(p)
        ),
        E::AlertReceived(a) => format!(
            "the server sent TLS alert {}: {}",
            alert_text(*a),
            alert_meaning(*a)
        ),
        E::InvalidCertificate(c) => certificate_words(c),
        E::InvalidCertRevocationList(c) => crl_words(c),
        E::General(text) => format!(
            "the TLS library reported a problem: {}",
            sanitize(text.as_bytes())
        ),
        E::FailedToGetCurrentTime => {
            "this machine's clock could not be read, so certificates cannot be checked: check the system clock".into()
        }
        E::FailedToGetRandomBytes => {
            "this machine could not provide random numbers for TLS: check the operating system's random source".into()
        }
        E::HandshakeNotComplete => {
            "the TLS handshake did not complete: the server stopped answering halfway".into()
        }
        E::PeerSentOversizedRecord => {
            "the server sent a TLS record larger than the protocol allows: its TLS stack is broken, or a middlebox is interfering".into()
        }
        E::NoApplicationProtocol => {
            "no application protocol in common with the server, ALPN: check the server's ALPN setting".into()
        }
        E::BadMaxFragmentSize => {
            "this client's TLS record size setting is invalid: an internal error; please report it".into()
        }
        E::InconsistentKeys(InconsistentKeys::KeyMismatch) => {
            "the certificate does not match its private key: install the key that belongs to the certificate".into()
        }
        E::InconsistentKeys(_) => {
            "whether the certificate matches its private key could not be checked: make sure the server uses the key that belongs to the certificate".into()
        }
        E::Other(o) => other_words(o, UNKNOWN_TLS),
        _ => UNKNOWN_TLS.into(),
    }
}

const UNKNOWN_TLS: &str = "the TLS library reported an error this version of popscope cannot name: check the server's TLS configuration and logs";

/// A certificate verification error in words a technician understands,
/// with what to do. Not a rustls certificate error: as
/// [`describe_tls_error`].
pub fn describe_verify_error(e: &rustls::Error) -> String {
    match e {
        rustls::Error::InvalidCertificate(c) => certificate_words(c),
        other => describe_tls_error(other),
    }
}

/// As [`describe_verify_error`], knowing the chain: a self-issued server
/// certificate that is not trusted is named self-signed, whatever WebPKI
/// tripped over first (unknown issuer, or CA:TRUE on a server
/// certificate).
pub fn describe_verify_error_for(e: &rustls::Error, chain: &[CertificateDer<'_>]) -> String {
    let self_signed_error = match e {
        rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer) => true,
        _ => super::verifier::is_ca_used_as_end_entity(e),
    };
    match chain.first() {
        Some(leaf) if self_signed_error && super::chain::is_self_issued(leaf) => {
            self_signed_words(super::verifier::is_ca_used_as_end_entity(e))
        }
        _ => describe_verify_error(e),
    }
}

/// The words for a self-signed server certificate: what to do on the
/// server, and what users can do meanwhile. `ca` when it is also marked
/// CA:TRUE.
pub(super) fn self_signed_words(ca: bool) -> String {
    format!(
        "the certificate is self-signed{}, so no client trusts it: install a certificate from a public CA such as Let's Encrypt on the server, together with its intermediate certificate; meanwhile users can compare its SHA-256 fingerprint with the one on the server and add a one-time exception in the mail client, or pass that certificate to popscope with --ca-file",
        if ca {
            " and marked as a CA, CA:TRUE, as openssl req -x509 makes it by default"
        } else {
            ""
        }
    )
}

fn certificate_words(c: &CertificateError) -> String {
    use CertificateError as C;
    match c {
        C::BadEncoding => {
            "a certificate in the chain is malformed and cannot be read: reissue it".into()
        }
        C::Expired => "the certificate has expired: renew it and reload the server".into(),
        C::ExpiredContext { time, not_after } => expired_words(time, not_after),
        C::NotValidYet => {
            "the certificate is not valid yet: check the server's and this machine's clocks".into()
        }
        C::NotValidYetContext { time, not_before } => not_yet_valid_words(time, not_before),
        C::Revoked => "the certificate has been revoked by its CA: replace it".into(),
        C::UnhandledCriticalExtension => CRITICAL_EXTENSION.into(),
        C::UnknownIssuer => UNKNOWN_ISSUER.into(),
        C::UnknownRevocationStatus => {
            "the revocation status of a certificate in the chain is unknown: its CA's revocation list does not cover it".into()
        }
        C::ExpiredRevocationList | C::ExpiredRevocationListContext { .. } => {
            "the revocation list used to check the certificate has expired: get a current one from the CA".into()
        }
        C::BadSignature => BAD_SIGNATURE.into(),
        #[allow(deprecated)]
        C::UnsupportedSignatureAlgorithm
        | C::UnsupportedSignatureAlgorithmContext { .. }
        | C::UnsupportedSignatureAlgorithmForPublicKeyContext { .. } => WEAK_ALGORITHM.into(),
        C::NotValidForName => {
            "the certificate is not valid for this name: connect with a name it lists, or get a certificate for this name".into()
        }
        C::NotValidForNameContext {
            expected,
            presented,
        } => not_valid_for_name_words(&expected.to_str(), presented),
        C::InvalidPurpose => WRONG_PURPOSE.into(),
        C::InvalidPurposeContext {
            required,
            presented,
        } => format!(
            "the certificate's extended key usage does not allow {}, it allows {}: reissue it for TLS server authentication, serverAuth",
            purpose_words(required),
            if presented.is_empty() {
                "nothing".to_string()
            } else {
                presented
                    .iter()
                    .map(purpose_words)
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        ),
        C::InvalidOcspResponse => {
            "the server's stapled OCSP response is invalid: check the server's OCSP stapling setup, or turn stapling off".into()
        }
        C::ApplicationVerificationFailure => {
            "the certificate was refused by an extra check of this client: check the chain installed on the server".into()
        }
        C::Other(o) => other_words(o, UNKNOWN_CERTIFICATE),
        _ => UNKNOWN_CERTIFICATE.into(),
    }
}

const UNKNOWN_ISSUER: &str = "the certificate's issuer is not trusted: it is self-signed, from a private CA, or the server does not send the intermediate certificate";
const BAD_SIGNATURE: &str = "a certificate signature in the chain does not verify: the chain is corrupt or mixed up; install the certificates that belong together";
const WEAK_ALGORITHM: &str = "the chain uses a signature algorithm this client refuses, such as SHA-1 or RSA under 2048 bits: reissue the certificate with SHA-256 and an RSA 2048 or ECDSA P-256 key";
const CRITICAL_EXTENSION: &str = "a certificate in the chain has a critical extension this client does not understand: reissue it without that extension";
const WRONG_PURPOSE: &str = "the certificate's extended key usage does not allow TLS server authentication: reissue it with serverAuth";
const UNKNOWN_CERTIFICATE: &str = "the certificate was refused for a reason this version of popscope cannot name: check the chain installed on the server";

fn expired_words(time: &UnixTime, not_after: &UnixTime) -> String {
    format!(
        "the certificate expired on {}, it is now {}: renew it and reload the server",
        unix_rfc3339(not_after),
        unix_rfc3339(time)
    )
}

fn not_yet_valid_words(time: &UnixTime, not_before: &UnixTime) -> String {
    format!(
        "the certificate is not valid before {}, it is now {}: check the server's and this machine's clocks",
        unix_rfc3339(not_before),
        unix_rfc3339(time)
    )
}

fn not_valid_for_name_words(expected: &str, presented: &[String]) -> String {
    let names = if presented.is_empty() {
        "no name at all in its subject alternative names".to_string()
    } else {
        sanitize(
            presented
                .iter()
                .map(|p| presented_name(p))
                .collect::<Vec<_>>()
                .join(", ")
                .as_bytes(),
        )
    };
    format!(
        "the certificate is not valid for {}; it is valid for: {names}. Connect with a name it lists, or get a certificate that lists this name",
        sanitize(expected.as_bytes())
    )
}

/// A name as WebPKI prints the names a certificate presents
/// (`DnsName("a.example")`, `IpAddress(192.0.2.1)`, ...) → `a.example`,
/// `192.0.2.1`, or words for the kinds that are not host names.
fn presented_name(p: &str) -> String {
    let inner = |prefix: &str| {
        p.strip_prefix(prefix)
            .and_then(|r| r.strip_suffix(')'))
            .map(|r| r.trim_matches('"').to_string())
    };
    if let Some(n) = inner("DnsName(") {
        n
    } else if let Some(ip) = inner("IpAddress(") {
        ip
    } else if let Some(uri) = inner("UniformResourceIdentifier(") {
        format!("the URI {uri}")
    } else if p == "DirectoryName" {
        "a directory name".into()
    } else {
        "a name of a type this client does not check".into()
    }
}

fn purpose_words(p: &ExtendedKeyPurpose) -> String {
    match p {
        ExtendedKeyPurpose::ServerAuth => "TLS server authentication".into(),
        ExtendedKeyPurpose::ClientAuth => "TLS client authentication".into(),
        ExtendedKeyPurpose::Other(oid) => format!(
            "the purpose {}",
            oid.iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(".")
        ),
    }
}

/// Words for an error carried in `Other`: WebPKI's errors are named, any
/// other gets the generic sentence `unknown`.
fn other_words(o: &OtherError, unknown: &str) -> String {
    match o.0.downcast_ref::<webpki::Error>() {
        Some(w) => webpki_words(w),
        None => unknown.into(),
    }
}

/// Every WebPKI certificate error in words, with what to do.
#[allow(deprecated)]
fn webpki_words(w: &webpki::Error) -> String {
    use webpki::Error as W;
    match w {
        W::BadDer | W::BadDerTime | W::TrailingData(_) => {
            "a certificate in the chain is malformed and cannot be read: reissue it".into()
        }
        W::CaUsedAsEndEntity => {
            "the server's certificate is a CA certificate, marked CA:TRUE, which most clients refuse as a server certificate; openssl req -x509 makes such certificates by default: install a certificate from a public CA such as Let's Encrypt, or reissue it with basicConstraints CA:FALSE".into()
        }
        W::CertDistrusted => {
            "the certificate's CA is distrusted by this client: get a certificate from another CA".into()
        }
        W::CertExpired { time, not_after } => expired_words(time, not_after),
        W::CertNotValidForName(cx) => {
            not_valid_for_name_words(&cx.expected.to_str(), &cx.presented)
        }
        W::CertNotValidYet { time, not_before } => not_yet_valid_words(time, not_before),
        W::CertRevoked => "the certificate has been revoked by its CA: replace it".into(),
        W::CrlExpired { .. } => {
            "the revocation list used to check the certificate has expired: get a current one from the CA".into()
        }
        W::EmptyEkuExtension => {
            "the certificate's extended key usage is empty, so it allows no use at all: reissue it with serverAuth".into()
        }
        W::EndEntityUsedAsCa => {
            "a certificate that issued another one in the chain is not a CA certificate: the chain is mixed up; install the intermediate certificate your CA provides".into()
        }
        W::ExtensionValueInvalid | W::MalformedExtensions => {
            "a certificate in the chain has a malformed extension: reissue it".into()
        }
        W::InvalidCertValidity => {
            "a certificate in the chain has an invalid validity period, ending before it starts: reissue it".into()
        }
        W::InvalidNetworkMaskConstraint
        | W::MalformedNameConstraint
        | W::NameConstraintViolation => {
            "the certificate's names are outside what its CA may certify, a name constraint: get a certificate from a CA allowed to issue for this name".into()
        }
        W::InvalidSerialNumber => {
            "a certificate in the chain has an invalid serial number: reissue it".into()
        }
        W::InvalidSignatureForPublicKey => BAD_SIGNATURE.into(),
        W::MalformedDnsIdentifier => {
            "the certificate lists a malformed DNS name: reissue it with valid names".into()
        }
        W::MaximumNameConstraintComparisonsExceeded
        | W::MaximumPathBuildCallsExceeded
        | W::MaximumPathDepthExceeded
        | W::MaximumSignatureChecksExceeded => {
            "the chain is too long or too tangled to verify: serve only the server certificate and the intermediates your CA provides".into()
        }
        W::PathLenConstraintViolated => {
            "the chain has more intermediate CAs than a CA in it allows: serve the chain your CA provides".into()
        }
        W::RequiredEkuNotFound | W::RequiredEkuNotFoundContext(_) => WRONG_PURPOSE.into(),
        W::SignatureAlgorithmMismatch => {
            "a certificate in the chain names two different signature algorithms, so it is malformed: reissue it".into()
        }
        W::UnknownIssuer => UNKNOWN_ISSUER.into(),
        W::UnknownRevocationStatus => {
            "the revocation status of a certificate in the chain is unknown: its CA's revocation list does not cover it".into()
        }
        W::UnsupportedCertVersion => {
            "a certificate in the chain is not an X.509 version 3 certificate: reissue it".into()
        }
        W::UnsupportedCriticalExtension => CRITICAL_EXTENSION.into(),
        W::UnsupportedNameType => {
            "the certificate uses a kind of name this client cannot check: reissue it with DNS names or IP addresses".into()
        }
        W::UnsupportedSignatureAlgorithm
        | W::UnsupportedSignatureAlgorithmContext(_)
        | W::UnsupportedSignatureAlgorithmForPublicKey
        | W::UnsupportedSignatureAlgorithmForPublicKeyContext(_) => WEAK_ALGORITHM.into(),
        W::InvalidCrlNumber
        | W::InvalidCrlSignatureForPublicKey
        | W::IssuerNotCrlSigner
        | W::UnsupportedCrlIssuingDistributionPoint
        | W::UnsupportedCrlVersion
        | W::UnsupportedDeltaCrl
        | W::UnsupportedIndirectCrl
        | W::UnsupportedRevocationReason
        | W::UnsupportedRevocationReasonsPartitioning
        | W::UnsupportedCrlSignatureAlgorithm
        | W::UnsupportedCrlSignatureAlgorithmContext(_)
        | W::UnsupportedCrlSignatureAlgorithmForPublicKey
        | W::UnsupportedCrlSignatureAlgorithmForPublicKeyContext(_) => {
            "a certificate revocation list could not be used to check the certificate: get a current, well-formed list from the CA".into()
        }
        _ => UNKNOWN_CERTIFICATE.into(),
    }
}

fn crl_words(_: &CertRevocationListError) -> String {
    "a certificate revocation list is unusable, malformed or not signed by its CA: get a current list from the CA".into()
}

fn ech_words(e: &EncryptedClientHelloError) -> String {
    match e {
        EncryptedClientHelloError::SniRequired => {
            "encrypted client hello needs a server name: connect by DNS name".into()
        }
        _ => "the encrypted client hello configuration is unusable: connect without encrypted client hello".into(),
    }
}

fn peer_incompatible_words(p: &PeerIncompatible) -> String {
    use PeerIncompatible as P;
    match p {
        P::ServerDoesNotSupportTls12Or13 | P::ServerTlsVersionIsDisabledByOurConfig => {
            "no TLS version in common: the server does not speak TLS 1.2 or 1.3; enable them on the server".into()
        }
        P::NoCipherSuitesInCommon => {
            "no cipher suite in common with the server: enable modern TLS 1.2 and 1.3 suites on the server, ECDHE with AES-GCM or ChaCha20".into()
        }
        P::NoKxGroupsInCommon => {
            "no key exchange group in common with the server: enable X25519 or P-256 on the server".into()
        }
        P::NoSignatureSchemesInCommon => {
            "no signature scheme in common with the server: its key or signature settings are outdated; use an RSA 2048 or ECDSA P-256 key with SHA-256".into()
        }
        P::ExtendedMasterSecretExtensionRequired => {
            "the server's TLS 1.2 lacks the extended master secret this client requires: update the server's TLS library, or enable TLS 1.3".into()
        }
        P::EcPointsExtensionRequired
        | P::NoEcPointFormatsInCommon
        | P::UncompressedEcPointsRequired => {
            "the server's elliptic curve point formats are incompatible with this client: the server's TLS stack is outdated; update it".into()
        }
        P::NullCompressionRequired => {
            "the server insists on TLS compression, which is insecure: disable compression on the server".into()
        }
        P::IncorrectCertificateTypeExtension | P::UnsolicitedCertificateTypeExtension => {
            "the server offered a kind of certificate this client does not use, such as a raw public key: configure an X.509 certificate on the server".into()
        }
        P::NoCertificateRequestSignatureSchemesInCommon => {
            "the server asked for a client certificate with signature schemes this client does not support: turn off client certificates for POP3 on the server".into()
        }
        P::Tls12NotOffered | P::Tls12NotOfferedOrEnabled => {
            "the server wants TLS 1.2, which this client did not offer: run without restricting the TLS versions".into()
        }
        P::ServerRejectedEncryptedClientHello(_) => {
            "the server rejected encrypted client hello: connect without it".into()
        }
        _ => "the server's TLS messages lack something this client requires: its TLS stack is outdated or broken; update the server's TLS library".into(),
    }
}

fn peer_misbehaved_words(p: &PeerMisbehaved) -> &'static str {
    use PeerMisbehaved as P;
    match p {
        P::AttemptedDowngradeToTls12WhenTls13IsSupported => {
            "it negotiated TLS 1.2 although its hello shows it speaks TLS 1.3, the mark of a downgrade attack or a TLS-intercepting middlebox"
        }
        P::IllegalMiddleboxChangeCipherSpec => "it sent a stray ChangeCipherSpec message",
        P::SignedKxWithWrongAlgorithm | P::SignedHandshakeWithUnadvertisedSigScheme => {
            "it signed the handshake with an algorithm this client did not offer or that does not fit its key"
        }
        P::InvalidKeyShare | P::MissingKeyShare | P::WrongGroupForKeyShare => {
            "its key exchange is missing or malformed"
        }
        P::SelectedUnofferedCipherSuite
        | P::SelectedUnusableCipherSuiteForVersion
        | P::SelectedDifferentCipherSuiteAfterRetry
        | P::SelectedUnofferedCompression
        | P::SelectedUnofferedKxGroup
        | P::SelectedUnofferedPsk
        | P::SelectedInvalidPsk
        | P::SelectedUnofferedApplicationProtocol
        | P::SelectedUnofferedCertCompression
        | P::SelectedTls12UsingTls13VersionExtension => {
            "it chose a setting this client did not offer"
        }
        P::TooManyEmptyFragments
        | P::TooManyKeyUpdateRequests
        | P::TooManyRenegotiationRequests
        | P::TooManyWarningAlertsReceived
        | P::TooMuchEarlyDataReceived => "it sent far more messages of one kind than allowed",
        P::IllegalHelloRetryRequestWithEmptyCookie
        | P::IllegalHelloRetryRequestWithNoChanges
        | P::IllegalHelloRetryRequestWithOfferedGroup
        | P::IllegalHelloRetryRequestWithUnofferedCipherSuite
        | P::IllegalHelloRetryRequestWithUnofferedNamedGroup
        | P::IllegalHelloRetryRequestWithUnsupportedVersion
        | P::IllegalHelloRetryRequestWithWrongSessionId
        | P::IllegalHelloRetryRequestWithInvalidEch => "it sent an invalid HelloRetryRequest",
        P::BadCertChainExtensions | P::InvalidCertCompression => {
            "its certificate message is malformed"
        }
        _ => "it sent TLS messages or extensions that are not allowed where they appeared",
    }
}

fn invalid_message_words(m: &InvalidMessage) -> &'static str {
    use InvalidMessage as M;
    match m {
        M::CertificatePayloadTooLarge => "a certificate chain too large to accept",
        M::HandshakePayloadTooLarge | M::MessageTooLarge => "a message too large to accept",
        M::MessageTooShort | M::MissingData(_) | M::TrailingData(_) => {
            "a message that is truncated or has extra bytes"
        }
        M::InvalidContentType => "a record of unknown type",
        M::UnknownProtocolVersion => "an unknown protocol version",
        M::UnexpectedMessage(_) => "a message out of order",
        M::UnsupportedCompression => "an unsupported compression method",
        M::UnsupportedCurveType
        | M::UnsupportedKeyExchangeAlgorithm(_)
        | M::InvalidDhParams
        | M::MissingKeyExchange => "key exchange parameters this client cannot use",
        M::NoSignatureSchemes => "no signature schemes",
        M::DuplicateExtension(_) => "an extension twice",
        M::IllegalEmptyList(_) | M::IllegalEmptyValue | M::InvalidEmptyPayload => {
            "an empty field where a value is required"
        }
        _ => "a message this client cannot parse",
    }
}

/// `ApplicationData` → `application data`; unknown types by number.
fn content_type_words(t: ContentType) -> String {
    match t.as_str() {
        Some(name) => spaced(name),
        None => format!("type {}", u8::from(t)),
    }
}

/// `ServerHello` → `server hello`; unknown types by number.
fn handshake_type_words(t: HandshakeType) -> String {
    match t.as_str() {
        Some(name) => spaced(name),
        None => format!("type {}", u8::from(t)),
    }
}

/// A CamelCase name as lower-case words.
fn spaced(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push(' ');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// `a`, `a or b`, `a, b or c`; `anything else` when empty.
fn either(items: impl Iterator<Item = String>) -> String {
    let items: Vec<String> = items.collect();
    match items.as_slice() {
        [] => "something else".into(),
        [one] => format!("a {one} message"),
        [init @ .., last] => format!("a {} or {last} message", init.join(", ")),
    }
}

fn unix_rfc3339(t: &UnixTime) -> String {
    i64::try_from(t.as_secs())
        .ok()
        .and_then(|s| OffsetDateTime::from_unix_timestamp(s).ok())
        .map(rfc3339)
        .unwrap_or_else(|| t.as_secs().to_string())
}

/// What a handshake timeout showed, in words.
fn timeout_words(after: Duration, answered: bool) -> String {
    let ms = after.as_millis();
    if answered {
        format!(
            "the TLS handshake did not complete within {ms} ms: the server's TLS answer started to arrive but too slowly, as from an overloaded server or over a slow link"
        )
    } else {
        format!(
            "the TLS handshake timed out after {ms} ms: the server accepted the connection but sent nothing in answer to the TLS hello; is this port TLS at all? A plain POP3 port waits for STLS"
        )
    }
}
