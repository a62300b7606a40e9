//! Command-line interface (clap derive) and the conversion of raw flags into
//! the typed configuration ([`RunConfigBuilder`], [`LoginConfig`],
//! [`OutputConfig`]): no clap type travels past this module.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

use crate::config::{
    ConfigError, Family, LoginConfig, OutputConfig, RunConfig, RunConfigBuilder, parse_dns_server,
    parse_duration,
};
use crate::pop3::auth::{Mechanism, Secret};

/// POP3 diagnostics: why can't my mail client fetch my mail?
#[derive(Debug, Parser)]
#[command(name = "popscope", version, about, long_about = None)]
#[command(
    after_help = "Exit codes: 0 pass, 1 warning, 2 failure, 3 usage or internal error.\n\
Run `popscope check --help` for the diagnosis options."
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Language of everything popscope writes for people: en or fr (default: from LANGUAGE, LC_ALL, LC_MESSAGES, LANG).
    #[arg(long, global = true, value_name = "LANG", env = "POPSCOPE_LANG")]
    pub lang: Option<String>,
}

/// Translates the help of `cmd` into the current language: the about text
/// of each (sub)command from message `cli-<path>-about` and each argument's
/// help from `cli-<path>-<argument>`, where a message exists (`<path>` is
/// `popscope` for the top level, else the subcommand names joined by `-`).
pub fn localize(cmd: clap::Command) -> clap::Command {
    localize_at(cmd, "popscope")
}

fn localize_at(mut cmd: clap::Command, path: &str) -> clap::Command {
    use crate::i18n;
    let lang = i18n::current();
    let about = format!("cli-{path}-about");
    if i18n::has(lang, &about) {
        cmd = cmd.about(i18n::tr(&about, &[]));
    }
    let ids: Vec<String> = cmd
        .get_arguments()
        .map(|a| a.get_id().to_string())
        .collect();
    for id in ids {
        let key = format!("cli-{path}-{}", id.replace('_', "-"));
        if i18n::has(lang, &key) {
            let help = i18n::tr(&key, &[]);
            cmd = cmd.mut_arg(id, |a| a.help(help));
        }
    }
    if lang != i18n::Lang::En {
        cmd = localize_chrome(cmd, path);
    }
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in subs {
        let sub_path = if path == "popscope" {
            name.clone()
        } else {
            format!("{path}-{name}")
        };
        cmd = cmd.mut_subcommand(name, |s| localize_at(s, &sub_path));
    }
    cmd
}

/// The words clap writes itself, in a language other than English: the
/// usage heading (through the help template), the subcommands heading, the
/// help and version flags (replaced by equivalents with translated help),
/// and the after-help text.
fn localize_chrome(mut cmd: clap::Command, path: &str) -> clap::Command {
    use crate::i18n::{self, t};
    use clap::{Arg, ArgAction};
    cmd = cmd
        .help_template(format!(
            "{{before-help}}{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}",
            t!("cli-chrome-usage")
        ))
        .subcommand_help_heading(t!("cli-chrome-commands"))
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help(t!("cli-chrome-help")),
        );
    if path == "popscope" {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help(t!("cli-chrome-version")),
        );
    }
    let after = format!("cli-{path}-after-help");
    if i18n::has(i18n::current(), &after) {
        cmd = cmd.after_help(i18n::tr(&after, &[]));
    }
    cmd
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Diagnose a POP3 service: DNS, TCP, greeting, CAPA, STLS, implicit TLS, certificates.
    Check(CheckArgs),
    /// Run the built-in POP3 lab server with injectable faults (teaching, demos).
    Lab(LabArgs),
    /// Replay a scripted POP3 dialogue (a profile) against a server and judge each step.
    Replay(ReplayArgs),
    /// The live terminal interface (also what `popscope` alone opens on a terminal).
    Tui(TuiArgs),
    /// Start the lab in-process and diagnose it: the whole product in seconds, no network needed.
    Demo(DemoArgs),
    /// A Monitoring Plugins check for Nagios, Icinga, Naemon and Checkmk (docs/monitoring.md).
    Plugin(PluginArgs),
    /// Serve Prometheus metrics: /probe?target=HOST diagnoses a POP3 service per scrape.
    Serve(ServeArgs),
}

