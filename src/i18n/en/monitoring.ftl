## monitoring: messages of src/monitoring (see src/i18n/mod.rs).
## The human text of `popscope plugin` (src/report/nagios.rs): the status
## words OK/WARNING/CRITICAL/UNKNOWN, the POP3 prefix and the perfdata labels
## are machine output and never translated.

monitoring-pop3-starttls = POP3 with STARTTLS
monitoring-and = { $left } and { $right }
monitoring-fine = { $services } fine in { $total } s
monitoring-more = { $top } (+{ $others } more)
monitoring-slow = the check took { $total } s, beyond the threshold { $flag } { $range }
monitoring-expiry = the certificate of { $endpoint } expires in { $days } days, within { $flag } { $limit }: renew it
monitoring-timed-out = no complete answer within { $limit } s (-t { $limit }): the server or the network is too slow; raise -t to wait longer
monitoring-works = Works: { $setting }
monitoring-bad-range = { $flag } "{ $typed }" is not a threshold: give seconds such as { $flag } 2, or a range such as { $flag } 1:5, { $flag } ~:3 or { $flag } @0:1

## popscope plugin (src/app/plugin.rs): usage errors.
monitoring-plugin-bad-port = ports must be 1-65535, e.g. -p 110 or -S -p 995
monitoring-plugin-bad-host = -H takes a host name or address only, not "{ $typed }": type e.g. -H pop.example.com, the port goes in -p and -S selects implicit TLS
monitoring-plugin-bad-timeout = -t "{ $typed }" is not a time limit: give seconds, e.g. -t 10
monitoring-plugin-clap = { $message }; run `popscope plugin --help` for the options

## popscope serve (src/app/serve.rs) and the exporter (src/exporter): the
## startup line, warnings, HTTP bodies, the index page, config errors. The
## metric names, labels and # HELP texts are machine output, in English.
monitoring-serve-bad-listen = invalid --listen "{ $typed }": give an address and port, e.g. 127.0.0.1:9815 or [::1]:9815
monitoring-serve-cannot-listen = cannot listen on { $address }
monitoring-serve-listening = popscope exporter listening on http://{ $address }/
monitoring-serve-open-warning = popscope: warning: listening on { $address }, which is not a loopback address, with no allow-list: anyone who can reach it can make this machine probe any host; add --allow-target PATTERN or allow_targets in the config file
monitoring-serve-failed = the exporter stopped on an error
monitoring-exporter-no-target = no target: add ?target=HOST to the URL, e.g. /probe?target=pop.example.com (optionally &module=NAME)
monitoring-exporter-too-long = the request is too long: the URL may have at most { $max } bytes
monitoring-exporter-bad-query = cannot read the query string ({ $why }): use /probe?target=HOST&module=NAME
monitoring-exporter-bad-target = bad target: { $why }
monitoring-exporter-bad-config = cannot probe this target with this module: { $why }
monitoring-exporter-unknown-module = unknown module "{ $name }": the modules are { $known }
monitoring-exporter-forbidden = target "{ $target }" is not allowed: this exporter probes only the targets on its allow-list (--allow-target, allow_targets in the config file)
monitoring-exporter-busy = too many probes at once: all { $max } probe slots stayed busy until this scrape's deadline; raise --max-probes or scrape less often
monitoring-exporter-not-found = not found: the exporter serves /, /probe?target=HOST and /metrics
monitoring-exporter-index-title = popscope exporter
monitoring-exporter-index-intro = A Prometheus exporter for POP3 services (see docs/monitoring.md).
monitoring-exporter-index-metrics = the exporter's own metrics
monitoring-exporter-index-probe = diagnose one POP3 service
monitoring-exporter-config-unreadable = cannot read the exporter config file { $path }: { $why }
monitoring-exporter-config-too-large = the exporter config file { $path } is larger than { $max } bytes: it should hold only modules and allow_targets
monitoring-exporter-config-invalid = the exporter config file { $path } is not valid: { $why }; see docs/monitoring.md for the keys
monitoring-exporter-module-invalid = module "{ $module }" in the exporter config: { $why }
monitoring-exporter-both-families = ipv4 = true and ipv6 = true together probe nothing: set at most one of them
monitoring-exporter-bad-module-name = module name "{ $name }" is not allowed: use letters, digits, '-' and '_' only
monitoring-exporter-bad-pattern = invalid allow-list pattern "{ $pattern }": give a host (pop.example.com), host:port (pop.example.com:995) or *.domain (*.example.com)
monitoring-exporter-zero-probes = --max-probes must be at least 1
