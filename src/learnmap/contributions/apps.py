from django.apps import AppConfig


class ContributionsConfig(AppConfig):
    name = "learnmap.contributions"
    label = "contributions"
    verbose_name = "Contributions and moderation"
