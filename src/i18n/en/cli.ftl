## cli: messages of src/cli (see src/i18n/mod.rs).
## The --help texts: cli-<command path>-about for a (sub)command, and
## cli-<command path>-<argument id> for an argument (see cli::localize).

## popscope
cli-popscope-about = POP3 diagnostic and troubleshooting toolkit: probes, TLS inspection, scripted dialogues, TUI
cli-popscope-lang = Language of everything popscope writes for people: en or fr (default: from LANGUAGE, LC_ALL, LC_MESSAGES, LANG)
cli-popscope-after-help = Exit codes: 0 pass, 1 warning, 2 failure, 3 usage or internal error.
    Run `popscope check --help` for the diagnosis options.

## popscope check
cli-check-about = Diagnose a POP3 service: DNS, TCP, greeting, CAPA, STLS, implicit TLS, certificates
cli-check-target = host, host:port, pop3://host[:port], pop3s://host[:port], IP literal, or user@domain (one or more)
cli-check-targets = File with one target per line (blank lines and # comments ignored; - reads standard input)
cli-check-concurrency = Most targets diagnosed at the same time when several are given

## Probing options (check, replay, tui)
cli-check-dns-servers = DNS server to ask instead of the system resolver (IP or IP:PORT; repeatable)
cli-check-ca-file = Extra trust anchors (PEM file with one or more CA certificates)
cli-check-tls-name = Name to verify in the certificate and send as SNI (useful for IP targets)
cli-check-timeout = Time limit for each network step (connect, each read, handshake), e.g. 10s, 500ms
cli-check-deadline = Time limit for the whole run
cli-check-ipv4 = Use IPv4 addresses only
cli-check-ipv6 = Use IPv6 addresses only
cli-check-expiry-warn = Warn when the certificate expires within this many days
cli-check-slow = Warn when the greeting takes longer than this
cli-check-plain-port = Plain POP3 port probed when the target names no port
cli-check-tls-port = Implicit-TLS POP3 port probed when the target names no port

## Login options (check, replay, tui)
cli-check-user = User name to log in as (also taken from a user@domain target)
cli-check-password-env = Name of the environment variable holding the password [default: POPSCOPE_PASSWORD]
cli-check-password-file = File whose first line is the password
cli-check-token-env = Name of the environment variable holding an OAuth token (XOAUTH2/OAUTHBEARER) [default: POPSCOPE_TOKEN]
cli-check-token-file = File whose first line is an OAuth token
cli-check-auth = Authentication mechanism
cli-check-allow-cleartext-auth = Allow sending credentials over an unencrypted connection (never the default)
cli-check-allow-delete = Allow DELE in dialogues (never the default: popscope is read-only)
cli-check-profile = Dialogue profile: a built-in name (basic, full-read, teaching, capabilities-only) or a TOML file
cli-check-max-bytes = Most bytes of one response kept (larger ones are streamed, counted, and cut in the transcript)

## Output options (check, replay, demo)
cli-check-json = Output JSON (same as --format json)
cli-check-format = Output format
cli-check-color = Colour: auto honours NO_COLOR and only colours a terminal
cli-check-no-transcript = Leave the transcripts out of the text report
cli-check-transcript-only = Print only the transcripts (text report)
cli-check-explain = Explain each dialogue step and reply in the text report (default with the teaching profile)
cli-check-no-explain = Leave the explanations out of the text report

## popscope lab
cli-lab-about = Run the built-in POP3 lab server with injectable faults (teaching, demos)
cli-lab-scenario = Scenario to serve (repeatable, or `all`); see --list
cli-lab-list = List every scenario with a one-line description
cli-lab-listen = Address to listen on
cli-lab-plain-port = Plain POP3 port of the first scenario (0 picks a free port; further scenarios use the next ports)
cli-lab-tls-port = Implicit-TLS port of the first scenario (0 picks a free port)
cli-lab-mailbox-dir = Directory of .eml files: files in it go to alice's mailbox, files in DIR/USER/ to that user
cli-lab-ca-dir = Directory where the lab CA certificate is written
cli-lab-classroom = Classroom mode: N student accounts etu01..etuNN (1 to 200), each with its own mailbox and password, scenarios drawn from --scenario; implies --blind and needs --roster
cli-lab-seed = Seed of the classroom's scenario draw (the same seed gives the same scenarios); default: random
cli-lab-round-robin = Hand the --scenario list out in order (etu01 the first, etu02 the second, ...) instead of at random
cli-lab-assign = File of `account,scenario` lines fixing some students' scenarios (the others are drawn)
cli-lab-roster = Teacher's roster (CSV, mode 0600): student, account, password, host, ports, scenario, expected check
cli-lab-sheets = Directory for the students' sheets (one Markdown file per account, plus sheets.md with all of them)
cli-lab-hostname = Name (or address) students use for this machine: added to the certificates and used on the sheets (repeatable)
cli-lab-blind = Hide scenario names from greetings and listings (no EXPECTED CHECK column)
cli-lab-max-per-address = Connections one client address may hold on each port (default 16; in classroom mode 4 per student, at least 16)

## popscope replay
cli-replay-about = Replay a scripted POP3 dialogue (a profile) against a server and judge each step
cli-replay-replay-profile = Profile: a built-in name or a TOML file
cli-replay-target = The server (same forms as `check`)
cli-replay-dns-servers = { cli-check-dns-servers }
cli-replay-ca-file = { cli-check-ca-file }
cli-replay-tls-name = { cli-check-tls-name }
cli-replay-timeout = { cli-check-timeout }
cli-replay-deadline = { cli-check-deadline }
cli-replay-ipv4 = { cli-check-ipv4 }
cli-replay-ipv6 = { cli-check-ipv6 }
cli-replay-expiry-warn = { cli-check-expiry-warn }
cli-replay-slow = { cli-check-slow }
cli-replay-plain-port = { cli-check-plain-port }
cli-replay-tls-port = { cli-check-tls-port }
cli-replay-user = { cli-check-user }
cli-replay-password-env = { cli-check-password-env }
cli-replay-password-file = { cli-check-password-file }
cli-replay-token-env = { cli-check-token-env }
cli-replay-token-file = { cli-check-token-file }
cli-replay-auth = { cli-check-auth }
cli-replay-allow-cleartext-auth = { cli-check-allow-cleartext-auth }
cli-replay-allow-delete = { cli-check-allow-delete }
cli-replay-profile = { cli-check-profile }
cli-replay-max-bytes = { cli-check-max-bytes }
cli-replay-json = { cli-check-json }
cli-replay-format = { cli-check-format }
cli-replay-color = { cli-check-color }
cli-replay-no-transcript = { cli-check-no-transcript }
cli-replay-transcript-only = { cli-check-transcript-only }
cli-replay-explain = { cli-check-explain }
cli-replay-no-explain = { cli-check-no-explain }

## popscope tui
cli-tui-about = The live terminal interface (also what `popscope` alone opens on a terminal)
cli-tui-target = The server to diagnose (omit to type it in the form)
cli-tui-dns-servers = { cli-check-dns-servers }
cli-tui-ca-file = { cli-check-ca-file }
cli-tui-tls-name = { cli-check-tls-name }
cli-tui-timeout = { cli-check-timeout }
cli-tui-deadline = { cli-check-deadline }
cli-tui-ipv4 = { cli-check-ipv4 }
cli-tui-ipv6 = { cli-check-ipv6 }
cli-tui-expiry-warn = { cli-check-expiry-warn }
cli-tui-slow = { cli-check-slow }
cli-tui-plain-port = { cli-check-plain-port }
cli-tui-tls-port = { cli-check-tls-port }
cli-tui-user = { cli-check-user }
cli-tui-password-env = { cli-check-password-env }
cli-tui-password-file = { cli-check-password-file }
cli-tui-token-env = { cli-check-token-env }
cli-tui-token-file = { cli-check-token-file }
cli-tui-auth = { cli-check-auth }
cli-tui-allow-cleartext-auth = { cli-check-allow-cleartext-auth }
cli-tui-allow-delete = { cli-check-allow-delete }
cli-tui-profile = { cli-check-profile }
cli-tui-max-bytes = { cli-check-max-bytes }

## popscope demo
cli-demo-about = Start the lab in-process and diagnose it: the whole product in seconds, no network needed
cli-demo-scenario = Lab scenario to diagnose
cli-demo-json = { cli-check-json }
cli-demo-format = { cli-check-format }
cli-demo-color = { cli-check-color }
cli-demo-no-transcript = { cli-check-no-transcript }
cli-demo-transcript-only = { cli-check-transcript-only }
cli-demo-explain = { cli-check-explain }
cli-demo-no-explain = { cli-check-no-explain }

## popscope plugin
cli-plugin-about = A Monitoring Plugins check for Nagios, Icinga, Naemon and Checkmk (docs/monitoring.md)
cli-plugin-hostname = Server host name or IP address
cli-plugin-port = Probe only this port (implicit TLS with -S or when PORT is 995; else plain POP3 with STLS)
cli-plugin-ssl = Implicit TLS (POP3S) only: on -p PORT, else on --tls-port
cli-plugin-plain-port = Plain POP3 port when neither -p nor -S is given (both ports are probed)
cli-plugin-tls-port = Implicit-TLS port when -p is not given
cli-plugin-warning = WARNING when the total time in seconds is outside this range (e.g. 2, 1:5, @0:1)
cli-plugin-critical = CRITICAL when the total time in seconds is outside this range
cli-plugin-expiry-warn = WARNING when the earliest certificate expires in fewer days than this
cli-plugin-expiry-crit = CRITICAL when the earliest certificate expires in fewer days than this
cli-plugin-timeout = Hard limit for the whole check, in seconds (CRITICAL when reached)
cli-plugin-ca-file = { cli-check-ca-file }
cli-plugin-tls-name = { cli-check-tls-name }
cli-plugin-ipv4 = { cli-check-ipv4 }
cli-plugin-ipv6 = { cli-check-ipv6 }

## Usage errors (src/config.rs): what was wrong and what to type instead.
cli-error-duration-syntax = invalid duration '{ $value }': write a number with a unit, e.g. 500ms, 10s or 2m
cli-error-duration-range = invalid duration '{ $value }': it must be more than 0 and at most 24h
cli-error-dns-server = invalid --dns-server '{ $value }': give an IP address, optionally with a port (9.9.9.9, 9.9.9.9:53, [2620:fe::fe]:53)
cli-error-ca-file = cannot read --ca-file { $path }: { $error }; give the path of a PEM file with the CA certificate(s)
cli-error-port-zero = --plain-port and --tls-port must be 1-65535
cli-error-tls-name = invalid --tls-name: "{ $value }" is not a valid TLS server name; give a host name such as pop.example.com

## popscope serve
cli-serve-about = Serve Prometheus metrics: /probe?target=HOST diagnoses a POP3 service per scrape
cli-serve-listen = Address to listen on, e.g. 127.0.0.1:9815 (port 0 picks a free port; the address is printed)
cli-serve-config = TOML file with modules (ports, timeouts, CA file...) and allow_targets
cli-serve-allow-targets = Only probe targets matching this pattern: host, host:port or *.domain (repeatable)
cli-serve-max-probes = Most diagnoses running at once; further scrapes wait for a slot until their deadline

## The command edge (src/app, src/cli.rs): errors, prompts, many targets.
cli-app-error = error: { $error }
cli-app-runtime = cannot start the async runtime
cli-app-runtime-error = cannot start the async runtime: { $error }
cli-app-stdout = cannot write to standard output
cli-app-tui-needs-terminal = the TUI needs a terminal; use `popscope check` for text or --json output
cli-app-internal-error = internal error: { $error }
cli-many-json-needs-one = --format json (or --json) prints one report for one target; with several targets use --format jsonl (one JSON report per line)
cli-many-cannot-open = cannot open the targets file { $path }: { $error }; give a file with one target per line, or - for standard input
cli-many-cannot-read = cannot read this line of the targets file: { $error }; the rest of the file was not read
cli-many-too-few-files = --concurrency { $concurrency } needs about { $needed } open files, but this system allows { $limit } (ulimit -n); lower --concurrency or raise the limit
cli-error-password-file-unreadable = cannot read the password file { $path }: { $error }
cli-error-token-file-unreadable = cannot read the token file { $path }: { $error }
cli-error-password-file-empty = the password file { $path } is empty
cli-error-token-file-empty = the token file { $path } is empty
cli-error-secret-without-user = a password or token was given but no user: add --user NAME (or use a user@domain target)
cli-error-token-needed = XOAUTH2/OAUTHBEARER need a token: set POPSCOPE_TOKEN, or give --token-env VAR or --token-file FILE
cli-error-password-env-unset = --password-env { $var }: that environment variable is not set or empty
cli-error-password-prompt = POP3 password for { $user }:{" "}
cli-error-password-terminal = cannot read the password from the terminal: { $error }
cli-error-no-password = no password for { $user }: set POPSCOPE_PASSWORD, or give --password-env VAR or --password-file FILE (popscope never takes a password on the command line)

## The words clap writes itself (used in languages other than English; the
## English help keeps clap's own words)
cli-chrome-usage = Usage:
cli-chrome-commands = Commands
cli-chrome-help = Print help
cli-chrome-version = Print version
