from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "learnmap.learning"
    label = "learning"
    verbose_name = "Learning progress"

    def ready(self) -> None:
        from allauth.account.signals import user_signed_up
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_delete, post_save

        from learnmap.catalog.models import Roadmap
        from learnmap.learning import receivers

        # Django's signal covers every sign-in (allauth's included); allauth's sign-up signal
        # covers sign-ups that do not sign in at once (e-mail verification first).
        user_logged_in.connect(
            receivers.merge_session_progress, dispatch_uid="learning.merge_session_progress.login"
        )
        user_signed_up.connect(
            receivers.merge_session_progress, dispatch_uid="learning.merge_session_progress.signup"
        )
        # A roadmap saved or deleted (an import, a rename): forget the headers kept in memory.
        for signal in (post_save, post_delete):
            signal.connect(
                receivers.roadmap_changed, sender=Roadmap, dispatch_uid="learning.roadmap_changed"
            )
