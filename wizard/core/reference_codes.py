"""Reference codes: what a code looks like, how a typed one is read, and what it stands for.

A code is 8 symbols from a 32-symbol alphabet (5 bits each, 40 bits in all),
shown as two groups, ``K7PM-4QX2``. The alphabet leaves out the look-alikes 0,
O, 1 and I, so nothing shown can be misread as something else.

A code is a pure function of the content version and the answers
(:func:`code_for`): everyone who gives the same answers to the same content
sees the same code, so an outcome page can be cached and shared, and making a
code needs no database. It stands for a situation, never a person.

Reading what a person or an agent typed (:func:`normalise`): case, spaces and
dashes do not matter; a look-alike is read as the one symbol of its group that
is in the alphabet (1 and I are read as L), and a group with no symbol in the
alphabet (0 and O) makes the code invalid, since we cannot tell what was meant.
Anything else outside the alphabet, or the wrong length, is invalid too.

Nothing here knows about the database: wizard/core/codebook.py lists every
code of a flow version, and wizard/code_lookup.py keeps those of earlier versions.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections.abc import Mapping

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
LENGTH = 8
GROUP = 4  # shown as two groups of four
# Characters people mix up when reading or writing a code: each group holds
# symbols that look alike. At most one symbol of each group is in ALPHABET.
LOOK_ALIKES = ("0O", "1IL")
SEPARATORS = " \t-\u2010\u2011\u2012\u2013\u2014\u2212"  # spaces, hyphens, dashes, minus sign
MAX_TYPED = 40  # longer input is never a code, however it is spaced
VERSION_LENGTH = 12  # hex characters of the content hash: 48 bits


def _read_as() -> dict[str, str | None]:
    """Each look-alike outside the alphabet -> the symbol it is read as, or None when no symbol can be."""
    read_as: dict[str, str | None] = {}
    for group in LOOK_ALIKES:
        present = [symbol for symbol in group if symbol in ALPHABET]
        for symbol in group:
            if symbol not in ALPHABET:
                read_as[symbol] = present[0] if len(present) == 1 else None
    return read_as


READ_AS = _read_as()


def entropy_bits() -> float:
    return LENGTH * math.log2(len(ALPHABET))


def code_for(flow_version: str, answers: Mapping[str, str]) -> str:
    """The code for these answers (in path order) on this content version, unformatted (``K7PM4QX2``):
    the first 40 bits of their sha256, 5 bits to a symbol."""
    digest = hashlib.sha256(f"reference-code\0{answers_key(flow_version, answers)}".encode()).digest()
    number = int.from_bytes(digest[:5], "big")
    return "".join(ALPHABET[(number >> (5 * place)) & 31] for place in reversed(range(LENGTH)))


def format_code(code: str) -> str:
    """``K7PM4QX2`` -> ``K7PM-4QX2``, the way pages show it."""
    return f"{code[:GROUP]}-{code[GROUP:]}"


def spoken(code: str) -> str:
    """The code for a screen reader, one character at a time: ``K 7 P M, 4 Q X 2``."""
    return f"{' '.join(code[:GROUP])}, {' '.join(code[GROUP:])}"


def normalise(typed: object) -> str | None:
    """The code someone typed, as stored (``K7PM4QX2``), or None when it cannot be a code."""
    if not isinstance(typed, str) or len(typed) > MAX_TYPED:
        return None
    symbols = []
    for character in typed.upper():
        if character in SEPARATORS:
            continue
        if character in READ_AS:
            character = READ_AS[character]
            if character is None:
                return None
        if character not in ALPHABET:
            return None
        symbols.append(character)
    return "".join(symbols) if len(symbols) == LENGTH else None


def one_away(typed: object) -> list[str]:
    """Every code that differs from what was typed in one symbol: for a code misheard in one place, or one
    that holds a symbol no code has (O or 0). Empty when the typed text is further from a code than that."""
    if not isinstance(typed, str) or len(typed) > MAX_TYPED:
        return []
    symbols = [READ_AS.get(c, c) if c in READ_AS else c for c in typed.upper() if c not in SEPARATORS]
    unreadable = [place for place, symbol in enumerate(symbols) if symbol is None or symbol not in ALPHABET]
    if len(symbols) != LENGTH or len(unreadable) > 1:
        return []
    places = unreadable or range(LENGTH)
    return [f"{''.join(symbols[:place])}{symbol}{''.join(symbols[place + 1:])}"
            for place in places for symbol in ALPHABET if symbol != symbols[place]]


def content_version(files: Mapping[str, bytes]) -> str:
    """A short hash of the content files (name -> bytes): changes whenever any of them does."""
    digest = hashlib.sha256()
    for name in sorted(files):
        data = files[name]
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()[:VERSION_LENGTH]


def answers_key(flow_version: str, answers: Mapping[str, str]) -> str:
    """What a code stands for: the flow version and the answers in the order given (sha256, hex)."""
    payload = json.dumps([flow_version, [[node, key] for node, key in answers.items()]], separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def age_in_words(then: dt.datetime, now: dt.datetime) -> str:
    """How long ago ``then`` was, for people: "just now", "5 minutes ago", "3 days ago"."""
    seconds = max(0, int((now - then).total_seconds()))
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'' if count == 1 else 's'} ago"
    return "just now"


def long_date(moment: dt.datetime | dt.date) -> str:
    """A date as people in the US write it: "December 26, 2026"."""
    return f"{moment:%B} {moment.day}, {moment.year}"
