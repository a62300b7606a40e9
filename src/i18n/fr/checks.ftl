## checks : messages de src/checks (voir src/i18n/mod.rs).
## Chaque résumé, détail et correction des vérifications. Les mots techniques
## (identifiants de vérification, commandes POP3, options) restent tels quels.

## Phrases fixes.

checks-another-address-works-detail = Une autre adresse de ce serveur fonctionne, mais pas celle-ci : les logiciels de messagerie qui la choisissent (IPv6 est en général essayée en premier) échouent ou attendent avant de se rabattre sur une autre.
checks-run-hit-deadline-before-summary = l’exécution a atteint son délai maximal (--deadline) avant la fin de tous les tests
checks-probes-still-running-deadline-detail = Les tests encore en cours à l’échéance ont été arrêtés ; leurs résultats manquent ou sont partiels.
checks-raise-deadline-lower-timeout-remedy = Augmentez --deadline, ou réduisez --timeout pour que chaque étape abandonne plus tôt.
checks-interrupted-ctrl-c-results-summary = interrompu (Ctrl-C) : les résultats sont partiels
checks-given-dns-refused-remedy = Le serveur DNS indiqué avec --dns-server a refusé la requête : vérifiez qu’il sert ce domaine (ou qu’il résout les noms pour ce client), ou adressez-vous à l’administrateur DNS du domaine.
checks-given-dns-timeout-remedy = Le serveur DNS indiqué avec --dns-server n’a pas répondu à temps : vérifiez son adresse et son port, et qu’il fonctionne et est joignable d’ici.
checks-given-dns-failed-remedy = Le serveur DNS indiqué avec --dns-server n’a pas su répondre : vérifiez qu’il sert ce domaine, ou adressez-vous à l’administrateur DNS du domaine.
checks-name-does-not-exist-remedy = Ce nom n’existe pas : vérifiez son orthographe, ou demandez au fournisseur de messagerie le nom exact du serveur POP3.
checks-name-exists-but-has-remedy = Ce nom existe mais n’a pas d’adresse : l’administrateur DNS doit ajouter un enregistrement DNS A (IPv4) et/ou AAAA (IPv6).
checks-dns-server-failed-answer-remedy = Le serveur DNS n’a pas su répondre (souvent un problème DNSSEC ou de délégation chez l’hébergeur DNS du domaine) : réessayez plus tard ou signalez-le à l’administrateur DNS du domaine.
checks-no-dns-answer-time-remedy = Pas de réponse DNS à temps : vérifiez le réseau ou le résolveur DNS (essayez --dns-server 9.9.9.9 pour comparer).
checks-dns-server-refused-query-remedy = Le serveur DNS a refusé la requête : utilisez un autre résolveur DNS (--dns-server).
checks-check-resolver-configuration-etc-remedy = Vérifiez la configuration du résolveur DNS (/etc/resolv.conf) ou essayez-en un autre avec --dns-server.
checks-target-ip-address-nothing-summary = la cible est une adresse IP : rien à résoudre
checks-dns-why-guess = (le nom d’hôte POP3 habituel pour ce domaine)
checks-drop-4-6-check-remedy = Retirez -4/-6, ou lancez la vérification depuis un réseau qui dispose de l’autre famille IP.
checks-mx-error-detail = Les enregistrements MX acheminent le courrier entrant (SMTP) ; POP3 n’en a pas besoin, mais un domaine qui reçoit du courrier en a généralement.
checks-mx-none-detail = Les enregistrements MX acheminent le courrier entrant (SMTP) ; POP3 n’en a pas besoin.
checks-mx-dangling-remedy = Demandez à l’administrateur DNS du domaine de corriger ou de supprimer les enregistrements MX dont l’hôte n’a pas d’adresse.
checks-srv-dangling-remedy = Demandez à l’administrateur DNS du domaine de faire pointer l’enregistrement SRV vers un hôte qui a une adresse, ou de le supprimer.
checks-srv-record-target-says-detail = Un enregistrement SRV de cible « . » indique que le service n’est délibérément pas proposé sur ce domaine (RFC 2782) ; popscope a deviné le nom d’hôte à la place.
checks-no-rfc-6186-srv-summary = aucun enregistrement SRV RFC 6186 (_pop3s._tcp, _pop3._tcp)
checks-mail-clients-auto-configure-detail = Les logiciels de messagerie qui se configurent automatiquement à partir des enregistrements SRV devineront le nom du serveur. Ce n’est pas une erreur.
checks-nothing-listens-port-check-remedy = Rien n’écoute sur ce port : vérifiez le numéro de port, et que le service POP3 fonctionne et est activé sur ce port.
checks-packets-are-dropped-firewall-remedy = Les paquets sont ignorés (un pare-feu filtre ce port, ou l’hôte est éteint) : vérifiez les pare-feu des deux côtés ; certains réseaux bloquent les ports POP3.
checks-network-has-no-route-remedy = Le réseau n’a pas de route vers cette adresse : vérifiez la connexion réseau du client (et la connectivité IPv6 pour une adresse IPv6).
checks-check-address-port-network-remedy = Vérifiez l’adresse, le port et le chemin réseau.
checks-another-port-server-gives-detail = Un autre port de ce serveur offre un POP3 chiffré par TLS qui fonctionne : c’est courant et sans gravité (beaucoup de fournisseurs n’ouvrent que le port 995).
checks-another-port-works-tls-detail = Un autre port fonctionne avec TLS, mais celui-ci est filtré en silence : les logiciels de messagerie configurés pour ce port resteront bloqués jusqu’à ce que leur délai d’attente soit dépassé.
checks-check-server-s-load-remedy = Vérifiez la charge du serveur et ses recherches DNS inverses ou ident à la connexion (par exemple, désactivez-les ou corrigez le résolveur DNS qu’utilise le serveur).
checks-err-greeting-means-server-detail = Un message d’accueil -ERR signifie que le serveur refuse le service à ce client (surcharge, maintenance ou règle d’accès).
checks-read-server-s-words-remedy = Lisez le message du serveur ci-dessus ; vérifiez les règles d’accès et les journaux du serveur.
checks-silent-plain-detail = Un serveur POP3 parle le premier. Le silence sur un port en clair signifie souvent que le port attend TLS (essayez pop3s:// ou le port 995), ou qu’un pare-feu ou un proxy fait obstacle.
checks-silent-tls-detail = Un serveur POP3 parle le premier. Le silence signifie que le service est bloqué ou qu’un proxy fait obstacle.
checks-check-pop3-service-healthy-remedy = Vérifiez que le service POP3 est en bon état (ses journaux, ses limites de nombre de processus), et que le port attend POP3 en clair.
checks-server-closed-connection-without-summary = le serveur a fermé la connexion sans message d’accueil
checks-service-accepted-closed-once-detail = Le service a accepté puis fermé aussitôt : typiquement une limite de connexions, une règle d’accès (TCP wrapper) ou un service qui plante.
checks-logs-access-rules-remedy = Vérifiez les journaux et les règles d’accès du serveur (hosts.allow, limites de connexions par IP).
checks-greeting-unterminated-remedy = Le serveur a commencé un message d’accueil POP3 sans jamais terminer sa ligne : vérifiez les journaux du serveur, et tout proxy ou filtre entre le client et le serveur qui pourrait retenir des données.
checks-logs-broke-before-greeting-remedy = Vérifiez les journaux du serveur ; la connexion a été rompue avant le message d’accueil.
checks-foreign-service-smtp = un autre service (un serveur de messagerie SMTP, pour envoyer le courrier), pas POP3
checks-foreign-service-imap = un autre service (IMAP, un autre protocole de boîte aux lettres), pas POP3
checks-no-pop3-service-answered-remedy = Aucun service POP3 n’a répondu lors de cette vérification : le serveur POP3 doit être configuré et en fonctionnement sur le port qu’utilisent les logiciels de messagerie (en général 995 avec SSL/TLS, ou 110 avec STARTTLS).
checks-foreign-imap-remedy = Ou configurez le logiciel de messagerie en IMAP sur ce port.
checks-capa-list-long-unusual = Une liste CAPA aussi longue est inhabituelle et certains logiciels de messagerie échouent dessus : vérifiez ce que le serveur annonce (par exemple ses mécanismes SASL) et signalez-le à l’éditeur du serveur.
checks-report-over-long-capa = Signalez les lignes CAPA trop longues à l’éditeur du serveur ; certains logiciels de messagerie les rejettent.
checks-stls-still-listed-inside = STLS est encore annoncé à l’intérieur de TLS ; la RFC 2595 impose qu’il disparaisse.
checks-report-server-vendor-clients = Signalez-le à l’éditeur du serveur ; les logiciels de messagerie pourraient tenter de passer en TLS deux fois.
checks-server-must-answer-capa = Le serveur doit répondre à CAPA à l’intérieur de TLS (RFC 2595 §4) ; signalez-le à l’éditeur.
checks-server-s-responses-inside = Les réponses du serveur à l’intérieur de TLS sont défectueuses ; vérifiez ses journaux.
checks-without-capa-rfc-2449-detail = Sans CAPA (RFC 2449, 1998), les logiciels de messagerie ne peuvent pas découvrir STLS, SASL ou PIPELINING et en sont réduits à deviner.
checks-upgrade-configure-server-support-remedy = Mettez à jour ou configurez le serveur pour qu’il prenne en charge CAPA.
checks-capa-too-large-detail = La réponse à CAPA dépassait ce que popscope lit : il a cessé de lire avant la fin de la réponse (une ligne avec un seul « . ») ; une liste aussi longue fait aussi bloquer ou échouer les logiciels de messagerie.
checks-multi-line-capa-response = La réponse multiligne à CAPA ne s’est pas terminée correctement (une ligne avec un seul « . ») : les logiciels de messagerie resteront bloqués ou échoueront ici.
checks-logs-crashes-remedy = Cherchez des plantages dans les journaux du serveur ; signalez-le à l’éditeur du serveur.
checks-capa-cut-names-searched = STLS, USER et SASL ont aussi été recherchés parmi ces noms.
checks-before-stls-server-does-detail = Avant STLS, le serveur ne propose ni USER ni SASL PLAIN/LOGIN : un client ne peut donc pas envoyer de mot de passe en clair.
checks-client-skips-stls-tricked-detail = Un client qui saute STLS (ou qu’on pousse à le sauter) peut envoyer le mot de passe en clair sur le réseau. popscope n’a envoyé aucun mot de passe pour le découvrir.
checks-disable-plain-text-authentication-remedy = Désactivez l’authentification en clair avant TLS (Dovecot : disable_plaintext_auth = yes / auth_allow_cleartext = no) pour que USER et SASL PLAIN/LOGIN n’apparaissent qu’après STLS.
checks-unknown-without-capa-popscope-summary = inconnu : sans CAPA, popscope ne peut pas le savoir sans envoyer d’identifiants (ce qu’il ne fait jamais)
checks-data-sent-before-tls-detail = Des données envoyées avant la négociation TLS peuvent être injectées par un attaquant et doivent être ignorées ; ce serveur en envoie.
checks-stls-offered-upgrade-tls-summary = STLS proposé et passage à TLS réussi
checks-stls-accepted-but-tls-summary = STLS accepté, mais la négociation TLS a échoué (voir tls.handshake)
checks-could-not-tell-whether-summary = impossible de savoir si STLS est proposé : la liste CAPA a été coupée avant sa fin
checks-stls-was-not-among-detail = STLS ne figurait pas parmi les capacités vues, mais la liste continuait au-delà de ce que popscope lit : son absence ne prouve donc rien.
checks-shorten-server-s-capa-remedy = Raccourcissez la liste CAPA du serveur (voir pop3.capa), puis relancez la vérification.
checks-stls-not-offered-port = STLS non proposé : ce port ne parle que POP3 en clair
checks-port-995-implicit-tls = Le port 995 (TLS implicite) fonctionne, mais les logiciels de messagerie configurés pour ce port enverront mots de passe et courrier en clair.
checks-no-working-tls-passwords = Aucun TLS fonctionnel : mots de passe et courrier traversent le réseau en clair.
checks-enable-tls-server-dovecot-remedy = Activez TLS sur le serveur (Dovecot : ssl = yes avec un certificat), ou configurez les logiciels de messagerie sur le port 995 (POP3S).
checks-plaintext-sent-together-stls-summary = le texte en clair envoyé avec STLS n’a pas reçu de réponse à l’intérieur de TLS
checks-popscope-sent-stls-another-detail = popscope a envoyé STLS et une autre commande dans un même paquet ; le serveur a correctement ignoré la seconde au passage à TLS.
checks-update-pop3-server-must-remedy = Mettez à jour le serveur POP3 : il doit ignorer le texte en clair en attente quand STLS réussit.
checks-port-does-not-speak = Ce port ne parle pas TLS dès le premier octet : vérifiez quel service écoute ici, et configurez-y TLS implicite (POP3S).
checks-server-did-not-finish = Le serveur n’a pas terminé la négociation TLS : cherchez un proxy ou un pare-feu qui inspecte TLS, et vérifiez la configuration TLS du serveur.
checks-no-tls-version-common = Aucune version de TLS en commun : le serveur doit prendre en charge TLS 1.2 ou 1.3 (la RFC 8996 retire 1.0/1.1).
checks-no-cipher-suite-key = Aucune suite de chiffrement ni échange de clés en commun : activez sur le serveur des suites de chiffrement TLS 1.2/1.3 modernes (ECDHE avec AES-GCM ou ChaCha20).
checks-check-server-s-tls = Vérifiez la configuration TLS et les journaux du serveur.
checks-nothing-change-server-check-remedy = Rien à changer côté serveur pour cela : vérifiez la connexion avec un logiciel de messagerie ou `openssl s_client -connect HOST:PORT`.
checks-enable-tls-1-2-remedy = Activez TLS 1.2 et 1.3 sur le serveur (et désactivez 1.0/1.1).
checks-self-signed-certificate-no-summary = certificat auto-signé : aucun logiciel de messagerie ne lui fera confiance
checks-server-install-certificate-from-remedy = Côté serveur, installez un certificat d’une autorité de certification (AC) publique (par exemple Let’s Encrypt) avec son certificat intermédiaire (par exemple fullchain.pem). En attendant, les utilisateurs peuvent comparer l’empreinte SHA-256 avec celle du serveur et ajouter une exception ponctuelle dans le logiciel de messagerie, ou donner ce certificat à popscope avec --ca-file.
checks-use-certificate-from-public-remedy = Utilisez un certificat d’une AC publique, ou (AC privée) installez le certificat de l’AC sur les postes clients (popscope : --ca-file).
checks-leaf-s-issuer-neither-detail = L’émetteur du certificat du serveur n’est ni envoyé par le serveur ni une AC racine de confiance. Le plus souvent, le serveur est configuré avec son seul certificat ; certains logiciels de messagerie compensent, beaucoup (téléphones, fetchmail, Outlook) échouent.
checks-configure-server-full-chain-remedy = Configurez le serveur avec le fichier de la chaîne de certificats complète (le certificat du serveur suivi des certificats intermédiaires, par exemple fullchain.pem de Let’s Encrypt). Si l’émetteur est une AC racine privée, utilisez --ca-file.
checks-check-certificate-chain-installed-remedy = Vérifiez la chaîne de certificats installée sur le serveur.
checks-install-certificate-lists-name = Installez un certificat qui contient ce nom, ou configurez les logiciels de messagerie avec un nom que contient le certificat (vérifiez avec --tls-name NOM).
checks-no-name-check-give-summary = aucun nom à vérifier : indiquez --tls-name NOM pour une cible IP
checks-renew-certificate-reload-server-remedy = Renouvelez le certificat et rechargez le serveur (vérifiez que le renouvellement automatique, par exemple certbot, s’exécute et recharge le service POP3).
checks-either-certificate-was-issued-detail = Soit le certificat a été émis avec une date de début future, soit une horloge (celle du serveur ou celle de cette machine) est fausse.
checks-check-clocks-ntp-server-remedy = Vérifiez les horloges (NTP) du serveur et de cette machine ; faites réémettre le certificat si ses dates sont fausses.
checks-renew-certificate-soon-check-remedy = Renouvelez le certificat bientôt ; vérifiez que le renouvellement automatique fonctionne.
checks-rsa-keys-below-2048-detail = Les clés RSA de moins de 2048 bits et les clés EC de moins de 256 bits sont considérées comme cassables.
checks-issue-new-certificate-rsa-remedy = Faites émettre un nouveau certificat avec une clé RSA de 2048 bits ou plus, ou EC P-256 ou plus.

## Phrases avec des valeurs.

checks-working-port-tls = le port { $port } avec SSL/TLS
checks-working-port-starttls = le port { $port } avec STARTTLS
checks-working-port-unencrypted = le port { $port } en clair
checks-no-address-summary = aucune adresse à laquelle se connecter
checks-no-address-remedy = Vérifiez le nom d’hôte et les options -4/-6.
checks-dns-why-srv = (désigné par l’enregistrement SRV { $record })
checks-dns-no-record = { $host } n’a aucun enregistrement A ou AAAA
checks-dns-guess-unresolved-detail = Aucun enregistrement SRV ne désignait le serveur POP3, et aucun des noms { $tried } ne se résout. { $error }
checks-dns-unresolved-summary = { $host }{ $why } ne se résout pas : { $error }
checks-dns-family-filtered-summary = { $host } n’a pas d’adresse de la famille demandée (-4/-6)
checks-dns-family-filtered-detail = Il se résout uniquement en { $addresses }.
checks-dns-family-none = { $family } : aucune.
checks-dns-family-addresses = { $family } : { $addresses }.
checks-dns-family-error = { $family } : { $error }.
checks-dns-resolves-summary = { $host }{ $why } se résout en { $addresses }
checks-mx-skipped-summary = MX non recherchés
checks-mx-error-summary = aucun enregistrement MX : { $error }
checks-mx-none-summary = aucun enregistrement MX
checks-mx-pass-summary = MX : { $names }
checks-mx-dangling-summary = hôtes MX qui ne se résolvent pas : { $hosts }
checks-mx-dangling-detail = MX : { $names }. Un MX sans adresse fait échouer les expéditeurs ou les oblige à se rabattre sur un autre.
checks-srv-record = { $name } -> { $target }:{ $port } (priorité { $priority }, poids { $weight })
checks-srv-not-available = { $name } : service explicitement indisponible (cible « . »)
checks-srv-skipped-summary = SRV non recherchés
checks-srv-dangling-summary = cibles SRV qui ne se résolvent pas : { $targets }
checks-srv-pass-summary = SRV : { $records }
checks-connect-pass-summary = connecté en { $ms } ms
checks-greeting-slow-summary = message d’accueil reçu en { $ms } ms (plus lent que { $slow } ms)
checks-greeting-slow-detail = +OK { $text }. Un message d’accueil lent vient en général de recherches DNS inverses ou d’un serveur surchargé ; les logiciels de messagerie aux délais d’attente courts abandonnent.
checks-greeting-pass-summary = message d’accueil +OK en { $ms } ms
checks-greeting-err-summary = le serveur accueille avec -ERR : { $text }
checks-greeting-silent-summary = aucun message d’accueil en { $ms } ms : le serveur a accepté la connexion mais n’a rien dit
checks-foreign-unknown-protocol = un protocole inconnu
checks-greeting-foreign-summary = pas un serveur POP3 : la bannière ressemble à { $protocol }
checks-greeting-foreign-detail = Première ligne : { $banner }
checks-foreign-tls-remedy = Ce port attend TLS dès le premier octet : dans le logiciel de messagerie, choisissez SSL/TLS pour le port { $port } (pop3s://serveur:{ $port }).
checks-foreign-service-other = un autre service ({ $protocol }), pas POP3
checks-foreign-service-unknown = quelque chose qui n’est pas POP3
checks-foreign-runs = Sur le port { $port } tourne { $service }.
checks-foreign-works-elsewhere = POP3 fonctionne lors de cette vérification sur { $ports } : configurez le logiciel de messagerie pour ce port.
checks-tls-on-plain-unknown-version = un serveur TLS
checks-tls-on-plain-certificate = { $version }, certificat pour { $names }
checks-tls-on-plain-detail = Aucun message d’accueil en clair en { $ms } ms, mais un ClientHello TLS envoyé sur une deuxième connexion a reçu une réponse ({ $answer }).
checks-tls-on-plain-swapped-detail = Le port { $other }, où TLS était attendu, parle POP3 en clair : les deux ports sont inversés.
checks-tls-on-plain-swapped-server-fix = Côté serveur, remettez-les dans l’ordre : TLS implicite (POP3S) sur le port { $other }, POP3 en clair avec STLS sur le port { $port }.
checks-tls-on-plain-server-fix = Côté serveur, corrigez l’affectation des ports : le port { $port } est prévu pour POP3 en clair avec STLS, TLS implicite (POP3S) va sur le port 995.
checks-tls-on-plain-summary = ce port parle TLS, pas POP3 en clair : c’est le port TLS
checks-tls-on-plain-swapped-summary = ce port parle TLS, pas POP3 en clair : c’est le port TLS (les deux ports sont inversés)
checks-tls-on-plain-remedy = Dans le logiciel de messagerie, connectez-vous en SSL/TLS au port { $port } (pop3s://{ $host }:{ $port }). { $fix }
checks-plain-on-tls-swapped-remedy = Les deux ports sont inversés : le port { $port } parle POP3 en clair et le port { $other } parle TLS. Dans le logiciel de messagerie, connectez-vous en SSL/TLS au port { $other } (pop3s://serveur:{ $other }) ; côté serveur, remettez-les dans l’ordre (TLS implicite sur le port { $port }, POP3 en clair avec STLS sur le port { $other }).
checks-plain-on-tls-use-stls-remedy = Ce port parle POP3 en clair, pas TLS. Dans le logiciel de messagerie, utilisez le port { $other } avec STARTTLS, qui fonctionne ; côté serveur, activez TLS implicite (POP3S) sur le port { $port }.
checks-plain-on-tls-remedy = Ce port parle POP3 en clair, pas TLS : côté serveur, activez TLS implicite (POP3S) sur le port { $port }, ou déplacez POP3 en clair sur son propre port (110) et proposez-y STLS.
checks-capa-pass-summary = CAPA : { $capabilities }
checks-capa-over-limit-detail = { $count ->
        [one] { $count } ligne de capacité dépasse
       *[other] { $count } lignes de capacités dépassent
    } la limite de 512 octets de la RFC 2449.
checks-capa-after-stls-detail = Après STLS (la RFC 2595 §4 impose de redemander) : ajoutées [{ $added }], retirées [{ $removed }].
checks-capa-after-stls-refused-detail = CAPA après STLS a été refusé : -ERR { $text }
checks-capa-after-stls-broken-detail = CAPA après STLS a échoué : { $error }
checks-capa-unsupported-summary = CAPA non pris en charge : -ERR { $text }
checks-capa-broken-summary = réponse à CAPA défectueuse : { $error }
checks-capa-cut-summary = liste CAPA coupée : plus longue que ce que popscope lit ; { $names }
checks-capa-cut-more = et { $count } de plus
checks-capa-cut-detail = popscope garde 200 lignes CAPA et 64 Kio au total, et lit des lignes de 64 Kio au plus ; cette liste allait au-delà. { $kept ->
        [one] { $kept } ligne a été gardée entière
       *[other] { $kept } lignes ont été gardées entières
    } ; pour { $named ->
        [one] la ligne suivante
       *[other] les { $named } suivantes
    }, seul le nom de la capacité (le premier mot) a été gardé
checks-capa-cut-long-lines = , dont { $count ->
        [one] { $count } parce que sa ligne dépassait 64 Kio et a été coupée
       *[other] { $count } parce que leurs lignes dépassaient 64 Kio et ont été coupées
    }
checks-capa-cut-names-lost = { $count ->
        [one] { $count } ligne supplémentaire n’a même pas été vue par son nom
       *[other] { $count } lignes supplémentaires n’ont même pas été vues par leur nom
    } : une capacité absente de cette liste peut donc quand même être proposée.
checks-cleartext-pass-summary = aucune authentification en clair proposée avant TLS
checks-cleartext-warn-summary = authentification en clair proposée avant TLS : { $offered }
checks-stls-leftover-summary = le serveur a envoyé { $count ->
        [one] { $count } octet
       *[other] { $count } octets
    } de texte en clair après le +OK à STLS
checks-stls-leftover-remedy = Signalez-le à l’éditeur du serveur.
checks-stls-handshake-failed-remedy = Consultez tls.handshake pour en connaître la raison.
checks-stls-refused-summary = STLS refusé : -ERR { $text }
checks-stls-unlisted-detail = { $detail } (STLS ne figurait pas parmi les capacités vues dans la liste CAPA coupée ; popscope l’a quand même essayé.)
checks-stls-broken-summary = l’échange STLS a échoué : { $error }
checks-stls-broken-remedy = Vérifiez les journaux du serveur.
checks-injection-vulnerable-summary = vulnérable à l’injection de commandes STARTTLS
checks-injection-vulnerable-detail = Le serveur a répondu, à l’intérieur de TLS, à une commande envoyée en clair avant le passage à TLS ({ $evidence }). Un attaquant placé entre le client et le serveur peut injecter des commandes dans la session chiffrée (faille de la classe CVE-2011-0411).
checks-injection-inconclusive-summary = impossible de conclure : { $reason }
checks-handshake-beyond-summary = popscope ne peut pas vérifier la clé RSA de { $bits } bits de ce serveur : la limite est celle de popscope, pas du serveur
checks-handshake-beyond-detail = La bibliothèque TLS de popscope vérifie les clés RSA jusqu’à 8 192 bits ; les logiciels de messagerie courants (fondés sur OpenSSL ou NSS) acceptent les clés RSA jusqu’à 16 384 bits : ils peuvent donc joindre ce serveur. L’erreur de la négociation TLS était : { $error }
checks-handshake-failed-summary = échec de la négociation TLS : { $error }
checks-protocol-legacy-summary = le serveur ne propose que { $version }
checks-protocol-legacy-detail = Un ClientHello construit à la main proposant TLS 1.0/1.1 a reçu une réponse en { $version } ; TLS 1.2 et 1.3 ont été refusés. { $version } est retiré (RFC 8996) et les logiciels de messagerie modernes le refusent.
checks-protocol-none-summary = aucune version de TLS n’a pu être négociée (les anciennes versions ont aussi été refusées : { $reason })
checks-protocol-none-remedy = Vérifiez la configuration TLS du serveur.
checks-protocol-unknown-summary = version inconnue : { $reason }
checks-handshake-pass-summary = négociation TLS terminée en { $ms } ms
checks-protocol-pass-summary = { $version } avec { $cipher }
checks-protocol-old-summary = { $version } négocié
checks-protocol-old-remedy = Activez TLS 1.2 et 1.3 sur le serveur.
checks-chain-trusted-summary = chaîne de certificats de confiance (émetteur : { $issuer })
checks-chain-deferred-summary = chaîne de certificats complète jusqu’à une AC racine de confiance (émetteur : { $issuer })
checks-chain-deferred-detail = La vérification a échoué pour une autre raison, jugée à part : { $reason }
checks-chain-self-signed-detail = Le certificat ({ $subject }) est son propre émetteur. Empreinte SHA-256 : { $fingerprint }
checks-chain-unknown-issuer-summary = émetteur inconnu : la chaîne de certificats s’arrête à { $issuer }, qui n’est pas une AC racine de confiance
checks-chain-missing-intermediate-summary = chaîne de certificats incomplète : le serveur n’a pas envoyé le certificat intermédiaire ({ $issuer })
checks-chain-other-summary = chaîne de certificats non reconnue : { $reason }
checks-hostname-pass-summary = certificat valide pour { $name } ({ $why })
checks-hostname-pass-detail = Valide pour : { $names }
checks-hostname-valid-for-detail = Il est valide pour : { $names }
checks-hostname-no-name = aucun nom
checks-hostname-same-address-detail = Même adresse que ce serveur pour : { $names }.
checks-hostname-alternative-remedy = Dans le logiciel de messagerie, utilisez { $alternative } comme nom de serveur : le certificat est émis pour ce nom, à la même adresse (vérifiez avec --tls-name { $alternative }). Côté serveur, installez un certificat qui contient aussi { $name }.
checks-hostname-cn-only-summary = le certificat ne cite { $name } que dans son Common Name, sans subjectAltName : les logiciels de messagerie modernes le refusent ({ $why })
checks-hostname-cn-only-detail = Le certificat n’a pas de subjectAltName DNS ; { $name } n’apparaît que dans le Common Name de son sujet. Les logiciels de messagerie modernes (Thunderbird, Outlook, Apple Mail, Android, tout ce qui repose sur OpenSSL 1.1+ ou rustls, et popscope) comparent les noms d’hôte au seul subjectAltName (RFC 6125) : ils le refusent donc.
checks-hostname-cn-only-remedy = Côté serveur, installez un certificat qui contient { $name } comme subjectAltName (toutes les AC publiques les émettent ainsi) ; rien dans le logiciel de messagerie ne peut le corriger.
checks-hostname-fail-summary = certificat non valide pour { $name } ({ $why })
checks-expiry-expired-summary = certificat expiré le { $date } (il y a { $days ->
        [one] { $days } jour
       *[other] { $days } jours
    })
checks-expiry-not-yet-summary = certificat non valide avant le { $date }
checks-expiry-soon-summary = le certificat expire dans { $days ->
        [one] { $days } jour
       *[other] { $days } jours
    } ({ $date })
checks-expiry-pass-summary = valide jusqu’au { $date } ({ $days ->
        [one] { $days } jour restant
       *[other] { $days } jours restants
    })
checks-key-weak-summary = clé trop faible : { $algorithm } { $bits } bits
checks-key-pass-summary = clé { $algorithm } de { $bits } bits
