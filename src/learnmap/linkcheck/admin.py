from django.contrib import admin

from learnmap.linkcheck.models import CheckRun, Link, LinkCheck


@admin.register(CheckRun)
class CheckRunAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "roadmap", "all_roadmaps", "status", "created_at", "finished_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["roadmap"]
    readonly_fields = ["summary", "task_id", "attempts", "started_at", "heartbeat_at", "error"]


@admin.register(Link)
class LinkAdmin(admin.ModelAdmin):
    list_display = ["url", "link_class", "checked_at", "failures", "shown_class"]
    list_filter = ["link_class", "shown_class"]
    search_fields = ["url"]
    readonly_fields = ["url_hash", "result", "checked_at", "streak_checked_at", "failing_since"]


@admin.register(LinkCheck)
class LinkCheckAdmin(admin.ModelAdmin):
    list_display = ["link", "run", "link_class", "status", "checked_at"]
    list_filter = ["link_class"]
    list_select_related = ["link", "run"]
    search_fields = ["link__url"]
