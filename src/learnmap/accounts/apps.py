from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "learnmap.accounts"
    label = "accounts"
    verbose_name = "Accounts"
