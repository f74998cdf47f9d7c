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


def test_tags_declared_in_learnmap_toml_beside_the_file(tmp_path, capsys) -> None:
    from learnmap.roadmap_md.cli import main

    roadmap = tmp_path / "rust.md"
    roadmap.write_text(BODY, encoding="utf-8")
    assert main(["lint", str(roadmap)]) == 0  # warnings only
    assert "(Beta)" in capsys.readouterr().out

    (tmp_path / ".learnmap.toml").write_text(
        '[tags]\n"Work in progress" = "the chapter is being written"\nBeta = ""\n',
        encoding="utf-8",
    )
    assert main(["lint", str(roadmap)]) == 0
    out = capsys.readouterr().out
    assert "(Bonus)" in out
    assert "(Beta)" not in out and "(Work in progress)" not in out

    (tmp_path / ".learnmap.toml").write_text('tags = ["Bonus"]\n', encoding="utf-8")
    assert main(["lint", str(roadmap)]) == 0
    assert "(Bonus)" not in capsys.readouterr().out


def test_a_broken_learnmap_toml_is_named_with_its_line(tmp_path, capsys) -> None:
    from learnmap.roadmap_md.cli import main

    roadmap = tmp_path / "rust.md"
    roadmap.write_text(BODY, encoding="utf-8")
    (tmp_path / ".learnmap.toml").write_text('[tags]\nBeta = "x"\nBonus =\n', encoding="utf-8")
    assert main(["lint", str(roadmap)]) == 2
    err = capsys.readouterr().err
    assert ".learnmap.toml" in err and "line 3" in err

    (tmp_path / ".learnmap.toml").write_text("tags = 3\n", encoding="utf-8")
    assert main(["lint", str(roadmap)]) == 2
    assert "'tags' must be a list of tags or a [tags] table" in capsys.readouterr().err
