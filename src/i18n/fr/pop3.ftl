## pop3 : messages de src/pop3 (voir src/i18n/mod.rs).

## Idées reçues (docs/fr/guide-du-lab.md les cite ; un test les garde identiques)
pop3-misconception-one-connection = POP3 n’a ni mode actif ni mode passif. Ces deux modes appartiennent à FTP, qui ouvre une seconde connexion pour les données : en mode actif, c’est le serveur qui se connecte au client ; en mode passif, c’est le client qui ouvre cette seconde connexion. POP3 n’a rien de tel : une seule connexion TCP, toujours ouverte par le client vers le serveur (port 110 ou 995), et les commandes comme le contenu des messages passent par cette même connexion.
pop3-misconception-retr-keeps = RETR lit un message ; il ne supprime rien.
pop3-misconception-dele-at-quit = Un message n’est supprimé que si le client envoie DELE : le serveur le marque comme supprimé, et la suppression n’a lieu qu’au QUIT (l’état UPDATE). Avant le QUIT, RSET annule toutes les suppressions de la session. Si la connexion est coupée avant le QUIT, rien n’est supprimé.
pop3-misconception-leave-a-copy = L’option « laisser une copie des messages sur le serveur » d’un logiciel de messagerie signifie qu’il télécharge avec RETR sans jamais envoyer DELE (ou seulement après quelques jours) ; il reconnaît les messages qu’il a déjà grâce à leurs identifiants UIDL.
pop3-misconception-stls-encrypts = Sur le port 110, la commande STLS (le STARTTLS de POP3) fait passer la connexion en TLS avant l’authentification : la session est alors chiffrée elle aussi.
pop3-misconception-implicit-tls = POP4 n’existe pas en pratique. Sur le port 995, on parle exactement le même POP3, mais à l’intérieur d’une connexion TLS ouverte dès le premier octet : c’est le TLS implicite.
pop3-misconception-pop3-vs-imap = POP3 sert à relever le courrier : le logiciel de messagerie télécharge les messages et les range localement, dans ses propres dossiers ; le serveur ne connaît qu’une boîte de réception. IMAP laisse les messages sur le serveur, avec des dossiers, des indicateurs (lu, répondu) partagés entre tous les appareils.

## Une phrase par commande (rapports, étapes rejouées)
pop3-command-greeting = Le message d’accueil est la première ligne que le serveur envoie à l’ouverture de la connexion ; +OK signifie qu’il est prêt, et une estampille <...> permet l’authentification APOP.
pop3-command-user = USER désigne la boîte aux lettres à laquelle se connecter ; le mot de passe suit avec PASS.
pop3-command-pass = PASS envoie le mot de passe de la boîte aux lettres désignée par USER, en clair sauf si la connexion est protégée par TLS.
pop3-command-apop = APOP authentifie avec l’identifiant et une empreinte MD5 de l’estampille du message d’accueil suivie du mot de passe : le mot de passe lui-même n’est pas envoyé.
pop3-command-stat = STAT demande le nombre de messages de la boîte aux lettres et leur taille totale en octets.
pop3-command-list = LIST donne la taille de chaque message (ou d’un seul message, si on lui donne un numéro).
pop3-command-retr = RETR télécharge le message complet portant le numéro donné.
pop3-command-dele = DELE marque un message pour suppression ; le serveur ne le supprime qu’à la fin de la session par QUIT.
pop3-command-noop = NOOP ne fait rien, sinon obtenir un +OK : cela maintient la connexion ouverte ou vérifie qu’elle fonctionne encore.
pop3-command-rset = RSET annule le marquage de tous les messages marqués pour suppression pendant cette session.
pop3-command-quit = QUIT termine la session ; après une authentification, le serveur supprime aussi les messages marqués par DELE.
pop3-command-top = TOP télécharge les en-têtes d’un message et le nombre donné de premières lignes du corps, sans le marquer comme lu.
pop3-command-uidl = UIDL donne l’identifiant unique de chaque message, qui reste le même d’une session à l’autre : les clients savent ainsi quels messages ils ont déjà.
pop3-command-capa = CAPA demande au serveur la liste de ses capacités (STLS, mécanismes SASL, TOP, UIDL, PIPELINING, ...), une par ligne (RFC 2449).
pop3-command-stls = STLS demande au serveur de passer la connexion en TLS avant l’authentification (RFC 2595) ; après +OK, la négociation TLS commence.
pop3-command-auth = AUTH authentifie avec un mécanisme SASL comme PLAIN, LOGIN, CRAM-MD5 ou XOAUTH2, par des échanges en base64 (RFC 5034).
pop3-command-utf8 = UTF8 fait passer la session en UTF-8 pour les identifiants, les mots de passe et les messages (RFC 6856).
pop3-command-lang = LANG liste ou choisit la langue des réponses du serveur destinées aux humains (RFC 6856).
pop3-command-last = LAST est une commande obsolète (RFC 1460) qui renvoyait le plus grand numéro de message consulté.
pop3-command-unknown = Ce n’est pas une commande POP3 standard ; le serveur répondra normalement -ERR.

