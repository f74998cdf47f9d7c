from django.urls import path

from learnmap.catalog import views

app_name = "catalog"

urlpatterns = [
    path("roadmaps/<slug:slug>.md", views.roadmap_markdown, name="roadmap-markdown"),
]
