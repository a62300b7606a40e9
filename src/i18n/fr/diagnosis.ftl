## diagnosis : messages de src/diagnosis (voir src/i18n/mod.rs).

## Phrases fixes : corrections côté client, puis côté serveur (Dovecot, Courier, Cyrus et générique).

diagnosis-client-no-setting = Aucun paramètre du logiciel de messagerie ne peut aider : la correction se fait côté serveur.
diagnosis-client-check-server-spelling = Vérifiez l’orthographe du nom du serveur entrant, ou demandez au fournisseur de messagerie le nom exact du serveur POP3.
diagnosis-client-chosen-dns-failed = Le serveur DNS que vous avez choisi n’a pas pu répondre non plus : réessayez plus tard ; le DNS du domaine doit être corrigé.
diagnosis-client-dns-try-later = Réessayez plus tard ou depuis un autre réseau (popscope peut comparer avec un autre résolveur DNS : --dns-server 9.9.9.9).
diagnosis-client-dns-dangling = Rien à changer dans le logiciel de messagerie pour POP3 ; utilisez le nom de serveur qui fonctionne.
diagnosis-client-check-network = Vérifiez la connexion réseau de l’ordinateur (et la connectivité IPv6 pour une adresse IPv6) ; essayez depuis un autre réseau.
diagnosis-client-try-another-network = Essayez depuis un autre réseau (certains réseaux bloquent les ports POP3) ; sinon, aucun paramètre du logiciel de messagerie ne peut aider : la correction se fait sur le pare-feu du serveur.
diagnosis-client-check-server-and-port = Vérifiez le nom du serveur entrant et le port auprès du fournisseur de messagerie (POP3 utilise le port 995 avec « SSL/TLS » ou le port 110 avec « STARTTLS ») ; aucun des réglages essayés par popscope ne fonctionne.
diagnosis-client-no-setting-legacy-tls = Aucun paramètre du logiciel de messagerie ne peut aider : la correction se fait côté serveur (certains anciens logiciels acceptent encore TLS 1.0, mais c’est dangereux).
diagnosis-client-works-for-now = Cela fonctionne pour l’instant ; rien à changer dans le logiciel de messagerie.
diagnosis-client-no-setting-expired = Aucun paramètre du logiciel de messagerie ne peut aider sans risque : la correction se fait côté serveur (n’acceptez pas d’exception pour un certificat expiré).
diagnosis-client-check-date = Vérifiez que la date et l’heure de l’ordinateur sont justes ; sinon, la correction se fait côté serveur.
diagnosis-client-missing-intermediate = Certains logiciels (Thunderbird sur ordinateur) récupèrent eux-mêmes le certificat intermédiaire et fonctionnent ; sinon, aucun paramètre du logiciel de messagerie ne peut aider : la correction se fait côté serveur.
diagnosis-client-no-safe-setting = Aucun paramètre sûr n’existe dans le logiciel de messagerie : la correction se fait côté serveur (n’envoyez pas le mot de passe en clair).
diagnosis-client-nothing-safer = Rien de plus sûr à régler dans le logiciel de messagerie ; la correction se fait côté serveur.
diagnosis-client-never-none = Ne réglez jamais la sécurité de la connexion du logiciel de messagerie sur « Aucune ».
diagnosis-client-check-credentials = Vérifiez le nom d’utilisateur (souvent l’adresse électronique complète) et le mot de passe ; certains fournisseurs exigent un mot de passe d’application.
diagnosis-client-close-other-clients = Fermez les autres logiciels de messagerie qui relèvent cette boîte aux lettres (téléphone, autre ordinateur), ou attendez quelques minutes et réessayez.
diagnosis-client-check-less-often = Réglez le logiciel de messagerie pour qu’il relève le courrier moins souvent, et attendez avant de réessayer.
diagnosis-client-dialogue-failed = Rien à changer dans le logiciel de messagerie ; les journaux du serveur en disent plus.
diagnosis-client-raise-timeout = Augmentez le délai d’attente du serveur dans le logiciel de messagerie s’il en propose un.
diagnosis-client-address-partial = Rien à changer dans le logiciel de messagerie ; il se rabat sur l’adresse qui fonctionne après un délai.
diagnosis-client-run-longer = Relancez popscope avec un --deadline (délai maximal) plus long pour avoir une vue complète.
diagnosis-server-dovecot-install-cert = Dans Dovecot 2.3, réglez `ssl_cert = </etc/ssl/fullchain.pem` et `ssl_key = </etc/ssl/privkey.pem` (Dovecot 2.4 : `ssl_server_cert_file = /etc/ssl/fullchain.pem` et `ssl_server_key_file = /etc/ssl/privkey.pem`), puis lancez `doveadm reload`.
diagnosis-server-courier-install-cert = Dans /etc/courier/pop3d-ssl, réglez `TLS_CERTFILE=/etc/courier/pop3d.pem`, un fichier PEM contenant la clé privée suivie du certificat et de ses certificats intermédiaires, puis redémarrez courier-pop3d-ssl et courier-pop3d.
diagnosis-server-cyrus-install-cert = Dans /etc/imapd.conf, réglez `tls_server_cert: /etc/ssl/fullchain.pem` et `tls_server_key: /etc/ssl/privkey.pem`, puis redémarrez Cyrus.
diagnosis-server-generic-install-cert = Configurez le serveur POP3 avec le fichier de la chaîne complète (le certificat suivi de ses certificats intermédiaires, par exemple le fullchain.pem de Let’s Encrypt) et sa clé, puis rechargez le service.
diagnosis-server-dovecot-enable-stls = Dans Dovecot, réglez `ssl = yes` (ou `ssl = required`) avec un certificat : 2.3 `ssl_cert = </etc/ssl/fullchain.pem`, `ssl_key = </etc/ssl/privkey.pem` ; 2.4 `ssl_server_cert_file = /etc/ssl/fullchain.pem`, `ssl_server_key_file = /etc/ssl/privkey.pem`. Dovecot propose alors STLS sur le port 110 et TLS sur le port 995.
diagnosis-server-courier-enable-stls = Dans /etc/courier/pop3d-ssl, réglez `POP3DSTARTTLS=YES` et `TLS_CERTFILE=` sur un fichier PEM contenant la clé et la chaîne complète ; dans /etc/courier/pop3d, réglez `POP3_TLS_REQUIRED=1` ; redémarrez courier-pop3d.
diagnosis-server-cyrus-enable-stls = Dans /etc/imapd.conf, réglez `tls_server_cert:` et `tls_server_key:` (la chaîne complète et sa clé) ; Cyrus propose alors STLS. Ajoutez `allowplaintext: no` pour que les authentifications l’attendent.
diagnosis-server-generic-enable-stls = Activez STLS sur le port en clair avec un certificat d’une AC publique (chaîne complète), et activez le TLS implicite sur le port 995.
diagnosis-server-dovecot-no-cleartext = Dans Dovecot 2.3, réglez `disable_plaintext_auth = yes` (Dovecot 2.4 : `auth_allow_cleartext = no`), puis lancez `doveadm reload` : USER et SASL PLAIN/LOGIN ne sont alors proposés qu’après STLS.
diagnosis-server-courier-no-cleartext = Dans /etc/courier/pop3d, réglez `POP3_TLS_REQUIRED=1` (et `POP3DSTARTTLS=YES` dans /etc/courier/pop3d-ssl), puis redémarrez courier-pop3d.
diagnosis-server-cyrus-no-cleartext = Dans /etc/imapd.conf, réglez `allowplaintext: no`, puis redémarrez Cyrus.
diagnosis-server-generic-no-cleartext = N’autorisez USER/PASS et SASL PLAIN/LOGIN qu’après STLS (ou seulement sur le port 995).
diagnosis-server-dovecot-modern-tls = Dans Dovecot, réglez `ssl_min_protocol = TLSv1.2` (et mettez à jour OpenSSL s’il ne connaît pas TLS 1.2), puis lancez `doveadm reload`.
diagnosis-server-courier-modern-tls = Dans /etc/courier/pop3d-ssl, supprimez toute ligne `TLS_PROTOCOL` qui le limite à TLS 1.0/1.1 (ou réglez `TLS_PROTOCOL=TLSv1.2+`), puis redémarrez courier-pop3d-ssl.
diagnosis-server-cyrus-modern-tls = Dans /etc/imapd.conf, réglez `tls_versions: tls1_2 tls1_3`, puis redémarrez Cyrus.
diagnosis-server-generic-modern-tls = Activez TLS 1.2 et 1.3 sur le serveur (et désactivez 1.0/1.1, retirés par la RFC 8996) ; un serveur limité à TLS 1.0 a généralement besoin d’une bibliothèque TLS plus récente.
diagnosis-server-dns-no-such-host = L’administrateur DNS du domaine doit publier le nom du serveur POP3 (enregistrements DNS A/AAAA), ou indiquer aux utilisateurs le nom exact du serveur.
diagnosis-server-dns-failure = L’administrateur DNS du domaine doit réparer les serveurs DNS qui ne répondent pas pour ce nom (souvent un problème de délégation ou de DNSSEC).
diagnosis-server-dns-dangling = L’administrateur DNS du domaine doit corriger ou supprimer les enregistrements DNS MX/SRV qui désignent un hôte sans adresse.
diagnosis-server-network-unreachable = Rien à changer sur le serveur POP3 lui-même ; vérifiez le routage vers ses adresses (et la connectivité IPv6 pour une adresse IPv6).
diagnosis-server-network-filtered = Ouvrez les ports TCP 110 et 995 dans le pare-feu placé devant le serveur (ou vérifiez que le serveur est en marche).
diagnosis-server-service-down = Démarrez le service POP3 et faites-le écouter sur les ports 110 et 995 (Dovecot : `protocols = pop3` ; vérifiez avec `ss -ltnp`).
diagnosis-server-ports-swapped = Remettez les ports dans le bon ordre : le port 110 doit parler POP3 en clair avec STLS, le port 995 TLS implicite (Dovecot : `service pop3-login {"{"} inet_listener pop3 {"{"} port = 110 {"}"} inet_listener pop3s {"{"} port = 995 ssl = yes {"}"} {"}"}`).
diagnosis-server-tls-on-plain = Faites parler POP3 en clair avec STLS au port 110 (Dovecot : `inet_listener pop3 {"{"} port = 110 {"}"}`, sans `ssl = yes`), et gardez le TLS implicite sur le port 995.
diagnosis-server-plain-on-tls = Faites parler TLS dès le premier octet au port 995 (Dovecot : `inet_listener pop3s {"{"} port = 995 ssl = yes {"}"}`), ou cessez d’écouter sur ce port.
diagnosis-server-not-pop3 = Faites tourner le service POP3 sur les ports 110/995 et déplacez l’autre service sur son propre port.
diagnosis-server-service-silent = Vérifiez que le service POP3 est en bon état (journaux, limites de processus) et que le port en clair parle POP3 en clair (et non TLS).
diagnosis-server-service-broken = Cherchez dans les journaux du serveur POP3 des plantages, et vérifiez tout proxy placé devant lui ; signalez l’échange défectueux à l’éditeur du serveur.
diagnosis-server-dovecot-handshake-failed = Vérifiez les réglages TLS de Dovecot (`doveconf -n | grep ssl`) et son journal ; activez TLS 1.2/1.3 avec des suites de chiffrement modernes.
diagnosis-server-handshake-failed = Vérifiez la configuration TLS du serveur et ses journaux ; activez TLS 1.2/1.3 avec des suites de chiffrement modernes (ECDHE avec AES-GCM ou ChaCha20).
diagnosis-server-cert-expiring = Renouvelez bientôt le certificat et vérifiez que le renouvellement automatique s’exécute et recharge le service POP3.
diagnosis-server-cert-not-yet-valid = Vérifiez les horloges (NTP) du serveur et du client ; faites réémettre le certificat si ses dates sont fausses.
diagnosis-server-stls-injection = Mettez à jour le serveur POP3 : il doit jeter le texte en clair reçu avant la négociation TLS quand STLS réussit (famille de la CVE-2011-0411).
diagnosis-server-auth-rejected = Vérifiez le compte dans la base des utilisateurs du serveur et, dans le journal d’authentification du serveur, la raison du refus.
diagnosis-server-auth-locked = Trouvez la session qui tient la boîte aux lettres (un autre logiciel, un processus bloqué) et terminez-la ; le verrou disparaît quand elle se ferme.
diagnosis-server-auth-login-delay = Rien n’est en panne : le serveur limite la fréquence à laquelle un utilisateur peut se connecter. Abaissez la limite LOGIN-DELAY si les logiciels doivent relever plus souvent.
diagnosis-server-auth-failed = Vérifiez le système d’authentification du serveur (LDAP, base de données) et ses journaux.
diagnosis-server-dialogue-failed = Cherchez dans les journaux du serveur la commande qui a échoué.
diagnosis-server-slow = Vérifiez la charge du serveur et ses recherches DNS inverses/ident à la connexion (désactivez-les ou réparez le résolveur DNS qu’il utilise).
diagnosis-server-capa-problem = Faites répondre correctement le serveur à CAPA (RFC 2449) ; signalez-le à l’éditeur du serveur.
diagnosis-server-address-partial = Faites fonctionner chaque adresse du nom du serveur (ou retirez du DNS l’adresse qui ne fonctionne pas).

