"""The saved-result page: /r/<code> shows the outcome a reference code stands for, read-only.

Anyone with the code can open it in any browser: it needs no cookie and
changes nothing (no forms, no change links). It is today's advice for the
answers behind the code. Codes of the running content open with no database;
codes of earlier content are read from it (wizard/code_lookup.py). Lookups are
rate-limited per address (CODE_LOOKUP_LIMIT).
"""
from __future__ import annotations

import logging

from flask import current_app, render_template, url_for

from wizard.code_lookup import DATABASE_DOWN, forget_failed_work, look_up, outage_log
from wizard.core.reference_codes import format_code, spoken
from wizard.core.engine import Position
from wizard.extensions import limiter
from wizard.public.page_cache import cacheable
from wizard.public.views import bp, engine, is_at, page, presenter, see
from wizard.web.languages import show_address

log = logging.getLogger(__name__)

# state -> status; the page title and message are worded in text/<lang>.yaml (pages.saved_missing), where
# {code} is the code, formatted.
NOT_SHOWN = {"malformed": 404, "unknown": 404, "unavailable": 503}


def lookup_limit() -> str:
    return current_app.config["CODE_LOOKUP_LIMIT"]


def not_shown(state: str, code: str | None = None):
    status, words = NOT_SHOWN[state], presenter().page_text("saved_missing")[state]
    title, message = words["title"], words["message"].replace("{code}", format_code(code) if code else "")
    return render_template("public/saved_missing.html", title=title, message=message, status=status), status


def outcome_to_show(position: Position, saved_outcome: str) -> str | None:
    """Where the saved answers lead today; else the saved outcome if the flow still has it; else None."""
    nodes = engine().flow.nodes
    for candidate in (position.current, saved_outcome):
        if candidate in nodes and nodes[candidate].is_outcome:
            return candidate
    return None


@page("/r/<code>")
@limiter.limit(lookup_limit)
@cacheable
def saved(code: str):
    try:
        found = look_up(code)
    except DATABASE_DOWN as error:
        forget_failed_work()
        outage_log().report(error)
        return not_shown("unavailable")
    if found.state != "found":
        log.info("saved result not shown: %s", found.state)
        return not_shown(found.state, found.code)
    if not is_at(url_for(".saved", code=found.code)):  # k7pm-4qx2, K7PM%34QX2, any query: one address
        return see(url_for(".saved", code=found.code))
    show_address(f"/r/{found.code}")
    position = engine().walk(found.saved.answers)
    outcome = outcome_to_show(position, found.saved.outcome)
    present = presenter()
    context = dict(code=found.code, formatted=format_code(found.code), spoken=spoken(found.code),
                   outcome=outcome, rows=present.answer_rows(position))
    if outcome is not None:
        context.update(present.outcome_page(outcome, position.answers))
    response = current_app.make_response(render_template("public/saved.html", **context))
    response.headers["X-Robots-Tag"] = "noindex"  # a saved result is not for search engines
    return response
