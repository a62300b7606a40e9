## lab : messages de src/lab (voir src/i18n/mod.rs).

## Descriptions des scénarios (popscope lab --list, la bannière, la démo)
lab-scenario-healthy = Un serveur correct : STLS sur le port en clair, TLS implicite sur le port TLS, aucune authentification avant TLS, chaîne de certificats valide.
lab-scenario-expired-cert = Le certificat est expiré (not_after dans le passé).
lab-scenario-self-signed = Le certificat est auto-signé au lieu d’être émis par l’AC du laboratoire.
lab-scenario-wrong-hostname = Le certificat n’est valable que pour mail.wrong.example, ni pour localhost ni pour l’adresse IP.
lab-scenario-missing-intermediate = Le serveur n’envoie que le certificat du serveur, sans le certificat intermédiaire.
lab-scenario-no-stls = Le port en clair ne propose ni n’accepte STLS.
lab-scenario-cleartext-login = USER/PASS et SASL PLAIN/LOGIN sont proposés et acceptés avant TLS (les mots de passe circulent en clair).
lab-scenario-slow-greeting = Le message d’accueil n’arrive qu’après un délai (3 s par défaut).
lab-scenario-slow-greeting-here = Le message d’accueil n’arrive qu’après un délai (ici { $ms } ms).
lab-scenario-silent = Le serveur accepte la connexion et n’envoie jamais de message d’accueil.
lab-scenario-wrong-banner = Un serveur SMTP répond (220 ... ESMTP) au lieu d’un serveur POP3.
lab-scenario-tls-on-plain-port = Le port en clair attend d’abord une négociation TLS : aucun message d’accueil en clair n’arrive.
lab-scenario-plain-on-tls-port = Le port TLS parle POP3 en clair au lieu de TLS.
lab-scenario-auth-rejected = Toute authentification est refusée avec -ERR [AUTH] identifiant ou mot de passe incorrect.
lab-scenario-in-use = Toute authentification valide est refusée avec -ERR [IN-USE] (boîte aux lettres verrouillée).
lab-scenario-login-delay = Toute authentification valide est refusée avec -ERR [LOGIN-DELAY].
lab-scenario-close-mid-response = Le serveur ferme la connexion au milieu d’une réponse multiligne (CAPA, LIST, UIDL, RETR, TOP).
lab-scenario-stls-injection = VULNÉRABLE : les commandes envoyées en clair à la suite de STLS sont exécutées après le passage en TLS, et leurs réponses arrivent dans TLS (injection de commandes STARTTLS).
lab-scenario-endless-multiline = Une réponse multiligne (CAPA, LIST, ...) ne se termine jamais ; le serveur abandonne après 10 Mo ou quand le client s’en va.
lab-scenario-tls10-only = Le serveur ne propose que TLS 1.0 : les ClientHello modernes reçoivent une alerte protocol_version.
lab-scenario-weak-key = Le certificat porte une clé trop faible (RSA de 1024 bits).
lab-unknown-scenario = scénario de laboratoire inconnu : { $name } (scénarios connus : { $known })

