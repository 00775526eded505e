"""What every content check shares: the Problem it reports, the names content may use, small readers."""
from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# Query parameters the public pages use besides node ids (wizard/answers/address.py): never a node id.
RESERVED_NAMES = {"v", "notice"}
E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
NODE_TYPES = ("question", "outcome")
QUESTION_TEXT = ("title", "summary", "error", "say", "listen")  # say/listen: for agents in call mode
OUTCOME_TEXT = ("title", "answer", "steps", "have_ready")
TEXT_PARTS = ("questions", "outcomes", "contacts", "blocks", "notes", "pages", "staff")
# Words a "have this ready" list must never ask for: no help desk needs them.
SECRET_WORDS = re.compile(r"(?i)\b(password|PIN|security answers?|passcode)\b")
DEFAULT_REVIEW_EVERY_DAYS = 180
UNKNOWN_HELP = "unknown"  # contacts.yaml language_help: nothing known about help in that language
# The kinds of problem a contact can fix (its `handles`), and an outcome resolves (its `resolves`).
KINDS = ("portal_fault", "sign_in_account", "deers_record", "id_card", "own_care", "va_care",
         "civilian_care", "piv_card")
# Contact channels that say who the contact is, not a fact shown (so they carry no `source`).
NOT_FACTS = ("desk", "handles", "language_help")  # language_help: checked per language (check_language_help)
UNPUBLISHED = "unpublished"  # `hours: unpublished`: the page says no official page gives them
# Outcome wording that sends a person back into the wizard: allowed only on an outcome whose
# `options` carry them on (a link that keeps their answers), never as an instruction to redo it.
SENDS_BACK = re.compile(r"(?i)\b(come back|go back|start again|start over|return to this (tool|page)|"
                        r"use this tool again|choose .{0,40}\bagain)\b")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the content, where a content editor can find it."""

    file: str
    node: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.node}" if self.node else self.file
        return f"{where}: {self.message}"


def lookup(value: Any, *keys: Any) -> Any:
    """value[key][key]...; None where a level is not a mapping or lacks the key."""
    for key in keys:
        if not isinstance(value, dict) or not isinstance(key, Hashable):
            return None
        value = value.get(key)
    return value


def is_mapping_of_names(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(item, str) for item in value.values())
