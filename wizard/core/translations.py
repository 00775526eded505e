"""Translations that know their source: each string in another language records the English it translates.

In ``text/<language>.yaml`` (any language but English) every string carries a
YAML tag with a short hash of the English string at the same place in
``text/en.yaml``::

    title: !en-5d41402a "¿Con qué necesita ayuda?"

The hash is the first 8 hex digits of the SHA-256 of the English string as
parsed (so re-wrapping the YAML changes nothing). :func:`compare` walks the
English wording and the other language side by side:

- a public English string with nothing at the same place is **missing**
  (``flow check`` fails: a page would show English or break);
- a string without its ``!en-`` tag, or with wording the English does not
  have, is a problem too;
- a string whose hash is not the hash of today's English is **stale**: the
  English changed since it was translated. ``flow check`` prints a warning
  with the English it now translates and the tag to put on the new wording;
  ``flow check --strict`` fails.

Staff-only wording (call mode's "Say" and "Listen for", ticket lines, transfer
lines, ``at_desk`` steps) is not required: call mode is in English. Where a
language gives some (Spanish gives "Say" and "Listen for", for bilingual
agents), it is checked like the rest: tagged, and warned about when stale.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

DEFAULT_LANGUAGE = "en"
TAG_PREFIX = "!en-"
HASH_LENGTH = 8

# Wording that only agents read (call mode is English): not required in other languages.
STAFF_ONLY_TOP = {"staff"}
STAFF_ONLY_KEYS = {
    "questions": {"say", "listen", "terms"},
    "outcomes": {"staff", "terms"},  # terms: what callers say, for the staff search
    "contacts": {"staff_name", "transfer"},
}
STAFF_ONLY_ANYWHERE = {"at_desk", "ticket"}  # ticket: an option as the ticket words it (call mode)
# Keys that name the file itself rather than translate anything.
OWN_KEYS = {"language", "language_name"}
# Wording only other languages have, with nothing in English to translate: what each English screen name
# means (top level), what is known about help in that language at each desk (under contacts.<id>), a
# desk's name as it reads after "call" where the language needs its own form (``called``: Spanish "al
# DMDC", "a la oficina de ayuda de DEERS"; the name itself otherwise), and how dates read (``months``,
# January first, and ``date_format`` with {day}, {month} and {year}; ISO dates otherwise).
LANGUAGE_ONLY_TOP = {"screen_names"}
LANGUAGE_ONLY_CONTACT = {"language_help", "called"}
LANGUAGE_ONLY_PAGES = {"language_help_unknown", "months", "date_format"}


class Translated(str):
    """A translated string, with the hash of the English it was translated from (None: no tag)."""

    source: str | None = None

    def __new__(cls, text: str, source: str | None):
        made = super().__new__(cls, text)
        made.source = source
        return made


def source_hash(english: str) -> str:
    """The hash a translation records for the English string it translates."""
    return hashlib.sha256(english.encode("utf-8")).hexdigest()[:HASH_LENGTH]


def tag_for(english: str) -> str:
    return f"{TAG_PREFIX}{source_hash(english)}"


def construct_translated(loader, tag_suffix: str, node) -> Translated:
    """The YAML constructor for ``!en-<hash> "text"``."""
    return Translated(loader.construct_scalar(node), tag_suffix)


@dataclass(frozen=True)
class Difference:
    """One place where a translation does not match the English it should translate."""

    path: str
    kind: str  # "missing", "untagged", "extra", "shape" (problems) or "stale" (a warning)
    english: str | None = None

    @property
    def is_stale(self) -> bool:
        return self.kind == "stale"

    def describe(self) -> str:
        if self.kind == "missing":
            return f"{self.path}: missing translation of {self.english!r} (tag it {tag_for(self.english or '')})"
        if self.kind == "untagged":
            return (f"{self.path}: says nothing of the English it translates: tag it "
                    f"{tag_for(self.english or '')} (the English: {self.english!r})")
        if self.kind == "extra":
            return f"{self.path}: wording that text/en.yaml does not have"
        if self.kind == "shape":
            return f"{self.path}: not the same shape as in text/en.yaml ({self.english})"
        return (f"{self.path}: the English changed since this was translated; it now reads {self.english!r}. "
                f"Update the translation and its tag to {tag_for(self.english or '')}")


def is_staff_only(path: tuple[str, ...]) -> bool:
    if not path:
        return False
    if path[0] in STAFF_ONLY_TOP or path[-1] in STAFF_ONLY_ANYWHERE:
        return True
    return len(path) >= 3 and path[2] in STAFF_ONLY_KEYS.get(path[0], ())


def language_only(path: tuple[str, ...]) -> bool:
    return (len(path) == 1 and path[0] in OWN_KEYS | LANGUAGE_ONLY_TOP
            or len(path) == 2 and path[0] == "pages" and path[1] in LANGUAGE_ONLY_PAGES
            or len(path) == 3 and path[0] == "contacts" and path[2] in LANGUAGE_ONLY_CONTACT)


def show(path: tuple[str, ...]) -> str:
    return ".".join(path)


def compare(english: Any, other: Any) -> list[Difference]:
    """Every difference between the English wording and a translation of it (staff-only wording aside)."""
    if not isinstance(english, dict) or not isinstance(other, dict):
        return [Difference("(file)", "shape", "must be a mapping")]
    return list(walk(english, other, ()))


def walk(english: Any, other: Any, path: tuple[str, ...]) -> Iterator[Difference]:
    if path and path[-1] in OWN_KEYS and len(path) == 1:
        return
    if path and is_staff_only(path) and other is None:  # call mode's wording: optional in other languages,
        return                                           # but checked like the rest where it is given
    if isinstance(english, str):
        if other is None:
            yield Difference(show(path), "missing", english)
        elif not isinstance(other, str):
            yield Difference(show(path), "shape", "English has text here")
        elif getattr(other, "source", None) is None:
            yield Difference(show(path), "untagged", english)
        elif other.source != source_hash(english):
            yield Difference(show(path), "stale", english)
        return
    if isinstance(english, dict):
        if other is None:
            yield from missing_in(english, path)
            return
        if not isinstance(other, dict):
            yield Difference(show(path), "shape", "English has a mapping here")
            return
        for key, value in english.items():
            yield from walk(value, other.get(key), (*path, str(key)))
        for key in other:
            if key not in english and not is_staff_only((*path, str(key))) and not language_only((*path, str(key))):
                yield Difference(show((*path, str(key))), "extra")
        return
    if isinstance(english, list):
        if other is None:
            yield from missing_in(english, path)
            return
        if not isinstance(other, list) or len(other) != len(english):
            yield Difference(show(path), "shape", f"English has a list of {len(english)} here")
            return
        for index, (item, translated) in enumerate(zip(english, other)):
            yield from walk(item, translated, (*path[:-1], f"{path[-1]}[{index}]") if path else (f"[{index}]",))
        return
    if english is None and other is not None:
        yield Difference(show(path), "shape", "English has nothing (null) here")


def missing_in(english: Any, path: tuple[str, ...]) -> Iterator[Difference]:
    """Every public string under ``english``, as missing."""
    yield from walk(english, None, path) if isinstance(english, str) else ()
    if isinstance(english, dict):
        for key, value in english.items():
            yield from walk(value, None, (*path, str(key)))
    elif isinstance(english, list):
        for index, item in enumerate(english):
            yield from walk(item, None, (*path[:-1], f"{path[-1]}[{index}]") if path else (f"[{index}]",))


def with_sources(english: Any, sources: dict[str, Any] | None) -> Any:
    """The English wording a translation follows: ``text/en.yaml`` plus, under ``sources:``, the description
    (``where`` in sources.yaml) of each source pages list, so another language translates those too."""
    if not isinstance(english, dict) or not sources:
        return english
    public = {source_id: data["where"] for source_id, data in sources.items()
              if isinstance(data, dict) and data.get("public", True) and isinstance(data.get("where"), str)}
    return {**english, "sources": public} if public else english


def stale(texts: dict[str, Any], sources: dict[str, Any] | None = None) -> list[str]:
    """The warning lines for translations whose English changed since (``flow check`` prints them)."""
    english = with_sources(texts.get(DEFAULT_LANGUAGE), sources)
    return [f"text/{language}.yaml: {difference.describe()}"
            for language, text in texts.items() if language != DEFAULT_LANGUAGE
            for difference in compare(english, text) if difference.is_stale]
