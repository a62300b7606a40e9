## cli : messages de src/cli (voir src/i18n/mod.rs).
## Les textes de --help : cli-<chemin de la commande>-about pour une
## (sous-)commande, cli-<chemin de la commande>-<id de l’argument> pour un
## argument (voir cli::localize).

## popscope
cli-popscope-about = Boîte à outils de diagnostic et de dépannage POP3 : sondes, inspection TLS, dialogues scriptés, interface en mode texte
cli-popscope-lang = Langue de tout ce que popscope écrit pour les personnes : en ou fr (par défaut : d’après LANGUAGE, LC_ALL, LC_MESSAGES, LANG)
cli-popscope-after-help = Codes de sortie : 0 réussite, 1 avertissement, 2 échec, 3 erreur d’utilisation ou erreur interne.
    Lancez `popscope check --help` pour les options du diagnostic.

## popscope check
cli-check-about = Diagnostiquer un service POP3 : DNS, TCP, message d’accueil, CAPA, STLS, TLS implicite, certificats
cli-check-target = hôte, hôte:port, pop3://hôte[:port], pop3s://hôte[:port], adresse IP, ou utilisateur@domaine (une ou plusieurs)
cli-check-targets = Fichier d’une cible par ligne (lignes vides et commentaires # ignorés ; - lit l’entrée standard)
cli-check-concurrency = Nombre maximal de cibles diagnostiquées en même temps quand plusieurs sont données

## Options de sonde (check, replay, tui)
cli-check-dns-servers = Serveur DNS à interroger à la place du résolveur DNS du système (IP ou IP:PORT ; répétable)
cli-check-ca-file = Ancres de confiance supplémentaires (fichier PEM d’un ou plusieurs certificats d’AC)
cli-check-tls-name = Nom à vérifier dans le certificat et à envoyer en SNI (utile pour une cible donnée par son adresse IP)
cli-check-timeout = Délai maximal de chaque étape réseau (connexion, chaque lecture, négociation TLS), par ex. 10s, 500ms
cli-check-deadline = Délai maximal de l’exécution entière
cli-check-ipv4 = N’utiliser que des adresses IPv4
cli-check-ipv6 = N’utiliser que des adresses IPv6
cli-check-expiry-warn = Avertir quand le certificat expire dans moins de jours que ce nombre
cli-check-slow = Avertir quand le message d’accueil met plus longtemps que cette durée
cli-check-plain-port = Port POP3 en clair sondé quand la cible ne donne pas de port
cli-check-tls-port = Port POP3 en TLS implicite sondé quand la cible ne donne pas de port

## Options de connexion (check, replay, tui)
cli-check-user = Identifiant avec lequel s’authentifier (également tiré d’une cible utilisateur@domaine)
cli-check-password-env = Nom de la variable d’environnement qui contient le mot de passe [par défaut : POPSCOPE_PASSWORD]
cli-check-password-file = Fichier dont la première ligne est le mot de passe
cli-check-token-env = Nom de la variable d’environnement qui contient un jeton OAuth (XOAUTH2/OAUTHBEARER) [par défaut : POPSCOPE_TOKEN]
cli-check-token-file = Fichier dont la première ligne est un jeton OAuth
cli-check-auth = Mécanisme d’authentification
cli-check-allow-cleartext-auth = Autoriser l’envoi des identifiants sur une connexion non chiffrée (jamais par défaut)
cli-check-allow-delete = Autoriser DELE dans les dialogues (jamais par défaut : popscope ne fait que lire)
cli-check-profile = Profil de dialogue : un nom intégré (basic, full-read, teaching, capabilities-only) ou un fichier TOML
cli-check-max-bytes = Nombre maximal d’octets conservés d’une réponse (les plus longues sont lues en flux, comptées et coupées dans la transcription)

## Options de sortie (check, replay, demo)
cli-check-json = Sortie JSON (comme --format json)
cli-check-format = Format de sortie
cli-check-color = Couleur : auto respecte NO_COLOR et ne colore qu’un terminal
cli-check-no-transcript = Ne pas mettre les transcriptions dans le rapport texte
cli-check-transcript-only = N’afficher que les transcriptions (rapport texte)
cli-check-explain = Expliquer chaque étape du dialogue et chaque réponse dans le rapport texte (par défaut avec le profil teaching)
cli-check-no-explain = Ne pas mettre les explications dans le rapport texte

## popscope lab
cli-lab-about = Lancer le serveur POP3 de laboratoire intégré, avec des pannes à injecter (enseignement, démonstrations)
cli-lab-scenario = Scénario à servir (répétable, ou `all`) ; voir --list
cli-lab-list = Lister tous les scénarios avec une description d’une ligne
cli-lab-listen = Adresse d’écoute
cli-lab-plain-port = Port POP3 en clair du premier scénario (0 choisit un port libre ; les scénarios suivants prennent les ports suivants)
cli-lab-tls-port = Port TLS implicite du premier scénario (0 choisit un port libre)
cli-lab-mailbox-dir = Répertoire de fichiers .eml : ses fichiers vont dans la boîte aux lettres d’alice, ceux de DIR/USER/ dans celle de cet utilisateur
cli-lab-ca-dir = Répertoire où écrire le certificat de l’AC du laboratoire
cli-lab-classroom = Mode salle de classe : N comptes d’étudiants etu01..etuNN (1 à 200), chacun avec sa boîte aux lettres et son mot de passe, scénarios tirés de --scenario ; implique --blind et exige --roster
cli-lab-seed = Graine du tirage des scénarios de la classe (la même graine donne les mêmes scénarios) ; par défaut : aléatoire
cli-lab-round-robin = Distribuer la liste --scenario dans l’ordre (etu01 le premier, etu02 le deuxième…) au lieu d’un tirage au hasard
cli-lab-assign = Fichier de lignes `compte,scénario` qui fixent le scénario de certains étudiants (les autres sont tirés au sort)
cli-lab-roster = Liste de l’enseignant (CSV, mode 0600) : étudiant, compte, mot de passe, hôte, ports, scénario, vérification attendue
cli-lab-sheets = Répertoire des fiches des étudiants (un fichier Markdown par compte, plus sheets.md qui les réunit toutes)
cli-lab-hostname = Nom (ou adresse) que les étudiants utilisent pour cette machine : ajouté aux certificats et écrit sur les fiches (répétable)
cli-lab-blind = Cacher le nom des scénarios dans les messages d’accueil et les listes (pas de colonne EXPECTED CHECK)
cli-lab-max-per-address = Connexions qu’une même adresse cliente peut ouvrir sur chaque port (16 par défaut ; en mode salle de classe 4 par étudiant, au moins 16)

## popscope replay
cli-replay-about = Rejouer un dialogue POP3 scripté (un profil) contre un serveur et juger chaque étape
cli-replay-replay-profile = Profil : un nom intégré ou un fichier TOML
cli-replay-target = Le serveur (mêmes formes que pour `check`)
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
cli-tui-about = L’interface interactive en mode texte (aussi ce que `popscope` seul ouvre dans un terminal)
cli-tui-target = Le serveur à diagnostiquer (à omettre pour le saisir dans le formulaire)
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
cli-demo-about = Démarrer le laboratoire dans le processus et le diagnostiquer : tout le produit en quelques secondes, sans réseau
cli-demo-scenario = Scénario du laboratoire à diagnostiquer
cli-demo-json = { cli-check-json }
cli-demo-format = { cli-check-format }
cli-demo-color = { cli-check-color }
cli-demo-no-transcript = { cli-check-no-transcript }
cli-demo-transcript-only = { cli-check-transcript-only }
cli-demo-explain = { cli-check-explain }
cli-demo-no-explain = { cli-check-no-explain }

## popscope plugin
cli-plugin-about = Une sonde Monitoring Plugins pour Nagios, Icinga, Naemon et Checkmk (docs/monitoring.md)
cli-plugin-hostname = Nom d’hôte ou adresse IP du serveur
cli-plugin-port = Ne sonder que ce port (TLS implicite avec -S ou quand PORT vaut 995 ; sinon POP3 en clair avec STLS)
cli-plugin-ssl = TLS implicite (POP3S) seulement : sur -p PORT, sinon sur --tls-port
cli-plugin-plain-port = Port POP3 en clair quand ni -p ni -S ne sont donnés (les deux ports sont sondés)
cli-plugin-tls-port = Port TLS implicite quand -p n’est pas donné
cli-plugin-warning = WARNING quand la durée totale en secondes sort de cet intervalle (par ex. 2, 1:5, @0:1)
cli-plugin-critical = CRITICAL quand la durée totale en secondes sort de cet intervalle
cli-plugin-expiry-warn = WARNING quand le premier certificat à expirer expire dans moins de jours que ce nombre
cli-plugin-expiry-crit = CRITICAL quand le premier certificat à expirer expire dans moins de jours que ce nombre
cli-plugin-timeout = Limite stricte pour toute la vérification, en secondes (CRITICAL quand elle est atteinte)
cli-plugin-ca-file = { cli-check-ca-file }
cli-plugin-tls-name = { cli-check-tls-name }
cli-plugin-ipv4 = { cli-check-ipv4 }
cli-plugin-ipv6 = { cli-check-ipv6 }

## Erreurs d’utilisation (src/config.rs) : ce qui ne va pas et quoi saisir à la place.
cli-error-duration-syntax = durée invalide « { $value } » : écrivez un nombre suivi d’une unité, par ex. 500ms, 10s ou 2m
cli-error-duration-range = durée invalide « { $value } » : elle doit être supérieure à 0 et d’au plus 24h
cli-error-dns-server = --dns-server invalide « { $value } » : donnez une adresse IP, éventuellement suivie d’un port (9.9.9.9, 9.9.9.9:53, [2620:fe::fe]:53)
cli-error-ca-file = impossible de lire --ca-file { $path } : { $error } ; donnez le chemin d’un fichier PEM contenant le ou les certificats d’AC
cli-error-port-zero = --plain-port et --tls-port doivent être compris entre 1 et 65535
cli-error-tls-name = --tls-name invalide : « { $value } » n’est pas un nom de serveur TLS valide ; donnez un nom d’hôte comme pop.example.com

## popscope serve
cli-serve-about = Servir des métriques Prometheus : /probe?target=HÔTE diagnostique un service POP3 à chaque collecte
cli-serve-listen = Adresse d’écoute, par exemple 127.0.0.1:9815 (le port 0 choisit un port libre ; l’adresse est affichée)
cli-serve-config = Fichier TOML des modules (ports, délais, fichier d’AC…) et de allow_targets
cli-serve-allow-targets = Ne sonder que les cibles correspondant à ce motif : hôte, hôte:port ou *.domaine (répétable)
cli-serve-max-probes = Nombre maximal de diagnostics simultanés ; les collectes suivantes attendent une place jusqu’à leur délai maximal

## La commande (src/app, src/cli.rs) : erreurs, invites, cibles multiples.
cli-app-error = erreur : { $error }
cli-app-runtime = impossible de démarrer l’environnement d’exécution asynchrone
cli-app-runtime-error = impossible de démarrer l’environnement d’exécution asynchrone : { $error }
cli-app-stdout = impossible d’écrire sur la sortie standard
cli-app-tui-needs-terminal = l’interface en mode texte (TUI) a besoin d’un terminal ; utilisez `popscope check` pour une sortie texte ou --json
cli-app-internal-error = erreur interne : { $error }
cli-many-json-needs-one = --format json (ou --json) affiche un rapport pour une seule cible ; avec plusieurs cibles, utilisez --format jsonl (un rapport JSON par ligne)
cli-many-cannot-open = impossible d’ouvrir le fichier de cibles { $path } : { $error } ; donnez un fichier avec une cible par ligne, ou - pour l’entrée standard
cli-many-cannot-read = impossible de lire cette ligne du fichier de cibles : { $error } ; la suite du fichier n’a pas été lue
cli-many-too-few-files = --concurrency { $concurrency } demande environ { $needed } fichiers ouverts, mais ce système en autorise { $limit } (ulimit -n) ; baissez --concurrency ou augmentez la limite
cli-error-password-file-unreadable = impossible de lire le fichier de mot de passe { $path } : { $error }
cli-error-token-file-unreadable = impossible de lire le fichier de jeton { $path } : { $error }
cli-error-password-file-empty = le fichier de mot de passe { $path } est vide
cli-error-token-file-empty = le fichier de jeton { $path } est vide
cli-error-secret-without-user = un mot de passe ou un jeton a été donné, mais pas d’identifiant : ajoutez --user NOM (ou utilisez une cible utilisateur@domaine)
cli-error-token-needed = XOAUTH2/OAUTHBEARER demandent un jeton : définissez POPSCOPE_TOKEN, ou donnez --token-env VAR ou --token-file FICHIER
cli-error-password-env-unset = --password-env { $var } : cette variable d’environnement n’est pas définie ou est vide
cli-error-password-prompt = Mot de passe POP3 pour { $user } :{" "}
cli-error-password-terminal = impossible de lire le mot de passe depuis le terminal : { $error }
cli-error-no-password = pas de mot de passe pour { $user } : définissez POPSCOPE_PASSWORD, ou donnez --password-env VAR ou --password-file FICHIER (popscope ne prend jamais de mot de passe sur la ligne de commande)

## Les mots que clap écrit lui-même
cli-chrome-usage = Utilisation :
cli-chrome-commands = Commandes 
cli-chrome-help = Afficher l’aide
cli-chrome-version = Afficher la version
