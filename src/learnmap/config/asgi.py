"""ASGI entry point, for completeness; ``learnmap serve`` uses WSGI (measured much faster)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learnmap.config.settings")
application = get_asgi_application()
