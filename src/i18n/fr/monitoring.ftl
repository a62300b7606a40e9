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
