"""Does a phrase read as a person's name, or a list of names? What decides whether the
"by ..." closing a link's text is its author ("Fluent Python by Luciano Ramalho") or part of
its title ("Learning Go by examples")."""

from __future__ import annotations

import re
from functools import lru_cache

_NAME_LIST_SPLIT_RE = re.compile(r"\s*(?:,|&|\+|;|\band\b|\bund\b|\bet\b(?!\s+al\b))\s*")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_PARTICLES = _words(
    "al bin binti da das de del della der di dos du el ibn la le st. st ten ter van von y zu"
)
_INITIALS_RE = re.compile(r"^(?:[^\W\d_]\.){1,4}(?:-?[^\W\d_]\.)?$")  # J. / J.R.R. / J.-P.
_TITLES = _words("dr. dr prof. prof mr. mr mrs. mrs ms. ms sir jr. jr sr. sr")
# A handle or a site: "ftg-iran", "testdriven.io", "dev_moein", "user123".
_HANDLE_RE = re.compile(r"^@?[^\W_](?:[\w.-]*[\w])?$")
# Capitalised words that end titles such as "Go by Example" or "Learning by Doing".
_NOT_NAMES = _words(
    """
    a an the this that these those my your our their his her its
    example examples doing building making writing coding hacking learning teaching reading
    playing solving practice practicing practising design default hand heart night day days
    step steps project projects exercise exercises tutorial tutorials video videos book books
    course courses chapter chapters topic topics category language feature features nature
    chance accident contrast comparison definition request demand reference value name
    itself yourself ourselves themselves means way far now example-driven
    """
)


@lru_cache(maxsize=4096)
def is_names(text: str) -> bool:
    """Whether ``text`` reads as one or more people's (or groups') names: capitalised words,
    initials, particles (van, de, al...), handles and site names, joined by ``and``, ``&`` or
    commas; ``et al.`` may close the list. ``"examples"``, ``"Example"``, ``"the Go team"``
    are not names.

    >>> is_names("William S. Vincent & Sahn Lam")
    True
    >>> is_names("examples")
    False
    """
    text = text.strip()
    if not text or len(text) > 120 or any(char in text for char in '()[]{}<>:!?"|*`'):
        return False
    text = re.sub(r",?\s+et\s+al\.?$", "", text)
    names = [name for name in _NAME_LIST_SPLIT_RE.split(text) if name]
    if not names or len(names) > 8:
        return False
    return all(_is_name(name) for name in names)


def _is_name(name: str) -> bool:
    words = name.split()
    if not words or len(words) > 5:
        return False
    if len(words) == 1:
        word = words[0]
        if word.lower() in _NOT_NAMES:
            return False
        # One word: a capitalised name ("Jadi", "BobyCloud") or a handle ("ftg-iran").
        return _capitalised(word) or (
            bool(_HANDLE_RE.match(word)) and any(char in word for char in "-._0123456789")
        )
    named = False
    for word in words:
        key = word.lower()
        if key in _NOT_NAMES:
            return False
        if _capitalised(word) or _INITIALS_RE.match(word):
            named = True
        elif key not in _PARTICLES and key not in _TITLES:
            return False
    return named


def _capitalised(word: str) -> bool:
    """``Ramalho``, ``McDowell``, ``O'Reilly``, ``Jean-Paul``, ``Dr.``; a word in a script
    without case (``李``) counts too."""
    first = word[0]
    if not first.isalpha():
        return False
    if first.isupper() or (not first.islower() and not first.isupper()):
        rest = word.rstrip(".")
        return all(char.isalpha() or char in "'\u2019-." for char in rest)
    return False


# --- stricter: names written without "by" ------------------------------------------------
# "Title - Robert C. Martin" and "Title (Abelson, Sussman)" say nothing but the names, so
# they are only taken for names when they cannot be the short descriptions and tags awesome
# lists write in the same places: "Type Checkers", "MySQL", "(MIT)", "(2019)", "Web Framework".

# Capitalised words of titles and descriptions that are no one's name.
_COMMON_WORDS = _words(
    """
    api apis app apps awesome basics beginner beginners blog channel cheatsheet checker checkers
    cli client cloud code community complete computer crash data database databases deep
    development docs documentation driver drivers edition engine essentials framework
    frameworks free fundamentals game games guide guides handbook interactive interface
    introduction kit library libraries list lists machine manual modern network networking
    news newsletter notes official online open platform podcast practical programming python
    queue queues resources science security series server servers site software source system
    systems test testing tests the tool toolkit tools type types ultimate version web website
    """
)
# Word endings of common nouns that no surname has ("-ing" and "-ment" have: Fleming, Clement).
_COMMON_SUFFIXES = ("tion", "sion", "ness", "ity", "ology", "ware")
_ACRONYM_RE = re.compile(r"[A-Z]{2}")  # "MySQL", "REST", "HTML" (not "McDowell", "J.R.R.")


@lru_cache(maxsize=4096)
def is_person_names(text: str) -> bool:
    """Whether ``text``, written alone where a title's author or a description could be,
    reads as people's names: :func:`is_names`, but every word a capitalised name, an initial,
    a particle or a title (no handle, number or acronym), no common title word ("Guide",
    "Framework", "Testing"...) and no sentence punctuation. Words of a script without case
    (Persian, Chinese) cannot be told from a description's, so they are not taken for names.

    >>> is_person_names("Robert C. Martin"), is_person_names("Abelson, Sussman")
    (True, True)
    >>> is_person_names("Type Checkers"), is_person_names("Django REST"), is_person_names("MIT")
    (False, False, False)
    """
    text = text.strip()
    if not is_names(text) or text[-1:] in ",;:&+-":
        return False
    bare = re.sub(r",?\s+et\s+al\.$", "", text)
    for word in _NAME_LIST_SPLIT_RE.sub(" ", bare).split():
        key = word.lower()
        if key in _PARTICLES or key in _TITLES or _INITIALS_RE.match(word):
            continue
        if not word[0].isupper() or not _capitalised(word):
            return False  # a handle, a number, or a script without case ("آموزش پایتون")
        if _ACRONYM_RE.search(word) or word.endswith("."):
            return False  # "MySQL", "Library."
        stem = key.rstrip("'\u2019s")
        if key in _COMMON_WORDS or stem in _COMMON_WORDS or _common_ending(key):
            return False
    return True


def is_full_names(text: str) -> bool:
    """Names that carry more than one word: a full name ("Luciano Ramalho") or several names
    ("Abelson, Sussman"); a single word ("Golang", "Rust") is too weak alone."""
    text = re.sub(r",?\s+et\s+al\.?$", "", text.strip())
    names = [name for name in _NAME_LIST_SPLIT_RE.split(text) if name]
    return len(names) > 1 or len(text.split()) > 1


def _common_ending(key: str) -> bool:
    return any(key.endswith(end) and len(key) > len(end) + 2 for end in _COMMON_SUFFIXES)
