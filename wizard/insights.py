"""What the insights page reads (docs/insights.md): plain rows for wizard/core/insights.py to add up.

- votes: the ``feedback_count`` table (one upsert per vote, wizard/counts.py);
- codes that came back: the audit log, which already holds every staff lookup as
  (agent, code, time) — no second count to keep in step. A code looked up again
  by the same agent on the same day (the lookup page, then "Continue as a call")
  is one coming back; the code's outcome and content version come from the
  ``reference_code`` table, which holds every version's codes;
- call resolutions: the ``call`` and ``call_change`` tables, replayed through
  today's flow to find each call's outcome (the same replay call mode uses);
- page views, arrivals and answers: the ``page_count`` table (wizard/page_counts.py).
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import func, select

from wizard.core.engine import Engine
from wizard.core.insights import resolution_of
from wizard.extensions import db
from wizard.models import AuditEvent, Call, CallChange, FeedbackCount, NodeWords, PageCount, ReferenceCode, StaffUser

LOOKUP = "lookup"  # the audit action of a staff code lookup (wizard/staff/lookup.py)


def start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), dt.timezone.utc)


def votes(since: dt.date, until: dt.date) -> list[tuple]:
    """(day, version, outcome, vote, reason, count) for the days from ``since`` to ``until``."""
    table = FeedbackCount
    return [tuple(row) for row in db.session.execute(
        select(table.day, table.flow_version, table.outcome, table.vote, table.reason, table.count)
        .where(table.day >= since, table.day <= until))]


def came_back(since: dt.date, until: dt.date) -> list[tuple]:
    """(day, version, outcome, 1) per code looked up, once per agent, code and day."""
    events = db.session.execute(
        select(AuditEvent.staff_id, AuditEvent.target, AuditEvent.at, ReferenceCode.flow_version,
               ReferenceCode.outcome)
        .join(ReferenceCode, ReferenceCode.code == AuditEvent.target)
        .where(AuditEvent.action == LOOKUP, AuditEvent.at >= start_of(since),
               AuditEvent.at < start_of(until + dt.timedelta(days=1))))
    seen = {}
    for staff_id, code, at, version, outcome in events:
        day = at.astimezone(dt.timezone.utc).date()
        seen[staff_id, code, day] = (day, version, outcome, 1)
    return list(seen.values())


def call_resolutions(since: dt.date, until: dt.date, engine: Engine, desk_of: Callable[[str], str | None]
                     ) -> list[tuple[str, str]]:
    """(outcome, resolution) for each call started in the period that reached an outcome.

    ``desk_of(outcome)`` is the desk that handles the outcome: a call at another desk's outcome
    that was not escalated or sent back was transferred there.
    """
    calls = db.session.execute(
        select(Call.id, Call.answers, Call.sent_back, StaffUser.desk).join(StaffUser, StaffUser.id == Call.staff_id)
        .where(Call.created_at >= start_of(since), Call.created_at < start_of(until + dt.timedelta(days=1)))).all()
    kinds: dict[str, list[str]] = {}
    if calls:
        for call_id, kind in db.session.execute(
                select(CallChange.call_id, CallChange.kind).where(CallChange.call_id.in_([c.id for c in calls]))
                .where(CallChange.kind.in_(("resolved", "escalate"))).order_by(CallChange.id)):
            kinds.setdefault(call_id, []).append(kind)
    nodes, found = engine.flow.nodes, []
    for call_id, answers, sent_back, desk in calls:
        outcome = engine.walk(dict(answers or [])).current
        if nodes[outcome].is_outcome:
            found.append((outcome, resolution_of(kinds.get(call_id, []), sent_back, desk_of(outcome) == desk)))
    return found


def pages(since: dt.date, until: dt.date) -> list[tuple]:
    """(day, version, node, kind, count) of page_count for the days from ``since`` to ``until``."""
    table = PageCount
    return [tuple(row) for row in db.session.execute(
        select(table.day, table.flow_version, table.node, table.kind, table.count)
        .where(table.day >= since, table.day <= until))]


def versions() -> list[tuple[str, dt.datetime]]:
    """Every content version this service has run, and when it first ran, oldest first."""
    return [tuple(row) for row in db.session.execute(
        select(ReferenceCode.flow_version, func.min(ReferenceCode.created_at))
        .group_by(ReferenceCode.flow_version).order_by(func.min(ReferenceCode.created_at), ReferenceCode.flow_version))]


def answer_sets(version: str) -> list[tuple[str, tuple]]:
    """(outcome, answers as a tuple of pairs) for each code of a version."""
    return [(outcome, tuple(tuple(pair) for pair in answers)) for outcome, answers in db.session.execute(
        select(ReferenceCode.outcome, ReferenceCode.answers).where(ReferenceCode.flow_version == version))]


def wording(version: str) -> dict[str, str]:
    """node -> digest of its wording on a version (empty for a version that ran before digests were kept)."""
    return {node: digest for node, digest in db.session.execute(
        select(NodeWords.node, NodeWords.digest).where(NodeWords.flow_version == version))}
