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