## Ce que signifie une réponse (rapports, étapes rejouées)
pop3-response-greeting-ok = Le serveur est prêt et attend des commandes.
pop3-response-greeting-err = Le serveur refuse cette connexion (souvent parce qu’il est surchargé ou que le client est bloqué).
pop3-response-user-ok = Le serveur a accepté l’identifiant et attend maintenant PASS (cela ne prouve pas que la boîte aux lettres existe).
pop3-response-user-err = Le serveur a refusé USER : l’authentification en clair est peut-être désactivée sur cette connexion (essayez d’abord STLS), ou l’identifiant est faux.
pop3-response-login-ok = Authentification réussie : la boîte aux lettres est ouverte.
pop3-response-login-err = Échec de l’authentification : identifiants faux, méthode d’authentification interdite pour ce compte, ou boîte aux lettres verrouillée ou indisponible.
pop3-response-stls-ok = Le serveur accepte de passer en TLS ; la négociation TLS doit suivre immédiatement.
pop3-response-stls-err = Le serveur a refusé de passer en TLS sur cette connexion.
pop3-response-capa-ok = La liste des capacités suit ; elle se termine par une ligne ne contenant qu’un point.
pop3-response-capa-err = Le serveur ne connaît pas CAPA (un serveur d’avant 1998) : il faut deviner ses fonctionnalités.
pop3-response-data-ok = Les données demandées suivent.
pop3-response-quit-ok = Le serveur a fermé la session (et supprimé les messages marqués par DELE).
pop3-response-ok = La commande a réussi.
pop3-response-err = La commande a échoué.

## Codes de réponse, avec ce qu’il faut faire
pop3-code-in-use = IN-USE : la boîte aux lettres est verrouillée, car une autre session (un autre logiciel de messagerie, un téléphone ou un collecteur) l’utilise. Fermez l’autre logiciel ou attendez la fin de sa session, puis réessayez.
pop3-code-login-delay = LOGIN-DELAY : le serveur n’accepte une connexion que toutes les quelques minutes, et celle-ci est arrivée trop tôt. Augmentez l’intervalle de relève du logiciel de messagerie jusqu’à au moins la valeur LOGIN-DELAY annoncée dans CAPA.
pop3-code-sys-temp = SYS/TEMP : un problème temporaire côté serveur (surcharge, stockage ou service interne indisponible), qui n’est pas dû à l’utilisateur. Réessayez plus tard ; si cela dure, l’administrateur de la messagerie doit consulter les journaux du serveur.
pop3-code-sys-perm = SYS/PERM : un problème permanent côté serveur (par exemple un compte désactivé ou une boîte aux lettres endommagée). Réessayer ne servira à rien ; contactez l’administrateur de la messagerie.
pop3-code-auth = AUTH : le serveur a rejeté les identifiants (identifiant ou mot de passe faux, ou méthode d’authentification interdite pour ce compte). Vérifiez l’identifiant et le mot de passe, et si le fournisseur exige un mot de passe d’application ou OAuth.
pop3-code-utf8 = UTF8 : la commande exige le mode UTF-8, qu’il faut d’abord activer avec la commande UTF8 (RFC 6856).
pop3-code-other = Un code de réponse que popscope ne connaît pas, propre à ce serveur. Cherchez-le dans la documentation du serveur.

