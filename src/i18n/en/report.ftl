## report: messages of src/report (see src/i18n/mod.rs).

## The first line of the text report and the last one.
report-headline = { $tool } { $target }{ $resolved }: { $verdict } in { $ms } ms
report-resolved = {" "}-> { $host }
report-verdict-line = verdict: { $verdict } - { $summary }

## The diagnosis block.
report-diagnosis-heading = == diagnosis ==
report-cause = cause:
report-also = also:{" "}
report-no-problem = no problem found
report-no-client-setting = No mail client setting can help: the fix is on the server.
report-no-client-setting-start = No mail client setting can help
report-settings-heading = Mail client settings that work now:
report-client-fix = In the mail client:
report-server-fix = On the server:
report-server-software = Server software:
report-server-evidence = (from the { $evidence })

## Transcripts, explained dialogue.
report-pipelined = (pipelined)
report-what-it-does = what it does:
report-what-it-means = what the reply means:
report-reply-to = (reply to { $verb })
report-reply-heading = reply to { $verb }:
report-dialogue-heading = == dialogue (profile { $profile }), explained ==

## Checks.
report-checks-heading = == checks ==
report-check-on = on { $endpoint }
report-fix = fix:

## Certificates.
report-certificates-heading = == certificates ==
report-cert-on = on { $address }:
report-cert-leaf = certificate:
report-cert-issuer = issuer cert:
report-cert-issued-by = issued by:
report-cert-valid = valid: { $from } to { $until }
report-cert-fingerprint = SHA-256:

## The one-line summary (report summary, JSON `summary`).
report-failures = { $count ->
    [one] { $count } failure
   *[other] { $count } failures
}
report-warnings = { $count ->
    [one] { $count } warning
   *[other] { $count } warnings
}
report-first-on = { $check } on { $endpoint }: { $summary }
report-first = { $check }: { $summary }
report-summary-fail = { $failures }, { $warnings }; first: { $first }
report-summary-warn = { $warnings }; first: { $first }
report-summary-pass = all { $count } checks passed

## Many targets in one run (src/report/many.rs). The verdict words (PASS,
## pass, warn, fail) are machine output and come in as variables.
report-many-problems-heading = Problems by target:
report-many-line-error = line { $line }: { $error }
report-many-left-off = {"  "}... and { $count } more targets with problems (see their summary lines above)
report-many-totals = { $targets } { $targets ->
    [one] target
   *[other] targets
    }: { $pass } { $pass_word }, { $warn } { $warn_word }, { $fail } { $fail_word }, { $unchecked } not checked