/// Authentication mechanism choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AuthArg {
    /// The strongest mechanism the server offers.
    Auto,
    /// USER/PASS (RFC 1939).
    User,
    /// APOP (RFC 1939; needs a timestamp in the greeting).
    Apop,
    /// SASL PLAIN (RFC 4616).
    Plain,
    /// SASL LOGIN.
    Login,
    /// SASL CRAM-MD5 (RFC 2195).
    CramMd5,
    /// SASL XOAUTH2 with a token (--token-env / --token-file).
    Xoauth2,
    /// SASL OAUTHBEARER (RFC 7628) with a token.
    Oauthbearer,
}

/// Login options. There is deliberately no flag that takes a password.
#[derive(Debug, Clone, Args)]
pub struct LoginArgs {
    /// User name to log in as (also taken from a user@domain target).
    #[arg(long, short = 'u', value_name = "NAME", env = "POPSCOPE_USER")]
    pub user: Option<String>,

    /// Name of the environment variable holding the password [default: POPSCOPE_PASSWORD].
    #[arg(long, value_name = "VAR")]
    pub password_env: Option<String>,

    /// File whose first line is the password.
    #[arg(long, value_name = "FILE")]
    pub password_file: Option<PathBuf>,

    /// Name of the environment variable holding an OAuth token (XOAUTH2/OAUTHBEARER) [default: POPSCOPE_TOKEN].
    #[arg(long, value_name = "VAR")]
    pub token_env: Option<String>,

    /// File whose first line is an OAuth token.
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,

    /// Authentication mechanism.
    #[arg(long = "auth", value_enum, value_name = "MECH")]
    pub auth: Option<AuthArg>,

    /// Allow sending credentials over an unencrypted connection (never the default).
    #[arg(long)]
    pub allow_cleartext_auth: bool,

    /// Allow DELE in dialogues (never the default: popscope is read-only).
    #[arg(long)]
    pub allow_delete: bool,

    /// Dialogue profile: a built-in name (basic, full-read, teaching, capabilities-only) or a TOML file.
    #[arg(long, value_name = "NAME|FILE")]
    pub profile: Option<String>,

    /// Most bytes of one response kept (larger ones are streamed, counted, and cut in the transcript).
    #[arg(long, value_name = "BYTES", default_value_t = 1_048_576)]
    pub max_bytes: u64,
}

/// `popscope replay`.
#[derive(Debug, Clone, Args)]
pub struct ReplayArgs {
    /// Profile: a built-in name or a TOML file.
    #[arg(value_name = "PROFILE", id = "replay_profile")]
    pub replay_profile: String,

    /// The server (same forms as `check`).
    #[arg(value_name = "TARGET")]
    pub target: String,

    /// Probing options.
    #[command(flatten)]
    pub probe: ProbeArgs,

    /// Login options.
    #[command(flatten)]
    pub login: LoginArgs,

    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `popscope tui`.
#[derive(Debug, Clone, Args)]
pub struct TuiArgs {
    /// The server to diagnose (omit to type it in the form).
    #[arg(value_name = "TARGET")]
    pub target: Option<String>,

    /// Probing options.
    #[command(flatten)]
    pub probe: ProbeArgs,

    /// Login options.
    #[command(flatten)]
    pub login: LoginArgs,
}

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Human-readable, colour-coded report.
    Text,
    /// One JSON object (schema popscope.report/v1, see docs/json.md); one target only.
    Json,
    /// One compact JSON report per line, per target, as each finishes (see docs/json.md).
    Jsonl,
}

