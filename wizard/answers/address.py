"""A person's answers live in the page's address, never on the server.

``/q/method?topic=cannot_sign_in&v=3f9a0c1d2e4b``: the node in the path, each
answer as ``<node id>=<option key>``, and the content version ``v``, all
sorted by name. Every page is then the same for everyone who gave the same
answers, so caches can keep it (GOV.UK Smart Answers, ADR 2), a link can be
shared with a family helper, and the browser's Back button and history are
the only memory. Nothing here trusts the address: the engine replays the
answers from the start, so a forged or edited address never reaches a
question out of order.
"""
from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

from werkzeug.datastructures import MultiDict

VERSION = "v"  # the content version; check.RESERVED_NAMES keeps it (and NOTICE) from being a node id
NOTICE = "notice"


def answers_from(args: MultiDict, nodes: Mapping[str, object]) -> dict[str, str]:
    """node id -> option key for each parameter that names a node (its first value); the rest is ignored."""
    return {name: value for name, value in args.items() if name in nodes}


def query(answers: Mapping[str, str], version: str, notice: str | None = None) -> str:
    """The canonical query string: the answers and the version (and a notice), sorted by name."""
    pairs = [*answers.items(), (VERSION, version)]
    if notice:
        pairs.append((NOTICE, notice))
    return urlencode(sorted(pairs))


def hidden_fields(answers: Mapping[str, str], version: str, leave_out: str) -> list[tuple[str, str]]:
    """The (name, value) pairs a page's GET form carries so the next address keeps every other answer."""
    return sorted([*((node, key) for node, key in answers.items() if node != leave_out), (VERSION, version)])
