"""The Git webhook, and "Sync now", the next sync's preview and "Apply" for maintainers."""

from django.urls import path

from learnmap.sources import views

app_name = "sources"

urlpatterns = [
    path("hooks/git/<slug:slug>", views.webhook, name="webhook"),
    path("r/<slug:slug>/source/sync/", views.sync_now, name="sync"),
    path("r/<slug:slug>/source/preview/", views.preview, name="preview"),
    path("r/<slug:slug>/source/apply/", views.apply, name="apply"),
    path("r/<slug:slug>/source/changes.patch", views.changes_patch, name="patch"),
    path("r/<slug:slug>/source/changes/discard/", views.changes_discard, name="discard"),
]
