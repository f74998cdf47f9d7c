"""Learner accounts: a custom user model from day one, so it can grow without a migration dance."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from learnmap.core.models import BaseModel


class User(AbstractUser):
    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        db_table = "accounts_user"


class ApiToken(BaseModel):
    """A personal access token for the API (``Authorization: Bearer lm_...``).

    The secret is shown once, when the token is made; only its SHA-256 is stored (a random
    256-bit secret needs no slow hash: nothing can be guessed from the digest). ``prefix`` is
    the start of the secret, kept to tell tokens apart in lists. Revoking keeps the row (the
    learner's list no longer shows it, and it never authenticates again).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    def is_expired(self, now=None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or timezone.now())
