"""The one domain error type; mapped to HTTP in one place for the API and one for pages."""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    """A failure the user can understand and act on.

    ``message`` is a sentence for a person; ``code`` a stable machine name; ``extra`` details
    such as the file and line, or the lint findings that refused an import.
    """

    status = 400

    def __init__(self, message: str, *, code: str = "invalid", extra: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.extra = extra or {}

    def __str__(self) -> str:
        return self.message


class NotFound(ApplicationError):
    status = 404

    def __init__(
        self, message: str, *, code: str = "not_found", extra: dict[str, Any] | None = None
    ):
        super().__init__(message, code=code, extra=extra)
