//! The diagnosis: from the outcome and its checks to what a help-desk
//! technician says on the phone — the root causes (top one first), the mail
//! client settings that work now, and what to change in the client and on
//! the server. Pure functions, like the checks (docs/diagnosis.md).

mod causes;
mod fixes;
pub mod server;
mod settings;

use serde::Serialize;

use crate::model::{Check, CheckId, Status};
use crate::probe::outcome::Outcome;
use crate::target::Target;

pub use causes::{describe_setting, fingerprint};
pub use server::{ServerInfo, evidence_words};
pub use settings::auth_words;

/// A root cause's stable id (docs/diagnosis.md), serialised as its dotted
/// name (`cert.self-signed`). Variants are ordered by how much they block
/// the user: the first cause found in this order is the top cause.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CauseId {
    /// `dns.no-such-host`: the server name does not exist or has no address.
    DnsNoSuchHost,
    /// `dns.failure`: the DNS could not answer (SERVFAIL, REFUSED, timeout).
    DnsFailure,
    /// `network.unreachable`: no route to the server's addresses.
    NetworkUnreachable,
    /// `network.filtered`: connections time out (a firewall drops them).
    NetworkFiltered,
    /// `service.down`: nothing listens on the POP3 ports.
    ServiceDown,
    /// `ports.swapped`: TLS on the plain port and plain POP3 on the TLS port.
    PortsSwapped,
    /// `ports.plain-on-tls`: the TLS port speaks plain POP3 (the plain port
    /// is fine or closed).
    PlainOnTlsPort,
    /// `ports.tls-on-plain`: the plain port speaks TLS, not plain POP3.
    TlsOnPlainPort,
    /// `service.not-pop3`: another protocol answers (SMTP, FTP, HTTP, ...).
    ServiceNotPop3,
    /// `service.silent`: the server accepts the connection and says nothing.
    ServiceSilent,
    /// `service.broken`: the greeting or CAPA exchange breaks.
    ServiceBroken,
    /// `tls.legacy-only`: the server speaks only TLS 1.0/1.1.
    TlsLegacyOnly,
    /// `tls.weak-key`: the certificate's key is too weak for modern clients.
    TlsWeakKey,
    /// `tls.handshake-failed`: the TLS handshake fails for another reason.
    TlsHandshakeFailed,
    /// `cert.expired`: the certificate has expired.
    CertExpired,
    /// `cert.not-yet-valid`: the certificate is not valid yet.
    CertNotYetValid,
    /// `cert.self-signed`: a self-signed certificate.
    CertSelfSigned,
    /// `cert.untrusted-issuer`: the chain ends at an untrusted CA.
    CertUntrustedIssuer,
    /// `cert.missing-intermediate`: the server does not send its intermediate.
    CertMissingIntermediate,
    /// `cert.wrong-name`: the certificate is for another name.
    CertWrongName,
    /// `stls.missing`: no STLS on the plain port and no working TLS port.
    StlsMissing,
    /// `stls.injection`: the STARTTLS command-injection flaw.
    StlsInjection,
    /// `auth.cleartext-exposed`: a password could travel unencrypted.
    AuthCleartextExposed,
    /// `auth.rejected`: the server refused the credentials.
    AuthRejected,
    /// `auth.locked`: the mailbox is in use (`[IN-USE]`).
    AuthLocked,
    /// `auth.login-delay`: the server enforces a delay between logins.
    AuthLoginDelay,
    /// `auth.failed`: the login failed for another reason.
    AuthFailed,
    /// `dialogue.failed`: a command of the replayed profile failed.
    DialogueFailed,
    /// `cert.expiring`: the certificate expires soon.
    CertExpiring,
    /// `tls.old-version`: TLS works but only with an old version or cipher.
    TlsOldVersion,
    /// `server.slow`: the greeting is slow.
    ServerSlow,
    /// `dns.dangling`: an MX or SRV record names a host without address.
    DnsDangling,
    /// `capa.problem`: CAPA is missing, cut or inconsistent.
    CapaProblem,
    /// `address.partial`: one address of the server fails, another works.
    AddressPartial,
    /// `run.incomplete`: the run hit its deadline or was interrupted.
    RunIncomplete,
    /// `other`: a problem no cause of the catalogue explains (its check's
    /// summary and remedy are used).
    Other,
}

