"""The learner's pages: home, roadmaps, nodes, search, My progress, and the forms they post."""

from django.urls import path

from learnmap.learning import views

app_name = "learning"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("r/<slug:slug>/", views.roadmap, name="roadmap"),
    path("r/<slug:slug>/resources/", views.resources, name="resources"),
    path("r/<slug:slug>/seen/", views.news_seen, name="news-seen"),
    path("r/<slug:slug>/removed-seen/", views.retired_seen, name="retired-seen"),
    path("r/<slug:slug>/n/<str:node_slug>/", views.node, name="node"),
    path("node/<uuid:key>/", views.node_by_key, name="node-key"),
    # Forms (POST): a partial for htmx, a redirect back for a plain form post.
    path("node/<uuid:key>/state/", views.node_state, name="node-state"),
    path("node/<uuid:key>/elective/", views.elective_choose, name="elective"),
    path("node/<uuid:key>/note/", views.note_save, name="note"),
    path("resource/<uuid:key>/done/", views.resource_done, name="resource-done"),
    path("me/filters/", views.filters_save, name="filters-save"),
    path("me/progress/", views.progress, name="progress"),
    path("me/progress/export.json", views.progress_export, name="progress-export"),
    path("me/progress/import/", views.progress_import, name="progress-import"),
    path("me/progress/<slug:slug>/checklist.md", views.checklist, name="checklist"),
]
