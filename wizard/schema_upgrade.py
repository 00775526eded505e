"""The database's schema is brought up to date when the app starts: no manual step.

Alembic migrations live in migrations/ (Flask-Migrate). Several gunicorn
workers start at once, so the upgrade runs under a lock: a PostgreSQL
advisory lock, or for SQLite a file lock beside the database file. An upgrade
that has nothing to do costs one query.
"""
from __future__ import annotations

import fcntl
import logging
import os
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
    with app.app_context():
        make_private_sqlite_file(app)
        with schema_lock(app):
            flask_migrate.upgrade(directory=str(MIGRATIONS))


def sqlite_file() -> Path | None:
    """The SQLite database's file, or None (PostgreSQL, an in-memory database, a file: URI)."""
    if db.engine.dialect.name != "sqlite":
        return None
    database = db.engine.url.database
    if database and database != ":memory:" and not database.startswith("file:"):
        return Path(database)
    return None


def make_private_sqlite_file(app: Flask) -> None:
    """Create the SQLite file mode 0600 before SQLite does (it would use the umask: 0644 under the usual 022).

    It holds the staff password hashes and the audit log; an empty file is an empty database, and SQLite
    gives its journal the database file's mode. A file that is already there is left as it is.
    """
    path = sqlite_file()
    if path is None or path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:  # another worker made it first
        pass


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
