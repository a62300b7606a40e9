//! The mail client settings that work now, from the endpoints that worked
//! with a trusted certificate chain: the server name the certificate is
//! valid for, the port, the connection security and the authentication in
//! the clients' own words.

use super::{ClientSecurity, ClientSetting};
use crate::i18n::t;
use crate::model::{Check, CheckId, Security, Status};
use crate::pop3::auth::Mechanism;
use crate::probe::outcome::{Greeting, LegOutcome, Outcome, Stls, TlsSession};
use crate::target::Target;

/// The stable authentication value (JSON `auth`, docs/json.md) for a
/// mechanism; [`auth_words`] says it in the current language.
pub(super) fn auth_value(m: Mechanism) -> &'static str {
    match m {
        Mechanism::User | Mechanism::Plain | Mechanism::Login => NORMAL_PASSWORD,
        Mechanism::CramMd5 | Mechanism::Apop => ENCRYPTED_PASSWORD,
        Mechanism::XOauth2 | Mechanism::OauthBearer => OAUTH2,
    }
}

const NORMAL_PASSWORD: &str = "normal password";
const ENCRYPTED_PASSWORD: &str = "encrypted password";
const OAUTH2: &str = "OAuth2";

/// A setting's authentication (`normal password`, `encrypted password`,
/// `OAuth2`) as the mail clients of the current language label it
/// (Thunderbird fr: « Mot de passe normal »). Other values are shown as
/// they are.
pub fn auth_words(auth: &str) -> String {
    match auth {
        NORMAL_PASSWORD => t!("diagnosis-auth-normal-password"),
        ENCRYPTED_PASSWORD => t!("diagnosis-auth-encrypted-password"),
        other => other.to_string(),
    }
}

/// Connection security as the mail clients of the current language label
/// it, for a sentence (French quotes the labels and adds Outlook's).
pub(super) fn security_words(security: ClientSecurity) -> String {
    match security {
        ClientSecurity::SslTls => t!("diagnosis-security-ssl-tls"),
        ClientSecurity::Starttls => t!("diagnosis-security-starttls"),
        ClientSecurity::None => t!("diagnosis-security-none"),
    }
}

/// Authentication from the methods the endpoint offers inside TLS.
fn offered_auth(leg: &LegOutcome) -> String {
    let capa = leg
        .capa_tls
        .as_ref()
        .or(leg.capa_plain.as_ref())
        .map(|c| &c.0);
    let sasl = capa.map(|c| c.sasl()).unwrap_or_default();
    let has = |m: &str| sasl.iter().any(|s| s == m);
    let user = capa.is_some_and(|c| c.has("USER"));
    let apop = matches!(leg.greeting, Some((Greeting::Ok { apop: true, .. }, _)));
    let listed = capa.and_then(|c| c.lines()).is_some();
    if user || has("PLAIN") || has("LOGIN") || !listed {
        NORMAL_PASSWORD.into()
    } else if has("CRAM-MD5") || apop {
        ENCRYPTED_PASSWORD.into()
    } else if has("XOAUTH2") || has("OAUTHBEARER") {
        OAUTH2.into()
    } else {
        NORMAL_PASSWORD.into()
    }
}

/// A DNS name the certificate is valid for (no wildcard, no IP address).
fn cert_dns_name(s: &TlsSession) -> Option<String> {
    s.name.as_ref().and_then(|n| {
        n.names
            .iter()
            .find(|x| !x.starts_with('*') && x.parse::<std::net::IpAddr>().is_err())
            .cloned()
    })
}

/// One setting per working, trusted endpoint port (implicit TLS first).
pub(super) fn working(target: &Target, outcome: &Outcome, checks: &[Check]) -> Vec<ClientSetting> {
    let typed = outcome
        .dns
        .host
        .clone()
        .unwrap_or_else(|| target.host.to_string());
    let login = outcome
        .dialogue
        .as_ref()
        .and_then(|d| d.outcome.as_ref())
        .and_then(|o| o.login_result.as_ref());
    let mut out: Vec<ClientSetting> = Vec::new();
    for leg in &outcome.legs {
        let Some(Ok(session)) = &leg.tls else {
            continue;
        };
        if !leg.works_with_tls() {
            continue;
        }
        let ep = leg.label();
        // The problems on this endpoint: only a wrong name may remain, and
        // only when the certificate names another host (a failed login says
        // nothing against the endpoint).
        let failing: Vec<CheckId> = checks
            .iter()
            .filter(|c| c.endpoint.as_deref() == Some(ep.as_str()))
            .filter(|c| {
                !matches!(
                    c.id,
                    CheckId::AuthLogin | CheckId::Pop3Dialogue | CheckId::Pop3Step(_)
                )
            })
            .filter(|c| c.status == Status::Fail)
            .map(|c| c.id)
            .collect();
        let (host, note) = match (failing.as_slice(), &session.name) {
            ([], Some(n)) if n.valid => (n.name.clone(), None),
            ([], _) if session.verify_error.is_none() => (typed.clone(), None),
            ([CheckId::TlsHostname], Some(n)) => {
                // A certificate name that resolves to this very address
                // (looked up by the probe) is the one to use; otherwise the
                // first DNS name, with the caveat.
                let same = n
                    .alternatives
                    .iter()
                    .find(|(_, same)| *same)
                    .map(|(name, _)| name.clone());
                match (same, cert_dns_name(session)) {
                    (Some(other), _) => (
                        other.clone(),
                        Some(t!(
                            "diagnosis-note-same-address",
                            name = &n.name,
                            other = &other
                        )),
                    ),
                    (None, Some(other)) => (
                        other.clone(),
                        Some(t!(
                            "diagnosis-note-unconfirmed",
                            name = &n.name,
                            other = &other
                        )),
                    ),
                    (None, None) => continue,
                }
            }
            _ => continue,
        };
        let security = match (leg.security, &leg.stls) {
            (Security::ImplicitTls, _) => ClientSecurity::SslTls,
            (_, Some((Stls::Accepted { .. }, _))) => ClientSecurity::Starttls,
            _ => continue,
        };
        if out
            .iter()
            .any(|s| s.port == leg.addr.port() && s.security == security)
        {
            continue;
        }
        let (auth, user) = match login {
            Some(l) if l.ok() => (
                l.mechanism
                    .map(auth_value)
                    .unwrap_or(NORMAL_PASSWORD)
                    .to_string(),
                Some(l.user.clone()),
            ),
            Some(l) if !l.user.is_empty() => (offered_auth(leg), Some(l.user.clone())),
            _ => (offered_auth(leg), target.user.clone()),
        };
        out.push(ClientSetting {
            host,
            port: leg.addr.port(),
            security,
            auth,
            user,
            note,
        });
    }
    out.sort_by_key(|s| s.security != ClientSecurity::SslTls);
    out
}