/// When to use colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    /// Colour when writing to a terminal and NO_COLOR is not set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// Options shared by every command that probes a server.
#[derive(Debug, Clone, Args)]
pub struct ProbeArgs {
    /// DNS server to ask instead of the system resolver (IP or IP:PORT; repeatable).
    #[arg(
        long = "dns-server",
        value_name = "IP[:PORT]",
        env = "POPSCOPE_DNS_SERVER",
        value_delimiter = ','
    )]
    pub dns_servers: Vec<String>,

    /// Extra trust anchors (PEM file with one or more CA certificates).
    #[arg(long, value_name = "PEM", env = "POPSCOPE_CA_FILE")]
    pub ca_file: Option<PathBuf>,

    /// Name to verify in the certificate and send as SNI (useful for IP targets).
    #[arg(long, value_name = "NAME")]
    pub tls_name: Option<String>,

    /// Time limit for each network step (connect, each read, handshake), e.g. 10s, 500ms.
    #[arg(
        long,
        value_name = "DURATION",
        default_value = "10s",
        env = "POPSCOPE_TIMEOUT"
    )]
    pub timeout: String,

    /// Time limit for the whole run.
    #[arg(long, value_name = "DURATION", default_value = "60s")]
    pub deadline: String,

    /// Use IPv4 addresses only.
    #[arg(short = '4', long = "ipv4", conflicts_with = "ipv6")]
    pub ipv4: bool,

    /// Use IPv6 addresses only.
    #[arg(short = '6', long = "ipv6")]
    pub ipv6: bool,

    /// Warn when the certificate expires within this many days.
    #[arg(long, value_name = "DAYS", default_value_t = 14)]
    pub expiry_warn: u32,

    /// Warn when the greeting takes longer than this.
    #[arg(long, value_name = "DURATION", default_value = "2s")]
    pub slow: String,

    /// Plain POP3 port probed when the target names no port.
    #[arg(long, value_name = "PORT", default_value_t = 110)]
    pub plain_port: u16,

    /// Implicit-TLS POP3 port probed when the target names no port.
    #[arg(long, value_name = "PORT", default_value_t = 995)]
    pub tls_port: u16,
}

/// Options for output.
#[derive(Debug, Clone, Args)]
pub struct OutputArgs {
    /// Output JSON (same as --format json).
    #[arg(long)]
    pub json: bool,

    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Text)]
    pub format: FormatArg,

    /// Colour: auto honours NO_COLOR and only colours a terminal.
    #[arg(long, value_enum, default_value_t = ColorArg::Auto, env = "POPSCOPE_COLOR")]
    pub color: ColorArg,

    /// Leave the transcripts out of the text report.
    #[arg(long, conflicts_with = "transcript_only")]
    pub no_transcript: bool,

    /// Print only the transcripts (text report).
    #[arg(long)]
    pub transcript_only: bool,

    /// Explain each dialogue step and reply in the text report (default with the teaching profile).
    #[arg(long, overrides_with = "no_explain")]
    pub explain: bool,

    /// Leave the explanations out of the text report.
    #[arg(long, overrides_with = "explain")]
    pub no_explain: bool,
}

/// Default of `check --concurrency` (docs/monitoring.md explains the choice).
pub const DEFAULT_CONCURRENCY: u32 = 64;

/// `popscope check`.
#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// host, host:port, pop3://host[:port], pop3s://host[:port], IP literal, or user@domain (one or more).
    // The doc comment is the --help text, not Markdown.
    #[allow(rustdoc::broken_intra_doc_links)]
    #[arg(value_name = "TARGET", required_unless_present = "targets")]
    pub target: Vec<String>,

    /// File with one target per line (blank lines and # comments ignored; - reads standard input).
    #[arg(long, value_name = "FILE")]
    pub targets: Option<PathBuf>,

    /// Most targets diagnosed at the same time when several are given.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_CONCURRENCY, value_parser = clap::value_parser!(u32).range(1..=4096))]
    pub concurrency: u32,

    /// Probing options.
    #[command(flatten)]
    pub probe: ProbeArgs,

    /// Login options (with credentials, check also logs in and replays a read-only dialogue).
    #[command(flatten)]
    pub login: LoginArgs,

    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `popscope lab`.
#[derive(Debug, Clone, Args)]
pub struct LabArgs {
    /// Scenario to serve (repeatable, or `all`); see --list.
    #[arg(long, value_name = "NAME", default_value = "healthy")]
    pub scenario: Vec<String>,

    /// List every scenario with a one-line description.
    #[arg(long)]
    pub list: bool,

    /// Address to listen on.
    #[arg(long, value_name = "IP", default_value = "127.0.0.1")]
    pub listen: String,

    /// Plain POP3 port of the first scenario (0 picks a free port; further scenarios use the next ports).
    #[arg(long, value_name = "PORT", default_value_t = 0)]
    pub plain_port: u16,

