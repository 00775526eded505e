"""Shared fixtures: the app, a client, and a Wizard helper that answers like a person."""
from __future__ import annotations

import re

import pytest

from app import create_app

TEST_CONFIG = {"SECRET_KEY": "test-secret-key", "TESTING": True}
CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="session")
def app():
    return create_app(dict(TEST_CONFIG))


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def engine(app):
    return app.extensions["triage_engine"]


def csrf_token(html: str) -> str:
    match = CSRF_FIELD.search(html)
    assert match, "page has no CSRF token"
    return match.group(1) or match.group(2)


class Wizard:
    """Walks the wizard through HTTP the way a browser would (with CSRF tokens)."""

    def __init__(self, client):
        self.client = client
        self.page = None

    def start(self) -> "Wizard":
        self.page = self.client.get("/q/topic")
        assert self.page.status_code == 200
        return self

    def answer(self, node: str, option: str) -> "Wizard":
        """Open the question page, pick ``option``, submit, and follow the redirect."""
        page = self.client.get(f"/q/{node}")
        assert page.status_code == 200, f"{node} is not reachable: {page.status_code}"
        self.page = self.client.post(f"/q/{node}", data={"choice": option, "csrf_token": csrf_token(page.text)},
                                     follow_redirects=True)
        return self

    def walk(self, *answers: tuple[str, str]) -> "Wizard":
        self.start()
        for node, option in answers:
            self.answer(node, option)
        return self

    @property
    def text(self) -> str:
        """The page's visible text with tags removed and spaces folded."""
        return " ".join(re.sub(r"<[^>]+>", " ", self.page.text).split())

    @property
    def steps(self) -> list[str]:
        """The numbered steps of an outcome page, as text."""
        listing = re.search(r'<ol class="steps">(.*?)</ol>', self.page.text, re.S)
        assert listing, "not an outcome page"
        return [" ".join(re.sub(r"<[^>]+>", " ", item).split())
                for item in re.findall(r"<li>(.*?)</li>", listing.group(1), re.S)]

    @property
    def html(self) -> str:
        return self.page.text

    @property
    def path(self) -> str:
        return self.page.request.path


@pytest.fixture
def wizard(client):
    return Wizard(client)
