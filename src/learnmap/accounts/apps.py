from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "learnmap.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from allauth.account import signals as allauth_signals
        from django.contrib.auth import get_user_model
        from django.db.models.signals import post_delete, post_save

        from learnmap.accounts import hooks, selectors

        def user_changed(sender, instance, **kwargs) -> None:
            selectors.user_forget(user_id=instance.pk)

        # A user saved or deleted (a password, deactivation, a sign-in; by allauth, Django's
        # auth, the admin or a service): forget the copy every process reads from the shared
        # cache (``selectors.user_get``).
        for signal in (post_save, post_delete):
            signal.connect(
                user_changed,
                sender=get_user_model(),
                weak=False,
                dispatch_uid="accounts.user_changed",
            )
        # A password changed or reset (allauth's pages): the access tokens are revoked.
        for signal in (allauth_signals.password_changed, allauth_signals.password_reset):
            signal.connect(
                hooks.password_replaced, weak=False, dispatch_uid="accounts.password_replaced"
            )