    /// Implicit-TLS port of the first scenario (0 picks a free port).
    #[arg(long, value_name = "PORT", default_value_t = 0)]
    pub tls_port: u16,

    /// Directory of .eml files: files in it go to alice's mailbox, files in DIR/USER/ to that user.
    #[arg(long, value_name = "DIR")]
    pub mailbox_dir: Option<PathBuf>,

    /// Directory where the lab CA certificate is written.
    #[arg(long, value_name = "DIR")]
    pub ca_dir: Option<PathBuf>,

    /// Classroom mode: N student accounts etu01..etuNN (1 to 200), each with its own mailbox and password, scenarios drawn from --scenario; implies --blind and needs --roster.
    #[arg(long, value_name = "N")]
    pub classroom: Option<usize>,

    /// Seed of the classroom's scenario draw (the same seed gives the same scenarios); default: random.
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,

    /// Hand the --scenario list out in order (etu01 the first, etu02 the second, ...) instead of at random.
    #[arg(long, conflicts_with = "assign")]
    pub round_robin: bool,

    /// File of `account,scenario` lines fixing some students' scenarios (the others are drawn).
    #[arg(long, value_name = "FILE")]
    pub assign: Option<PathBuf>,

    /// Teacher's roster (CSV, mode 0600): student, account, password, host, ports, scenario, expected check.
    #[arg(long, value_name = "FILE")]
    pub roster: Option<PathBuf>,

    /// Directory for the students' sheets (one Markdown file per account, plus sheets.md with all of them).
    #[arg(long, value_name = "DIR")]
    pub sheets: Option<PathBuf>,

    /// Name (or address) students use for this machine: added to the certificates and used on the sheets (repeatable).
    #[arg(long, value_name = "NAME")]
    pub hostname: Vec<String>,

    /// Hide scenario names from greetings and listings (no EXPECTED CHECK column).
    #[arg(long)]
    pub blind: bool,

    /// Connections one client address may hold on each port (default 16; in classroom mode 4 per student, at least 16).
    #[arg(long, value_name = "N")]
    pub max_per_address: Option<usize>,
}

/// `popscope demo`.
#[derive(Debug, Clone, Args)]
pub struct DemoArgs {
    /// Lab scenario to diagnose.
    #[arg(long, value_name = "NAME", default_value = "healthy")]
    pub scenario: String,

    /// Output options.
    #[command(flatten)]
    pub output: OutputArgs,
}

/// `popscope plugin`: the Monitoring Plugins conventions (docs/monitoring.md).
#[derive(Debug, Clone, Args)]
pub struct PluginArgs {
    /// Server host name or IP address.
    #[arg(short = 'H', long = "hostname", value_name = "HOST")]
    pub hostname: String,

    /// Probe only this port (implicit TLS with -S or when PORT is 995; else plain POP3 with STLS).
    #[arg(short = 'p', long = "port", value_name = "PORT")]
    pub port: Option<u16>,

    /// Implicit TLS (POP3S) only: on -p PORT, else on --tls-port.
    #[arg(short = 'S', long = "ssl")]
    pub ssl: bool,

    /// Plain POP3 port when neither -p nor -S is given (both ports are probed).
    #[arg(
        long,
        value_name = "PORT",
        default_value_t = 110,
        conflicts_with = "port"
    )]
    pub plain_port: u16,

    /// Implicit-TLS port when -p is not given.
    #[arg(
        long,
        value_name = "PORT",
        default_value_t = 995,
        conflicts_with = "port"
    )]
    pub tls_port: u16,

    /// WARNING when the total time in seconds is outside this range (e.g. 2, 1:5, @0:1).
    #[arg(short = 'w', long = "warning", value_name = "SECONDS")]
    pub warning: Option<String>,

    /// CRITICAL when the total time in seconds is outside this range.
    #[arg(short = 'c', long = "critical", value_name = "SECONDS")]
    pub critical: Option<String>,

    /// WARNING when the earliest certificate expires in fewer days than this.
    #[arg(long, value_name = "DAYS", default_value_t = 14)]
    pub expiry_warn: u32,

    /// CRITICAL when the earliest certificate expires in fewer days than this.
    #[arg(long, value_name = "DAYS")]
    pub expiry_crit: Option<u32>,

    /// Hard limit for the whole check, in seconds (CRITICAL when reached).
    #[arg(
        short = 't',
        long = "timeout",
        value_name = "SECONDS",
        default_value = "10"
    )]
    pub timeout: String,

    /// Extra trust anchors (PEM file with one or more CA certificates).
    #[arg(long, value_name = "PEM")]
    pub ca_file: Option<PathBuf>,

    /// Name to verify in the certificate and send as SNI (useful for IP targets).
    #[arg(long, value_name = "NAME")]
    pub tls_name: Option<String>,

    /// Use IPv4 addresses only.
    #[arg(short = '4', long = "ipv4", conflicts_with = "ipv6")]
    pub ipv4: bool,

    /// Use IPv6 addresses only.
    #[arg(short = '6', long = "ipv6")]
    pub ipv6: bool,
}

