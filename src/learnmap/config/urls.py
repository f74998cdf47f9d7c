from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from learnmap.config.api import api, api_not_found
from learnmap.core import health
from learnmap.core.api import docs as api_docs

# Unknown pages and server errors use Django's default handlers, which render the
# templates/404.html and 500.html in the learner's language (LocaleMiddleware); while the
# database does not answer, a 503 page instead of the 500 (core/outage.py).
handler500 = "learnmap.core.outage.server_error"
# allauth's rate limits answer with this (the 429 page, with Retry-After).
handler429 = "learnmap.accounts.views.rate_limited"
urlpatterns = [
    # The learner's pages (home, roadmaps, nodes, search, My progress) first: most requests
    # are for them, and Django tries the patterns in order. No address of theirs is also one
    # of the entries below (/r/<slug>/links/ is link health's, not a roadmap's).
    path("", include("learnmap.learning.urls")),
    # Health checks for load balancers (answered first by core.health.HealthCheckMiddleware).
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # Browsers and crawlers ask for /favicon.ico whatever the pages say (<link rel="icon"> in
    # base.html): sent to the icon among the static files (its name has a hash, so the
    # redirect is a temporary one), instead of a 404 logged as a warning each time.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("core/favicon.svg"))),
    # The JSON API (docs at /api/v1/docs); anything else under /api/ is a problem+json 404.
    path("api/v1/docs/assets/<str:name>", api_docs.docs_asset, name="api-docs-asset"),
    path("api/v1/", api.urls),
    re_path(r"^api/", api_not_found),
    path("admin/", admin.site.urls),
    # Learnmap's own account pages (overview, delete, theme), then allauth's flows.
    path("accounts/", include("learnmap.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),  # set_language: the language switch
    # Link health for maintainers (staff, /r/<slug>/links/), then the catalog's raw Markdown
    # (/roadmaps/<slug>.md).
    path("", include("learnmap.linkcheck.urls")),
    path("", include("learnmap.catalog.urls")),
    # Contributions: propose, my proposals, review (/r/<slug>/review/), history and its feed.
    path("", include("learnmap.contributions.urls")),
    # A roadmap's Git source: its webhook (/hooks/git/<slug>) and "Sync now".
    path("", include("learnmap.sources.urls")),
]
