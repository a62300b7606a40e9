//! The [`RecordingVerifier`]: rustls' WebPKI verifier wrapped so that it
//! records the chain the server presents and the verdict, then lets the
//! handshake go on, so one run can report every problem.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, SignatureScheme};

use crate::probe::certs;

/// What the recording verifier saw.
#[derive(Debug, Default)]
pub(super) struct Seen {
    /// The chain the server presented, leaf first.
    pub(super) chain: Vec<CertificateDer<'static>>,
    /// Why the chain is not trusted (`None`: trusted for the name).
    pub(super) verify_error: Option<rustls::Error>,
}

/// Wraps the WebPKI verifier: records the chain and its verdict, then
/// accepts it so the handshake can continue and be inspected. Handshake
/// signatures are verified normally.
///
/// One exception to WebPKI's verdict: a server certificate marked CA:TRUE
/// (what `openssl req -x509` makes by default) is refused by WebPKI as a
/// server certificate even when it is a trust anchor. When the user gave
/// exactly that certificate in the CA file, it is pinned: it counts as
/// trusted once its validity period and name check out, as it would in a
/// mail client with an exception for it.
#[derive(Debug)]
pub(super) struct RecordingVerifier {
    /// rustls' WebPKI verifier with the run's trust anchors.
    pub(super) inner: Arc<WebPkiServerVerifier>,
    /// The certificates of the CA file, byte for byte.
    pub(super) pinned: Arc<[CertificateDer<'static>]>,
    /// Where the chain and verdict are left for the handshake.
    pub(super) seen: Arc<Mutex<Option<Seen>>>,
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
        let result = match self.inner.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        ) {
            Ok(_) => Ok(()),
            Err(e)
                if is_ca_used_as_end_entity(&e)
                    && self
                        .pinned
                        .iter()
                        .any(|p| p.as_ref() == end_entity.as_ref()) =>
            {
                verify_pinned(end_entity, server_name, now)
            }
            Err(e) => Err(e),
        };
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

/// Whether `e` is WebPKI's "CA certificate used as end entity".
pub(super) fn is_ca_used_as_end_entity(e: &rustls::Error) -> bool {
    matches!(
        e,
        rustls::Error::InvalidCertificate(CertificateError::Other(o))
            if matches!(o.0.downcast_ref::<webpki::Error>(), Some(webpki::Error::CaUsedAsEndEntity))
    )
}

/// The checks WebPKI skipped for a pinned CA:TRUE server certificate: its
/// validity period at `now` and its names (subjectAltName, as WebPKI checks
/// them).
fn verify_pinned(
    der: &CertificateDer<'_>,
    server_name: &ServerName<'_>,
    now: UnixTime,
) -> Result<(), rustls::Error> {
    let bad = || rustls::Error::InvalidCertificate(CertificateError::BadEncoding);
    let validity = certs::validity(der).map_err(|_| bad())?;
    let unix = |t: time::OffsetDateTime| {
        UnixTime::since_unix_epoch(Duration::from_secs(
            u64::try_from(t.unix_timestamp()).unwrap_or(0),
        ))
    };
    let (not_before, not_after) = (unix(validity.not_before), unix(validity.not_after));
    if now.as_secs() > not_after.as_secs() {
        return Err(CertificateError::ExpiredContext {
            time: now,
            not_after,
        }
        .into());
    }
    if now.as_secs() < not_before.as_secs() {
        return Err(CertificateError::NotValidYetContext {
            time: now,
            not_before,
        }
        .into());
    }
    let cert = webpki::EndEntityCert::try_from(der).map_err(|_| bad())?;
    cert.verify_is_valid_for_subject_name(server_name)
        .map_err(|e| match e {
            webpki::Error::CertNotValidForName(cx) => CertificateError::NotValidForNameContext {
                expected: cx.expected,
                presented: cx.presented,
            }
            .into(),
            _ => CertificateError::NotValidForName.into(),
        })
}