/// `popscope serve`: the Prometheus exporter (docs/monitoring.md). It takes
/// no credentials: it probes without logging in.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on, e.g. 127.0.0.1:9815 (port 0 picks a free port; the address is printed).
    #[arg(long, value_name = "ADDR")]
    pub listen: String,

    /// TOML file with modules (ports, timeouts, CA file...) and allow_targets.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Only probe targets matching this pattern: host, host:port or *.domain (repeatable).
    #[arg(long = "allow-target", value_name = "PATTERN")]
    pub allow_targets: Vec<String>,

    /// Most diagnoses running at once; further scrapes wait for a slot until their deadline.
    #[arg(long, value_name = "N", default_value_t = 16)]
    pub max_probes: usize,
}

impl OutputArgs {
    /// Whether `--format jsonl` was asked for (it wins over `--json`).
    pub fn jsonl(&self) -> bool {
        self.format == FormatArg::Jsonl
    }

    /// Whether one pretty JSON object was asked for (`--json`, `--format json`).
    pub fn json_object(&self) -> bool {
        !self.jsonl() && (self.json || self.format == FormatArg::Json)
    }

    /// Resolves format and colour (`NO_COLOR`, terminal detection).
    pub fn to_output(&self, stdout_is_terminal: bool) -> OutputConfig {
        let o = self;
        let json = o.json || o.format != FormatArg::Text;
        let no_color_env = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = match o.color {
            ColorArg::Always => true,
            ColorArg::Never => false,
            ColorArg::Auto => stdout_is_terminal && !no_color_env,
        };
        OutputConfig {
            json,
            color: color && !json,
            compact: o.format == FormatArg::Jsonl,
            transcript: !o.no_transcript,
            transcript_only: o.transcript_only,
            explain: if o.explain {
                Some(true)
            } else if o.no_explain {
                Some(false)
            } else {
                None
            },
        }
    }
}

/// Which secret a `--password-file` or `--token-file` holds (for messages).
#[derive(Clone, Copy)]
enum SecretKind {
    Password,
    Token,
}

fn read_secret_file(path: &std::path::Path, kind: SecretKind) -> Result<Secret, ConfigError> {
    use crate::i18n::t;
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        let error = e.to_string();
        ConfigError(match kind {
            SecretKind::Password => {
                t!(
                    "cli-error-password-file-unreadable",
                    path = &shown,
                    error = error
                )
            }
            SecretKind::Token => t!(
                "cli-error-token-file-unreadable",
                path = &shown,
                error = error
            ),
        })
    })?;
    let first = text.lines().next().unwrap_or("").trim_end_matches('\r');
    if first.is_empty() {
        return Err(ConfigError(match kind {
            SecretKind::Password => t!("cli-error-password-file-empty", path = &shown),
            SecretKind::Token => t!("cli-error-token-file-empty", path = &shown),
        }));
    }
    Ok(Secret::new(first.to_string()))
}

fn env_secret(var: &str) -> Option<Secret> {
    std::env::var(var)
        .ok()
        .filter(|v| !v.is_empty())
        .map(Secret::new)
}

