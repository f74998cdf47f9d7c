from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "learnmap.learning"
    label = "learning"
    verbose_name = "Learning progress"

    def ready(self) -> None:
        from allauth.account.signals import user_signed_up
        from django.contrib.auth.signals import user_logged_in

        from learnmap.catalog import marks as catalog_marks
        from learnmap.learning import checks, receivers  # noqa: F401  (checks registers)
        from learnmap.learning.marks import marks_by_item

        # The catalog's import plan says how many learners have marks on what it would retire.
        catalog_marks.counter_register(name="learning", counter=marks_by_item)

        # Django's signal covers every sign-in (allauth's included); allauth's sign-up signal
        # covers sign-ups that do not sign in at once (e-mail verification first).
        user_logged_in.connect(
            receivers.merge_session_progress, dispatch_uid="learning.merge_session_progress.login"
        )
        user_signed_up.connect(
            receivers.merge_session_progress, dispatch_uid="learning.merge_session_progress.signup"
        )
