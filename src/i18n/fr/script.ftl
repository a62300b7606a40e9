## script : messages de src/script (voir src/i18n/mod.rs).

## Pourquoi popscope n’a pas envoyé les identifiants
script-offers-none = aucune
script-refusal-no-credentials = aucun identifiant n’a été donné : popscope ne s’est pas authentifié
script-refusal-cleartext = la connexion n’est pas chiffrée ; popscope n’envoie pas de mot de passe en clair ; utilisez STLS ou le port 995, ou --allow-cleartext-auth
script-refusal-untrusted = le certificat TLS du serveur n’est pas de confiance : la connexion pourrait être interceptée, et popscope n’y envoie pas de mot de passe ; corrigez le certificat, ou donnez l’AC du serveur (ou, pour un certificat auto-signé que vous avez vérifié, le certificat lui-même) avec --ca-file
script-refusal-not-offered = le mécanisme { $wanted } n’est pas proposé (le serveur propose : { $offers })
script-refusal-stls-first = authentification en clair désactivée avant TLS : le serveur ne propose aucune méthode d’authentification avant STLS (le serveur propose : { $offers })
script-refusal-nothing-offered = le serveur ne propose aucune méthode d’authentification que popscope puisse utiliser avec ces identifiants (le serveur propose : { $offers })
script-refusal-no-password = aucun mot de passe n’a été donné
script-refusal-no-token = { $mechanism } exige un jeton d’accès OAuth 2.0, et aucun n’a été donné
script-remedy-no-credentials = Donnez --user (et un mot de passe) pour vous authentifier.
script-remedy-cleartext = Connectez-vous avec TLS : port 995 (pop3s://hôte) ou port 110 avec STLS. Si vous devez tester un serveur non chiffré, ajoutez --allow-cleartext-auth (le mot de passe peut alors être lu par quiconque se trouve sur le chemin).
script-remedy-untrusted = Corrigez le certificat du serveur (voyez les vérifications tls.* et le diagnostic). Si le serveur utilise une AC privée, ou un certificat auto-signé dont vous avez vérifié l’empreinte SHA-256 avec l’administrateur, donnez cette AC ou ce certificat avec --ca-file.
script-remedy-not-offered = Utilisez --auth auto, ou l’une des méthodes que le serveur propose.
script-remedy-stls-first = Utilisez STLS (port 110) ou le port 995 : le serveur n’accepte l’authentification qu’à l’intérieur de TLS, comme il se doit.
script-remedy-nothing-offered = Vérifiez la configuration SASL du serveur, ou donnez un jeton OAuth si le serveur ne propose que XOAUTH2/OAUTHBEARER.
script-remedy-no-password = Donnez le mot de passe (POPSCOPE_PASSWORD, --password-file ou la saisie interactive).
script-remedy-no-token = Donnez un jeton d’accès OAuth 2.0, ou choisissez une méthode à mot de passe avec --auth.

## Notes de transcription de l’authentification
script-note-not-logged-in = popscope ne s’est pas authentifié : { $reason }
script-note-fallback-broken = le repli sur { $mechanism } n’a pas abouti ; le résultat est le refus de { $refused }
script-note-withheld = { $mechanism } a été refusé ; popscope ne se replie pas sur { $next }, qui montrerait le mot de passe sur une connexion sans TLS de confiance
script-note-fallback = { $mechanism } a été refusé ; --auth auto essaie la méthode suivante que propose le serveur, { $next }
script-attempt-said = le serveur a répondu : { $status }
script-attempt-broken = l’échange n’a pas abouti : { $error }

## Messages connus des fournisseurs
script-provider-others = Yahoo, AOL et d’autres
script-hint-google-app-password-meaning = le compte utilise la validation en deux étapes : Google n’accepte pas le mot de passe habituel depuis un logiciel de messagerie
script-hint-google-app-password-remedy = Créez un mot de passe d’application (Compte Google > Sécurité > Validation en deux étapes > Mots de passe des applications) et utilisez-le à la place du mot de passe habituel, ou authentifiez-vous avec OAuth (--auth xoauth2 avec un jeton d’accès).
script-hint-google-web-login-meaning = Google a bloqué cette connexion comme inhabituelle et veut que l’utilisateur se connecte d’abord avec un navigateur web
script-hint-google-web-login-remedy = Connectez-vous à https://mail.google.com dans un navigateur web (depuis le même réseau si possible) et confirmez l’alerte de sécurité, puis réessayez. Mieux : utilisez un mot de passe d’application ou OAuth (--auth xoauth2).
script-hint-google-rejected-meaning = Google a rejeté l’identifiant ou le mot de passe ; Google n’accepte plus le mot de passe habituel du compte depuis un logiciel de messagerie
script-hint-google-rejected-remedy = Vérifiez l’adresse et le mot de passe. Utilisez ensuite un mot de passe d’application (qui exige la validation en deux étapes) ou OAuth (--auth xoauth2), car Google a mis fin à la connexion par mot de passe des « applications moins sécurisées ».
script-hint-microsoft-basic-auth-meaning = l’authentification de base (identifiant et mot de passe) est désactivée pour POP
script-hint-microsoft-basic-auth-remedy = Authentifiez-vous avec OAuth 2.0 (--auth xoauth2 avec un jeton d’accès pour l’étendue POP.AccessAsUser.All) ; Microsoft n’accepte plus de mot de passe pour POP. L’administrateur doit aussi autoriser POP pour la boîte aux lettres (Set-CASMailbox -PopEnabled $true).
script-hint-exchange-rejected-meaning = Exchange a rejeté l’authentification ; pour Microsoft 365 et Outlook.com, c’est aussi la réponse à toute authentification par mot de passe, depuis que l’authentification de base est désactivée
script-hint-exchange-rejected-remedy = Vérifiez l’identifiant (l’adresse électronique complète) et le mot de passe. Pour Microsoft 365 / Outlook.com, utilisez OAuth 2.0 (--auth xoauth2), car l’authentification de base est désactivée pour POP ; l’administrateur doit aussi autoriser POP pour la boîte aux lettres (Set-CASMailbox -PopEnabled $true).
script-hint-pop-disabled-meaning = POP est désactivé pour ce compte
script-hint-pop-disabled-remedy = Activez POP dans les paramètres web du compte (Gmail : Paramètres > Voir tous les paramètres > Transfert et POP/IMAP > Activer le protocole POP ; Outlook.com : Paramètres > Courrier > Transfert et IMAP > POP), ou demandez à l’administrateur de la messagerie de l’activer.
script-hint-tls-required-meaning = authentification en clair désactivée avant TLS : le serveur n’accepte l’authentification qu’à l’intérieur de TLS
script-hint-tls-required-remedy = Utilisez STLS sur le port 110 ou le port 995 ; c’est le comportement correct d’un serveur.
script-hint-invalid-credentials-meaning = le serveur a rejeté l’identifiant ou le mot de passe
script-hint-invalid-credentials-remedy = Vérifiez l’identifiant et le mot de passe. Yahoo et AOL (et iCloud) n’acceptent qu’un mot de passe d’application depuis un logiciel de messagerie : créez-en un dans les paramètres de sécurité du compte et utilisez-le à la place du mot de passe habituel.

## Codes de réponse dans la vérification de l’authentification
script-code-remedy-auth = Vérifiez l’identifiant et le mot de passe (et si le compte exige un mot de passe d’application ou OAuth).
script-code-remedy-in-use = Fermez l’autre logiciel de messagerie, téléphone ou collecteur qui a ouvert la boîte aux lettres (ou attendez la fin de sa session), puis réessayez.
script-code-remedy-login-delay = Attendez la durée LOGIN-DELAY (voir CAPA) et réglez l’intervalle de relève du logiciel de messagerie sur au moins cette durée.
script-code-remedy-sys-temp = Réessayez plus tard ; si cela dure, l’administrateur de la messagerie doit consulter les journaux du serveur.
script-code-remedy-sys-perm = Contactez l’administrateur de la messagerie : réessayer ne servira à rien (le compte est peut-être désactivé).
script-code-remedy-utf8 = L’identifiant exige le mode UTF-8 (RFC 6856), que popscope n’active pas.
script-code-remedy-other = Cherchez ce code dans la documentation du serveur.
script-code-meaning-auth = identifiants faux
script-code-meaning-in-use = la boîte aux lettres est verrouillée par une autre session
script-code-meaning-login-delay = connexion trop tôt après la précédente
script-code-meaning-sys-temp = un problème temporaire côté serveur
script-code-meaning-sys-perm = un problème permanent côté serveur
script-code-meaning-utf8 = mode UTF-8 nécessaire
script-code-meaning-other = un code propre à ce serveur

## La vérification auth.login
script-login-with = avec { $mechanism }
script-login-then = puis
script-login-tried = --auth auto a essayé { $steps }.
script-login-withheld = popscope ne s’est pas replié sur { $mechanism } : cette méthode montrerait le mot de passe sur une connexion sans TLS de confiance (demandez-la avec --auth { $flag } pour l’accepter).
script-login-channel-untrusted = une connexion TLS dont le certificat n’est pas de confiance
script-login-channel-clear = une connexion non chiffrée
script-login-exposed-password = le mot de passe lui-même l’a traversée et a pu être lu ou intercepté
script-login-exposed-challenge = le défi-réponse peut être enregistré et attaqué hors ligne, et toute la boîte aux lettres la traverse sans protection
script-login-over = authentifié en tant que { $user }{ $how }, mais sur { $channel }
script-login-exposed-detail = { $status } ; { $what }.
script-login-exposed-remedy = Utilisez TLS avec un certificat de confiance (port 995 ou STLS), et changez le mot de passe s’il a traversé un réseau qui n’est pas de confiance.
script-login-after = (après { $count ->
        [one] le refus
       *[other] les refus
    } de { $earlier })
script-login-ok = authentifié en tant que { $user }{ $how }{ $after }
script-login-server-said = Le serveur a répondu : { $status }
script-login-known-message = C’est un message connu de { $provider } : { $meaning }.
script-login-message-means = Ce message signifie : { $meaning }.
script-login-sasl-detail = Le détail de l’erreur SASL du serveur : { $detail }
script-login-cancelled = popscope a annulé l’échange : { $reason }
script-login-remedy-sasl-broken = L’implémentation SASL du serveur ne se comporte pas comme le mécanisme l’exige ; essayez une autre méthode avec --auth.
script-login-remedy-no-code = Vérifiez l’identifiant et le mot de passe ; le serveur n’a donné aucun code de réponse, ses journaux en disent plus (demandez à l’administrateur). Certains fournisseurs exigent un mot de passe d’application ou OAuth.
script-login-also-tried = également essayé : { $methods }
script-login-refused = authentification refusée pour { $user }{ $how } : { $status }{ $what }{ $also }
script-login-not-attempted-no-credentials = non tentée : aucun identifiant donné
script-login-not-attempted = non tentée : { $reason }
script-login-nothing-sent = popscope n’a envoyé aucun identifiant.
script-login-broken = l’authentification n’a pas abouti pour { $user }{ $how } : { $error }
script-login-remedy-timeout = Le serveur a cessé de répondre pendant l’authentification ; vérifiez son service d’authentification (LDAP, base de données) et ses journaux.
script-login-remedy-broken = Le serveur a rompu l’échange d’authentification ; consultez ses journaux, ou essayez une autre méthode avec --auth.


## Rejouer un profil : jugement des étapes
script-step-profile-refused = non exécutée : le profil a été refusé
script-step-no-match = la réponse ne correspond pas à /{ $regex }/
script-step-over-bound = la réponse faisait { $octets } octets, plus que la limite de { $bound } ; seul son début a été conservé
script-step-bad-stat = STAT doit répondre « +OK nombre octets » (RFC 1939) ; rien n’a été relevé
script-step-bad-pairs = { $bad } ligne(s) de la réponse à { $verb } ne sont pas de la forme « numéro valeur »
script-step-login-refused = authentification refusée ; voyez auth.login
script-step-no-credentials = aucun identifiant donné
script-step-nothing-sent = rien n’a été envoyé : { $reason }
script-step-remedy-login = Voyez auth.login.
script-step-remedy = Le profil attendait { $expected } ; lisez la réponse du serveur ci-dessus et la transcription.
script-step-not-run = non exécutée : { $reason }
script-step-not-advertised = le serveur n’annonce pas { $capability }
script-step-no-capa = le serveur n’a envoyé aucune liste de capacités : on ne sait pas s’il prend en charge { $capability }
script-step-no-count = le nombre de messages n’est pas connu (l’étape qui le relève n’a pas réussi)
script-step-empty-mailbox = la boîte aux lettres est vide
script-step-no-uids = aucun identifiant unique n’a été relevé (l’étape UIDL a été sautée ou a échoué)
script-step-no-value = {"{"}{ $variable }{"}"} n’a pas de valeur
script-step-too-large = le message { $number } fait { $size } octets, plus que la limite de { $bound } octets
script-step-connection-gone = non exécutée : la connexion n’est plus utilisable
script-step-no-quit-after-dele = non envoyée : une étape a échoué après DELE ; popscope ferme donc sans QUIT et le serveur ne supprime rien
script-step-dele-not-allowed = non envoyée : DELE exige --allow-delete
script-step-login-as = authentification de l’identifiant { $user }
script-step-login-as-with = authentification de l’identifiant { $user } ({ $mechanism })

## Rejouer un profil : pourquoi il s’arrête, notes de transcription
script-stop-poisoned = l’étape { $step } a échoué après DELE ; popscope s’arrête pour qu’aucun message ne soit perdu
script-stop-broke = l’étape { $step } a rompu la connexion
script-stop-failed = l’étape { $step } a échoué et arrête le dialogue
script-stop-no-credentials = aucun identifiant n’a été donné : popscope ne s’est pas authentifié
script-note-dropped-after-dele = la connexion a été rompue après DELE : le serveur n’a jamais atteint l’état UPDATE (pas de QUIT), il ne supprime donc rien
script-note-rset-after-dele = une étape a échoué après DELE : popscope envoie RSET pour annuler tous les marquages et ferme sans QUIT ; le serveur ne supprime donc rien
script-note-rset-refused = RSET a été refusé ({ $status }) ; fermer sans QUIT laisse tout de même la boîte aux lettres intacte
script-note-rset-failed = RSET a échoué ({ $error }) ; fermer sans QUIT laisse tout de même la boîte aux lettres intacte
script-note-final-quit = popscope termine la session par QUIT (le profil n’a pas d’étape QUIT)
script-note-profile-refused = profil refusé, rien n’a été envoyé : { $error }

## Rejouer un profil : la vérification du dialogue
script-dialogue-refused = profil refusé, rien n’a été envoyé : { $error }
script-dialogue-remedy-dele = Retirez les étapes DELE, ou ajoutez --allow-delete si vous voulez vraiment supprimer du courrier.
script-dialogue-remedy-profile = Corrigez le profil (voir docs/profiles.md).
script-dialogue-summary = profil { $profile } : { $steps } étapes, { $passed } réussies, { $failed } en échec, { $skipped } sautées
script-dialogue-warned = , { $warned } avec avertissement
script-dialogue-round-trips = , { $count } allers-retours
script-dialogue-no-credentials = (aucun identifiant : l’authentification et les étapes suivantes ont été sautées)
script-dialogue-stopped = Arrêt anticipé : { $reason }.
script-dialogue-pipelined = { $count } étapes ont été envoyées en pipeline (le serveur annonce PIPELINING).
script-dialogue-poisoned = Une étape a échoué après DELE : popscope a envoyé RSET (quand il le pouvait) et a fermé sans QUIT ; le serveur n’a donc rien supprimé.
script-dialogue-deleted = Les messages marqués par DELE ont été supprimés au QUIT (--allow-delete).
script-dialogue-see = Voyez { $checks }.

script-step-expected-matching = { $status } correspondant à /{ $regex }/
script-expect-any = +OK ou -ERR
script-step-expected-got = { $expected } attendu, { $got } reçu

## Charger un profil
script-profile-io = impossible de lire le profil { $path } : { $error }
script-profile-parse = { $source }{ $position } : { $message }
script-profile-unknown = aucun profil intégré ne s’appelle « { $name } » (profils intégrés : basic, full-read, teaching, capabilities-only ; pour charger un fichier, donnez un chemin qui se termine par .toml)
script-profile-invalid = profil { $profile } ({ $source }), étape { $step }{ $position } : { $message }
script-profile-delete-refused = le profil { $profile } contient DELE : refusé sans --allow-delete
script-profile-line-column = ligne { $line }, colonne { $column }
script-profile-line = (ligne { $line })
script-profile-no-steps = le profil n’a aucune étape (ajoutez des tables [[step]])
script-profile-login-and-send = une étape d’authentification (login = true) ne peut pas aussi envoyer une commande
script-profile-no-send = l’étape n’a ni `send` ni `login = true`
script-profile-multiline-is = la réponse à « { $send } » tient sur plusieurs lignes ; retirez `multiline = { $value }`
script-profile-multiline-is-not = la réponse à « { $send } » ne tient pas sur plusieurs lignes ; retirez `multiline = { $value }`
script-profile-send-empty = `send` est vide
script-profile-send-line-break = `send` contient un saut de ligne ou un NUL, qui ferait passer une autre commande en fraude
script-profile-send-too-long = `send` est plus long qu’une commande POP3 ne peut l’être (255 octets avec CRLF)
script-profile-bad-regex = `regex` n’est pas une expression régulière valide : { $error }
script-profile-bad-requires = `requires` doit être un seul mot-clé CAPA, comme TOP ou UIDL, et non « { $value } »
script-profile-two-logins = un profil ne peut avoir qu’une seule étape d’authentification
script-profile-login-options = l’étape d’authentification n’accepte ni `expect`, ni `regex`, ni `capture` : elle doit réussir
script-profile-mechanism-not-login = `mechanism` se met sur l’étape d’authentification (login = true)
script-profile-verb-variable = le mot de commande doit être écrit en toutes lettres, pas sous forme de variable
script-profile-not-command = « { $word } » n’est pas une commande POP3
script-profile-credentials = un profil ne peut pas envoyer { $verb } : les identifiants ne sont envoyés que par l’étape d’authentification (login = true), qui les prend sur la ligne de commande
script-profile-stls = STLS ne peut pas être une étape : popscope sécurise la connexion avant le dialogue (port en clair avec STLS, ou port 995)
script-profile-quit-last = QUIT termine la session : ce ne peut être que la dernière étape
script-profile-login-variable = {"{"}login{"}"} doit constituer toute l’étape ({ $example } ou login = true)
script-profile-unknown-variable = variable inconnue {"{"}{ $variable }{"}"} (connues : {"{"}first{"}"}, {"{"}last{"}"}, {"{"}count{"}"}, {"{"}uid1{"}"}, {"{"}login{"}"})
script-profile-uids-early = {"{"}uid1{"}"} est utilisé avant qu’une étape relève les identifiants uniques (ajoutez { $example } à une étape UIDL antérieure)
script-profile-count-early = {"{"}{ $variable }{"}"} est utilisé avant qu’une étape relève le nombre de messages (ajoutez { $example } à une étape STAT antérieure)
script-profile-capture-verb = capture = { $capture } exige une commande { $verb } sans argument
script-profile-brace-close = une « {"}"} » sans sa « {"{"} »
script-profile-brace-open = une « {"{"} » sans sa « {"}"} »
script-profile-brace-nested = une « {"{"} » à l’intérieur d’une variable

## Pipelining (src/script/replay/pipeline.rs)
script-note-pipelining = PIPELINING : envoi de { $count } commandes en une seule écriture
script-pipeline-unreadable = les réponses des commandes envoyées en pipeline n’ont pas pu être lues : { $error }
script-pipeline-unread = aucune réponse lue : la lecture des réponses du pipeline a échoué à l’étape { $step } : { $error }
script-pipeline-line-break = la commande contient un saut de ligne, qui enverrait une seconde commande ; non envoyée
