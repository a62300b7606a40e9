## tui : messages de src/tui (voir src/i18n/mod.rs).

## Aide
tui-key-help = cette aide (une touche quelconque la ferme)
tui-key-pane = volet suivant / précédent
tui-key-move = déplacer la sélection, ou faire défiler les détails
tui-key-page = une page vers le haut / le bas
tui-key-home-end = premier / dernier (Fin suit les nouvelles lignes)
tui-key-tabs = onglet de transcription précédent / suivant / n-ième
tui-key-enter = sur une vérification : afficher la transcription de son point d’accès
tui-key-diagnosis = le diagnostic : cause, paramètres du logiciel de messagerie, corrections
tui-key-mouse = la molette fait défiler le volet sous le pointeur ; un clic sélectionne
tui-key-rerun = relancer le même diagnostic
tui-key-new = nouveau diagnostic : formulaire de la cible et des options
tui-key-save = enregistrer le rapport en JSON / en texte (chemin affiché en bas)
tui-key-quit = quitter
tui-help-keys = Touches
tui-help-status = États
tui-help-transcript = Transcription
tui-legend-client = C : client
tui-legend-body = S : contenu
tui-legend-tls = évènement TLS
tui-legend-note = -- remarque
tui-help-title = {" "}Aide de popscope{" "}
tui-help-bottom = {" "}appuyez sur une touche{" "}

## Formulaire de nouveau diagnostic
tui-form-title = {" "}Nouveau diagnostic{" "}
tui-form-hint = {" "}Entrée lancer · Tab/↑↓ champ · ←→ Début Fin modifier · Ctrl-U effacer · Échap annuler

## Diagnostic
tui-security-none = aucune
tui-settings-server = Serveur
tui-settings-port = Port
tui-settings-security = Sécurité
tui-settings-auth = Authentification
tui-settings-user = Identifiant
tui-diagnosis-none-yet = pas encore de diagnostic : il s’affiche quand l’analyse est terminée
tui-diagnosis-cause = Cause
tui-diagnosis-no-problem = Aucun problème : toutes les vérifications ont réussi.
tui-diagnosis-no-cause = Aucune cause n’a été identifiée : voyez les vérifications en échec et en avertissement.
tui-diagnosis-top-cause = Cause principale
tui-diagnosis-other-problems = Autres problèmes
tui-diagnosis-settings = Paramètres du logiciel de messagerie qui fonctionnent dès maintenant
tui-diagnosis-no-setting = Aucun paramètre du logiciel de messagerie ne peut aider : la correction se fait côté serveur.
tui-diagnosis-client-fix = Correction dans le logiciel de messagerie ({ $id })
tui-diagnosis-client-nothing = Rien à changer dans le logiciel de messagerie pour ce problème.
tui-diagnosis-server-fix = Correction côté serveur (pour l’administrateur de la messagerie)
tui-diagnosis-server-nothing = Rien à changer côté serveur pour ce problème.
tui-diagnosis-check-on = { $id } sur { $endpoint }
tui-diagnosis-explains = Vérifications expliquées
tui-diagnosis-server-identified = { $software } (identifié par : { $evidence })
tui-diagnosis-server-unknown = non identifié (les corrections côté serveur sont générales)
tui-diagnosis-server-label = Logiciel serveur :{" "}
tui-diagnosis-bottom = {" "}↑↓ cause · Entrée/Échap/d fermer{" "}
tui-diagnosis-bottom-scroll = {" "}↑↓ cause · PgUp PgDn défiler { $first }-{ $last }/{ $total } · Échap fermer{" "}
tui-diagnosis-title = {" "}Diagnostic{" "}

## Volet des détails
tui-running = en cours…
tui-did-not-finish = n’a pas abouti
tui-no-transcript-yet = pas encore de transcription
tui-details-tls-session = Session TLS
tui-details-no-sni = pas de SNI
tui-details-chain-trusted = {"  "}✔ chaîne de certificats de confiance
tui-details-not-trusted-reason = pas de confiance
tui-details-not-trusted = ✖ PAS de confiance : { $why }
tui-details-chain = Chaîne de certificats (certificat du serveur en premier)
tui-details-no-certificate = {"  "}(le serveur n’a envoyé aucun certificat)
tui-details-role-leaf = serveur
tui-details-role-root = racine
tui-details-role-intermediate = intermédiaire
tui-details-issuer = émetteur
tui-details-sans = SAN
tui-details-none = (aucun)
tui-details-valid = validité
tui-details-key = clé
tui-details-detail = Détail
tui-details-remedy = Solution
tui-details-evidence = Éléments observés
tui-details-no-line = aucune ligne de transcription sélectionnée
tui-details-line-title = { $tab } · ligne { $line } sur { $total } · +{ $ms } ms
tui-details-client-sent = Le client (popscope) a envoyé :
tui-details-server-sent = Le serveur a envoyé :
tui-details-tls-event = Évènement TLS :
tui-details-note = Remarque :
tui-details-meaning = Ce que cela signifie
tui-details-select = sélectionnez une vérification (↑↓) ou une ligne de transcription pour voir ce qu’elle signifie
tui-details-of-line = ligne de transcription
tui-details-of-check = vérification
tui-details-title = {" "}{ $mark }Détails : { $what }{" "}

