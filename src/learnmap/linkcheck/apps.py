from django.apps import AppConfig


class LinkcheckConfig(AppConfig):
    name = "learnmap.linkcheck"
    label = "linkcheck"
    verbose_name = "Link health"
