"""The words a roadmap uses for labels, tags and section headings, and how they are normalised."""

from __future__ import annotations

import re
from functools import lru_cache

# --- levels -------------------------------------------------------------------------------

LEVELS = ("Beginner", "Intermediate", "Advanced")
_LEVEL_BY_KEY = {level.lower(): level for level in LEVELS}


def normalize_level(label: str) -> str | None:
    """``"beginner"`` -> ``"Beginner"``; ``None`` when the label is not a level."""
    return _LEVEL_BY_KEY.get(_label_key(label))


# --- resource kinds ---------------------------------------------------------------------

_KIND_ALIASES = {
    "Article": ("article", "articles"),
    "Blog": ("blog", "blogs", "blog post", "blog posts"),
    "Book": ("book", "books", "ebook", "ebooks", "e-book", "e-books"),
    "Cheat Sheet": ("cheat sheet", "cheat sheets", "cheatsheet", "cheatsheets"),
    "Community": ("community", "communities"),
    "Conference": ("conference", "conferences"),
    "Course": ("course", "courses"),
    "Documentation": ("documentation", "documentations", "document", "documents", "docs", "doc"),
    "Exercise": ("exercise", "exercises"),
    "Newsletter": ("newsletter", "newsletters"),
    "Paper": ("paper", "papers"),
    "Platform": ("platform", "platforms"),
    "Playlist": ("playlist", "playlists"),
    "Podcast": ("podcast", "podcasts"),
    "Repository": ("repository", "repositories", "repo", "repos"),
    "Talk": ("talk", "talks"),
    "Tool": ("tool", "tools"),
    "Tutorial": ("tutorial", "tutorials"),
    "Video": ("video", "videos"),
    "Website": ("website", "websites", "web site", "web sites", "site", "sites"),
}
_KIND_BY_KEY = {alias: kind for kind, aliases in _KIND_ALIASES.items() for alias in aliases}


def normalize_kind(label: str) -> str:
    """Known resource types become singular Title Case (``Docs`` -> ``Documentation``);
    any other label is kept as written."""
    return _KIND_BY_KEY.get(_label_key(label), label.strip())


def _label_key(label: str) -> str:
    return " ".join(label.strip().rstrip(":").split()).lower()


# --- languages ----------------------------------------------------------------------------

_LANGUAGE_ALIASES = {
    "Afrikaans": (),
    "Albanian": (),
    "Amharic": (),
    "Arabic": ("العربية", "عربي"),
    "Armenian": (),
    "Azerbaijani": ("azeri",),
    "Basque": (),
    "Belarusian": (),
    "Bengali": ("bangla",),
    "Bosnian": (),
    "Bulgarian": (),
    "Burmese": (),
    "Catalan": (),
    "Chinese": (
        "中文",
        "简体中文",
        "繁體中文",
        "mandarin",
        "cantonese",
        "simplified chinese",
        "traditional chinese",
    ),
    "Croatian": (),
    "Czech": (),
    "Danish": (),
    "Dari": (),
    "Dutch": ("nederlands", "flemish"),
    "English": ("en", "eng"),
    "Esperanto": (),
    "Estonian": (),
    "Filipino": ("tagalog",),
    "Finnish": ("suomi",),
    "French": ("français", "francais"),
    "Georgian": (),
    "German": ("deutsch",),
    "Greek": (),
    "Gujarati": (),
    "Hebrew": ("עברית",),
    "Hindi": ("हिन्दी",),
    "Hungarian": ("magyar",),
    "Icelandic": (),
    "Indonesian": ("bahasa indonesia",),
    "Irish": (),
    "Italian": ("italiano",),
    "Japanese": ("日本語",),
    "Kannada": (),
    "Kazakh": (),
    "Khmer": (),
    "Korean": ("한국어",),
    "Kurdish": ("kurdî", "کوردی"),
    "Kyrgyz": (),
    "Lao": (),
    "Latvian": (),
    "Lithuanian": (),
    "Macedonian": (),
    "Malay": ("bahasa melayu",),
    "Malayalam": (),
    "Marathi": (),
    "Mongolian": (),
    "Nepali": (),
    "Norwegian": ("norsk", "bokmål"),
    "Pashto": (),
    "Persian": ("farsi", "فارسی", "پارسی", "fa"),
    "Polish": ("polski",),
    "Portuguese": ("português", "portugues", "brazilian portuguese", "pt-br"),
    "Punjabi": (),
    "Romanian": ("română",),
    "Russian": ("русский",),
    "Serbian": (),
    "Sinhala": (),
    "Slovak": (),
    "Slovenian": (),
    "Somali": (),
    "Spanish": ("español", "espanol", "castellano"),
    "Swahili": (),
    "Swedish": ("svenska",),
    "Tajik": (),
    "Tamil": (),
    "Telugu": (),
    "Thai": ("ไทย",),
    "Turkish": ("türkçe", "turkce"),
    "Turkmen": (),
    "Ukrainian": ("українська",),
    "Urdu": ("اردو",),
    "Uzbek": (),
    "Vietnamese": ("tiếng việt",),
    "Welsh": (),
}
LANGUAGES = tuple(_LANGUAGE_ALIASES)
_LANGUAGE_BY_KEY = {
    alias: language
    for language, aliases in _LANGUAGE_ALIASES.items()
    for alias in (language.lower(), *aliases)
}
_LANGUAGE_SPLIT_RE = re.compile(r"\s*(?:,|/|&|\+|\band\b)\s*")