## Volets des vérifications et de la transcription, pied de page, petit terminal
tui-checks-title = {" "}{ $mark }Vérifications { $done }/{ $seen }{" "}
tui-checks-waiting = en attente de la première vérification…
tui-checks-idle = pas encore de diagnostic : appuyez sur n pour en lancer un
tui-checks-none = aucune vérification
tui-transcript-title = {" "}{ $mark }Transcription{" "}
tui-transcript-paused = (en pause : Fin reprend le suivi){" "}
tui-too-small = popscope : terminal trop petit
tui-too-small-size = { $width }x{ $height } ici ; l’écran demande au moins { $min_width }x{ $min_height }.
tui-too-small-hint = Agrandissez la fenêtre, ou appuyez sur q pour quitter.
tui-footer-error = {" "}erreur : { $text }
tui-footer-help = aide
tui-footer-diagnosis = diagnostic
tui-footer-pane = volet
tui-footer-move = déplacer
tui-footer-tab = onglet
tui-footer-run = relancer
tui-footer-new = nouveau
tui-footer-save = enregistrer
tui-footer-quit = quitter

## Champs du formulaire de nouveau diagnostic
tui-field-target = Cible
tui-field-plain-port = Port clair
tui-field-tls-port = Port TLS
tui-field-user = Identifiant
tui-field-password = Mot de passe
tui-field-profile = Profil
tui-field-ca-file = Fichier AC
tui-placeholder-plain-port = 110 (par défaut)
tui-placeholder-tls-port = 995 (par défaut)
tui-placeholder-user = (facultatif) se connecter avec cet identifiant
tui-placeholder-password = (facultatif) jamais affiché, jamais enregistré
tui-placeholder-profile = (facultatif) profil de dialogue
tui-placeholder-ca-file = (facultatif) fichier PEM de certificats d’AC supplémentaires
tui-form-need-target = saisissez une cible : un nom de serveur, hôte:port, une URL pop3s:// ou une adresse électronique
tui-form-bad-port = { $field } : « { $value } » n’est pas un numéro de port (1-65535)
tui-form-need-user = un mot de passe demande un identifiant : remplissez le champ Identifiant
tui-form-need-password = saisissez le mot de passe de { $user } (il est masqué et jamais enregistré)

## En-tête et notifications
# same-as-en: tui-header-port tui-header-port-security tui-header-ports
tui-header-no-diagnosis = pas encore de diagnostic : appuyez sur n pour en lancer un, ? pour l’aide
tui-header-port-security = port { $port } ({ $security })
tui-header-port = port { $port }
tui-header-security = sécurité { $security }
tui-header-ports = ports { $plain } + { $tls }
tui-header-timeout = délai par étape { $duration }
tui-header-deadline = délai maximal { $duration }
tui-header-ipv4-only = IPv4 seulement
tui-header-ipv6-only = IPv6 seulement
tui-header-ca-file = AC : système + { $path }
tui-header-ca-system = AC : système
tui-header-tls-name = nom TLS { $name }
tui-header-idle = inactif
tui-header-running = EN COURS
tui-header-progress = { $done }/{ $seen } vérifications terminées
tui-header-more = {" "}· +{ $count } { $count ->
    [one] autre
   *[other] autres
} (d)
tui-header-error = ERREUR
tui-header-could-not-run = le diagnostic n’a pas pu s’exécuter : { $error }
tui-saved = rapport { $format } enregistré dans { $path }
tui-save-failed = impossible d’enregistrer le rapport { $format } : { $error }
tui-diagnosis-hint = appuyez sur d pour le diagnostic : la cause, les paramètres du logiciel de messagerie qui fonctionnent, les corrections
tui-diagnosis-still-running = le diagnostic est encore en cours : appuyez de nouveau sur d quand il sera terminé
tui-diagnosis-not-yet = aucun diagnostic n’est encore terminé : appuyez sur n pour en lancer un
tui-nothing-to-save-yet = rien à enregistrer pour l’instant : attendez la fin du diagnostic
tui-nothing-to-save = rien à enregistrer : aucun diagnostic n’est terminé
tui-run-cancelled = le diagnostic a été annulé
tui-unknown-panic = erreur inconnue
tui-run-crashed = erreur interne : le diagnostic s’est arrêté brutalement : { $what }
tui-too-many-reports = trop de rapports portent ce nom
tui-needs-terminal = popscope tui a besoin d’un terminal interactif (l’entrée et la sortie standard doivent être un terminal)
