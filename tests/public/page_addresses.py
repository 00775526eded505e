"""Public page addresses written out the way wizard/answers/address.py documents them.

Built here by hand (not with the app's own helpers), so a change to the address
scheme shows up as a failing test: ``/q/<node>?<node id>=<option key>&...&v=<content version>``,
every parameter sorted by name.
"""
from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

PUBLIC_CACHE = "public, max-age=600, stale-if-error=604800"


def version_of(app) -> str:
    """The running content version, the ``v`` every public address carries."""
    return app.extensions["triage_engine"].flow.version


def canonical_query(app, answers: Mapping[str, str], notice: str | None = None) -> str:
    pairs = [*answers.items(), ("v", version_of(app))]
    if notice:
        pairs.append(("notice", notice))
    return urlencode(sorted(pairs))


def page_address(app, node: str, answers: Mapping[str, str] | None = None, notice: str | None = None) -> str:
    return f"/q/{node}?{canonical_query(app, answers or {}, notice)}"


def open_page(client, node: str, answers: Mapping[str, str] | None = None):
    """GET the page for ``node`` at these answers; it must be a 200 at exactly that address (no redirect)."""
    address = page_address(client.application, node, answers)
    response = client.get(address)
    assert response.status_code == 200, f"{address}: {response.status_code} {response.location}"
    return response
