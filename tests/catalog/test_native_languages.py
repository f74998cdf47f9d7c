"""A list may name its languages in their own script or by code: the catalog (and so the
language filter) knows them by one name each, while the Markdown keeps the tags as written."""

from __future__ import annotations

import pytest

from learnmap.catalog import selectors, services
from learnmap.catalog.models import Resource

pytestmark = pytest.mark.django_db

LIST = (
    "# Reading\n\n## Python\n\n"
    "- [Python in Persian](https://example.com/fa-1) (فارسی)\n"
    "- [Python in Farsi](https://example.com/fa-2) (Farsi)\n"
    "- [Python, Chinese](https://example.com/zh) (中文) (English)\n"
    "- [Python, Russian](https://example.com/ru) (Русский)\n"
)


def test_native_language_tags_are_one_language_each_in_the_catalog():
    services.roadmap_import(source=LIST, slug="reading")
    languages = dict(Resource.objects.values_list("url", "languages"))
    assert languages == {
        "https://example.com/fa-1": ["Persian"],
        "https://example.com/fa-2": ["Persian"],
        "https://example.com/zh": ["Chinese", "English"],
        "https://example.com/ru": ["Russian"],
    }
    persian = Resource.objects.filter(languages_index__contains="|Persian|")
    assert sorted(persian.values_list("title", flat=True)) == [
        "Python in Farsi",
        "Python in Persian",
    ]
    # The file is given back as it was written.
    assert services.roadmap_export(slug="reading") == LIST
    assert selectors.roadmap_get(slug="reading").resource_count == 4
