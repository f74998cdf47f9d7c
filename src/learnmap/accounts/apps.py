from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "learnmap.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_save

        from learnmap.accounts import selectors

        def user_changed(sender, **kwargs) -> None:
            selectors.users_forget()

        # A user saved or deleted (a password, deactivation, a sign-in): forget the users kept
        # in memory (``selectors.user_get``).
        for signal in (post_save, post_delete):
            signal.connect(
                user_changed,
                sender=get_user_model(),
                weak=False,
                dispatch_uid="accounts.user_changed",
            )
