"""The schema comes from the migrations, applied when the app starts: once, under a lock, and a no-op after."""
from __future__ import annotations

import fcntl
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from helpers import close_app, start_app
from sqlalchemy import create_engine, inspect, select, text

from wizard.extensions import db
from wizard.models import StaffUser
from wizard.schema_upgrade import ADVISORY_LOCK_KEY, MIGRATIONS

REPO = Path(__file__).resolve().parents[2]
TABLES = {"staff_user", "call", "call_change", "reference_code", "audit_event", "feedback_count", "page_count",
          "node_words", "alembic_version"}
HEAD = ScriptDirectory(str(MIGRATIONS)).get_current_head()
CHANGES_SCHEMA_OR_DATA = ("CREATE", "ALTER", "DROP", "INSERT", "UPDATE", "DELETE")
# One app started in its own process, as a gunicorn worker would be; it says when it has imported.
START_ONE = "import app; print('imported', flush=True); app.create_app(); print('started', flush=True)"
WAIT = 30  # seconds: the most any start in these tests may take


def versions(url: str) -> list[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return list(connection.scalars(text("SELECT version_num FROM alembic_version")))
    finally:
        engine.dispose()


def tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def start_in_process(url: str) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "test-secret-key"}
    return subprocess.Popen([sys.executable, "-c", START_ONE], cwd=REPO, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_the_first_start_creates_every_table_and_records_the_newest_migration(database_url):
    assert tables(database_url) == set()
    close_app(start_app(database_url))
    assert tables(database_url) == TABLES
    assert versions(database_url) == [HEAD]


def test_a_second_start_changes_nothing_and_keeps_the_data(database_url, statements):
    """Neither the schema upgrade nor keep_codes (the running version's codes are there already) writes."""
    first = start_app(database_url)
    with first.app_context():
        db.session.add(StaffUser(name="kept", desk="gsc", password_hash="x"))
        db.session.commit()
    close_app(first)
    statements.clear()
    second = start_app(database_url)
    changes = [sql for sql in statements if sql.lstrip().upper().startswith(CHANGES_SCHEMA_OR_DATA)]
    assert changes == []
    with second.app_context():
        assert db.session.scalars(select(StaffUser.name)).all() == ["kept"]
    close_app(second)
    assert versions(database_url) == [HEAD]


def test_the_models_match_the_migrations(storage_app):
    """A model changed without a new migration fails here (autogenerate finds a difference)."""
    with storage_app.app_context(), db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert differences == []


def test_two_apps_starting_at_once_both_come_up_with_one_schema(database_url):
    starts = [start_in_process(database_url) for _ in range(2)]
    for process in starts:
        out, err = process.communicate(timeout=WAIT)
        assert process.returncode == 0, err
        assert out.split() == ["imported", "started"]
    assert tables(database_url) == TABLES
    assert versions(database_url) == [HEAD]


def test_a_start_waits_while_another_process_holds_the_schema_lock(database_url, postgres):
    """The lock is real: PostgreSQL's advisory lock, or a file lock beside the SQLite file."""
    if database_url.startswith("sqlite"):
        holder = Path(database_url.removeprefix("sqlite:///") + ".lock").open("w")
        fcntl.flock(holder, fcntl.LOCK_EX)
        release = lambda: fcntl.flock(holder, fcntl.LOCK_UN)  # noqa: E731
    else:
        holder = postgres.connect(database_url.rsplit("/", 1)[1])
        holder.execute("SELECT pg_advisory_lock(%s)", (ADVISORY_LOCK_KEY,))
        release = lambda: holder.execute("SELECT pg_advisory_unlock(%s)", (ADVISORY_LOCK_KEY,))  # noqa: E731
    process = start_in_process(database_url)
    try:
        assert process.stdout.readline().strip() == "imported"
        if not database_url.startswith("sqlite"):
            assert waits_on_advisory_lock(postgres, database_url), "the second start never asked for the lock"
        time.sleep(0.5)  # far longer than a start takes without the lock
        assert process.poll() is None, "the app started while another process held the schema lock"
        assert tables(database_url) == set()
    finally:
        release()
        holder.close()
    out, err = process.communicate(timeout=WAIT)
    assert process.returncode == 0, err
    assert out.split() == ["started"]
    assert versions(database_url) == [HEAD]


def waits_on_advisory_lock(postgres, url: str) -> bool:
    database = url.rsplit("/", 1)[1]
    deadline = time.monotonic() + WAIT
    with postgres.connect() as connection:
        while time.monotonic() < deadline:
            waiting = connection.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event = 'advisory'",
                (database,)).fetchone()[0]
            if waiting:
                return True
            time.sleep(0.05)
    return False


def test_starting_the_app_keeps_its_request_log(database_url, caplog):
    """Alembic's own logging set-up would turn the root logger down to WARN: the request lines vanished."""
    caplog.set_level(logging.INFO)
    app = start_app(database_url)
    assert logging.getLogger().getEffectiveLevel() == logging.INFO
    app.test_client().get("/")
    assert ("wizard.requests", logging.INFO, "GET / 200") in caplog.record_tuples
    close_app(app)
