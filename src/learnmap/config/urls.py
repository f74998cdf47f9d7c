from django.contrib import admin
from django.urls import include, path

# Unknown pages and server errors use Django's default handlers, which render the
# templates/404.html and 500.html in the learner's language (LocaleMiddleware).
urlpatterns = [
    path("admin/", admin.site.urls),
    # Learnmap's own account pages (overview, delete, theme), then allauth's flows.
    path("accounts/", include("learnmap.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),  # set_language: the language switch
    # The learner's pages (home, roadmaps, nodes, search, My progress), then the catalog's
    # raw Markdown (and the layout's old names for home and search).
    path("", include("learnmap.learning.urls")),
    path("", include("learnmap.catalog.urls")),
]