## Causes et corrections côté client construites avec des valeurs.

diagnosis-endpoints-none = le serveur
diagnosis-endpoints-list = { $list } et { $last }
diagnosis-client-use-working = Utilisez les paramètres qui fonctionnent maintenant : { $setting }.
diagnosis-client-nothing-now = Rien à changer dans le logiciel de messagerie pour l’instant.
diagnosis-client-nothing = Rien à changer dans le logiciel de messagerie.
diagnosis-dns-no-such-host = Le nom de serveur { $host } n’existe pas dans le DNS : aucun logiciel de messagerie ne peut trouver le serveur
diagnosis-dns-failure = Le DNS n’a pas pu répondre pour { $host } ({ $reason }) : les logiciels de messagerie ne peuvent pas trouver le serveur
diagnosis-dns-dangling = Un enregistrement DNS du domaine désigne un hôte sans adresse ({ $detail })
diagnosis-network-unreachable = Aucune route réseau ne mène à { $endpoints }
diagnosis-network-filtered-deadline = Aucune connexion à { $host } n’a reçu de réponse avant la fin du délai maximal : un pare-feu bloque les paquets (ou le serveur est arrêté)
diagnosis-network-filtered = Délai dépassé pour les connexions à { $endpoints } : un pare-feu les bloque (ou le serveur est arrêté)
diagnosis-service-down = Rien n’écoute sur { $endpoints } : le service POP3 est arrêté ou n’utilise pas ces ports
diagnosis-ports-swapped = Les deux ports sont inversés : { $plain } parle TLS au lieu de POP3 en clair et { $tls } parle POP3 en clair au lieu de TLS
diagnosis-ports-swapped-client = En attendant la correction du serveur, réglez le logiciel de messagerie sur le port { $tls_port } avec la sécurité de la connexion « SSL/TLS » (pop3s://{ $host }:{ $tls_port }), et non sur le port { $plain_port }.
diagnosis-tls-on-plain = Le port { $endpoints } parle TLS dès le premier octet, et non POP3 en clair avec STARTTLS : les logiciels de messagerie réglés sur « STARTTLS » (ou « Aucune ») sur ce port attendent jusqu’au délai dépassé
diagnosis-tls-on-plain-client = Réglez la sécurité de la connexion du logiciel de messagerie sur « SSL/TLS » avec le port { $port } (pop3s://{ $host }:{ $port }).
diagnosis-plain-on-tls = Le port { $endpoints } parle POP3 en clair au lieu de TLS : les logiciels réglés sur « SSL/TLS » sur ce port échouent
diagnosis-another-protocol = un autre protocole
diagnosis-not-pop3 = Le port { $endpoints } répond avec { $protocol }, pas avec POP3 : ce n’est pas le service POP3 du serveur de messagerie
diagnosis-service-silent = Le serveur sur { $endpoints } accepte les connexions mais n’envoie jamais de message d’accueil POP3 (le port attend peut-être TLS, ou le service est bloqué) : les logiciels de messagerie attendent jusqu’au délai dépassé
diagnosis-service-broken = L’échange POP3 sur { $endpoints } échoue : { $detail }
diagnosis-an-old-tls-version = une ancienne version de TLS
diagnosis-tls-legacy-only = Le serveur sur { $endpoints } ne parle que { $version }, que les logiciels de messagerie récents refusent (RFC 8996)
diagnosis-tls-legacy-only-closed = Le serveur sur { $endpoints } ne parle que { $version }, que les logiciels de messagerie récents refusent (RFC 8996), et rien n’écoute sur { $closed }
diagnosis-tls-weak-key-blocks = Le certificat sur { $endpoints } a une clé trop faible ({ $key } bits), que les logiciels de messagerie récents refusent : la négociation TLS échoue
diagnosis-tls-weak-key = Le certificat sur { $endpoints } a une clé trop faible ({ $key } bits), qu’un attaquant pourrait casser
diagnosis-tls-handshake-failed = La négociation TLS avec { $endpoints } échoue : { $error }
diagnosis-an-old-version = une ancienne version
diagnosis-tls-old-version = Le serveur sur { $endpoints } ne négocie que { $version }, une ancienne version de TLS que les logiciels de messagerie abandonnent
diagnosis-cert-expired = Le certificat sur { $endpoints } a expiré le { $date } : les logiciels de messagerie le refusent
diagnosis-cert-not-yet-valid = Le certificat sur { $endpoints } n’est pas valide avant le { $date } : une horloge fausse ou un mauvais certificat
diagnosis-cert-self-signed = Le certificat sur { $endpoints } est auto-signé (SHA-256 { $fingerprint }) : les logiciels de messagerie le refusent
diagnosis-cert-self-signed-client = Demandez à l’administrateur de lire l’empreinte SHA-256 du certificat sur le serveur ; si elle correspond à { $fingerprint }, acceptez une exception ponctuelle dans le logiciel de messagerie. Sinon, aucun paramètre du logiciel de messagerie ne peut aider : la correction se fait côté serveur.
diagnosis-cert-untrusted-issuer = Le certificat sur { $endpoints } vient d’une autorité de certification (AC) à laquelle les logiciels de messagerie ne font pas confiance ({ $issuer }) : ils le refusent
diagnosis-cert-untrusted-issuer-client = Si l’organisation gère sa propre AC, installez le certificat de cette AC sur l’ordinateur ; ou comparez l’empreinte SHA-256 { $fingerprint } avec l’administrateur et acceptez une exception ponctuelle.
diagnosis-its-issuer = son émetteur
diagnosis-cert-missing-intermediate = Le serveur sur { $endpoints } n’envoie pas son certificat intermédiaire ({ $issuer }) : beaucoup de logiciels de messagerie (téléphones, Outlook) refusent le certificat
diagnosis-cert-wrong-name-cn-only = Le certificat sur { $endpoints } ne nomme { $name } que dans son Common Name, sans subjectAltName : les logiciels de messagerie récents le refusent
diagnosis-cert-wrong-name = Le certificat sur { $endpoints } est établi pour { $names }, pas pour { $name } : les logiciels de messagerie le refusent
diagnosis-cert-wrong-name-no-name = Le certificat sur { $endpoints } ne porte aucun nom, donc pas { $name } non plus : les logiciels de messagerie le refusent
diagnosis-cert-wrong-name-client = Saisissez { $name } comme nom du serveur entrant (le certificat est établi pour ce nom), s’il mène au même serveur ; sinon, la correction se fait côté serveur.
diagnosis-stls-missing-blocks = Le port { $endpoints } ne propose pas STLS et aucun port n’offre de TLS fonctionnel : mots de passe et messages traversent le réseau en clair
diagnosis-stls-missing = Le port { $endpoints } ne propose pas STLS : les logiciels configurés pour ce port envoient le mot de passe en clair
diagnosis-stls-injection = Le serveur sur { $endpoints } est vulnérable à l’injection de commandes STARTTLS : un attaquant placé sur le trajet peut injecter des commandes dans la session chiffrée
diagnosis-stls-injection-client = Préférez le TLS implicite : { $setting }.
diagnosis-auth-cleartext-login = L’authentification sur { $endpoints } a réussi, mais le mot de passe a traversé une connexion qui n’est pas protégée par un TLS de confiance
diagnosis-auth-cleartext = Le serveur sur { $endpoints } accepte les mots de passe avant TLS : un logiciel qui omet STARTTLS les envoie en clair
diagnosis-auth-cleartext-client = Vérifiez que le logiciel de messagerie utilise TLS : { $setting } ; jamais la sécurité de la connexion « Aucune ».
diagnosis-server-said = {" "}(réponse du serveur : -ERR { $text })
diagnosis-auth-rejected = Le serveur a refusé le nom d’utilisateur ou le mot de passe{ $said }
diagnosis-auth-locked = La boîte aux lettres est verrouillée par une autre session{ $said }
diagnosis-auth-login-delay = Le serveur limite la fréquence des connexions et la dernière est trop récente{ $said }
diagnosis-auth-failed = L’authentification a échoué : { $detail }
diagnosis-dialogue-failed = Une commande après l’authentification a échoué : { $detail }
diagnosis-cert-expiring = Le certificat sur { $endpoints } expire dans { $days ->
        [one] { $days } jour
       *[other] { $days } jours
    } ({ $date }) ; les logiciels de messagerie le refuseront alors
diagnosis-server-slow-summary = Le serveur sur { $endpoints } tarde à envoyer son message d’accueil ({ $detail }) ; les logiciels de messagerie dont le délai d’attente est court abandonnent
diagnosis-capa-problem = La réponse à CAPA sur { $endpoints } est défectueuse : { $detail }
diagnosis-address-partial = Une adresse du serveur échoue ({ $endpoints }) alors qu’une autre fonctionne : les logiciels qui la choisissent échouent ou attendent
diagnosis-run-incomplete = L’exécution ne s’est pas terminée : { $detail }

## Corrections côté serveur qui finissent par l’installation du certificat ($install).

diagnosis-server-weak-key = Émettez un nouveau certificat avec une clé RSA de 2048 bits ou plus, ou EC P-256, et installez-le. { $install }
diagnosis-server-cert-expired = Renouvelez le certificat (et vérifiez que le renouvellement automatique, par exemple certbot, s’exécute et recharge le service POP3). { $install }
diagnosis-server-public-cert = Installez un certificat d’une AC publique (par exemple Let’s Encrypt) avec ses certificats intermédiaires. { $install }
diagnosis-server-missing-intermediate = Envoyez aussi le certificat intermédiaire : configurez le fichier de la chaîne complète, pas le certificat seul. { $install }
diagnosis-server-wrong-name = Installez un certificat qui mentionne aussi le nom que saisissent les utilisateurs (ou indiquez-leur le nom pour lequel le certificat est établi). { $install }

## Paramètres du logiciel de messagerie, dans ses propres mots (Thunderbird, Outlook en français).

diagnosis-setting = serveur entrant { $host }, port { $port }, sécurité de la connexion { $security }, méthode d’authentification « { $auth } »
diagnosis-setting-with-user = serveur entrant { $host }, port { $port }, sécurité de la connexion { $security }, méthode d’authentification « { $auth } », nom d’utilisateur { $user }
diagnosis-security-ssl-tls = « SSL/TLS » (dans Outlook : « Ce serveur nécessite une connexion chiffrée (SSL/TLS) »)
diagnosis-security-starttls = « STARTTLS »
diagnosis-security-none = « Aucune »
diagnosis-auth-normal-password = Mot de passe normal
diagnosis-auth-encrypted-password = Mot de passe chiffré
diagnosis-note-same-address = Le certificat n’est pas valide pour { $name }, mais pour { $other }, qui pointe vers la même adresse : utilisez { $other }.
diagnosis-note-unconfirmed = Le certificat n’est pas valide pour { $name }, mais pour { $other } : utilisez { $other } s’il mène au même serveur (popscope n’a pas pu confirmer qu’il pointe vers la même adresse).

## Ce qui a permis d’identifier le logiciel du serveur.

diagnosis-evidence-implementation = capacité CAPA IMPLEMENTATION
diagnosis-evidence-greeting = message d’accueil
diagnosis-evidence-popa3d = comportement : message d’accueil « +OK » seul et pas de CAPA
diagnosis-evidence-dovecot = comportement : CAPA annonce CAPA et AUTH-RESP-CODE
diagnosis-evidence-gmail = comportement : CAPA annonce X-GOOGLE-RICO
diagnosis-evidence-zimbra = comportement : CAPA annonce XOIP
diagnosis-evidence-hmailserver = comportement : message d’accueil « +OK POP3 » avec CAPA USER, UIDL, TOP
