"""A roadmap may declare its own tags in its front matter; lint then knows them."""

from __future__ import annotations

from learnmap.roadmap_md import lint, parse, render
from learnmap.roadmap_md.declared import declared_tags

BODY = """\
# Learning Rust

## Step 1: Basics

- [The Book](https://doc.rust-lang.org/book/) (English) (Free) (Work in progress)
- [Rustlings](https://github.com/rust-lang/rustlings) (English) (Free) (Beta)
- [Rust by Practice](https://practice.rs) (English) (Free) (Bonus)
"""


def unknown_tags(text: str) -> list[tuple[int, str]]:
    doc = parse(text)
    assert render(doc) == text
    return [(i.line, i.message.split("unknown tag ")[1].split(")")[0] + ")")
            for i in lint(doc) if i.code == "unknown-tag"]  # fmt: skip


def test_undeclared_tags_are_named() -> None:
    assert unknown_tags(BODY) == [(5, "(Work in progress)"), (6, "(Beta)"), (7, "(Bonus)")]


def test_tags_declared_on_one_line() -> None:
    text = "---\ntags: Work in progress, beta\n---\n" + BODY
    assert [tag for _, tag in unknown_tags(text)] == ["(Bonus)"]


def test_tags_declared_one_per_line_with_notes() -> None:
    text = "---\ntags:\n  - Work in progress: the chapter is being written\n  - Bonus\n---\n" + BODY
    assert [tag for _, tag in unknown_tags(text)] == ["(Beta)"]


def test_other_front_matter_declares_nothing() -> None:
    assert declared_tags((("title", "Rust"), ("electives_start", "Extras"))) == frozenset()
