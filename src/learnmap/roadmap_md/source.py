"""Reading a roadmap file safely: size, encoding and type checked before parsing."""

from __future__ import annotations

import os
import stat

from .errors import RoadmapInputError
from .limits import MAX_BYTES
from .model import Document
from .parser import parse

__all__ = ["MAX_BYTES", "decode", "load"]


def load(path: str | os.PathLike[str], *, max_bytes: int = MAX_BYTES) -> tuple[str, Document]:
    """Read and parse ``path``: ``(text, document)``, with ``render(document) == text``.

    A UTF-8 byte order mark is kept (as the first character of ``text``). Raises
    :class:`RoadmapInputError` for a missing, unreadable, binary, non-UTF-8 or too large file.
    """
    name = os.fspath(path)
    try:
        info = os.stat(name)
    except FileNotFoundError:
        raise RoadmapInputError(f"{name}: no such file", path=name) from None
    except PermissionError:
        raise RoadmapInputError(f"{name}: permission denied", path=name) from None
    except OSError as exc:
        raise RoadmapInputError(
            f"{name}: cannot read the file ({exc.strerror})", path=name
        ) from exc
    if stat.S_ISDIR(info.st_mode):
        raise RoadmapInputError(f"{name}: is a directory, not a Markdown file", path=name)
    if not stat.S_ISREG(info.st_mode):
        raise RoadmapInputError(f"{name}: not a regular file", path=name)
    if info.st_size > max_bytes:
        raise RoadmapInputError(_too_large(name, info.st_size, max_bytes), path=name)
    try:
        with open(name, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except PermissionError:
        raise RoadmapInputError(f"{name}: permission denied", path=name) from None
    except IsADirectoryError:
        raise RoadmapInputError(f"{name}: is a directory, not a Markdown file", path=name) from None
    except OSError as exc:
        raise RoadmapInputError(
            f"{name}: cannot read the file ({exc.strerror})", path=name
        ) from exc
    if len(data) > max_bytes:  # grew since stat
        raise RoadmapInputError(_too_large(name, len(data), max_bytes), path=name)
    text = decode(data, name=name)
    return text, parse(text)


def decode(data: bytes, *, name: str = "<input>") -> str:
    """UTF-8 text of ``data``; a binary or non-UTF-8 input is refused with its line."""
    nul = data.find(b"\0")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise RoadmapInputError(
            f"{name}:{line}: binary file (NUL byte at byte offset {nul}), not Markdown text",
            path=name,
            line=line,
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise RoadmapInputError(
            f"{name}:{line}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at byte offset "
            f"{exc.start}, column {column}); save the file as UTF-8",
            path=name,
            line=line,
        ) from None


def _too_large(name: str, size: int, limit: int) -> str:
    return f"{name}: file too large ({_size(size)}); a roadmap may be at most {_size(limit)}"


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):.1f} MiB"
    if count >= 1024:
        return f"{count / 1024:.1f} KiB"
    return f"{count} bytes"