## Lignes de transcription : commandes du client (volet des détails)
pop3-line-here-user = Ici : identifiant { $args }.
pop3-line-here-message = Ici : message { $args }.
pop3-line-here-arguments = Ici : arguments { $args }.
pop3-line-user = USER identifiant : la première moitié de l’authentification simple (RFC 1939 §7). Le serveur répond +OK et attend PASS. Envoyé avant TLS, l’identifiant circule en clair.
pop3-line-pass = PASS secret : la seconde moitié de l’authentification simple, envoyée juste après USER. Le mot de passe n’est pas affiché (popscope enregistre ******** à la place). Sur une connexion sans TLS, il circulerait en clair ; +OK signifie « authentifié » (état TRANSACTION), -ERR signifie « refusé ».
pop3-line-apop = APOP identifiant empreinte : authentification sans envoyer le mot de passe (RFC 1939 §7). L’empreinte vaut MD5(estampille du message d’accueil + mot de passe). MD5 est faible : APOP est considéré comme obsolète ; utilisez plutôt TLS avec USER/PASS ou SASL.
pop3-line-stat = STAT : demande le nombre de messages de la boîte aux lettres et leur taille totale. La réponse est +OK nombre octets, par exemple +OK 2 320.
pop3-line-list-all = LIST : demande la taille de chaque message. La réponse tient sur plusieurs lignes : une ligne « numéro taille » par message, terminée par une ligne ne contenant qu’un point.
pop3-line-list-one = LIST n : demande la taille du message { $args }. La réponse tient sur une ligne : +OK numéro taille.
pop3-line-retr = RETR n : télécharge un message entier. La réponse est +OK, puis le message (en-têtes, ligne vide, corps), terminé par une ligne ne contenant qu’un point ; les lignes qui commencent par un point sont envoyées avec un point supplémentaire (dot-stuffing).
pop3-line-dele = DELE n : marque un message pour suppression (état UPDATE au QUIT).
pop3-line-noop = NOOP : ne fait rien ; le serveur répond +OK. Sert à maintenir une connexion ouverte ou à vérifier que le serveur répond encore.
pop3-line-rset = RSET : annule le marquage de tous les messages marqués par DELE pendant cette session.
pop3-line-quit = QUIT : termine la session. Après une authentification, le serveur supprime maintenant les messages marqués par DELE (état UPDATE) et ferme la connexion.
pop3-line-top = TOP n lignes : télécharge les en-têtes du message n et les premières lignes de son corps (un aperçu sans tout télécharger). Commande facultative, annoncée par TOP dans CAPA.
pop3-line-uidl = UIDL : demande l’identifiant unique de chaque message (ou d’un seul). Les clients s’en servent pour retenir quels messages ils ont déjà téléchargés. Commande facultative, annoncée par UIDL dans CAPA.
pop3-line-capa = CAPA : demande au serveur quelles fonctionnalités facultatives il prend en charge (RFC 2449). La réponse est une liste sur plusieurs lignes, comme TOP, UIDL, SASL PLAIN, STLS, terminée par une ligne ne contenant qu’un point. Les clients doivent la redemander après STLS, car elle peut changer.
pop3-line-stls = STLS : demande de passer cette connexion en clair en TLS (RFC 2595, « STARTTLS »). Après +OK, le client commence la négociation TLS ; tout ce qui suit est chiffré. Un serveur qui répond à ce qui a été envoyé avant la négociation est vulnérable à l’injection de commandes STARTTLS.
pop3-line-auth = AUTH mécanisme : authentification SASL (RFC 5034). { $what }. Le serveur répond par des défis « + » jusqu’à +OK (authentifié) ou -ERR.
pop3-auth-mech-plain = PLAIN envoie l’identifiant et le mot de passe en base64 (non chiffré : TLS indispensable)
pop3-auth-mech-login = LOGIN envoie l’identifiant puis le mot de passe en base64 (TLS indispensable)
pop3-auth-mech-cram-md5 = CRAM-MD5 prouve la connaissance du mot de passe par un HMAC MD5 d’un défi du serveur
pop3-auth-mech-xoauth2 = XOAUTH2 envoie un jeton d’accès OAuth 2.0 à la place d’un mot de passe
pop3-auth-mech-none = sans mécanisme, certains serveurs listent les mécanismes qu’ils acceptent
pop3-auth-mech-other = le mécanisme fait partie de ceux que le serveur annonce dans CAPA (ligne SASL)
pop3-line-empty = Une ligne vide envoyée par le client.
pop3-line-unknown = { $verb } : ce n’est pas une commande POP3 standard (RFC 1939, 2449, 2595, 5034). Le serveur devrait répondre -ERR.
pop3-line-sasl-redacted = Une suite SASL envoyée par le client (une étape d’un échange AUTH). Elle contient des identifiants : popscope l’a remplacée par ******** avant de l’enregistrer.
pop3-line-sasl-response = Une suite SASL envoyée par le client (une étape d’un échange AUTH), en réponse au dernier défi « + » du serveur.
pop3-line-sasl-cancel = Un * seul envoyé par le client : il annule l’échange AUTH (RFC 5034) ; le serveur répond -ERR et le client n’est toujours pas authentifié.

