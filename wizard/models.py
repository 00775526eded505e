"""The tables: ids, keys, option keys and times only — never a caller's name, date of birth or ID number.

Calls and reference codes hold the answers as (node id, option key) pairs,
the same situations public page addresses hold; staff accounts hold a login
name, a desk and a password hash.
"""
from __future__ import annotations

import datetime as dt

from flask_login import UserMixin
from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from wizard.extensions import db


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class UTCDateTime(TypeDecorator):
    """A time stored in UTC and always read back with its zone, on PostgreSQL and on SQLite alike.

    SQLite keeps no zone: without this, times came back naive there and aware
    on PostgreSQL, and comparing one with utcnow() failed on SQLite only. A
    time given without a zone is taken to be UTC. The column is still
    DateTime(timezone=True), so the schema (and migration 0001) is unchanged.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    @staticmethod
    def in_utc(value: dt.datetime | None) -> dt.datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value.astimezone(dt.timezone.utc)

    def process_bind_param(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        return self.in_utc(value)

    def process_result_value(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        return self.in_utc(value)


class StaffUser(UserMixin, db.Model):
    """A help-desk agent's account."""

    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    desk: Mapped[str] = mapped_column(String(8))
    password_hash: Mapped[str] = mapped_column(String(200))
    # Bumped by a password reset or removal: sessions issued before stop working.
    session_epoch: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_epoch}"

    @property
    def is_active(self) -> bool:
        return self.active


class Call(db.Model):
    """A call an agent is taking: the caller's answers, kept server-side under a random id."""

    __tablename__ = "call"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    answers: Mapped[list] = mapped_column(JSON, default=list)  # [[node id, option key], ...]
    assumed: Mapped[list] = mapped_column(JSON, default=list)  # node ids filled in by search, not said
    sent_back: Mapped[bool] = mapped_column(Boolean, default=False)  # caller already tried the desk we'd send them to
    from_code: Mapped[str | None] = mapped_column(String(8), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    changes: Mapped[list[CallChange]] = relationship(order_by="CallChange.id", cascade="all, delete-orphan")


class CallChange(db.Model):
    """One step of a call's story: an answer given, changed, assumed, or a note that the caller was sent back."""

    __tablename__ = "call_change"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    call_id: Mapped[str] = mapped_column(ForeignKey("call.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    kind: Mapped[str] = mapped_column(String(16))  # answer|change|assumed|confirmed|jump|sent_back|from_code|escalate
    node: Mapped[str | None] = mapped_column(String(40), nullable=True)
    before: Mapped[str | None] = mapped_column(String(40), nullable=True)
    after: Mapped[str | None] = mapped_column(String(40), nullable=True)


class ReferenceCode(db.Model):
    """A code of a flow version and the answers it stands for (wizard/core/codebook.py).

    Every code of each version the app has run is written here when that
    version first starts, so a code from a page shown before a content change
    can still be opened. A row is a situation, shared by everyone who gave
    those answers: nothing about a person.
    """

    __tablename__ = "reference_code"

    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    flow_version: Mapped[str] = mapped_column(String(16), index=True)
    answers: Mapped[list] = mapped_column(JSON)  # [[node id, option key], ...] in path order
    outcome: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)  # when its version first ran


class AuditEvent(db.Model):
    """Who did what, when, to which id: logins, lookups and calls. Never caller data."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), nullable=True)
    action: Mapped[str] = mapped_column(String(24))
    target: Mapped[str | None] = mapped_column(String(40), nullable=True)


class FeedbackCount(db.Model):
    """How many "Did this solve your problem?" answers an outcome got on one day: counts only.

    One row per (day, content version, outcome, vote, reason); a vote adds 1 to its row
    (wizard/counts.py, an upsert that two instances can run at once). No time of day, no
    address, no browser: nothing that could tell one person's vote from another's.
    """

    __tablename__ = "feedback_count"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    flow_version: Mapped[str] = mapped_column(String(16), primary_key=True)
    outcome: Mapped[str] = mapped_column(String(40), primary_key=True)
    vote: Mapped[str] = mapped_column(String(8), primary_key=True)  # yes | no
    reason: Mapped[str] = mapped_column(String(24), primary_key=True, default="")  # a reason key, "" for none
    count: Mapped[int] = mapped_column(Integer, default=0)


class PageCount(db.Model):
    """How often a public question or outcome page was seen, answered and arrived at, per day: counts only.

    ``kind``: ``view`` (the page sent: rendered, or sent again by KeptPages; nginx's cache hits are
    not seen), ``answer`` (an answer given on the question: it went on) and ``arrive`` (an answer
    elsewhere led here). Counted in each process's memory and added every PAGE_COUNT_FLUSH_SECONDS
    (wizard/page_counts.py): no database write on the request path.
    """

    __tablename__ = "page_count"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    flow_version: Mapped[str] = mapped_column(String(16), primary_key=True)
    node: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)  # view | answer | arrive
    count: Mapped[int] = mapped_column(Integer, default=0)


class NodeWords(db.Model):
    """A digest of each question's and outcome's wording, per content version: which pages two versions
    reworded (the insights page). Written once per version at start, beside its reference codes."""

    __tablename__ = "node_words"

    flow_version: Mapped[str] = mapped_column(String(16), primary_key=True)
    node: Mapped[str] = mapped_column(String(40), primary_key=True)
    digest: Mapped[str] = mapped_column(String(16))
