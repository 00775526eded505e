"""Parts of public pages rendered once per process: the flow is finite, and so are its pages' parts.

A public page is a function of the content version, the language and the answers
(docs/caching.md). Most of it depends on much less: a question's wording and
radios on the node (and which option is chosen), an outcome's steps on the node
and which of its extra blocks apply, the footer on the language alone. A template
marks such a part with its key::

    {% call kept("question_form", node_id, selected, error) %} ... {% endcall %}

The first time a key is met the part renders as usual; after that its HTML is
reused. The key must name everything the part reads (the language, the content
version and the mount point are always added): ``tests/public/test_fragments.py``
renders every page of the flow with and without kept parts and requires the same
bytes, so a part that reads something its key leaves out fails there.

This is not KeptPages (wizard/public/page_cache.py), which keeps whole pages by
address: a page nobody has asked for recently is still rendered, but its kept
parts are not. FRAGMENTS_KEPT=0 turns it off (the test above, and to measure).
"""
from __future__ import annotations

import threading
from typing import Callable, Hashable

from flask import current_app, request
from markupsafe import Markup

from wizard.extensions import per_app
from wizard.web.languages import request_language

class Fragments:
    """Rendered parts by key, kept until the process ends (they are a function of the running content)."""

    def __init__(self, limit: int):
        self.limit = limit
        self.parts: dict[tuple, Markup] = {}
        self.lock = threading.Lock()

    def get(self, key: tuple, render: Callable[[], str]) -> Markup:
        found = self.parts.get(key)
        if found is not None:
            return found
        part = Markup(render())
        if len(self.parts) < self.limit:
            with self.lock:
                self.parts.setdefault(key, part)
        return part


def fragments() -> Fragments:
    # FRAGMENTS_KEPT (wizard/settings.py): the keys are finite (nodes x languages x a few variants), so the bound
    # only stops a key that wrongly holds something unbounded from growing memory.
    return per_app("triage_fragments", lambda: Fragments(current_app.config["FRAGMENTS_KEPT"]))


def kept(*key: Hashable, caller: Callable[[], str]) -> Markup:
    """``{% call kept(...) %}``: the part between call and endcall, rendered once per key, language and version."""
    store = fragments()
    if not store.limit:
        return Markup(caller())
    version = current_app.extensions["triage_engine"].flow.version
    return store.get((request.script_root, request_language(), version, *key), caller)
