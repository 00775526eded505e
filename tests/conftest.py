"""Shared fixtures: the app, a client, a real PostgreSQL server, and a Wizard that answers like a person.

The plain helpers (TEST_CONFIG, csrf_token, Wizard) live in tests/helpers.py: tests import them from
there, never from a conftest, so any folder or file collects and runs on its own.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from helpers import TEST_CONFIG, Wizard
from pg_server import PostgresMissing, PostgresServer
from sqlalchemy import event
from sqlalchemy.engine import Engine

from app import create_app


def pytest_configure(config):
    """Every app the tests make (module-level ones and the browser tests' gunicorn too) gets a
    temporary SQLite file unless it names its own database: never the repository's instance/wizard.db."""
    folder = Path(tempfile.mkdtemp(prefix="wizard-tests-"))
    before = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'wizard.db'}"

    def restore():
        shutil.rmtree(folder, ignore_errors=True)
        if before is None:
            os.environ.pop("DATABASE_URL", None)
        else:
            os.environ["DATABASE_URL"] = before

    config.add_cleanup(restore)
    keep_loaded_flows(config)


def keep_loaded_flows(config) -> None:
    """The app factory reads, checks and builds the content each time (about 0.1 s); the tests make some
    ninety apps, mostly on the same files. Within a test run, a folder whose files have not changed
    (names, sizes, modification times) gives the flow already built from it; a changed or new folder is
    loaded as usual, and content errors are never kept. Only `app.create_app`'s own call is kept: tests of
    load_flow itself call the real one."""
    import app as app_module

    real, kept = app_module.load_flow, {}

    def load_flow(directory, *args, **kwargs):
        folder = Path(directory).resolve()
        state = tuple(sorted((str(path), stat.st_size, stat.st_mtime_ns)
                             for path in folder.rglob("*") if path.is_file() for stat in [path.stat()]))
        key = (folder, state, args, tuple(sorted(kwargs.items())))
        if key not in kept:
            kept[key] = real(directory, *args, **kwargs)
        return kept[key]

    app_module.load_flow = load_flow
    config.add_cleanup(lambda: setattr(app_module, "load_flow", real))


# Folders and files whose tests start real servers (gunicorn, nginx, PostgreSQL, Redis) or a browser:
# `make test-fast` leaves them out (-m "not slow"), `make test` runs everything.
SLOW_PLACES = ("browser/", "proxy/", "service/", "storage/", "test_startup.py", "test_deploy.py", "test_html_checker.py")


def pytest_collection_modifyitems(config, items):
    for item in items:
        place = item.path.as_posix()
        if any(f"/tests/{slow}" in place for slow in SLOW_PLACES) or "postgres" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    """The app for the whole session, on its own SQLite file (never the repository's instance/ one)."""
    database = tmp_path_factory.mktemp("database") / "wizard.db"
    return create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"})


@pytest.fixture(scope="session")
def postgres():
    """A throwaway PostgreSQL server on 127.0.0.1 for the session (tests/pg_server.py); fails if none is installed."""
    try:
        server = PostgresServer().start()
    except PostgresMissing as missing:
        pytest.fail(str(missing), pytrace=False)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def engine(app):
    return app.extensions["triage_engine"]


@pytest.fixture
def wizard(client):
    return Wizard(client)


@pytest.fixture(scope="session")
def every_outcome() -> dict[str, dict[str, str]]:
    """For each outcome, the answers that lead to it (tests/routes.py)."""
    from routes import OUTCOMES, TO

    return {outcome: {**TO[question], question: option} for outcome, (question, option) in OUTCOMES.items()}


@pytest.fixture
def statements():
    """Every SQL statement any engine sends while the test runs, in order."""
    sent: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        sent.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    yield sent
    event.remove(Engine, "before_cursor_execute", record)
