"""Accounts (django-allauth's email + password flows), sign-in limits and email."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from learnmap.config.env import env
from learnmap.config.settings.base import PRODUCTION

AUTH_USER_MODEL = "accounts.User"
# Django's and allauth's backends, loading a session's user with one written-out query.
AUTHENTICATION_BACKENDS = [
    "learnmap.accounts.backends.ModelBackend",
    "learnmap.accounts.backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"email"}
# No username to invent: allauth fills the model's username from the email address.
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Learnmap] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"

# Email: SMTP when EMAIL_HOST is set, otherwise printed on the console.
EMAIL_HOST = env.str("EMAIL_HOST", default="").strip()
# Any Django email backend; by default SMTP with EMAIL_HOST, else the console.
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="").strip() or (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = env.int("EMAIL_PORT", default=587, least=1)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
# STARTTLS by default on port 587, TLS from the start on 465; only one of the two.
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=EMAIL_PORT == 587)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=EMAIL_PORT == 465)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("Set only one of EMAIL_USE_TLS and EMAIL_USE_SSL.")
# Seconds before a mail server that does not answer is given up on.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10, least=1)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Learnmap <learnmap@localhost>")
# The sender of error reports to the site's admins.
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# Nobody can learn from the pages whether an address has an account (sign-up, password reset):
# the answer is the same, and only the mailbox's owner is told. On sign-up allauth can hide it
# only when the address must be verified before the account is used ("mandatory"); with
# "optional" or "none" signing up signs in at once, so a taken address is refused, and says
# so. Hence verification is mandatory by default wherever email is delivered (EMAIL_HOST set),
# optional where it is only printed on the console (a laptop: no link reaches anyone else).
# A learner who follows the link in the browser they signed up in is signed in.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_VERIFICATION = env.choice(
    "ACCOUNT_EMAIL_VERIFICATION",
    choices=("none", "optional", "mandatory"),
    default="mandatory" if EMAIL_HOST else "optional",
)

# Failed sign-ins are limited per client address and per account (the email typed in), in
# the shared cache (cache.py); a successful password reset lifts the per-account limit.
LOGIN_FAILURES_PER_ACCOUNT = env.int("LOGIN_FAILURES_PER_ACCOUNT", default=5, least=1)
LOGIN_FAILURES_WINDOW = env.int("LOGIN_FAILURES_WINDOW", default=300, least=1)  # seconds
LOGIN_FAILURES_PER_IP_PER_MINUTE = env.int("LOGIN_FAILURES_PER_IP_PER_MINUTE", default=10, least=1)
ACCOUNT_RATE_LIMITS = {
    "login_failed": (
        f"{LOGIN_FAILURES_PER_IP_PER_MINUTE}/m/ip,"
        f"{LOGIN_FAILURES_PER_ACCOUNT}/{LOGIN_FAILURES_WINDOW}s/key"
    ),
}
# Behind reverse proxies, the client address is the proxy's unless this says how many
# proxies put their X-Forwarded-For entry in front of the app (the API's limits use it too).
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0, least=0)
