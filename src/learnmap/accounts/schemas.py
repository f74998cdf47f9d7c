"""The account's API shapes: who the caller is, and their personal access tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from ninja import Field, ModelSchema, Schema
from pydantic import BeforeValidator, ConfigDict, StrictInt, StrictStr

from learnmap.accounts.models import ApiToken, User
from learnmap.accounts.services import TOKEN_EXPIRY_MAX_DAYS, TOKEN_NAME_MAX_CHARS

OUT = {"json_schema_serialization_defaults_required": True}


class MeOut(ModelSchema):
    """The caller."""

    id: int
    username: str
    email: str
    date_joined: datetime
    authenticated_by: Literal["token", "session"] = Field(
        ..., description="How this request proved who it is."
    )
    token: str | None = Field(..., description="The prefix of the token used, if any.")

    class Meta:
        model = User
        fields = ["id", "username", "email", "date_joined"]

    model_config = ConfigDict(
        **OUT,
        json_schema_extra={
            "examples": [
                {
                    "id": 7,
                    "username": "ada",
                    "email": "ada@example.com",
                    "date_joined": "2025-01-05T12:00:00Z",
                    "authenticated_by": "token",
                    "token": "lm_Ab3dEf9h",
                }
            ]
        },
    )


TOKEN_FIELDS = ["id", "name", "prefix", "created_at", "expires_at", "last_used_at"]
TOKEN_EXAMPLE = {
    "id": 12,
    "name": "laptop sync script",
    "prefix": "lm_Ab3dEf9h",
    "created_at": "2025-01-05T12:00:00Z",
    "expires_at": "2025-04-05T12:00:00Z",
    "last_used_at": None,
    "expired": False,
}


class TokenOut(ModelSchema):
    """A personal access token, without its secret (which is shown once, when it is made)."""

    id: int
    name: str
    prefix: str = Field(..., description="The start of the secret, to tell tokens apart.")
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    expired: bool

    class Meta:
        model = ApiToken
        fields = TOKEN_FIELDS

    model_config = ConfigDict(
        **OUT,
        json_schema_extra={"examples": [TOKEN_EXAMPLE]},
    )

    @staticmethod
    def resolve_expired(obj: ApiToken) -> bool:
        return obj.is_expired()


class TokenCreatedOut(TokenOut):
    """The new token: ``token`` is its secret, shown this once only; keep it somewhere safe."""

    token: str = Field(..., description="The secret: send it as Authorization: Bearer <token>.")

    class Meta:
        model = ApiToken
        fields = TOKEN_FIELDS

    model_config = ConfigDict(
        **OUT,
        json_schema_extra={
            "examples": [
                {**TOKEN_EXAMPLE, "token": "lm_Ab3dEf9hXk2mQ7vR1sT8uW4yZ0aB5cD6eF3gH9jK1m"}
            ]
        },
    )


def _integral(value: Any) -> Any:
    """JSON has one number type: 90.0 is 90 (JSON Schema agrees); 90.5 and "90" are not."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


ExpiryDays = Annotated[StrictInt, Field(ge=1, le=TOKEN_EXPIRY_MAX_DAYS), BeforeValidator(_integral)]


class TokenIn(Schema):
    name: StrictStr = Field(
        ...,
        min_length=1,
        max_length=TOKEN_NAME_MAX_CHARS,
        # Something besides blanks and control characters (which are dropped).
        pattern=r"[^\s\x00-\x1f\x7f]",
        description="What the token is for (the program or machine using it).",
        examples=["laptop sync script"],
    )
    expires_in_days: ExpiryDays | None = Field(
        None,
        description="Days until it stops working; null (or absent): until it is revoked.",
        examples=[90],
    )

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"name": "laptop sync script", "expires_in_days": 90}]}
    )
