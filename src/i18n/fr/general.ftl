## Messages communs à tous les modules.

# same-as-en: general-app-name
general-app-name = popscope
general-days = { $count ->
    [one] { $count } jour
   *[other] { $count } jours
}
i18n-unknown-language = --lang { $value } n’est pas une langue que popscope parle ; choisissez parmi : { $known }.
