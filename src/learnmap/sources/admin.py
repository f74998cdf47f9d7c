"""The sources in the admin: add, change, "Sync now" and a new webhook secret."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from learnmap.core.errors import ApplicationError
from learnmap.sources import services
from learnmap.sources.models import Source


class SourceForm(forms.ModelForm):
    class Meta:
        model = Source
        fields = [
            "roadmap",
            "url",
            "branch",
            "path",
            "push_allowed",
            "interval",
            "confirm_retiring",
        ]

    def clean(self):
        data = super().clean()
        try:
            data["url"], data["branch"], data["path"] = services.source_settings_check(
                url=data.get("url", ""), branch=data.get("branch", ""), path=data.get("path", "")
            )
        except ApplicationError as exc:
            raise forms.ValidationError(exc.message) from None
        return data


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    form = SourceForm
    list_display = [
        "roadmap",
        "url",
        "branch",
        "path",
        "push_allowed",
        "last_status",
        "last_sync_at",
        "changes_status",
    ]
    list_filter = ["last_status", "push_allowed", "changes_status"]
    list_select_related = ["roadmap"]
    readonly_fields = [
        "synced_sha",
        "last_sha",
        "last_status",
        "last_message",
        "last_sync_at",
        "pending_sha",
        "changes_status",
        "changes_message",
        "changes_at",
    ]
    actions = ["sync_now", "rotate_secret"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.webhook_secret = services.secret_new()
            messages.warning(
                request,
                _("The webhook secret (shown once; `learnmap sources secret` shows it again): %s")
                % obj.webhook_secret,
            )
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Sync now"))
    def sync_now(self, request, queryset):
        for source in queryset:
            outcome = services.source_sync(source_id=source.pk)
            if outcome is None:
                continue
            level = (
                messages.ERROR
                if outcome.failed
                else messages.WARNING
                if outcome.status == "waiting"
                else messages.SUCCESS
            )
            self.message_user(request, f"{outcome.slug}: {outcome.message}", level)

    @admin.action(description=_("Make a new webhook secret"))
    def rotate_secret(self, request, queryset):
        for source in queryset.select_related("roadmap"):
            secret = services.source_secret_rotate(slug=source.roadmap.slug)
            self.message_user(request, f"{source.roadmap.slug}: {secret}", messages.WARNING)