impl LoginArgs {
    /// Builds the login settings; `None` when no user is known (no login).
    /// The password comes from `--password-env` (default `POPSCOPE_PASSWORD`),
    /// `--password-file`, or a prompt when `interactive`.
    pub fn to_login(
        &self,
        target_user: Option<&str>,
        interactive: bool,
    ) -> Result<Option<LoginConfig>, ConfigError> {
        use crate::i18n::t;
        let a = self;
        let Some(user) = a
            .user
            .clone()
            .or(target_user.map(str::to_string))
            .filter(|u| !u.is_empty())
        else {
            if a.password_file.is_some() || a.password_env.is_some() || a.token_file.is_some() {
                return Err(ConfigError(t!("cli-error-secret-without-user")));
            }
            return Ok(None);
        };
        let mechanism = match a.auth {
            None | Some(AuthArg::Auto) => None,
            Some(AuthArg::User) => Some(Mechanism::User),
            Some(AuthArg::Apop) => Some(Mechanism::Apop),
            Some(AuthArg::Plain) => Some(Mechanism::Plain),
            Some(AuthArg::Login) => Some(Mechanism::Login),
            Some(AuthArg::CramMd5) => Some(Mechanism::CramMd5),
            Some(AuthArg::Xoauth2) => Some(Mechanism::XOauth2),
            Some(AuthArg::Oauthbearer) => Some(Mechanism::OauthBearer),
        };
        let token = match &a.token_file {
            Some(p) => Some(read_secret_file(p, SecretKind::Token)?),
            None => env_secret(a.token_env.as_deref().unwrap_or("POPSCOPE_TOKEN")),
        };
        let wants_token = matches!(mechanism, Some(Mechanism::XOauth2 | Mechanism::OauthBearer));
        if wants_token && token.is_none() {
            return Err(ConfigError(t!("cli-error-token-needed")));
        }
        // A user taken from a user@domain target is tested only when a
        // password or token was provided; no prompt for it.
        let explicit_user = a.user.is_some();
        let has_source = a.password_file.is_some()
            || a.password_env.is_some()
            || token.is_some()
            || env_secret("POPSCOPE_PASSWORD").is_some();
        if !explicit_user && !has_source {
            return Ok(None);
        }
        let password = match (&a.password_file, &a.password_env) {
            (Some(p), _) => Some(read_secret_file(p, SecretKind::Password)?),
            (None, Some(var)) => Some(
                env_secret(var)
                    .ok_or_else(|| ConfigError(t!("cli-error-password-env-unset", var = var)))?,
            ),
            (None, None) => env_secret("POPSCOPE_PASSWORD"),
        };
        let password = match password {
            Some(p) => Some(p),
            None if wants_token => None,
            None if interactive => {
                let prompt = t!("cli-error-password-prompt", user = &user);
                let p = rpassword::prompt_password(prompt).map_err(|e| {
                    ConfigError(t!("cli-error-password-terminal", error = e.to_string()))
                })?;
                Some(Secret::new(p))
            }
            None => {
                return Err(ConfigError(t!("cli-error-no-password", user = &user)));
            }
        };
        Ok(Some(LoginConfig {
            user,
            password,
            token,
            mechanism,
            allow_cleartext: a.allow_cleartext_auth,
            allow_delete: a.allow_delete,
            profile: a.profile.clone(),
            max_bytes: a.max_bytes,
        }))
    }
}

impl ProbeArgs {
    /// Low-level flags -> a typed builder (durations, DNS servers and the
    /// address family parsed and checked here).
    pub fn to_builder(&self) -> Result<RunConfigBuilder, ConfigError> {
        let p = self;
        let dns_servers = p
            .dns_servers
            .iter()
            .filter(|s| !s.trim().is_empty())
            .map(|s| parse_dns_server(s))
            .collect::<Result<Vec<_>, _>>()?;
        let family = if p.ipv4 {
            Family::V4
        } else if p.ipv6 {
            Family::V6
        } else {
            Family::Any
        };
        Ok(RunConfig::builder()
            .dns_servers(dns_servers)
            .ca_file(p.ca_file.clone())
            .tls_name(p.tls_name.clone())
            .timeout(parse_duration(&p.timeout)?)
            .deadline(parse_duration(&p.deadline)?)
            .family(family)
            .expiry_warn_days(p.expiry_warn)
            .slow(parse_duration(&p.slow)?)
            .plain_port(p.plain_port)
            .tls_port(p.tls_port))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        // clap's debug assertions catch duplicate ids, bad defaults, conflicts.
        Cli::command().debug_assert();
    }
}
