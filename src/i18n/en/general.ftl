## Messages shared by every module.

general-app-name = popscope
general-days = { $count ->
    [one] { $count } day
   *[other] { $count } days
}
i18n-unknown-language = --lang { $value } is not a language popscope speaks; use one of: { $known }.
