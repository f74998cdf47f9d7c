"""load(): a bad file is refused with a message that names it (and the line when it can)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from learnmap.roadmap_md import MAX_BYTES, RoadmapInputError, load, render
from learnmap.roadmap_md import source as source_module

GOOD = "# T\n\n## Step 1: A\n\n- [A](https://a.example) (English) (Free)\n"


def test_loads_text_and_document(tmp_path: Path) -> None:
    path = tmp_path / "roadmap.md"
    path.write_bytes(GOOD.encode())
    text, doc = load(path)
    assert text == GOOD
    assert [r.title for r in doc.resources] == ["A"]


def test_bom_is_kept_in_the_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "bom.md"
    data = b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode()
    path.write_bytes(data)
    text, doc = load(path)
    assert doc.title == "T"
    assert render(doc).encode("utf-8") == data
    assert text.startswith("\ufeff")


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.md"
    with pytest.raises(RoadmapInputError) as caught:
        load(path)
    assert caught.value.message == f"{path}: no such file"
    assert caught.value.path == str(path)


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(RoadmapInputError, match="is a directory, not a Markdown file"):
        load(tmp_path)


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secret.md"
    path.write_text(GOOD)
    path.chmod(0)

    def denied(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    if os.geteuid() == 0:  # root reads anything: make the open fail as it would for a user
        monkeypatch.setattr(source_module, "open", denied, raising=False)
    with pytest.raises(RoadmapInputError) as caught:
        load(path)
    assert caught.value.message == f"{path}: permission denied"


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "image.md"
    path.write_bytes(b"# T\nline two\n\x89PNG\x00\x00data")
    with pytest.raises(RoadmapInputError) as caught:
        load(path)
    assert caught.value.message.startswith(f"{path}:3: binary file (NUL byte at byte offset 17)")
    assert caught.value.line == 3


def test_not_utf8_names_line_and_offset(tmp_path: Path) -> None:
    path = tmp_path / "latin1.md"
    path.write_bytes("# Café\n\n## Übung\n".encode("latin-1"))
    with pytest.raises(RoadmapInputError) as caught:
        load(path)
    message = caught.value.message
    assert message.startswith(f"{path}:1: not valid UTF-8 (byte 0xe9 at byte offset 5, column 6)")
    assert "save the file as UTF-8" in message
    path.write_bytes(b"ok\nok\n\xff\n")
    with pytest.raises(
        RoadmapInputError, match=r":3: not valid UTF-8 \(byte 0xff at byte offset 6"
    ):
        load(path)


def test_too_large_is_refused_without_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "huge.md"
    with open(path, "wb") as handle:  # sparse: 50 MB that take no disk
        handle.truncate(50 * 1024 * 1024)

    def must_not_open(*args: object, **kwargs: object) -> None:
        raise AssertionError("a file over the limit must be refused before it is read")

    monkeypatch.setattr(source_module, "open", must_not_open, raising=False)
    with pytest.raises(RoadmapInputError) as caught:
        load(path)
    assert caught.value.message == (
        f"{path}: file too large (50.0 MiB); a roadmap may be at most 5.0 MiB"
    )


def test_limit_is_five_mebibytes(tmp_path: Path) -> None:
    assert MAX_BYTES == 5 * 1024 * 1024
    path = tmp_path / "edge.md"
    path.write_bytes(b"a" * 10)
    assert load(path, max_bytes=10)[0] == "a" * 10
    with pytest.raises(RoadmapInputError, match="file too large"):
        load(path, max_bytes=9)
