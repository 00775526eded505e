"""Every storage test runs twice: on a temporary SQLite file and on the real PostgreSQL server."""
from __future__ import annotations

import pytest
from helpers import close_app, start_app

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path) -> str:
    """A new, empty database for this test: a SQLite file, or a fresh database on the PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'wizard.db'}"
    return request.getfixturevalue("postgres").create_database()


@pytest.fixture(scope="session", params=BACKENDS)
def storage_app(request, tmp_path_factory):
    """One app per database kind for the session, for tests that add their own rows."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('storage') / 'wizard.db'}"
    else:
        url = request.getfixturevalue("postgres").create_database()
    app = start_app(url)
    yield app
    close_app(app)
