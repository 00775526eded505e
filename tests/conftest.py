"""Shared fixtures: the app, a client, and a Wizard helper that answers like a person."""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser

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


class StepReader(HTMLParser):
    """Collects the text of each top-level item of the page's `<ol class="steps">`."""

    def __init__(self):
        super().__init__()
        self.steps: list[str] = []
        self.in_steps, self.depth = False, 0

    def handle_starttag(self, tag, attrs):
        if tag == "ol" and ("class", "steps") in attrs:
            self.in_steps = True
        elif self.in_steps and tag == "li":
            if self.depth == 0:
                self.steps.append("")
            self.depth += 1

    def handle_endtag(self, tag):
        if self.in_steps and tag == "li":
            self.depth -= 1
        elif self.in_steps and tag == "ol" and self.depth == 0:
            self.in_steps = False

    def handle_data(self, data):
        if self.in_steps and self.depth:
            self.steps[-1] += f" {data}"


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
        return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", self.page.text)).split())

    @property
    def steps(self) -> list[str]:
        """The numbered steps of an outcome page, as text (a step's bullets included)."""
        reader = StepReader()
        reader.feed(self.page.text)
        assert reader.steps, "not an outcome page"
        return [" ".join(step.split()) for step in reader.steps]

    @property
    def html(self) -> str:
        return self.page.text

    @property
    def path(self) -> str:
        return self.page.request.path


@pytest.fixture
def wizard(client):
    return Wizard(client)


@pytest.fixture(scope="session")
def every_outcome() -> dict[str, dict[str, str]]:
    """For each outcome, the answers that lead to it (tests/routes.py)."""
    from routes import OUTCOMES, TO

    return {outcome: {**TO[question], question: option} for outcome, (question, option) in OUTCOMES.items()}
