from django.contrib import admin

from learnmap.catalog.models import Node, Resource, Roadmap


@admin.register(Roadmap)
class RoadmapAdmin(admin.ModelAdmin):
    list_display = ["slug", "title", "builtin", "revision", "imported_at"]
    search_fields = ["slug", "title"]
    readonly_fields = ["source_sha256", "revision", "imported_at"]


@admin.register(Node)
class NodeAdmin(admin.ModelAdmin):
    list_display = ["title", "roadmap", "node_type", "kind", "in_progress", "retired_at"]
    list_filter = ["roadmap", "node_type", "kind", "in_progress"]
    search_fields = ["title", "slug"]
    list_select_related = ["roadmap"]


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["title", "author", "kind", "level", "cost", "roadmap", "retired_at"]
    list_filter = ["roadmap", "kind", "level", "cost"]
    search_fields = ["title", "author", "url"]
    list_select_related = ["roadmap"]
