"""The words a roadmap uses for labels, tags and section headings, and how they are normalised."""

from __future__ import annotations

import re
from functools import lru_cache

from .languages import LANGUAGE_TABLE

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
    "Feed": ("feed", "feeds", "rss"),
    "Newsletter": ("newsletter", "newsletters"),
    "Official": ("official", "official docs", "official website", "official site"),
    "Paper": ("paper", "papers"),
    "Platform": ("platform", "platforms"),
    "Playlist": ("playlist", "playlists"),
    "Podcast": ("podcast", "podcasts"),
    "Repository": ("repository", "repositories", "repo", "repos"),
    "Roadmap": ("roadmap", "roadmaps"),
    "Talk": ("talk", "talks"),
    "Tool": ("tool", "tools"),
    "Tutorial": ("tutorial", "tutorials"),
    "Video": ("video", "videos", "screencast", "screencasts"),
    "Website": ("website", "websites", "web site", "web sites", "site", "sites"),
}
_KIND_BY_KEY = {alias: kind for kind, aliases in _KIND_ALIASES.items() for alias in aliases}


def normalize_kind(label: str) -> str:
    """Known resource types become singular Title Case (``Docs`` -> ``Documentation``);
    any other label is kept as written."""
    return _KIND_BY_KEY.get(_label_key(label), label.strip())


def tag_kind(tag: str) -> str | None:
    """``(Video)``, ``(Podcast)``, ``(eBook)`` -> the kind; ``None`` when the tag is no kind."""
    return _KIND_BY_KEY.get(_label_key(tag))


def _label_key(label: str) -> str:
    return " ".join(label.strip().rstrip(":").split()).lower()


# roadmap.sh topic files start each link's text with its type: ``[@video@Title](url)``.
ROADMAP_SH_TYPES = {
    "article": "Article",
    "book": "Book",
    "course": "Course",
    "feed": "Feed",
    "official": "Official",
    "opensource": "Repository",
    "podcast": "Podcast",
    "roadmap": "Roadmap",
    "video": "Video",
}


# --- formats ------------------------------------------------------------------------------

_FORMAT_ALIASES = {
    "PDF": ("pdf",),
    "EPUB": ("epub",),
    "MOBI": ("mobi",),
    "AZW3": ("azw3", "azw"),
    "Kindle": ("kindle",),
    "HTML": ("html", "web version", "online version"),
    "Markdown": ("markdown",),
    "Jupyter": ("jupyter", "jupyter notebook", "jupyter notebooks", "ipynb", "notebook"),
    "Audio": ("audio", "audiobook", "audio book", "mp3"),
    "Slides": ("slides", "slide deck", "slideshow", "presentation"),
    "Interactive": ("interactive",),
    "Print": ("print", "paperback", "hardcover"),
    "Text": ("txt", "plain text"),
    "LaTeX": ("latex",),
    "Zip": ("zip",),
}
FORMATS = tuple(_FORMAT_ALIASES)
_FORMAT_BY_KEY = {alias: fmt for fmt, aliases in _FORMAT_ALIASES.items() for alias in aliases}
_LIST_SPLIT_RE = re.compile(r"\s*(?:,|/|&|\+|\||\band\b|\bor\b|،|、|\uff0c)\s*")


def tag_formats(tag: str) -> tuple[str, ...]:
    """``(PDF)`` -> ``("PDF",)``; ``(PDF, EPUB)`` -> both; empty unless every part is a
    format or a kind (``(PDF/Video)``), and at least one is a format."""
    parts = [_label_key(part) for part in _LIST_SPLIT_RE.split(tag.strip())]
    if not parts or not all(part in _FORMAT_BY_KEY or part in _KIND_BY_KEY for part in parts):
        return ()
    return tuple(_FORMAT_BY_KEY[part] for part in parts if part in _FORMAT_BY_KEY)


def tag_kinds(tag: str) -> tuple[str, ...]:
    """``(Video)`` -> ``("Video",)``; ``(Video, Slides)`` -> ``("Video",)`` (a format beside
    a kind is allowed); empty when any part is neither."""
    parts = [_label_key(part) for part in _LIST_SPLIT_RE.split(tag.strip())]
    if not parts or not all(part in _FORMAT_BY_KEY or part in _KIND_BY_KEY for part in parts):
        return ()
    return tuple(_KIND_BY_KEY[part] for part in parts if part in _KIND_BY_KEY)


# --- languages ----------------------------------------------------------------------------