def canonical_language(tag: str) -> str | None:
    """``"Farsi"`` -> ``"Persian"``, ``"english"`` -> ``"English"``; ``None`` if not a language."""
    return _LANGUAGE_BY_KEY.get(" ".join(tag.split()).lower())


@lru_cache(maxsize=4096)
def split_languages(tag: str) -> tuple[str, ...]:
    """The languages of a tag such as ``English`` or ``English, Persian``, each as written.

    Empty when any part of the tag is not a known language name.
    """
    parts = [part.strip() for part in _LANGUAGE_SPLIT_RE.split(tag.strip())]
    if not parts or not all(part and canonical_language(part) for part in parts):
        return ()
    return tuple(parts)


# --- price --------------------------------------------------------------------------------

_COSTS = {"free": "free", "paid": "paid"}


def tag_cost(tag: str) -> str | None:
    return _COSTS.get(tag.strip().lower())


def cost_tag(cost: str) -> str:
    return cost.capitalize()


# --- section headings ---------------------------------------------------------------------

STEP_RE = re.compile(r"^\s*step\s*(\d+)\s*(?:[:.)\-\u2013\u2014]|$)", re.IGNORECASE)

TEXT_SECTION_RE = re.compile(
    r"^(?:contributions?|contributing|how to contribute|contributors|licen[cs]e|credits?|"
    r"about(?: us| this (?:list|roadmap))?|(?:table of )?contents|toc|acknowledge?ments?|"
    r"code of conduct|sponsors?|sponsorship|authors?|maintainers?|footnotes?|changelog|"
    r"disclaimer)$",
)
EXTRA_SECTION_RE = re.compile(
    r"\b(?:podcasts?|conferences?|newsletters?|blogs?|communit(?:y|ies)|who to follow|"
    r"where to go next|youtube|channels?|resources|websites?|further reading|see also|"
    r"other (?:awesome )?lists|meetups?|events|forums?|people to follow|twitter)\b",
)
ELECTIVES_HEADING_RE = re.compile(r"\b(?:hands[- ]?on|electives?|optional)\b")
ELECTIVES_TEXT_RE = re.compile(
    r"(?:don'?t|do not|doesn'?t|does not|don\u2019t|doesn\u2019t) have any (?:particular )?order"
    r"|\bin any order\b|\bno (?:particular )?order\b|\bany order or priority\b"
    r"|choose (?:the )?topics (?:that )?you(?: are|'re|\u2019re)? interested in",
    re.IGNORECASE,
)


def heading_key(title: str) -> str:
    """A heading reduced to lowercase words, for matching section names."""
    return " ".join(re.sub(r"[^\w\s'-]", " ", title.lower()).split())
