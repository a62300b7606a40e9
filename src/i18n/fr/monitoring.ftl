## monitoring : messages de src/monitoring (voir src/i18n/mod.rs).
## Le texte humain de `popscope plugin` (src/report/nagios.rs) : les mots
## d’état OK/WARNING/CRITICAL/UNKNOWN, le préfixe POP3 et les étiquettes des
## données de performance sont une sortie machine et ne sont jamais traduits.

monitoring-pop3-starttls = POP3 avec STARTTLS
monitoring-and = { $left } et { $right }
monitoring-fine = { $services } : bon fonctionnement en { $total } s
monitoring-more = { $top } (+{ $others ->
    [one] { $others } autre
   *[other] { $others } autres
    })
monitoring-slow = la vérification a pris { $total } s, au-delà du seuil { $flag } { $range }
monitoring-expiry = le certificat de { $endpoint } expire dans { $days ->
    [one] { $days } jour
   *[other] { $days } jours
    }, sous le seuil { $flag } { $limit } : renouvelez-le
monitoring-timed-out = pas de réponse complète en { $limit } s (-t { $limit }) : le serveur ou le réseau est trop lent ; augmentez -t pour attendre plus longtemps
monitoring-works = Fonctionne : { $setting }
monitoring-bad-range = { $flag } « { $typed } » n’est pas un seuil : donnez un nombre de secondes comme { $flag } 2, ou un intervalle comme { $flag } 1:5, { $flag } ~:3 ou { $flag } @0:1

## popscope plugin (src/app/plugin.rs) : erreurs d’utilisation.
monitoring-plugin-bad-port = les ports doivent être compris entre 1 et 65535, par ex. -p 110 ou -S -p 995
monitoring-plugin-bad-host = -H attend seulement un nom d’hôte ou une adresse, pas « { $typed } » : saisissez par ex. -H pop.example.com ; le port se donne avec -p et -S choisit le TLS implicite
monitoring-plugin-bad-timeout = -t « { $typed } » n’est pas une limite de temps : donnez un nombre de secondes, par ex. -t 10
monitoring-plugin-clap = { $message } ; lancez `popscope plugin --help` pour la liste des options

## popscope serve (src/app/serve.rs) et l’exportateur (src/exporter) : la
## ligne de démarrage, les avertissements, les réponses HTTP, la page
## d’accueil, les erreurs de configuration. Les noms de métriques, les
## étiquettes et les textes # HELP sont une sortie machine, en anglais.
monitoring-serve-bad-listen = --listen invalide « { $typed } » : donnez une adresse et un port, par ex. 127.0.0.1:9815 ou [::1]:9815
monitoring-serve-cannot-listen = impossible d’écouter sur { $address }
monitoring-serve-listening = exportateur popscope à l’écoute sur http://{ $address }/
monitoring-serve-open-warning = popscope : attention : écoute sur { $address }, qui n’est pas une adresse de bouclage, sans liste d’autorisation : toute personne qui peut la joindre peut faire sonder n’importe quel hôte par cette machine ; ajoutez --allow-target MOTIF ou allow_targets dans le fichier de configuration
monitoring-serve-failed = l’exportateur s’est arrêté sur une erreur
monitoring-exporter-no-target = aucune cible : ajoutez ?target=HÔTE à l’URL, par ex. /probe?target=pop.example.com (éventuellement &module=NOM)
monitoring-exporter-too-long = la requête est trop longue : l’URL peut compter au plus { $max } octets
monitoring-exporter-bad-query = impossible de lire la chaîne de requête ({ $why }) : utilisez /probe?target=HÔTE&module=NOM
monitoring-exporter-bad-target = cible invalide : { $why }
monitoring-exporter-bad-config = impossible de sonder cette cible avec ce module : { $why }
monitoring-exporter-unknown-module = module inconnu « { $name } » : les modules sont { $known }
monitoring-exporter-forbidden = la cible « { $target } » n’est pas autorisée : cet exportateur ne sonde que les cibles de sa liste d’autorisation (--allow-target, allow_targets dans le fichier de configuration)
monitoring-exporter-busy = trop de sondes à la fois : les { $max } emplacements de sonde sont restés occupés jusqu’au délai maximal de cette collecte ; augmentez --max-probes ou collectez moins souvent
monitoring-exporter-not-found = introuvable : l’exportateur sert /, /probe?target=HÔTE et /metrics
monitoring-exporter-index-title = exportateur popscope
monitoring-exporter-index-intro = Un exportateur Prometheus pour les services POP3 (voir docs/monitoring.md).
monitoring-exporter-index-metrics = les métriques propres à l’exportateur
monitoring-exporter-index-probe = diagnostiquer un service POP3
monitoring-exporter-config-unreadable = impossible de lire le fichier de configuration de l’exportateur { $path } : { $why }
monitoring-exporter-config-too-large = le fichier de configuration de l’exportateur { $path } dépasse { $max } octets : il ne doit contenir que des modules et allow_targets
monitoring-exporter-config-invalid = le fichier de configuration de l’exportateur { $path } n’est pas valide : { $why } ; voir docs/monitoring.md pour les clés
monitoring-exporter-module-invalid = module « { $module } » de la configuration de l’exportateur : { $why }
monitoring-exporter-both-families = ipv4 = true et ipv6 = true ensemble ne sondent rien : activez au plus l’un des deux
monitoring-exporter-bad-module-name = le nom de module « { $name } » n’est pas autorisé : utilisez seulement des lettres, des chiffres, « - » et « _ »
monitoring-exporter-bad-pattern = motif de liste d’autorisation invalide « { $pattern } » : donnez un hôte (pop.example.com), hôte:port (pop.example.com:995) ou *.domaine (*.example.com)
monitoring-exporter-zero-probes = --max-probes doit valoir au moins 1
