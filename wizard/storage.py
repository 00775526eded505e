"""The database's schema is brought up to date when the app starts: no manual step.

Alembic migrations live in migrations/ (Flask-Migrate). Several gunicorn
workers start at once, so the upgrade runs under a lock: a PostgreSQL
advisory lock, or for SQLite a file lock beside the database file. An upgrade
that has nothing to do costs one query.
"""
from __future__ import annotations

import fcntl
import logging
from contextlib import contextmanager
from pathlib import Path

import flask_migrate
from flask import Flask
from sqlalchemy import text

from wizard.extensions import db

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
ADVISORY_LOCK_KEY = 727_001  # any fixed number: "the wizard's schema upgrade"
log = logging.getLogger(__name__)


def upgrade_schema(app: Flask) -> None:
    """Apply any migrations not yet applied, once even when several processes start together."""
    with app.app_context(), schema_lock(app):
        flask_migrate.upgrade(directory=str(MIGRATIONS))


@contextmanager
def schema_lock(app: Flask):
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_LOCK_KEY})
        return
    lock_path = sqlite_lock_path(app)
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def sqlite_lock_path(app: Flask) -> Path:
    """The lock file for a SQLite database: beside its file (instance/ for an in-memory one)."""
    database = db.engine.url.database
    if database and database != ":memory:" and not database.startswith("file:"):
        return Path(database).with_name(Path(database).name + ".lock")
    return Path(app.instance_path) / "schema.lock"
