"""Reference codes in the database: issue one for a set of answers, find one, tell expired from unknown.

A row holds the code, the answers (node id, option key), the outcome id, the
flow version and two times: never anything about the person. The same answers
on the same flow version keep the same code until it expires
(REFERENCE_CODE_DAYS after it was made); after that they get a new one, and
the old code still answers "expired" rather than "unknown". An expired code's
answers are erased (at most an hour after it expires, whenever codes are
issued), so nothing is kept longer than the code can be used.

The public outcome page must work without the database, so
:func:`code_for_page` turns any database failure into None (the page then
shows the answers instead) and logs it at most once a minute per process.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import logging
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from wizard.core import codes as core_codes
from wizard.core.codes import answers_key, format_code, normalise, spoken
from wizard.core.engine import Position
from wizard.extensions import db, per_app
from wizard.models import ReferenceCode, utcnow
from wizard.web.quiet_log import QuietLog

log = logging.getLogger(__name__)
MAX_TRIES = 5  # a clash between two random 40-bit codes is rare; five in a row means something is wrong
OUTAGE_LOG_EVERY = 60.0  # seconds between log lines about the database being unusable
RECENT_CODES = 4096  # codes a process keeps at hand (about 1 MB)
PURGE_EVERY = 3600.0  # seconds between erasures of expired codes' answers, per process
_last_purge = [-math.inf]
DATABASE_DOWN = (DBAPIError, PoolTimeout)


class CodeUnavailable(Exception):
    """No free code could be stored (it should never happen)."""


@dataclass(frozen=True)
class IssuedCode:
    """A code as a page shows it: plain values, so showing it needs no database."""

    code: str
    created_at: dt.datetime
    expires_at: dt.datetime

    @property
    def formatted(self) -> str:
        return format_code(self.code)

    @property
    def spoken(self) -> str:
        return spoken(self.code)

    @property
    def days_left(self) -> int:
        """Whole days until it expires, counting a part day as a day (a new code: REFERENCE_CODE_DAYS)."""
        return max(1, math.ceil((self.expires_at - utcnow()) / dt.timedelta(days=1)))


@dataclass(frozen=True)
class Lookup:
    """What a typed code turned out to be: "malformed", "unknown", "expired" or "found"."""

    state: str
    code: str | None = None  # normalised, when it could be
    record: ReferenceCode | None = None


def as_utc(moment: dt.datetime) -> dt.datetime:
    """Times come back from SQLite without a zone; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def is_expired(record: ReferenceCode, now: dt.datetime | None = None) -> bool:
    return as_utc(record.expires_at) <= (now or utcnow())


def answers_of(record: ReferenceCode) -> dict[str, str]:
    return {node: key for node, key in record.answers}


def retired_key(code: str) -> str:
    """The answers key an expired row is moved to, freeing its own for a new code (never a real key)."""
    return hashlib.sha256(f"expired:{code}".encode()).hexdigest()


def find_code(code: str) -> ReferenceCode | None:
    """The row for a normalised code, expired or not, or None."""
    return db.session.get(ReferenceCode, code)


def look_up(typed: str) -> Lookup:
    """Read what someone typed and find the code it names."""
    code = normalise(typed)
    if code is None:
        return Lookup("malformed")
    record = find_code(code)
    if record is None:
        return Lookup("unknown", code)
    return Lookup("expired" if is_expired(record) else "found", code, record)


def issue_code(answers: Mapping[str, str], outcome: str, flow_version: str) -> ReferenceCode:
    """The unexpired code for these answers on this flow version, stored now if there is none."""
    key = answers_key(flow_version, answers)
    days = current_app.config["REFERENCE_CODE_DAYS"]
    erase_expired_answers()
    for _ in range(MAX_TRIES):
        now = utcnow()
        existing = db.session.scalar(select(ReferenceCode).where(ReferenceCode.answers_key == key))
        if existing is not None and not is_expired(existing, now):
            return existing
        if existing is not None:
            existing.answers_key = retired_key(existing.code)  # it stays "expired", not "unknown"
            existing.answers = []
            db.session.flush()
        record = ReferenceCode(code=core_codes.new_code(), answers_key=key,
                               answers=[[node, option] for node, option in answers.items()],
                               outcome=outcome, flow_version=flow_version,
                               created_at=now, expires_at=now + dt.timedelta(days=days))
        db.session.add(record)
        try:
            db.session.commit()
            return record
        except IntegrityError:
            # The code was taken, or another request stored these answers at the same moment:
            # look again, and try a new code.
            db.session.rollback()
    raise CodeUnavailable(f"no free code after {MAX_TRIES} tries")


def erase_expired_answers(force: bool = False) -> int:
    """Erase the answers of codes past their expiry (the code stays, to answer "expired"); hourly at most."""
    if not force and time.monotonic() - _last_purge[0] < PURGE_EVERY:
        return 0
    _last_purge[0] = time.monotonic()
    result = db.session.execute(update(ReferenceCode).where(ReferenceCode.expires_at < utcnow())
                                .values(answers=[]).execution_options(synchronize_session=False))
    db.session.commit()
    return result.rowcount


def code_for_outcome(position: Position, outcome: str) -> IssuedCode | None:
    """The code for the answers that lead to ``outcome`` on the running flow (None when the database is down)."""
    answers = {}
    for node, key in position.answers.items():
        if node == outcome:  # an outcome that offers a way on: answers after it are not part of it
            break
        answers[node] = key
    return code_for_page(answers, outcome, current_app.extensions["triage_engine"].flow.version)


class RecentCodes:
    """Codes this process issued or found lately, by answers key, so showing an outcome page
    again needs no database (the row is stored before it is remembered here). Bounded."""

    def __init__(self, most: int = RECENT_CODES):
        self.most, self.codes, self.lock = most, OrderedDict(), threading.Lock()

    def get(self, key: str) -> IssuedCode | None:
        with self.lock:
            issued = self.codes.get(key)
            if issued is None or issued.expires_at <= utcnow():
                return None
            self.codes.move_to_end(key)
            return issued

    def put(self, key: str, issued: IssuedCode) -> None:
        with self.lock:
            self.codes[key] = issued
            self.codes.move_to_end(key)
            while len(self.codes) > self.most:
                self.codes.popitem(last=False)


def recent_codes() -> RecentCodes:
    return per_app("recent_reference_codes", RecentCodes)


def code_for_page(answers: Mapping[str, str], outcome: str, flow_version: str) -> IssuedCode | None:
    """The code to show on an outcome page, or None when the database cannot give one right now."""
    key = answers_key(flow_version, answers)
    if issued := recent_codes().get(key):
        return issued
    try:
        record = issue_code(answers, outcome, flow_version)
        issued = IssuedCode(record.code, as_utc(record.created_at), as_utc(record.expires_at))
        recent_codes().put(key, issued)
        return issued
    except (*DATABASE_DOWN, CodeUnavailable) as error:
        forget_failed_work()
        outage_log().report(error)
        return None


def forget_failed_work() -> None:
    """Roll the session back after a failure; that too can fail when the database is gone."""
    try:
        db.session.rollback()
    except DATABASE_DOWN:
        pass


def outage_log() -> QuietLog:
    """This process's outage log (one per app, so each test app starts quiet)."""
    return per_app("triage_code_outage_log", lambda: QuietLog(
        log, "reference codes unavailable: outcome pages show the answers instead of a code", OUTAGE_LOG_EVERY))
