"""The site's URLconf plus one page with a bug in its SQL (tests/core/test_database_down.py)."""

from django.db import connection
from django.http import HttpResponse
from django.urls import path

from learnmap.config.urls import handler500, urlpatterns  # noqa: F401 - Django reads handler500


def wrong_query(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT no_such_column FROM no_such_table")
    return HttpResponse("unreachable")


urlpatterns = [path("wrong-query/", wrong_query), *urlpatterns]
