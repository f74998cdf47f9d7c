"""The Git webhook, and "Sync now" for maintainers."""

from django.urls import path

from learnmap.sources import views

app_name = "sources"

urlpatterns = [
    path("hooks/git/<slug:slug>", views.webhook, name="webhook"),
    path("r/<slug:slug>/source/sync/", views.sync_now, name="sync"),
    path("r/<slug:slug>/source/changes.patch", views.changes_patch, name="patch"),
    path("r/<slug:slug>/source/changes/discard/", views.changes_discard, name="discard"),
]
