"""A large synthetic list in the awesome-list style, for the parse benchmark.

``generate_awesome_list(10_000)`` is a ``# Title`` with ``###`` categories (no ``##``), an
italic introduction with a link under each, and items in four styles: ``- [name](url) - desc``,
``- `MIT` - [name](url) - desc``, ``- Topic: [a](url), [b](url)`` (two resources) and
``- **[name](url)** - desc``. The same count always gives the same text.
"""

from __future__ import annotations


def generate_awesome_list(count: int) -> str:
    lines = ["# Awesome Things", "", "A list made up for benchmarks.", ""]
    made = 0
    category = 0
    while made < count:
        category += 1
        lines += [
            f"### Category {category}",
            "",
            f"_Things about {category}. Also see [more](https://see.example/{category})._",
            "",
        ]
        for index in range(100):
            if made >= count:
                break
            style = index % 4
            n = made + 1
            if style == 0:
                lines.append(f"- [lib{n}](https://github.com/o/lib{n}) - A library for {n}.")
            elif style == 1:
                lines.append(f"- `MIT` - [lib{n}](https://github.com/o/lib{n}) - A library.")
            elif style == 2 and made + 2 <= count:
                lines.append(
                    f"- Topic {n}: [a{n}](https://a.example/{n}), [b{n}](https://b.example/{n})"
                )
                made += 1
            else:
                lines.append(f"- **[lib{n}](https://github.com/o/lib{n})** - Bold one.")
            made += 1
        lines.append("")
    return "\n".join(lines)