## Lignes de transcription : codes de réponse
pop3-line-code-auth = [AUTH] (RFC 3206) : les identifiants sont faux (identifiant, mot de passe ou mécanisme). Réessayer avec les mêmes identifiants ne servira à rien.
pop3-line-code-sys-temp = [SYS/TEMP] (RFC 3206) : un problème temporaire côté serveur (par exemple de base de données ou de disque), pas vos identifiants. Réessayer plus tard peut fonctionner.
pop3-line-code-sys-perm = [SYS/PERM] (RFC 3206) : un problème permanent côté serveur (par exemple un compte désactivé ou mal configuré). Réessayer ne servira à rien ; contactez l’administrateur.
pop3-line-code-in-use = [IN-USE] (RFC 2449) : la boîte aux lettres est verrouillée, car une autre session (un autre logiciel de messagerie ou appareil) l’utilise. Fermez l’autre logiciel ou attendez.
pop3-line-code-login-delay = [LOGIN-DELAY] (RFC 2449) : vous vous êtes connecté trop tôt après la connexion précédente ; le serveur impose un délai minimal entre deux connexions (voir LOGIN-DELAY dans CAPA).
pop3-line-code-utf8 = [UTF8] (RFC 6856) : la commande exige le mode UTF-8, que le client doit d’abord activer avec la commande UTF8.
pop3-line-code-other = [{ $code }] : un code de réponse étendu (RFC 2449) que cet outil ne connaît pas.

## Lignes de transcription : réponses du serveur
pop3-line-greeting-ok = Le message d’accueil : la première ligne qu’un serveur POP3 envoie à l’ouverture de la connexion. +OK signifie qu’il est prêt (état AUTHORIZATION : le client doit maintenant s’authentifier).
pop3-line-greeting-apop = La partie <...@...> est l’estampille APOP : une chaîne unique que la commande APOP combine avec le mot de passe.
pop3-line-greeting-err = Un message d’accueil -ERR : le serveur refuse de servir cette connexion (maintenance, trop de connexions, ou votre adresse est bloquée).
pop3-line-reply-ok = +OK : la commande a réussi.
pop3-line-reply-user = +OK à USER : l’identifiant est noté ; le serveur attend maintenant PASS. (Beaucoup de serveurs répondent +OK même pour un utilisateur inconnu, pour qu’on ne puisse pas deviner quels identifiants existent.)
pop3-line-reply-login = +OK : authentifié. La session est maintenant dans l’état TRANSACTION et la boîte aux lettres est verrouillée pour cette session.
pop3-line-reply-auth = +OK : l’authentification SASL a réussi (état TRANSACTION).
pop3-line-reply-stat = +OK à STAT : { $count } message(s), { $octets } octets au total.
pop3-line-reply-stat-bare = +OK à STAT : le nombre de messages et la taille totale suivent.
pop3-line-reply-data = +OK à { $verb } : la réponse suit sur les lignes suivantes, terminée par un point seul.
pop3-line-reply-stls = +OK à STLS : le serveur est prêt pour TLS. Les octets suivants sur la connexion sont la négociation TLS ; plus rien ne doit suivre en clair.
pop3-line-reply-quit = +OK à QUIT : le serveur prend congé (et, après une authentification, supprime les messages marqués par DELE).
pop3-line-reply-dele = +OK à DELE : le message est marqué ; il sera supprimé au QUIT.
pop3-line-reply-other = +OK à { $verb } : la commande a réussi.
pop3-line-reply-err = -ERR : la commande a échoué.
pop3-line-reply-login-err = -ERR : l’authentification a été refusée.
pop3-line-reply-capa-err = -ERR à CAPA : le serveur ne connaît pas CAPA (un ancien serveur) ; les clients doivent deviner ses fonctionnalités.
pop3-line-reply-stls-err = -ERR à STLS : le serveur ne propose pas TLS sur ce port (les mots de passe circuleraient en clair).
pop3-line-reply-other-err = -ERR à { $verb } : la commande a échoué.
pop3-line-reply-reason = Le texte après -ERR est la raison donnée par le serveur, destinée aux humains.
pop3-line-challenge = « + » est un défi SASL : le serveur attend l’étape suivante de l’échange AUTH (le texte est en base64).
pop3-line-body-list = Une ligne de la réponse à LIST : numéro du message et taille en octets ({ $text }).
pop3-line-body-uidl = Une ligne de la réponse à UIDL : numéro du message et son identifiant unique ({ $text }).
pop3-line-body-message = Une ligne du message (les en-têtes, puis une ligne vide, puis le corps). Un point en début de ligne a été doublé par le serveur et retiré par le client.
pop3-line-body-other = Une ligne d’une réponse sur plusieurs lignes (liste des capacités, listage ou message), affichée en grisé. Elle se termine par une ligne ne contenant qu’un point.
pop3-line-capability = Une capacité de la liste CAPA : { $what }.
pop3-cap-top = le serveur prend en charge TOP (aperçu des messages)
pop3-cap-uidl = le serveur prend en charge UIDL (identifiants uniques des messages, pour « laisser une copie sur le serveur »)
pop3-cap-user = le serveur accepte l’authentification USER/PASS (ici, à ce moment de la session)
pop3-cap-sasl = les mécanismes SASL acceptés par AUTH : { $args }
pop3-cap-stls = le serveur propose STLS : le passage de cette connexion en TLS
pop3-cap-pipelining = le client peut envoyer plusieurs commandes sans attendre chaque réponse
pop3-cap-resp-codes = les réponses -ERR peuvent porter des [CODES] qui en donnent la raison (RFC 2449)
pop3-cap-auth-resp-code = les échecs d’authentification portent des codes [AUTH] ou [SYS/...] (RFC 3206)
pop3-cap-expire = le serveur peut supprimer les messages après quelques jours : { $args }
pop3-cap-login-delay = nombre minimal de secondes entre deux connexions : { $args }
pop3-cap-implementation = le logiciel du serveur : { $args }
pop3-cap-utf8 = le serveur accepte l’UTF-8 (RFC 6856)
pop3-cap-lang = le serveur peut répondre dans d’autres langues (RFC 6856)
pop3-cap-other = une capacité que cet outil ne décrit pas
pop3-line-end = Un point seul : la fin d’une réponse sur plusieurs lignes.
pop3-line-not-pop3-greeting = La première ligne du serveur ne commence pas par +OK : ce n’est probablement pas un serveur POP3, ou le port attend TLS dès le premier octet.
pop3-line-not-pop3 = Une ligne du serveur qui n’est ni +OK ni -ERR là où une réponse était attendue : le serveur ne respecte pas POP3 ici, popscope ne peut donc pas poursuivre cette session.
pop3-line-fragment = Les derniers octets envoyés par le serveur, sans fin de ligne, juste avant qu’il ferme la connexion : une ligne inachevée, souvent le signe que ce n’est pas un serveur POP3.
pop3-line-client = Une ligne que popscope a envoyée au serveur.
pop3-line-server = Une ligne envoyée par le serveur.