# English name, ISO 639 code and native names of each language come from CLDR (languages.py,
# generated with babel). These are the other ways lists write them: older or informal names,
# script variants, and a language named in another one (Chinese lists write 英文 for English).
_LANGUAGE_ALIASES: dict[str, tuple[str, ...]] = {
    "Arabic": ("عربي",),
    "Azerbaijani": ("azeri",),
    "Bengali": ("bangla",),
    "Chinese": (
        "简体中文",
        "繁體中文",
        "繁体中文",
        "简体",
        "繁體",
        "简中",
        "繁中",
        "汉语",
        "漢語",
        "华语",
        "国语",
        "mandarin",
        "cantonese",
        "simplified chinese",
        "traditional chinese",
        "китайский",
        "چینی",
    ),
    "Dutch": ("flemish",),
    "English": (
        "eng",
        "英文",
        "英语",
        "英語",
        "английский",
        "на английском",
        "англ.",
        "англ",
        "انگلیسی",
        "إنجليزي",
        "englisch",
        "anglais",
        "inglés",
        "ingles",
        "inglês",
    ),
    "Filipino": ("tagalog",),
    "French": ("francais", "французский", "فرانسوی"),
    "German": ("deutsch", "немецкий", "آلمانی", "德语", "德語"),
    "Indonesian": ("bahasa indonesia",),
    "Japanese": ("日文", "日语", "японский", "ژاپنی"),
    "Korean": ("韩语", "韓語", "корейский"),
    "Kurdish": ("kurdî", "کوردی", "كوردی"),
    "Malay": ("bahasa melayu",),
    "Norwegian": ("bokmål",),
    "Persian": ("farsi", "پارسی", "فارسي", "персидский"),
    "Portuguese": ("portugues", "brazilian portuguese", "português do brasil"),
    "Russian": ("на русском", "\u0440\u0443\u0441", "\u0440\u0443\u0441.", "俄语", "روسی"),
    "Spanish": ("espanol", "castellano", "испанский"),
    "Turkish": ("turkce",),
    "Ukrainian": ("українською", "украинский"),
}
# Two-letter codes that are also English words, read as a language only with a country
# (``it-IT``, ``no-NB``): ``(it)`` or ``(no)`` after a link means something else.
_AMBIGUOUS_CODES = frozenset(
    ["am", "an", "as", "be", "he", "hi", "id", "is", "it", "my", "no", "or", "so", "to"]
)
LANGUAGES = tuple(english for english, _code, _natives in LANGUAGE_TABLE)
LANGUAGE_CODES = {english: code for english, code, _natives in LANGUAGE_TABLE}
_LANGUAGE_BY_CODE = {code: english for english, code, _natives in LANGUAGE_TABLE}
_LANGUAGE_BY_KEY = {
    alias.lower(): english
    for english, code, natives in LANGUAGE_TABLE
    for alias in (
        english,
        *natives,
        *_LANGUAGE_ALIASES.get(english, ()),
        *((code,) if code not in _AMBIGUOUS_CODES else ()),
    )
}
_CODE_RE = re.compile(r"^([a-z]{2,3})[-_](?:[a-z]{4}|[a-z]{2}|\d{3})(?:[-_][a-z]{2})?$")
_LANGUAGE_SPLIT_RE = re.compile(r"\s*(?:,|/|&|\+|\||\band\b|،|、|\uff0c|\sи\s|\sو\s|和)\s*")


def canonical_language(tag: str) -> str | None:
    """The English name of the language a tag names: by English name, native name or code.

    ``"Farsi"``, ``"فارسی"``, ``"fa"`` -> ``"Persian"``; ``"繁體中文"``, ``"zh-TW"`` ->
    ``"Chinese"``; ``"Русский"`` -> ``"Russian"``; ``None`` if not a language.
    """
    key = " ".join(tag.split()).lower()
    found = _LANGUAGE_BY_KEY.get(key)
    if found is None and (match := _CODE_RE.match(key)):
        found = _LANGUAGE_BY_CODE.get(match.group(1))
    return found


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

# English first (what the renderer writes), then the words lists in other languages use:
# Persian, Russian, Chinese, Spanish/Portuguese/Italian, French, German, Arabic, Turkish.
_COSTS = {
    "free": "free",
    "paid": "paid",
    "رایگان": "free",
    "پولی": "paid",
    "غیر رایگان": "paid",
    "бесплатно": "free",
    "бесплатный": "free",
    "платно": "paid",
    "платный": "paid",
    "免费": "free",
    "免費": "free",
    "付费": "paid",
    "付費": "paid",
    "收费": "paid",
    "gratis": "free",
    "gratuito": "free",
    "gratuit": "free",
    "kostenlos": "free",
    "مجاني": "free",
    "مجانی": "free",
    "ücretsiz": "free",
    "ücretli": "paid",
}
_COST_SPACES_RE = re.compile(r"[\s\u200c]+")


def tag_cost(tag: str) -> str | None:
    """``free`` or ``paid`` for a price tag in any of the languages above, else None."""
    return _COSTS.get(_COST_SPACES_RE.sub(" ", tag.strip().lower()))


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
