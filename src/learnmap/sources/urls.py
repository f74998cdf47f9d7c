"""The Git webhook, and "Sync now" for maintainers."""

from django.urls import path

from learnmap.sources import views

app_name = "sources"

urlpatterns = [
    path("hooks/git/<slug:slug>", views.webhook, name="webhook"),
    path("r/<slug:slug>/source/sync/", views.sync_now, name="sync"),
]
