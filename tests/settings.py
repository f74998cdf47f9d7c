"""Test settings: the real settings, plus a small app that refers to catalog rows.

``tests.refapp`` stands in for any other app (a learner's progress) that holds on to nodes and
resources, so the catalog's retire-don't-delete rule is tested through real foreign keys.
"""

import atexit
import os
import shutil
import tempfile

# Always a fresh, private data dir: never a developer's real LEARNMAP_DATA_DIR.
_DATA_DIR = tempfile.mkdtemp(prefix="learnmap-test-")
atexit.register(shutil.rmtree, _DATA_DIR, ignore_errors=True)
os.environ["LEARNMAP_DATA_DIR"] = _DATA_DIR

from learnmap.config.settings import *  # noqa: E402,F403
from learnmap.config.settings import INSTALLED_APPS  # noqa: E402

INSTALLED_APPS = [*INSTALLED_APPS, "tests.refapp"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Each test process gets its own in-memory cache (the file cache would be shared between
# xdist workers and let one test's cache.clear() wipe another's sign-in counts).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": f"learnmap-tests-{os.getpid()}",
    }
}
# Sessions are cached in "default" too: tests that swap CACHES for one test swap theirs with it.
SESSION_CACHE_ALIAS = "default"

# SQLite's test database is a file, as in production, not a shared in-memory one: there,
# concurrent transactions fail at once ("table is locked") instead of waiting their turn
# (busy_timeout, IMMEDIATE), so tests of two requests at once would test something else.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(_DATA_DIR, "test.sqlite3")}  # noqa: F405
