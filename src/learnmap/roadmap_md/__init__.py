"""Learnmap's Markdown core: roadmap files <-> a lossless document model, lint, edits.

Pure Python (markdown-it-py and the standard library); it never imports Django or another
``learnmap`` package.

>>> text = "## Step 1: Python\\n\\n- [Docs](https://docs.python.org) (English) (Free)\\n"
>>> doc = parse(text)
>>> [(r.title, r.languages, r.cost) for r in doc.resources]
[('Docs', ('English',), 'free')]
>>> render(doc) == text
True
"""

from .convert import resource_dict, to_dict
from .edit import add_resource, remove_resource, update_resource
from .edit_intro import (
    INTRO_MAX_CHARS,
    intro_text,
    node_intro,
    update_intro,
    without_in_progress,
)
from .errors import (
    InvalidResourceError,
    RoadmapEditError,
    RoadmapError,
    RoadmapInputError,
    TargetNotFoundError,
)
from .lint import lint
from .model import Document, Issue, LabelGroup, Node, Resource, Section, Text, Topic
from .parser import parse
from .render import render, render_resource_line
from .slug import slugify
from .source import MAX_BYTES, decode, load

__all__ = [
    "INTRO_MAX_CHARS",
    "MAX_BYTES",
    "Document",
    "InvalidResourceError",
    "Issue",
    "LabelGroup",
    "Node",
    "Resource",
    "RoadmapEditError",
    "RoadmapError",
    "RoadmapInputError",
    "Section",
    "TargetNotFoundError",
    "Text",
    "Topic",
    "add_resource",
    "decode",
    "intro_text",
    "lint",
    "load",
    "node_intro",
    "parse",
    "remove_resource",
    "render",
    "render_resource_line",
    "resource_dict",
    "slugify",
    "to_dict",
    "update_intro",
    "update_resource",
    "without_in_progress",
]
