"""The errors of the Markdown core. Every message is a sentence a user can act on."""

from __future__ import annotations


class RoadmapError(Exception):
    """Base class: anything the roadmap core refuses, with a readable ``message``."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RoadmapInputError(RoadmapError):
    """A file that cannot be read as a roadmap; the message names the file (and line)."""

    def __init__(self, message: str, *, path: str, line: int | None = None) -> None:
        super().__init__(message)
        self.path = path
        self.line = line


class RoadmapEditError(RoadmapError):
    """An edit that cannot be applied to the document."""


class TargetNotFoundError(RoadmapEditError):
    """The section, topic or resource named by an edit does not exist."""


class InvalidResourceError(RoadmapEditError):
    """A resource field that cannot be written as Markdown (empty title, newline in URL...)."""
