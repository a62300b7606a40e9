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

use super::sniff::{is_pop3_reply, looks_not_tls, plaintext_label};
use super::{cert_info_lossy, verification};
use crate::i18n::t;
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
    #[error("{}", t!("probe-tls-closed"))]
    Closed,
    /// The server answered in plaintext (or some other non-TLS protocol).
    #[error("{}", plaintext_message(first_bytes))]
    PlaintextReply {
        /// The first bytes the server sent (at most
        /// [`super::SNIFF_BYTES`]).
        first_bytes: Vec<u8>,
    },
    /// The server refused the handshake with an alert.
    #[error("{}", t!("probe-tls-aborted-alert", alert = alert_text(*.0), meaning = alert_meaning(*.0)))]
    Alert(AlertDescription),
    /// The server chose a protocol version this client does not speak.
    #[error("{}", t!("probe-tls-no-common-version-old"))]
    NoCommonVersion,
    /// Another TLS protocol error (bad handshake signature, decrypt error,
    /// misbehaving peer, ...).
    #[error("{}", tls_message(.0))]
    Tls(rustls::Error),
    /// An I/O error on the connection.
    #[error("{}", t!("probe-tls-io", error = .0.to_string()))]
    Io(#[from] io::Error),
    /// The local TLS setup is unusable (CA file, name).
    #[error("{}", t!("probe-tls-setup", error = .0))]
    Config(String),
}

impl TlsError {
    /// Whether the server answered with a POP3 greeting (`+OK`/`-ERR`)
    /// where TLS was expected: plain POP3 on a TLS port.
    pub fn is_pop3_greeting(&self) -> bool {
        matches!(self, TlsError::PlaintextReply { first_bytes } if is_pop3_reply(first_bytes))
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
fn alert_meaning(a: AlertDescription) -> String {
    use AlertDescription as A;
    match a {
        A::HandshakeFailure => {
            t!("probe-tls-no-cipher-suite-key-exchange")
        }
        A::ProtocolVersion => {
            t!("probe-tls-no-tls-version-common-server")
        }
        A::InsufficientSecurity => t!("probe-tls-server-requires-cipher-suites-stronger"),
        A::UnrecognisedName => {
            t!("probe-tls-server-does-not-know-name")
        }
        A::InternalError => {
            t!("probe-tls-server-hit-internal-error-often")
        }
        A::CertificateRequired
        | A::BadCertificate
        | A::CertificateUnknown
        | A::UnsupportedCertificate
        | A::CertificateExpired
        | A::CertificateRevoked
        | A::UnknownCA => {
            t!("probe-tls-server-wants-client-certificate-rejected")
        }
        A::AccessDenied => t!("probe-tls-server-refuses-client-access-control"),
        A::DecodeError | A::IllegalParameter => {
            t!("probe-tls-server-could-not-handle-tls")
        }
        A::UnexpectedMessage | A::BadRecordMac | A::RecordOverflow => {
            t!("probe-tls-server-saw-tls-message-did")
        }
        A::MissingExtension | A::UnsupportedExtension => {
            t!("probe-tls-server-client-disagree-tls-extension")
        }
        A::DecryptError => t!("probe-tls-handshake-signature-key-exchange-did"),
        A::InappropriateFallback => t!("probe-tls-server-detected-version-downgrade"),
        A::NoApplicationProtocol => t!("probe-tls-no-application-protocol-common-alpn"),
        A::CloseNotify | A::UserCanceled => {
            t!("probe-tls-server-closed-connection-during-handshake")
        }
        _ => t!("probe-tls-server-rejected-handshake-check-server"),
    }
}

pub(super) fn plaintext_message(first: &[u8]) -> String {
    let line_end = first
        .iter()
        .position(|&b| b == b'\r' || b == b'\n')
        .unwrap_or(first.len());
    let shown = sanitize(&first[..line_end]);
    if is_pop3_reply(first) {
        return t!("probe-tls-plaintext-pop3", shown = shown);
    }
    match plaintext_label(first) {
        Some(kind) => t!("probe-tls-plaintext-other", kind = kind, shown = shown),
        None => t!("probe-tls-not-tls-bytes", shown = shown),
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
        ) => t!("probe-tls-server-s-handshake-signature-did"),
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
        } => t!(
            "probe-tls-inappropriate-record",
            got = content_type_words(*got_type),
            expected = either(expect_types.iter().map(|t| content_type_words(*t)))
        ),
        E::InappropriateHandshakeMessage {
            expect_types,
            got_type,
        } => t!(
            "probe-tls-inappropriate-handshake-message",
            got = handshake_type_words(*got_type),
            expected = either(expect_types.iter().map(|t| handshake_type_words(*t)))
        ),
        E::InvalidEncryptedClientHello(ech) => ech_words(ech),
        E::InvalidMessage(m) => t!("probe-tls-invalid-message", what = invalid_message_words(m)),
        E::NoCertificatesPresented => {
            t!("probe-tls-server-sent-no-certificate-configure")
        }
        E::UnsupportedNameType => {
            t!("probe-tls-server-name-type-tls-cannot")
        }
        E::DecryptError => {
            t!("probe-tls-tls-handshake-failed-decrypt-broken")
        }
        E::EncryptError => {
            t!("probe-tls-client-could-not-encrypt-tls")
        }
        E::PeerIncompatible(p) => peer_incompatible_words(p),
        E::PeerMisbehaved(p) => t!("probe-tls-peer-misbehaved", what = peer_misbehaved_words(p)),
        E::AlertReceived(a) => t!(
            "probe-tls-alert-received",
            alert = alert_text(*a),
            meaning = alert_meaning(*a)
        ),
        E::InvalidCertificate(c) => certificate_words(c),
        E::InvalidCertRevocationList(c) => crl_words(c),
        E::General(text) => t!("probe-tls-general", problem = sanitize(text.as_bytes())),
        E::FailedToGetCurrentTime => {
            t!("probe-tls-machine-s-clock-could-not")
        }
        E::FailedToGetRandomBytes => {
            t!("probe-tls-machine-could-not-provide-random")
        }
        E::HandshakeNotComplete => {
            t!("probe-tls-tls-handshake-did-not-complete")
        }
        E::PeerSentOversizedRecord => {
            t!("probe-tls-server-sent-tls-record-larger")
        }
        E::NoApplicationProtocol => {
            t!("probe-tls-no-application-protocol-common-server")
        }
        E::BadMaxFragmentSize => {
            t!("probe-tls-client-s-tls-record-size")
        }
        E::InconsistentKeys(InconsistentKeys::KeyMismatch) => {
            t!("probe-tls-certificate-does-not-match-private")
        }
        E::InconsistentKeys(_) => {
            t!("probe-tls-whether-certificate-matches-private-key")
        }
        E::Other(o) => other_words(o, unknown_tls),
        _ => unknown_tls(),
    }
}

