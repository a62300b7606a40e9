//! Chain diagnosis: [`diagnose_chain_for`] walks the chain a server
//! presented and, with rustls' verdict, tells apart self-signed, untrusted
//! private CA, missing intermediate, expired, not yet valid and wrong-name
//! certificates ([`ChainVerdict`], [`ChainProblem`]).

use std::fmt;

use rustls::CertificateError;
use rustls::pki_types::CertificateDer;
use time::OffsetDateTime;

use super::TlsSetup;
use super::error::{describe_verify_error, self_signed_words};
use super::verifier::is_ca_used_as_end_entity;
use crate::i18n::t;
use crate::probe::certs::{format_name, name_contents, name_match, parse};
use crate::timefmt::rfc3339;

/// The note for a server certificate marked CA:TRUE.
fn ca_leaf_note() -> String {
    t!("probe-chain-ca-leaf-note")
}

/// Whether `der` is self-issued (subject and issuer names equal); false
/// when it cannot be parsed.
pub(super) fn is_self_issued(der: &CertificateDer<'_>) -> bool {
    parse(der)
        .is_ok_and(|c| name_contents(c.issuer().as_raw()) == name_contents(c.subject().as_raw()))
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
            ChainProblem::UnknownIssuer { top_issuer } => {
                f.write_str(&t!("probe-chain-unknown-issuer", issuer = top_issuer))
            }
            ChainProblem::SelfSigned => f.write_str(&self_signed_words(false)),
            ChainProblem::MissingIntermediate { issuer } => {
                f.write_str(&t!("probe-chain-missing-intermediate", issuer = issuer))
            }
            ChainProblem::Expired => f.write_str(&t!("probe-chain-expired")),
            ChainProblem::NotYetValid => f.write_str(&t!("probe-chain-not-yet-valid")),
            ChainProblem::NotValidForName => f.write_str(&t!("probe-chain-not-valid-for-name")),
            ChainProblem::Revoked => f.write_str(&t!("probe-chain-revoked")),
            ChainProblem::BadSignature => f.write_str(&t!("probe-chain-bad-signature")),
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
            return t!("probe-chain-trusted");
        }
        match self.problems.first() {
            Some(p) => p.to_string(),
            None => t!("probe-chain-not-trusted"),
        }
    }
}

#[cfg(test)]
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
                .push(ChainProblem::Other(t!("probe-chain-no-certificate")));
        }
        return verdict;
    }
    let parsed: Vec<_> = chain.iter().map(|c| parse(c).ok()).collect();
    if parsed[0].is_none() {
        verdict.top = ChainTop::Unparsable;
        if !verdict.trusted {
            verdict
                .problems
                .push(ChainProblem::Other(t!("probe-chain-leaf-unparsable")));
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
        if now > na {
            verdict.notes.push(if cur == 0 {
                t!(
                    "probe-chain-leaf-expired-note",
                    subject = &subject_text,
                    date = rfc3339(na)
                )
            } else {
                t!(
                    "probe-chain-ca-expired-note",
                    subject = &subject_text,
                    date = rfc3339(na)
                )
            });
            push_unique(&mut time_problems, ChainProblem::Expired);
        } else if now < nb {
            verdict.notes.push(if cur == 0 {
                t!(
                    "probe-chain-leaf-not-yet-valid-note",
                    subject = &subject_text,
                    date = rfc3339(nb)
                )
            } else {
                t!(
                    "probe-chain-ca-not-yet-valid-note",
                    subject = &subject_text,
                    date = rfc3339(nb)
                )
            });
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
                    verdict.notes.push(t!("probe-chain-root-sent-note"));
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
                .unwrap_or_else(|| t!("probe-chain-unparsable-certificate"));
            verdict.notes.push(t!(
                "probe-chain-unused-note",
                index = i + 1,
                subject = &subject
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
    let ca_leaf = verify_error.is_some_and(is_ca_used_as_end_entity);
    let from_error = match verify_error {
        Some(err @ rustls::Error::InvalidCertificate(c)) => match c {
            C::UnknownIssuer => match &structural {
                Some(_) => None,
                None => Some(ChainProblem::Other(t!("probe-chain-impostor-ca"))),
            },
            C::Expired | C::ExpiredContext { .. } => Some(ChainProblem::Expired),
            C::NotValidYet | C::NotValidYetContext { .. } => Some(ChainProblem::NotYetValid),
            C::NotValidForName | C::NotValidForNameContext { .. } => {
                Some(ChainProblem::NotValidForName)
            }
            C::Revoked => Some(ChainProblem::Revoked),
            C::BadSignature => Some(ChainProblem::BadSignature),
            _ if ca_leaf => {
                // CA:TRUE on the server certificate: WebPKI stops there, so
                // a self-signed one is named by the structure
                verdict.notes.push(ca_leaf_note());
                match &structural {
                    Some(ChainProblem::SelfSigned) => None,
                    _ => Some(ChainProblem::Other(describe_verify_error(err))),
                }
            }
            _ => Some(ChainProblem::Other(describe_verify_error(err))),
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
            verdict.notes.push(if m.names.is_empty() {
                t!("probe-chain-valid-for-no-names-note")
            } else {
                t!("probe-chain-valid-for-note", names = m.names.join(", "))
            });
        }
    }
    verdict
}

fn push_unique(v: &mut Vec<ChainProblem>, p: ChainProblem) {
    if !v.contains(&p) {
        v.push(p);
    }
}
