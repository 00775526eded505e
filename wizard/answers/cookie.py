"""Keep a person's answers in their (signed) session cookie.

The cookie holds node ids and option keys only, never free text or anything
personal, and is capped in size. Anything that does not look like that (a
forged or damaged cookie, an old format) is discarded and reported, so the
page can say that the wizard started again.
"""
from __future__ import annotations

from flask import current_app, request, session

from wizard.core.check import IDENTIFIER

ANSWERS_KEY = "a"
VERSION_KEY = "v"
VERSION = 1
MAX_ANSWERS = 30


def is_identifier(value: object) -> bool:
    return isinstance(value, str) and IDENTIFIER.match(value) is not None


def load_answers() -> tuple[dict[str, str], bool]:
    """The saved answers (node id -> option key) and whether a saved state was unusable."""
    if not session:  # Flask gives an empty session for a cookie with a bad signature
        return {}, current_app.config["SESSION_COOKIE_NAME"] in request.cookies
    stored = session.get(ANSWERS_KEY)
    if stored is None:
        return {}, False
    if session.get(VERSION_KEY) != VERSION or not is_valid(stored):
        return {}, True
    return {node: key for node, key in stored}, False


def is_valid(stored: object) -> bool:
    return (isinstance(stored, list) and len(stored) <= MAX_ANSWERS
            and all(isinstance(pair, list) and len(pair) == 2 and all(map(is_identifier, pair))
                    for pair in stored))


def save_answers(answers: dict[str, str]) -> None:
    session[VERSION_KEY] = VERSION
    session[ANSWERS_KEY] = [[node, key] for node, key in list(answers.items())[:MAX_ANSWERS]]


def clear_answers() -> None:
    """Forget the answers only: an agent logged in in the same browser stays logged in."""
    session.pop(ANSWERS_KEY, None)
    session.pop(VERSION_KEY, None)