fn unknown_tls() -> String {
    t!("probe-tls-unknown-error")
}

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
    if ca {
        t!("probe-tls-self-signed-ca")
    } else {
        t!("probe-tls-self-signed")
    }
}

fn certificate_words(c: &CertificateError) -> String {
    use CertificateError as C;
    match c {
        C::BadEncoding => {
            t!("probe-tls-certificate-chain-malformed-cannot-read")
        }
        C::Expired => t!("probe-tls-certificate-has-expired-renew-reload"),
        C::ExpiredContext { time, not_after } => expired_words(time, not_after),
        C::NotValidYet => {
            t!("probe-tls-certificate-not-valid-yet-check")
        }
        C::NotValidYetContext { time, not_before } => not_yet_valid_words(time, not_before),
        C::Revoked => t!("probe-tls-certificate-has-been-revoked-ca"),
        C::UnhandledCriticalExtension => t!("probe-tls-critical-extension"),
        C::UnknownIssuer => t!("probe-tls-unknown-issuer"),
        C::UnknownRevocationStatus => {
            t!("probe-tls-revocation-status-certificate-chain-unknown")
        }
        C::ExpiredRevocationList | C::ExpiredRevocationListContext { .. } => {
            t!("probe-tls-revocation-list-used-check-certificate")
        }
        C::BadSignature => t!("probe-tls-bad-signature"),
        #[allow(deprecated)]
        C::UnsupportedSignatureAlgorithm
        | C::UnsupportedSignatureAlgorithmContext { .. }
        | C::UnsupportedSignatureAlgorithmForPublicKeyContext { .. } => weak_algorithm(),
        C::NotValidForName => {
            t!("probe-tls-certificate-not-valid-name-connect")
        }
        C::NotValidForNameContext {
            expected,
            presented,
        } => not_valid_for_name_words(&expected.to_str(), presented),
        C::InvalidPurpose => t!("probe-tls-wrong-purpose"),
        C::InvalidPurposeContext {
            required,
            presented,
        } if presented.is_empty() => t!(
            "probe-tls-purpose-allows-nothing",
            required = purpose_words(required)
        ),
        C::InvalidPurposeContext {
            required,
            presented,
        } => t!(
            "probe-tls-purpose-allows",
            required = purpose_words(required),
            allowed = presented
                .iter()
                .map(purpose_words)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        C::InvalidOcspResponse => {
            t!("probe-tls-server-s-stapled-ocsp-response")
        }
        C::ApplicationVerificationFailure => {
            t!("probe-tls-certificate-was-refused-extra-check")
        }
        C::Other(o) => other_words(o, unknown_certificate),
        _ => unknown_certificate(),
    }
}

fn weak_algorithm() -> String {
    t!("probe-tls-weak-algorithm")
}

fn unknown_certificate() -> String {
    t!("probe-tls-unknown-certificate")
}

fn expired_words(time: &UnixTime, not_after: &UnixTime) -> String {
    t!(
        "probe-tls-expired-on",
        date = unix_rfc3339(not_after),
        now = unix_rfc3339(time)
    )
}

fn not_yet_valid_words(time: &UnixTime, not_before: &UnixTime) -> String {
    t!(
        "probe-tls-not-valid-before",
        date = unix_rfc3339(not_before),
        now = unix_rfc3339(time)
    )
}

fn not_valid_for_name_words(expected: &str, presented: &[String]) -> String {
    let names = if presented.is_empty() {
        t!("probe-tls-no-san")
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
    t!(
        "probe-tls-not-valid-for-name-lists",
        name = sanitize(expected.as_bytes()),
        names = names
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
        t!("probe-tls-name-uri", uri = uri)
    } else if p == "DirectoryName" {
        t!("probe-tls-directory-name")
    } else {
        t!("probe-tls-name-type-client-does-not")
    }
}

fn purpose_words(p: &ExtendedKeyPurpose) -> String {
    match p {
        ExtendedKeyPurpose::ServerAuth => t!("probe-tls-tls-server-authentication"),
        ExtendedKeyPurpose::ClientAuth => t!("probe-tls-tls-client-authentication"),
        ExtendedKeyPurpose::Other(oid) => t!(
            "probe-tls-purpose-oid",
            oid = oid
                .iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(".")
        ),
    }
}

/// Words for an error carried in `Other`: WebPKI's errors are named, any
/// other gets the generic sentence `unknown`.
fn other_words(o: &OtherError, unknown: fn() -> String) -> String {
    match o.0.downcast_ref::<webpki::Error>() {
        Some(w) => webpki_words(w),
        None => unknown(),
    }
}

/// Every WebPKI certificate error in words, with what to do.
#[allow(deprecated)]
fn webpki_words(w: &webpki::Error) -> String {
    use webpki::Error as W;
    match w {
        W::BadDer | W::BadDerTime | W::TrailingData(_) => {
            t!("probe-tls-certificate-chain-malformed-cannot-read")
        }
        W::CaUsedAsEndEntity => {
            t!("probe-tls-server-s-certificate-ca-certificate")
        }
        W::CertDistrusted => {
            t!("probe-tls-certificate-s-ca-distrusted-client")
        }
        W::CertExpired { time, not_after } => expired_words(time, not_after),
        W::CertNotValidForName(cx) => {
            not_valid_for_name_words(&cx.expected.to_str(), &cx.presented)
        }
        W::CertNotValidYet { time, not_before } => not_yet_valid_words(time, not_before),
        W::CertRevoked => t!("probe-tls-certificate-has-been-revoked-ca"),
        W::CrlExpired { .. } => {
            t!("probe-tls-revocation-list-used-check-certificate")
        }
        W::EmptyEkuExtension => {
            t!("probe-tls-certificate-s-extended-key-usage")
        }
        W::EndEntityUsedAsCa => {
            t!("probe-tls-certificate-issued-another-one-chain")
        }
        W::ExtensionValueInvalid | W::MalformedExtensions => {
            t!("probe-tls-certificate-chain-has-malformed-extension")
        }
        W::InvalidCertValidity => {
            t!("probe-tls-certificate-chain-has-invalid-validity")
        }
        W::InvalidNetworkMaskConstraint
        | W::MalformedNameConstraint
        | W::NameConstraintViolation => {
            t!("probe-tls-certificate-s-names-are-outside")
        }
        W::InvalidSerialNumber => {
            t!("probe-tls-certificate-chain-has-invalid-serial")
        }
        W::InvalidSignatureForPublicKey => t!("probe-tls-bad-signature"),
        W::MalformedDnsIdentifier => {
            t!("probe-tls-certificate-lists-malformed-dns-name")
        }
        W::MaximumNameConstraintComparisonsExceeded
        | W::MaximumPathBuildCallsExceeded
        | W::MaximumPathDepthExceeded
        | W::MaximumSignatureChecksExceeded => {
            t!("probe-tls-chain-too-long-too-tangled")
        }
        W::PathLenConstraintViolated => {
            t!("probe-tls-chain-has-more-intermediate-cas")
        }
        W::RequiredEkuNotFound | W::RequiredEkuNotFoundContext(_) => t!("probe-tls-wrong-purpose"),
        W::SignatureAlgorithmMismatch => {
            t!("probe-tls-certificate-chain-names-two-different")
        }
        W::UnknownIssuer => t!("probe-tls-unknown-issuer"),
        W::UnknownRevocationStatus => {
            t!("probe-tls-revocation-status-certificate-chain-unknown")
        }
        W::UnsupportedCertVersion => {
            t!("probe-tls-certificate-chain-not-x-509")
        }
        W::UnsupportedCriticalExtension => t!("probe-tls-critical-extension"),
        W::UnsupportedNameType => {
            t!("probe-tls-certificate-uses-kind-name-client")
        }
        W::UnsupportedSignatureAlgorithm
        | W::UnsupportedSignatureAlgorithmContext(_)
        | W::UnsupportedSignatureAlgorithmForPublicKey
        | W::UnsupportedSignatureAlgorithmForPublicKeyContext(_) => weak_algorithm(),
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
            t!("probe-tls-certificate-revocation-list-could-not")
        }
        _ => unknown_certificate(),
    }
}

fn crl_words(_: &CertRevocationListError) -> String {
    t!("probe-tls-certificate-revocation-list-unusable-malformed")
}

fn ech_words(e: &EncryptedClientHelloError) -> String {
    match e {
        EncryptedClientHelloError::SniRequired => {
            t!("probe-tls-encrypted-client-hello-needs-server")
        }
        _ => t!("probe-tls-encrypted-client-hello-configuration-unusable"),
    }
}

fn peer_incompatible_words(p: &PeerIncompatible) -> String {
    use PeerIncompatible as P;
    match p {
        P::ServerDoesNotSupportTls12Or13 | P::ServerTlsVersionIsDisabledByOurConfig => {
            t!("probe-tls-no-tls-version-common-server-2")
        }
        P::NoCipherSuitesInCommon => {
            t!("probe-tls-no-cipher-suite-common-server")
        }
        P::NoKxGroupsInCommon => {
            t!("probe-tls-no-key-exchange-group-common")
        }
        P::NoSignatureSchemesInCommon => {
            t!("probe-tls-no-signature-scheme-common-server")
        }
        P::ExtendedMasterSecretExtensionRequired => {
            t!("probe-tls-server-s-tls-1-2")
        }
        P::EcPointsExtensionRequired
        | P::NoEcPointFormatsInCommon
        | P::UncompressedEcPointsRequired => {
            t!("probe-tls-server-s-elliptic-curve-point")
        }
        P::NullCompressionRequired => {
            t!("probe-tls-server-insists-tls-compression-which")
        }
        P::IncorrectCertificateTypeExtension | P::UnsolicitedCertificateTypeExtension => {
            t!("probe-tls-server-offered-kind-certificate-client")
        }
        P::NoCertificateRequestSignatureSchemesInCommon => {
            t!("probe-tls-server-asked-client-certificate-signature")
        }
        P::Tls12NotOffered | P::Tls12NotOfferedOrEnabled => {
            t!("probe-tls-server-wants-tls-1-2")
        }
        P::ServerRejectedEncryptedClientHello(_) => {
            t!("probe-tls-server-rejected-encrypted-client-hello")
        }
        _ => t!("probe-tls-server-s-tls-messages-lack"),
    }
}

fn peer_misbehaved_words(p: &PeerMisbehaved) -> String {
    use PeerMisbehaved as P;
    match p {
        P::AttemptedDowngradeToTls12WhenTls13IsSupported => {
            t!("probe-tls-negotiated-tls-1-2-although")
        }
        P::IllegalMiddleboxChangeCipherSpec => t!("probe-tls-sent-stray-changecipherspec-message"),
        P::SignedKxWithWrongAlgorithm | P::SignedHandshakeWithUnadvertisedSigScheme => {
            t!("probe-tls-signed-handshake-algorithm-client-did")
        }
        P::InvalidKeyShare | P::MissingKeyShare | P::WrongGroupForKeyShare => {
            t!("probe-tls-key-exchange-missing-malformed")
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
            t!("probe-tls-chose-setting-client-did-not")
        }
        P::TooManyEmptyFragments
        | P::TooManyKeyUpdateRequests
        | P::TooManyRenegotiationRequests
        | P::TooManyWarningAlertsReceived
        | P::TooMuchEarlyDataReceived => t!("probe-tls-sent-far-more-messages-one"),
        P::IllegalHelloRetryRequestWithEmptyCookie
        | P::IllegalHelloRetryRequestWithNoChanges
        | P::IllegalHelloRetryRequestWithOfferedGroup
        | P::IllegalHelloRetryRequestWithUnofferedCipherSuite
        | P::IllegalHelloRetryRequestWithUnofferedNamedGroup
        | P::IllegalHelloRetryRequestWithUnsupportedVersion
        | P::IllegalHelloRetryRequestWithWrongSessionId
        | P::IllegalHelloRetryRequestWithInvalidEch => {
            t!("probe-tls-sent-invalid-helloretryrequest")
        }
        P::BadCertChainExtensions | P::InvalidCertCompression => {
            t!("probe-tls-certificate-message-malformed")
        }
        _ => t!("probe-tls-sent-tls-messages-extensions-are"),
    }
}

fn invalid_message_words(m: &InvalidMessage) -> String {
    use InvalidMessage as M;
    match m {
        M::CertificatePayloadTooLarge => t!("probe-tls-certificate-chain-too-large-accept"),
        M::HandshakePayloadTooLarge | M::MessageTooLarge => {
            t!("probe-tls-message-too-large-accept")
        }
        M::MessageTooShort | M::MissingData(_) | M::TrailingData(_) => {
            t!("probe-tls-message-truncated-has-extra-bytes")
        }
        M::InvalidContentType => t!("probe-tls-record-unknown-type"),
        M::UnknownProtocolVersion => t!("probe-tls-unknown-protocol-version"),
        M::UnexpectedMessage(_) => t!("probe-tls-message-out-order"),
        M::UnsupportedCompression => t!("probe-tls-unsupported-compression-method"),
        M::UnsupportedCurveType
        | M::UnsupportedKeyExchangeAlgorithm(_)
        | M::InvalidDhParams
        | M::MissingKeyExchange => t!("probe-tls-key-exchange-parameters-client-cannot"),
        M::NoSignatureSchemes => t!("probe-tls-no-signature-schemes"),
        M::DuplicateExtension(_) => t!("probe-tls-extension-twice"),
        M::IllegalEmptyList(_) | M::IllegalEmptyValue | M::InvalidEmptyPayload => {
            t!("probe-tls-empty-field-where-value-required")
        }
        _ => t!("probe-tls-message-client-cannot-parse"),
    }
}

/// `ApplicationData` → `application data`; unknown types by number.
fn content_type_words(t: ContentType) -> String {
    match t.as_str() {
        Some(name) => spaced(name),
        None => t!("probe-tls-type-number", number = u8::from(t)),
    }
}

/// `ServerHello` → `server hello`; unknown types by number.
fn handshake_type_words(t: HandshakeType) -> String {
    match t.as_str() {
        Some(name) => spaced(name),
        None => t!("probe-tls-type-number", number = u8::from(t)),
    }
}

/// A CamelCase name as lower-case words in English (`server hello`); other
/// languages keep the protocol's own name (`ServerHello`), which is how the
/// trade names TLS messages there.
fn spaced(name: &str) -> String {
    if crate::i18n::current() != crate::i18n::Lang::En {
        return name.to_string();
    }
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
        [] => t!("probe-tls-something-else"),
        [one] => t!("probe-tls-a-message", kind = one),
        [init @ .., last] => t!(
            "probe-tls-a-or-message",
            kinds = init.join(", "),
            last = last
        ),
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
    let ms = after.as_millis() as u64;
    if answered {
        t!("probe-tls-timeout-slow", ms = ms)
    } else {
        t!("probe-tls-timeout-silent", ms = ms)
    }
}
