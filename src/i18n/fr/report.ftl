## report : messages de src/report (voir src/i18n/mod.rs).

## La première ligne du rapport texte et la dernière.
report-headline = { $tool } { $target }{ $resolved } : { $verdict } en { $ms } ms
# same-as-en: report-resolved
report-resolved = {" "}-> { $host }
report-verdict-line = verdict : { $verdict } - { $summary }

## Le bloc du diagnostic.
report-diagnosis-heading = == diagnostic ==
report-cause = cause :
report-also = aussi :{" "}
report-no-problem = aucun problème trouvé
report-no-client-setting = Aucun paramètre du logiciel de messagerie ne peut aider : la correction se fait côté serveur.
report-no-client-setting-start = Aucun paramètre du logiciel de messagerie ne peut aider
report-settings-heading = Paramètres du logiciel de messagerie qui fonctionnent maintenant :
report-client-fix = Dans le logiciel de messagerie :
report-server-fix = Côté serveur :
report-server-software = Logiciel serveur :
report-server-evidence = (identifié par : { $evidence })

## Transcriptions, dialogue expliqué.
report-pipelined = (en pipeline)
report-what-it-does = ce que fait la commande :
report-what-it-means = ce que signifie la réponse :
report-reply-to = (réponse à { $verb })
report-reply-heading = réponse à { $verb } :
report-dialogue-heading = == dialogue (profil { $profile }), expliqué ==

## Vérifications.
report-checks-heading = == vérifications ==
report-check-on = sur { $endpoint }
report-fix = correction :

## Certificats.
report-certificates-heading = == certificats ==
report-cert-on = sur { $address } :
report-cert-leaf = certificat :
report-cert-issuer = certificat de l’émetteur :
report-cert-issued-by = émis par :
report-cert-valid = valide du { $from } au { $until }
report-cert-fingerprint = SHA-256 :

## Le résumé d’une ligne (résumé du rapport, `summary` du JSON).
report-failures = { $count ->
    [one] { $count } échec
   *[other] { $count } échecs
}
report-warnings = { $count ->
    [one] { $count } avertissement
   *[other] { $count } avertissements
}
report-first-on = { $check } sur { $endpoint } : { $summary }
report-first = { $check } : { $summary }
report-summary-fail = { $failures }, { $warnings } ; premier problème : { $first }
report-summary-warn = { $warnings } ; premier problème : { $first }
report-summary-pass = { $count ->
    [one] { $count } vérification réussie
   *[other] les { $count } vérifications ont réussi
}

## Plusieurs cibles en une fois (src/report/many.rs). Les mots de verdict
## (PASS, pass, warn, fail) sont une sortie machine et arrivent en variables.
report-many-problems-heading = Problèmes par cible :
report-many-line-error = ligne { $line } : { $error }
report-many-left-off = {"  "}... et { $count ->
    [one] { $count } autre cible
   *[other] { $count } autres cibles
    } avec des problèmes (voir leurs lignes de résumé ci-dessus)
report-many-totals = { $targets ->
    [one] { $targets } cible
   *[other] { $targets } cibles
    } : { $pass } { $pass_word }, { $warn } { $warn_word }, { $fail } { $fail_word }, { $unchecked ->
    [one] { $unchecked } non vérifiée
   *[other] { $unchecked } non vérifiées
    }