## Ce que dit le serveur du laboratoire (après +OK, -ERR et les codes RFC 3206, qui restent)
lab-pop3-greeting = popscope-lab : serveur POP3 prêt
lab-pop3-greeting-scenario = popscope-lab : serveur POP3 prêt (scénario { $scenario })
lab-pop3-too-many-connections = Trop de connexions, réessayez plus tard
lab-pop3-too-many-from-address = Trop de connexions depuis votre adresse (au plus { $max }), fermez-en quelques-unes et réessayez
lab-pop3-idle = Inactif depuis trop longtemps, fermeture de la connexion
lab-pop3-line-timeout = Ligne de commande non terminée à temps, fermeture de la connexion
lab-pop3-session-limit = Durée maximale de session atteinte, fermeture de la connexion ; reconnectez-vous pour continuer
lab-pop3-command-too-long = Ligne de commande trop longue (au plus 255 octets, CRLF compris)
lab-pop3-line-too-long-closing = Ligne trop longue, fermeture de la connexion
lab-pop3-endless = cette réponse multiligne ne se termine jamais
lab-pop3-cleartext-use-stls = Authentification en clair interdite sur une connexion non chiffrée ; utilisez d’abord STLS
lab-pop3-cleartext-use-tls-port = Authentification en clair interdite sur une connexion non chiffrée ; utilisez le port TLS
lab-pop3-empty-command = Commande vide
lab-pop3-capa-follows = Liste des capacités
lab-pop3-authorization-only = Commande non valide dans l’état AUTHORIZATION ; authentifiez-vous d’abord
lab-pop3-unknown-command = Commande inconnue
lab-pop3-signing-off = popscope-lab : au revoir
lab-pop3-signing-off-left = popscope-lab : au revoir ({ $left ->
        [one] { $left } message restant
       *[other] { $left } messages restants
    })
lab-pop3-tls-active = Commande interdite quand TLS est déjà actif
lab-pop3-no-stls = STLS n’est pas pris en charge par ce serveur
lab-pop3-begin-tls = Commencez la négociation TLS
lab-pop3-usage-user = Syntaxe : USER identifiant
lab-pop3-user-accepted = { $name } accepté, envoyez PASS
lab-pop3-user-first = Envoyez d’abord USER
lab-pop3-usage-apop = Syntaxe : APOP identifiant empreinte
lab-pop3-invalid-credentials = identifiant ou mot de passe incorrect
lab-pop3-invalid-credentials-closing = identifiant ou mot de passe incorrect ; trop d’échecs, fermeture de la connexion
lab-pop3-maildrop-locked = Boîte aux lettres déjà verrouillée par une autre session
lab-pop3-login-delay = Délai minimal entre deux connexions (900 s) pas encore écoulé
lab-pop3-logged-in = Connecté en tant que { $user } ; la boîte aux lettres contient { $count ->
        [one] { $count } message
       *[other] { $count } messages
    } ({ $size } octets)
lab-pop3-sasl-too-long = Réponse SASL trop longue
lab-pop3-sasl-cancelled = Échange AUTH annulé par le client
lab-pop3-sasl-bad-base64 = Base64 invalide dans la réponse SASL
lab-pop3-sasl-mechanisms = Mécanismes SASL pris en charge
lab-pop3-usage-auth = Syntaxe : AUTH mécanisme [réponse-initiale]
lab-pop3-malformed-plain = Réponse PLAIN mal formée
lab-pop3-cram-no-initial = CRAM-MD5 n’accepte pas de réponse initiale
lab-pop3-malformed-cram = Réponse CRAM-MD5 mal formée
lab-pop3-unknown-mechanism = Type d’authentification non reconnu
lab-pop3-not-logged-in = Non authentifié
lab-pop3-bad-number = Numéro de message invalide
lab-pop3-no-such-message = Aucun message numéro { $number }
lab-pop3-already-deleted = Message { $number } déjà supprimé
lab-pop3-maildrop-has = La boîte aux lettres contient { $count ->
        [one] { $count } message
       *[other] { $count } messages
    } ({ $size } octets)
lab-pop3-uidl-follows = Liste des identifiants uniques
lab-pop3-list-follows = { $count ->
        [one] { $count } message
       *[other] { $count } messages
    } ({ $size } octets)
lab-pop3-usage-msg = Syntaxe : { $command } numéro
lab-pop3-usage-top = Syntaxe : TOP numéro lignes
lab-pop3-bad-line-count = Nombre de lignes invalide
lab-pop3-top-follows = Début du message
# same-as-en: lab-pop3-retr-follows
lab-pop3-retr-follows = { $size } octets
lab-pop3-deleted = Message { $number } supprimé
lab-pop3-usage-dele = Syntaxe : DELE numéro
lab-pop3-transaction-only = Commande non valide dans l’état TRANSACTION
lab-smtp-banner-scenario = (scénario wrong-banner : ceci n’est pas du POP3)
lab-smtp-unknown-command = Erreur : commande non reconnue
lab-smtp-line-too-long = Erreur : ligne trop longue

