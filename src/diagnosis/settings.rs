//! The mail client settings that work now, from the endpoints that worked.

use super::{ClientSecurity, ClientSetting};
use crate::model::{Check, Security};
use crate::probe::outcome::{Outcome, Stls};
use crate::target::Target;

/// One setting per working, trusted endpoint port (implicit TLS first).
pub(super) fn working(target: &Target, outcome: &Outcome, _checks: &[Check]) -> Vec<ClientSetting> {
    let host = outcome
        .dns
        .host
        .clone()
        .unwrap_or_else(|| target.host.to_string());
    let mut out: Vec<ClientSetting> = Vec::new();
    for leg in &outcome.legs {
        let trusted = matches!(&leg.tls, Some(Ok(t)) if t.verify_error.is_none());
        if !(leg.works_with_tls() && trusted) {
            continue;
        }
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
        out.push(ClientSetting {
            host: host.clone(),
            port: leg.addr.port(),
            security,
            auth: "normal password".into(),
            user: target.user.clone(),
            note: None,
        });
    }
    out.sort_by_key(|s| s.security != ClientSecurity::SslTls);
    out
}
