"""Reference codes: find what a code stands for, on the running flow or an earlier one.

A code is a pure function of the content version and the answers
(wizard/core/reference_codes.py), so an outcome page makes its code with no database,
and the page can be cached. Opening a code goes the other way:

1. the running flow's codebook, built in memory once per process (no database);
2. else the ``reference_code`` table, which holds every code of every flow
   version this service has run: :func:`keep_codes` writes the running
   version's codes there when the app starts (under the schema lock), so the
   codes of today's content still open after the next content change.
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from wizard.core.codebook import Codebook, SavedAnswers
from wizard.core.insights import wording_digests
from wizard.core.reference_codes import normalise, one_away
from wizard.extensions import db, per_app
from wizard.models import NodeWords, ReferenceCode, utcnow
from wizard.schema_upgrade import schema_lock
from wizard.web.quiet_log import QuietLog

log = logging.getLogger(__name__)
OUTAGE_LOG_EVERY = 60.0  # seconds between log lines about the database being unusable
DATABASE_DOWN = (DBAPIError, PoolTimeout)
INSERT_BATCH = 500  # rows per INSERT (and codes per lookup) when a version's codes are kept


@dataclass(frozen=True)
class Lookup:
    """What a typed code turned out to be: "malformed", "unknown" or "found"."""

    state: str
    code: str | None = None  # normalised, when it could be
    saved: SavedAnswers | None = None
    kept_since: dt.datetime | None = None  # for an earlier version's code: when that version first ran


_codebooks: dict[str, Codebook] = {}  # flow version -> its codes: apps running the same content share one


def current_codebook() -> Codebook:
    """The running flow's codes, listed once per process and content version."""
    def listed() -> Codebook:
        engine = current_app.extensions["triage_engine"]
        if (book := _codebooks.get(engine.flow.version)) is None:
            book = _codebooks.setdefault(engine.flow.version, Codebook(engine))
        return book
    return per_app("triage_codebook", listed)


def look_up(typed: str) -> Lookup:
    """Read what someone typed and find what the code stands for.

    The running version's codes need no database; an earlier version's are read
    from it, so that step can raise a DATABASE_DOWN error.
    """
    code = normalise(typed)
    if code is None:
        return Lookup("malformed")
    if saved := current_codebook().get(code):
        return Lookup("found", code, saved)
    record = db.session.get(ReferenceCode, code)
    if record is None:
        return Lookup("unknown", code)
    answers = {node: key for node, key in record.answers}
    return Lookup("found", code, SavedAnswers(answers, record.outcome, record.flow_version), record.created_at)


def near_codes(typed: str) -> list[str]:
    """The codes people were given that are one symbol away from what was typed (for "did you mean")."""
    candidates = one_away(typed)
    near = {code for code in candidates if current_codebook().get(code)}
    try:
        near |= set(db.session.scalars(select(ReferenceCode.code).where(ReferenceCode.code.in_(candidates))))
    except DATABASE_DOWN:
        db.session.rollback()
    return sorted(near)


def keep_codes(app: Flask) -> int:
    """Write the running version's codes to the database if they are not there yet; how many were written.

    Run at start-up under the schema lock, so instances starting together write them once. A code
    an earlier version already holds (a 40-bit clash: about 1 in 430,000 for each earlier version
    kept, today) keeps its earlier meaning in the table; the running version's wins in :func:`look_up`.
    """
    with app.app_context(), schema_lock(app):
        book = current_codebook()
        if db.session.scalar(select(ReferenceCode.code).where(ReferenceCode.flow_version == book.flow_version)
                             .limit(1)):
            return 0
        codes = list(book.entries)
        taken = set()  # codes earlier versions hold, asked in batches (PostgreSQL takes at most 65,535 parameters)
        for start in range(0, len(codes), INSERT_BATCH):
            batch = codes[start:start + INSERT_BATCH]
            taken.update(db.session.scalars(select(ReferenceCode.code).where(ReferenceCode.code.in_(batch))))
        now = utcnow()
        rows = [dict(code=code, flow_version=saved.flow_version, answers=[list(pair) for pair in saved.answers.items()],
                     outcome=saved.outcome, created_at=now)
                for code, saved in book.entries.items() if code not in taken]
        for start in range(0, len(rows), INSERT_BATCH):
            db.session.execute(ReferenceCode.__table__.insert(), rows[start:start + INSERT_BATCH])
        db.session.commit()
        if taken:
            log.warning("flow version %s: %d code(s) already stood for an earlier version", book.flow_version,
                        len(taken))
        log.info("kept %d reference codes of flow version %s", len(rows), book.flow_version)
        return len(rows)


def keep_words(app: Flask) -> int:
    """Write a digest of each node's wording for the running version, once (under the schema lock, as
    keep_codes): the insights page compares two versions' digests to say which pages were reworded."""
    flow = app.extensions["triage_engine"].flow
    with app.app_context(), schema_lock(app):
        if db.session.scalar(select(NodeWords.node).where(NodeWords.flow_version == flow.version).limit(1)):
            return 0
        rows = [dict(flow_version=flow.version, node=node, digest=digest)
                for node, digest in wording_digests(flow.nodes, flow.text(app.config["LANGUAGE"])).items()]
        db.session.execute(NodeWords.__table__.insert(), rows)
        db.session.commit()
        return len(rows)


def forget_failed_work() -> None:
    """Roll the session back after a failure; that too can fail when the database is gone."""
    try:
        db.session.rollback()
    except DATABASE_DOWN:
        pass


def outage_log() -> QuietLog:
    """This process's outage log (one per app, so each test app starts quiet)."""
    return per_app("triage_code_outage_log", lambda: QuietLog(
        log, "saved results of earlier content versions unavailable: the database cannot be reached",
        OUTAGE_LOG_EVERY))