## La bannière (popscope lab)
lab-user-alice = quatre messages d’exemple (l’un teste le doublement des points)
lab-user-bob = une boîte aux lettres vide
lab-user-student = le compte d’un étudiant de la classe
lab-banner-heading = popscope lab : { $count ->
        [one] { $count } scénario
       *[other] { $count } scénarios
    } en écoute sur { $listen }
lab-banner-blind-heading = popscope lab : { $count ->
        [one] { $count } paire de ports
       *[other] { $count } paires de ports
    } en écoute sur { $listen } (noms des scénarios masqués)
lab-banner-ca = Certificat de l’AC : { $path }
lab-banner-users = Comptes :
lab-banner-students = Classe : { $count ->
        [one] { $count } compte étudiant
       *[other] { $count } comptes étudiants
    }, chacun avec sa propre boîte aux lettres ; leurs mots de passe et leurs scénarios ne figurent que dans la liste de classe.
lab-banner-col-scenario = SCÉNARIO
lab-banner-col-plain = EN CLAIR (POP3+STLS)
# same-as-en: lab-banner-col-tls
lab-banner-col-tls = TLS (POP3S)
lab-banner-col-expected = VÉRIFICATION ATTENDUE
lab-banner-all-pass = (tout réussit)
lab-banner-try = Essayez ({ $scenario }) :

## Erreurs du laboratoire
lab-error-bind = impossible d’écouter sur { $addr } pour le scénario { $scenario } : { $error }
lab-error-port-range = le port { $base } + { $index } du scénario { $scenario } dépasse 65535
lab-error-pki = impossible de créer les certificats du laboratoire : { $error }
lab-error-ca-file = impossible d’écrire le certificat de l’AC du laboratoire dans { $path } : { $error }
lab-error-tls = impossible de préparer une configuration client TLS pour l’AC du laboratoire : { $error }
lab-error-read-mailbox = impossible de lire la boîte aux lettres { $path } : { $error }
lab-error-mailbox-user = répertoire de boîtes aux lettres { $path } : aucun compte du laboratoire ne s’appelle { $user } (comptes connus : { $known })

## Mode classe
lab-classroom-no-random = le générateur aléatoire du système d’exploitation a échoué ; relancez le laboratoire
lab-classroom-count = --classroom attend un nombre d’étudiants de 1 à { $max } (reçu : { $count }) ; pour une classe plus grande, lancez deux laboratoires sur des ports différents
lab-classroom-bad-line = la ligne { $line } du fichier d’affectation est « { $text } » : chaque ligne doit donner un compte et un scénario, par exemple « etu01,expired-cert » (voir `popscope lab --list`)
lab-classroom-unknown-account = le fichier d’affectation nomme le compte « { $account } », mais une classe de { $count } a les comptes { $first } à { $last } ; corrigez le fichier ou changez --classroom

