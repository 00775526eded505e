"""Staff fixtures: accounts made the way the CLI makes them, clients logged in through the real form.

Tests here import the plain helpers from helpers.py, never `from conftest import ...`: when several
folders are run together (`pytest tests/staff tests/storage`), the name `conftest` is whichever folder's
conftest.py pytest loaded last.
"""
from __future__ import annotations

import dataclasses
import uuid

import pytest
from helpers import log_in

from wizard.extensions import limiter
from wizard.staff import accounts

PASSWORD = "a-long-password-for-tests"


@dataclasses.dataclass(frozen=True)
class Agent:
    """A staff account made for a test, with the password it was given."""

    id: int
    name: str
    desk: str
    password: str


@pytest.fixture(autouse=True)
def no_failed_logins_counted(app):
    """Each staff test starts with empty rate-limit counters."""
    limiter.reset()


@pytest.fixture
def make_staff(app):
    """make_staff(name=None, desk="gsc", password=PASSWORD): a new account in the test app's database, as an Agent."""

    def make(name: str | None = None, desk: str = "gsc", password: str = PASSWORD) -> Agent:
        with app.app_context():
            user = accounts.add(name or f"agent-{uuid.uuid4().hex[:10]}", desk, password)
            return Agent(user.id, user.name, user.desk, password)

    return make


@pytest.fixture
def staff_client(app, make_staff):
    """staff_client(desk="gsc"): a test client logged in through the real login form as a fresh agent
    of that desk; the agent is its `.agent`."""

    def logged_in(desk: str = "gsc"):
        agent = make_staff(desk=desk)
        client = app.test_client()
        response = log_in(client, agent.name, agent.password)
        assert response.status_code == 303, f"logging in as a new {desk} agent gave {response.status_code}"
        client.agent = agent
        return client

    return logged_in
