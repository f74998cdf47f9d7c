"""Link health pages: a roadmap's links for maintainers, and the button that checks them again."""

from django.urls import path

from learnmap.linkcheck import views

app_name = "linkcheck"

urlpatterns = [
    path("r/<slug:slug>/links/", views.roadmap_links, name="roadmap"),
    path("r/<slug:slug>/links/recheck/", views.recheck, name="recheck"),
]