## La fiche de l’étudiant (Markdown ; les marques de tableau et de liste sont dans le code)
lab-sheet-title = TP POP3 : votre exercice
lab-sheet-account = Compte
lab-sheet-password = Mot de passe
lab-sheet-server = Serveur
lab-sheet-plain-port = Port en clair (POP3, STLS)
lab-sheet-tls-port = Port TLS (POP3S)
lab-sheet-ca = Certificat de l’AC
lab-sheet-ca-note = (votre enseignant vous donne ce fichier)
lab-sheet-yours = Ce compte n’est qu’à vous : personne d’autre ne s’y connecte, et sa boîte aux lettres contient quatre messages d’exemple.
lab-sheet-exercise = Exercice
lab-sheet-intro = Le service de messagerie sur ces deux ports a peut-être un défaut, ou fonctionne peut-être parfaitement. Trouvez lequel des deux, comme le ferait un support informatique.
lab-sheet-diagnose = Diagnostiquez-le :
lab-sheet-diagnose-hint = (tapez le mot de passe quand il est demandé ; ajoutez `--transcript-only` pour lire le dialogue).
lab-sheet-client = Essayez aussi avec un vrai client : `curl --cacert { $ca } --user { $account } pop3s://{ $host }:{ $port }/` ou un logiciel de messagerie réglé sur le serveur et les ports ci-dessus.
lab-sheet-write = Notez : quelle vérification échoue, s’il y en a une ; ce que remarquerait l’utilisateur d’un logiciel de messagerie ; qui doit corriger (l’utilisateur, l’administrateur du serveur ou personne) et comment.
lab-sheet-read = Lisez une fois toute la transcription : quelle ligne montre le problème, et que signifie-t-elle ?

## popscope lab et popscope demo (src/app/lab.rs)
lab-cmd-list-heading = Scénarios (popscope lab --scenario NOM, ou --scenario all) :
lab-cmd-list-passes = (réussit)
lab-cmd-see-list = { $error } ; lancez `popscope lab --list` pour voir les scénarios
lab-cmd-bad-listen = --listen attend une adresse IP, par exemple 127.0.0.1 ou ::1
lab-cmd-cannot-create = impossible de créer { $path }
lab-cmd-cannot-resolve = impossible de résoudre le chemin { $path }
lab-cmd-cannot-start = impossible de démarrer le laboratoire
lab-cmd-cannot-read-assign = impossible de lire le fichier d’affectation { $path }
lab-cmd-cannot-write = impossible d’écrire { $path }
lab-cmd-cannot-restrict = impossible de réserver { $path } à son propriétaire
lab-cmd-serving = En service ; appuyez sur Ctrl-C pour arrêter.
lab-cmd-stopped = laboratoire arrêté
lab-cmd-needs-roster = --classroom demande --roster FICHIER : les mots de passe des étudiants et le corrigé ne sont écrits que là
lab-cmd-zero-per-address = --max-per-address demande au moins 1 connexion par adresse
lab-cmd-needs-classroom = { $flag } ne fonctionne qu’avec --classroom N (une classe de N comptes étudiants)
lab-cmd-bad-hostname = --hostname attend un nom DNS ou une adresse IP (lettres, chiffres, « - » et « . »), pas « { $name } »
lab-cmd-classroom-created = Classe : { $count ->
        [one] { $count } compte étudiant créé
       *[other] { $count } comptes étudiants créés
    }.
lab-cmd-roster-written = Liste de classe (le corrigé ; gardez-la pour vous) : { $path }
lab-cmd-sheets-written = Fiches des étudiants : { $path } (un fichier par compte ; sheets.md les regroupe toutes)
lab-cmd-no-sheets = Aucune fiche d’étudiant écrite (ajoutez --sheets RÉPERTOIRE) ; la liste de classe contient les comptes.
lab-cmd-public-warning = attention : le laboratoire écoute sur { $listen }, que d’autres machines peuvent joindre. Ses comptes et mots de passe (affichés ci-dessous) sont publics : n’importe qui sur le réseau peut se connecter, lire ou supprimer le courrier du laboratoire. C’est acceptable pour une classe sur un réseau de confiance ; pour un usage personnel, écoutez plutôt sur une adresse de bouclage (--listen 127.0.0.1 ou --listen ::1).
lab-cmd-not-running = le scénario n’est pas en service
lab-cmd-no-user = le laboratoire n’a aucun compte
lab-cmd-demo-one = demo prend un seul scénario
lab-cmd-demo-intro = popscope demo : un serveur POP3 de laboratoire intégré (scénario « { $scenario } » : { $description }) sur { $address }, diagnostiqué en direct.

