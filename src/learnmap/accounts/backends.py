"""Authentication backends: Django's (usernames, the admin) and allauth's (e-mail addresses),
each loading a session's user with ``selectors.user_get``: every signed-in request does."""

from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from learnmap.accounts import selectors


class _SessionUser:
    def get_user(self, user_id):
        user = selectors.user_get(user_id=user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(_SessionUser, DjangoModelBackend):
    pass


class AuthenticationBackend(_SessionUser, AllauthBackend):
    pass