impl CauseId {
    /// The stable dotted name.
    pub fn as_str(self) -> &'static str {
        match self {
            CauseId::DnsNoSuchHost => "dns.no-such-host",
            CauseId::DnsFailure => "dns.failure",
            CauseId::NetworkUnreachable => "network.unreachable",
            CauseId::NetworkFiltered => "network.filtered",
            CauseId::ServiceDown => "service.down",
            CauseId::PortsSwapped => "ports.swapped",
            CauseId::PlainOnTlsPort => "ports.plain-on-tls",
            CauseId::TlsOnPlainPort => "ports.tls-on-plain",
            CauseId::ServiceNotPop3 => "service.not-pop3",
            CauseId::ServiceSilent => "service.silent",
            CauseId::ServiceBroken => "service.broken",
            CauseId::TlsLegacyOnly => "tls.legacy-only",
            CauseId::TlsWeakKey => "tls.weak-key",
            CauseId::TlsHandshakeFailed => "tls.handshake-failed",
            CauseId::CertExpired => "cert.expired",
            CauseId::CertNotYetValid => "cert.not-yet-valid",
            CauseId::CertSelfSigned => "cert.self-signed",
            CauseId::CertUntrustedIssuer => "cert.untrusted-issuer",
            CauseId::CertMissingIntermediate => "cert.missing-intermediate",
            CauseId::CertWrongName => "cert.wrong-name",
            CauseId::StlsMissing => "stls.missing",
            CauseId::StlsInjection => "stls.injection",
            CauseId::AuthCleartextExposed => "auth.cleartext-exposed",
            CauseId::AuthRejected => "auth.rejected",
            CauseId::AuthLocked => "auth.locked",
            CauseId::AuthLoginDelay => "auth.login-delay",
            CauseId::AuthFailed => "auth.failed",
            CauseId::DialogueFailed => "dialogue.failed",
            CauseId::CertExpiring => "cert.expiring",
            CauseId::TlsOldVersion => "tls.old-version",
            CauseId::ServerSlow => "server.slow",
            CauseId::DnsDangling => "dns.dangling",
            CauseId::CapaProblem => "capa.problem",
            CauseId::AddressPartial => "address.partial",
            CauseId::RunIncomplete => "run.incomplete",
            CauseId::Other => "other",
        }
    }

    /// Every cause id, in blocking order.
    pub const ALL: [CauseId; 36] = [
        CauseId::DnsNoSuchHost,
        CauseId::DnsFailure,
        CauseId::NetworkUnreachable,
        CauseId::NetworkFiltered,
        CauseId::ServiceDown,
        CauseId::PortsSwapped,
        CauseId::PlainOnTlsPort,
        CauseId::TlsOnPlainPort,
        CauseId::ServiceNotPop3,
        CauseId::ServiceSilent,
        CauseId::ServiceBroken,
        CauseId::TlsLegacyOnly,
        CauseId::TlsWeakKey,
        CauseId::TlsHandshakeFailed,
        CauseId::CertExpired,
        CauseId::CertNotYetValid,
        CauseId::CertSelfSigned,
        CauseId::CertUntrustedIssuer,
        CauseId::CertMissingIntermediate,
        CauseId::CertWrongName,
        CauseId::StlsMissing,
        CauseId::StlsInjection,
        CauseId::AuthCleartextExposed,
        CauseId::AuthRejected,
        CauseId::AuthLocked,
        CauseId::AuthLoginDelay,
        CauseId::AuthFailed,
        CauseId::DialogueFailed,
        CauseId::CertExpiring,
        CauseId::TlsOldVersion,
        CauseId::ServerSlow,
        CauseId::DnsDangling,
        CauseId::CapaProblem,
        CauseId::AddressPartial,
        CauseId::RunIncomplete,
        CauseId::Other,
    ];
}

impl std::fmt::Display for CauseId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for CauseId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A check a cause explains: its id and endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckRef {
    /// The check id.
    pub id: CheckId,
    /// Its endpoint, or null for target-wide checks.
    pub endpoint: Option<String>,
}

impl CheckRef {
    /// The reference to `check`.
    pub fn to(check: &Check) -> CheckRef {
        CheckRef {
            id: check.id,
            endpoint: check.endpoint.clone(),
        }
    }
}

/// One root cause, explaining one or more checks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cause {
    /// Stable id.
    pub id: CauseId,
    /// `fail` (blocks mail) or `warn` (works, but should be fixed).
    pub status: Status,
    /// One sentence in plain words.
    pub summary: String,
    /// The checks this cause explains (each check is explained once).
    pub explains: Vec<CheckRef>,
    /// What the user can do in the mail client now (may be empty).
    pub client_fix: String,
    /// What the mail administrator must change on the server (specific to
    /// the server software when it was identified).
    pub server_fix: String,
}

/// Connection security in the mail clients' own words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ClientSecurity {
    /// Implicit TLS (port 995): "SSL/TLS" in Thunderbird, Outlook, phones.
    #[serde(rename = "SSL/TLS")]
    SslTls,
    /// STLS on the plain port: "STARTTLS".
    #[serde(rename = "STARTTLS")]
    Starttls,
    /// No encryption (only when the user allowed it).
    #[serde(rename = "none")]
    None,
}

/// Settings a user types into a mail client, from an endpoint that worked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClientSetting {
    /// Incoming server name (the name the certificate is valid for).
    pub host: String,
    /// Port.
    pub port: u16,
    /// Connection security.
    pub security: ClientSecurity,
    /// Authentication in the clients' words: `normal password`,
    /// `encrypted password`, `OAuth2`.
    pub auth: String,
    /// The user name form, when a login was tried.
    pub user: Option<String>,
    /// Why this host or setting, when it differs from what was typed.
    pub note: Option<String>,
}

/// The whole diagnosis (JSON `diagnosis`, docs/json.md).
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Diagnosis {
    /// Root causes, the most blocking first.
    pub causes: Vec<Cause>,
    /// Client settings that work now (empty when nothing works).
    pub client_settings: Vec<ClientSetting>,
    /// The server software, when identified.
    pub server: Option<ServerInfo>,
}

impl Diagnosis {
    /// The top cause, if anything is wrong.
    pub fn top(&self) -> Option<&Cause> {
        self.causes.first()
    }
}

/// What the diagnosis needs to know about the run's configuration (the
/// outcome does not say it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DiagnosisContext {
    /// The user chose the DNS server (`--dns-server`): do not suggest it.
    pub dns_server_given: bool,
}

/// Diagnoses an outcome from its checks.
pub fn diagnose(
    target: &Target,
    outcome: &Outcome,
    checks: &[Check],
    ctx: &DiagnosisContext,
) -> Diagnosis {
    let server = server::identify_outcome(outcome);
    let client_settings = settings::working(target, outcome, checks);
    let causes = causes::find(
        target,
        outcome,
        checks,
        server.as_ref(),
        &client_settings,
        ctx,
    );
    Diagnosis {
        causes,
        client_settings,
        server,
    }
}
