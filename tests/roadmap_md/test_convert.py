"""to_dict(): the plain-data shape the catalog imports."""

from __future__ import annotations

import json

from learnmap.roadmap_md import parse, to_dict

TEXT = """\
# Roadmap

## Step 1: Python

- **Beginner**
  - **Book**
    - [Python Crash Course by Eric Matthes](https://pcc.example) (English) (Paid)

- ### Django
  - **Video**
    - [Django Course](https://dj.example) (Persian) (Free) - A full course.

## Podcasts

- [Django Chat](https://djangochat.com/)
"""


def test_to_dict_shape() -> None:
    data = to_dict(parse(TEXT))
    assert data == {
        "title": "Roadmap",
        "sections": [
            {
                "title": "Step 1: Python",
                "slug": "step-1-python",
                "kind": "step",
                "in_progress": False,
                "resources": [
                    {
                        "title": "Python Crash Course",
                        "url": "https://pcc.example",
                        "author": "Eric Matthes",
                        "languages": ["English"],
                        "cost": "paid",
                        "kind": "Book",
                        "level": "Beginner",
                        "description": None,
                        "line": 7,
                    }
                ],
                "topics": [
                    {
                        "title": "Django",
                        "slug": "django",
                        "in_progress": False,
                        "resources": [
                            {
                                "title": "Django Course",
                                "url": "https://dj.example",
                                "author": None,
                                "languages": ["Persian"],
                                "cost": "free",
                                "kind": "Video",
                                "level": None,
                                "description": "A full course.",
                                "line": 11,
                            }
                        ],
                    }
                ],
            },
            {
                "title": "Podcasts",
                "slug": "podcasts",
                "kind": "extra",
                "in_progress": False,
                "resources": [
                    {
                        "title": "Django Chat",
                        "url": "https://djangochat.com/",
                        "author": None,
                        "languages": [],
                        "cost": None,
                        "kind": None,
                        "level": None,
                        "description": None,
                        "line": 15,
                    }
                ],
                "topics": [],
            },
        ],
    }


def test_seed_to_dict_is_json_and_complete(seed_text: str) -> None:
    data = to_dict(parse(seed_text))
    assert json.loads(json.dumps(data)) == data
    count = sum(
        len(s["resources"]) + sum(len(t["resources"]) for t in s["topics"])
        for s in data["sections"]
    )
    assert count == 85