## Lignes de transcription : évènements TLS et notes de popscope
pop3-tls-event = { $what } (Les lignes TLS sont des évènements notés par popscope, pas du texte échangé sur le réseau.)
pop3-tls-handshake-start = Le début de la négociation TLS : le client propose des versions de TLS et des suites de chiffrement (ClientHello) et le nom du serveur qu’il veut joindre (SNI).
pop3-tls-established = La négociation TLS est terminée : à partir d’ici, la connexion est chiffrée. TLS 1.2 et 1.3 sont considérés comme sûrs ; 1.0 et 1.1 sont obsolètes.
pop3-tls-certificate = Le certificat du serveur (ou l’un de ceux de sa chaîne). Le client vérifie qu’une autorité de certification de confiance l’a signé, qu’il porte le nom du serveur et qu’il n’a pas expiré. Voyez la chaîne de certificats ci-dessous, si elle est connue.
pop3-tls-certificate-unreadable = Un certificat de la chaîne du serveur que popscope n’a pas pu lire : il est mal formé, et les clients le rejetteront très probablement aussi.
pop3-tls-verified = La vérification du certificat a réussi : une autorité de certification de confiance a signé la chaîne, le certificat porte le nom du serveur et il est dans sa période de validité. Les logiciels de messagerie l’accepteront.
pop3-tls-verification-failed = La vérification du certificat a échoué (la raison suit : par exemple expiré, émis pour un autre nom, auto-signé ou signé par une autorité inconnue). Les logiciels de messagerie refuseront la connexion ou avertiront leurs utilisateurs ; le certificat du serveur doit être corrigé.
pop3-tls-alert = Une alerte TLS : l’un des deux côtés a interrompu la négociation ou la session et en donne la raison (par exemple unknown_ca : le client ne fait pas confiance au certificat ; handshake_failure : aucune version ni suite de chiffrement commune).
pop3-tls-handshake-failed = La négociation TLS a échoué : aucune connexion chiffrée n’a pu être établie.
pop3-tls-legacy-hello = La réponse à une seconde connexion qui ne proposait que les versions retirées TLS 1.0/1.1, pour savoir si le serveur les parle encore.
pop3-tls-other = Un évènement TLS : une étape de la mise en place du chiffrement de cette connexion.
pop3-note = Une note de popscope, qui n’a pas circulé sur le réseau.
pop3-note-timeout = Un délai dépassé signifie que l’autre côté n’a pas répondu à temps : un pare-feu qui ignore les paquets, un serveur arrêté, ou un port qui attend autre chose (par exemple TLS).
pop3-note-closed = La connexion a été fermée ; après QUIT c’est normal, sinon c’est le serveur qui a raccroché.
pop3-note-refused = Connexion refusée : rien n’écoute sur ce port (mauvais port, ou service arrêté).
pop3-note-problem = Elle signale un problème de connexion ou dans ce que le serveur a envoyé ; les vérifications disent ce que cela implique pour les logiciels de messagerie.
pop3-note-omitted = Les longues réponses sont raccourcies dans la transcription ; popscope a tout de même lu chaque ligne, pour rester synchronisé avec le serveur.

