"""The admin: staff name a roadmap's moderators, block accounts from proposing, and read the
proposals, the history and the audit log (decisions go through the review pages, which apply
them to the Markdown; the admin never edits a proposal's state or a change)."""

from django.contrib import admin

from learnmap.contributions.models import AuditEntry, Change, ModeratorRole, Proposal, ProposerBlock


@admin.register(ModeratorRole)
class ModeratorRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "roadmap", "created_at"]
    list_filter = ["roadmap"]
    search_fields = ["user__username", "user__email"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "roadmap"]


@admin.register(ProposerBlock)
class ProposerBlockAdmin(admin.ModelAdmin):
    list_display = ["user", "blocked_by", "reason", "created_at"]
    search_fields = ["user__username", "user__email"]
    autocomplete_fields = ["user"]
    readonly_fields = ["blocked_by"]

    def save_model(self, request, obj, form, change):
        obj.blocked_by = request.user
        super().save_model(request, obj, form, change)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Proposal)
class ProposalAdmin(ReadOnly):
    list_display = ["id", "kind", "roadmap", "author", "status", "created_at"]
    list_filter = ["status", "kind", "roadmap"]
    list_select_related = ["roadmap", "author"]


@admin.register(Change)
class ChangeAdmin(ReadOnly):
    list_display = ["id", "summary", "roadmap", "author", "moderator", "created_at"]
    list_filter = ["roadmap"]
    list_select_related = ["roadmap", "author", "moderator"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnly):
    list_display = ["at", "actor", "action", "roadmap", "proposal"]
    list_filter = ["action"]
    list_select_related = ["actor", "roadmap", "proposal"]
