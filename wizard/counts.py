"""Counters for the insights page (docs/insights.md): add to a count row, created if it is not there yet.

Every count table's key is all its columns but ``count``. Adding is one
statement, ``INSERT ... ON CONFLICT (key) DO UPDATE SET count = count + n``
(SQLite 3.24+ and PostgreSQL alike), so two instances adding to the same row at
once both land: the database serialises the two upserts on the row, and
neither reads a count and writes it back.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from wizard.extensions import db
from wizard.models import FeedbackCount


def today() -> dt.date:
    """The day a count goes under: UTC, so every instance agrees (no time of day is kept)."""
    return dt.datetime.now(dt.timezone.utc).date()


def add(model, rows: list[dict]) -> None:
    """Add each row's ``count`` to the row with the same key (the other columns), in one transaction."""
    if not rows:
        return
    table = model.__table__
    insert = postgresql_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    keys = [column.name for column in table.primary_key.columns]
    for row in rows:
        statement = insert(table).values(**row)
        db.session.execute(statement.on_conflict_do_update(
            index_elements=keys, set_={"count": table.c.count + statement.excluded["count"]}))
    db.session.commit()


def add_vote(flow_version: str, outcome: str, vote: str, reason: str = "", day: dt.date | None = None) -> None:
    add(FeedbackCount, [dict(day=day or today(), flow_version=flow_version, outcome=outcome, vote=vote,
                             reason=reason, count=1)])
