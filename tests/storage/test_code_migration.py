"""Migration 0002 on a database an older release left at 0001: codes still valid keep their answers, expired
ones go, and the table takes the new shape (no expiry, no answers key). On SQLite and on PostgreSQL."""
from __future__ import annotations

import datetime as dt

import flask_migrate
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from flask import Flask
from helpers import close_app, log_in, start_app
from sqlalchemy import create_engine, inspect

from wizard import models  # noqa: F401  (the tables register on db.metadata)
from wizard.extensions import db, migrate
from wizard.staff import accounts
from wizard.schema_upgrade import MIGRATIONS

UTC = dt.timezone.utc
OLD_VERSION = "a1b2c3d4e5f6"
# The table as release 0001 wrote it: a random code per person, kept for REFERENCE_CODE_DAYS.
OLD_TABLE = sa.table("reference_code", sa.column("code", sa.String), sa.column("answers_key", sa.String),
                     sa.column("answers", sa.JSON), sa.column("outcome", sa.String),
                     sa.column("flow_version", sa.String), sa.column("created_at", sa.DateTime(timezone=True)),
                     sa.column("expires_at", sa.DateTime(timezone=True)))
STILL_VALID = dict(code="K7PM4QX2", answers_key="1" * 64, outcome="dsl_forgot", flow_version=OLD_VERSION,
                   answers=[["topic", "cannot_sign_in"], ["method", "ds_logon"], ["dsl_status", "forgot"]])
EXPIRED = dict(code="ZW3N8RTE", answers_key="2" * 64, outcome="dsl_locked", flow_version=OLD_VERSION,
               answers=[["topic", "cannot_sign_in"], ["method", "ds_logon"], ["dsl_status", "locked"]])
PASSWORD = "a-long-password-for-tests"


def migrated_to(url: str, revision: str) -> None:
    """Bring the database at ``url`` to ``revision`` only, as the release that shipped it did at start."""
    app = Flask("migrated_to")
    app.config.update(SQLALCHEMY_DATABASE_URI=url)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS))
    with app.app_context():
        flask_migrate.upgrade(directory=str(MIGRATIONS), revision=revision)
        db.engine.dispose()


def old_release_database(url: str, now: dt.datetime) -> dt.datetime:
    """A database at 0001 holding one code still valid and one expired; when the valid one was issued."""
    migrated_to(url, "0001")
    issued = (now - dt.timedelta(days=12)).replace(microsecond=0)
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(OLD_TABLE.insert(), [
            {**STILL_VALID, "created_at": issued, "expires_at": issued + dt.timedelta(days=30)},
            {**EXPIRED, "created_at": now - dt.timedelta(days=31), "expires_at": now - dt.timedelta(days=1)},
        ])
    engine.dispose()
    return issued


def old_rows(url: str) -> list[dict]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            table = sa.Table("reference_code", sa.MetaData(), autoload_with=connection)
            rows = connection.execute(sa.select(table).where(table.c.flow_version == OLD_VERSION)).mappings()
            return [dict(row) for row in rows]
    finally:
        engine.dispose()


def test_0002_keeps_the_codes_still_valid_with_their_answers_and_drops_the_expired(database_url):
    now = dt.datetime.now(UTC)
    issued = old_release_database(database_url, now)
    assert {row["code"] for row in old_rows(database_url)} == {STILL_VALID["code"], EXPIRED["code"]}

    migrated_to(database_url, "0002")

    (kept,) = old_rows(database_url)
    assert set(kept) == {"code", "flow_version", "answers", "outcome", "created_at"}  # no expiry, no answers key
    assert (kept["code"], kept["flow_version"], kept["outcome"]) == ("K7PM4QX2", OLD_VERSION, "dsl_forgot")
    assert kept["answers"] == STILL_VALID["answers"]  # in path order
    created = kept["created_at"] if kept["created_at"].tzinfo else kept["created_at"].replace(tzinfo=UTC)
    assert created == issued


def test_an_agent_opens_a_code_kept_through_0002_and_not_one_that_had_expired(database_url):
    """The new release starting on the old database: migrations at start, then the kept code opens."""
    issued = old_release_database(database_url, dt.datetime.now(UTC))
    app = start_app(database_url)
    try:
        with app.app_context():
            accounts.add("migration-agent", "gsc", PASSWORD)
        client = app.test_client()
        assert log_in(client, "migration-agent", PASSWORD).status_code == 303
        page = client.get("/staff/lookup/K7PM4QX2")
        assert page.status_code == 200
        words = " ".join(page.text.split())
        assert f"{OLD_VERSION}, in use from {issued:%B} {issued.day}, {issued.year}" in words
        assert "Recover your DS Logon username or password" in words
        gone = client.get("/staff/lookup/ZW3N8RTE")
        assert gone.status_code == 404 and "There is no code ZW3N-8RTE" in gone.text
    finally:
        close_app(app)


def test_an_old_database_upgraded_to_head_has_the_models_schema(database_url):
    old_release_database(database_url, dt.datetime.now(UTC))
    migrated_to(database_url, "head")
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            assert compare_metadata(MigrationContext.configure(connection), db.metadata) == []
        inspector = inspect(engine)
        columns = {column["name"]: column["nullable"] for column in inspector.get_columns("reference_code")}
        assert columns == dict.fromkeys(["code", "flow_version", "answers", "outcome", "created_at"], False)
        assert inspector.get_pk_constraint("reference_code")["constrained_columns"] == ["code"]
        if engine.dialect.name == "postgresql":  # named as on a fresh database, so later migrations can name it
            assert inspector.get_pk_constraint("reference_code")["name"] == "reference_code_pkey"
        indexes = {index["name"]: (index["column_names"], bool(index["unique"]))
                   for index in inspector.get_indexes("reference_code")}
        assert indexes == {"ix_reference_code_flow_version": (["flow_version"], False)}
        assert inspector.get_unique_constraints("reference_code") == []
        assert "reference_code_new" not in inspector.get_table_names()
    finally:
        engine.dispose()