## Lecture des réponses du serveur (src/pop3/reader.rs, session.rs)
pop3-what-greeting = le message d’accueil
pop3-what-reply = la réponse à { $verb }
pop3-what-rest = la suite de la réponse à { $verb }
pop3-error-looks-like = {" "}(cela ressemble à { $protocol })
pop3-error-timeout-greeting = le serveur n’a rien envoyé pendant { $after } alors que popscope attendait { $what } ; il est peut-être surchargé, bloqué par un pare-feu, ou ce port attend TLS
pop3-error-timeout-reply = le serveur n’a rien envoyé pendant { $after } alors que popscope attendait { $what } ; il est peut-être surchargé ou bloqué (les serveurs retardent aussi volontairement leurs réponses après un échec d’authentification)
pop3-error-timeout-unended = la réponse du serveur commençait comme une réponse POP3 (« { $partial } ») mais la ligne ne s’est jamais terminée : { $received } octets reçus et aucune fin de ligne en { $after } alors que popscope attendait { $what } ; le serveur est peut-être bloqué
pop3-error-timeout-partial = le serveur a envoyé { $received } octets (« { $partial } ») mais aucune ligne complète en { $after } alors que popscope attendait { $what } ; il est peut-être bloqué ou envoie autre chose que du POP3
pop3-error-closed = le serveur a fermé la connexion alors que popscope attendait { $what }
pop3-error-closed-partial = le serveur a fermé la connexion alors que popscope attendait { $what } ; il avait envoyé { $received } octets sans fin de ligne : « { $partial } »
pop3-error-not-pop3 = la réponse du serveur n’est pas une ligne d’état POP3 (elle devrait commencer par +OK ou -ERR) : « { $line } »
pop3-error-not-pop3-tls = la réponse du serveur n’est pas une ligne d’état POP3 (elle devrait commencer par +OK ou -ERR) : « { $line } » ; cela ressemble à { $protocol }
pop3-error-not-pop3-other = la réponse du serveur n’est pas une ligne d’état POP3 (elle devrait commencer par +OK ou -ERR) : « { $line } » ; cela ressemble à { $protocol } : le port appartient sans doute à un autre service
pop3-error-too-long-status = la ligne du serveur commençait comme une réponse POP3 (« { $head } ») mais ne s’est pas terminée en { $limit } octets ({ $discarded } octets ignorés) : elle dépasse ce que popscope lit, et de loin les { $rfc } octets permis pour une ligne POP3
pop3-error-too-long = le serveur a envoyé une ligne de plus de { $limit } octets ({ $discarded } octets ignorés) ; une ligne POP3 fait au plus { $rfc } octets : ce n’est probablement pas un serveur POP3, ou les données sont corrompues
pop3-error-response-too-large = la réponse multiligne du serveur dépasse ce que popscope lit : la lecture s’est arrêtée après { $bytes } octets ({ $lines } lignes), avant la fin de la réponse, et la connexion ne peut plus servir
pop3-error-network = erreur réseau : { $error }
pop3-error-write = impossible d’envoyer { $op } au serveur : { $error }
pop3-error-refused = le serveur a refusé { $op } : { $status }
pop3-note-quit-unclean = QUIT n’a pas reçu de réponse propre : { $error }
