from django.urls import path

from learnmap.catalog import views
from learnmap.learning import views as learning_views

app_name = "catalog"

urlpatterns = [
    path("roadmaps/<slug:slug>.md", views.roadmap_markdown, name="roadmap-markdown"),
    # The home page and search are learning's pages now; these names stay for the layout's
    # links (base.html, 404.html, the navigation), which still say catalog:home/catalog:search.
    path("", learning_views.home, name="home"),
    path("search/", learning_views.search, name="search"),
]
