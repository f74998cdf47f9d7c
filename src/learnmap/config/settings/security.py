"""The secret key, the hosts the site answers to, cookies and security headers."""

from __future__ import annotations

from csp import constants as csp

from learnmap.config.env import env, secret_key
from learnmap.config.settings.base import DATA_DIR, PRODUCTION

# From the environment; on the embedded default generated once into the data directory.
SECRET_KEY = secret_key(production=PRODUCTION, directory=DATA_DIR)
# Host names the site answers to (comma-separated).
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
# Origins whose forms may post here (comma-separated, e.g. https://learnmap.example.org).
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Production sits behind a proxy that terminates TLS and says so in X-Forwarded-Proto; its
# session, CSRF and language cookies go over HTTPS only, unless SECURE_COOKIES=false (a
# deployment tried out over plain HTTP).
_SECURE_COOKIES = PRODUCTION and env.bool("SECURE_COOKIES", default=True)
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = _SECURE_COOKIES
CSRF_COOKIE_SECURE = _SECURE_COOKIES
LANGUAGE_COOKIE_SECURE = _SECURE_COOKIES

# Content-Security-Policy on every response (django-csp's middleware, above the cached pages
# in base.MIDDLEWARE). Pages load only the site's own scripts, styles, fonts and images: no
# inline script, no style attribute, no inline <style> (htmx's indicator styles are off, by
# the htmx-config meta tag in base.html, and live in learnmap.css). data: images are the
# icons in the API docs' stylesheet (Swagger UI). Nothing may frame a page, and forms post
# only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        "img-src": [csp.SELF, "data:"],
        "object-src": [csp.NONE],
        "base-uri": [csp.NONE],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
    },
}
