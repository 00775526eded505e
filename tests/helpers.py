"""Plain helpers shared by tests in any folder (import them from here: a folder's own conftest.py
shadows `from conftest import ...`)."""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser

TEST_CONFIG = {"SECRET_KEY": "test-secret-key", "TESTING": True}
CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token(html: str) -> str:
    match = CSRF_FIELD.search(html)
    assert match, "page has no CSRF token"
    return match.group(1) or match.group(2)


def start_app(url: str, **config):
    """The real app factory (migrations at start included) on the database at ``url``."""
    from app import create_app

    return create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": url, **config})


def close_app(app) -> None:
    """Close the app's pooled connections (the test PostgreSQL server allows only so many)."""
    from wizard.extensions import db

    with app.app_context():
        db.engine.dispose()


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


def log_in(client, name: str, password: str, next_page: str | None = None, **request):
    """Log in through the real login form (its CSRF token included); the POST's response."""
    form = client.get("/staff/login", **request)
    query = {"next": next_page} if next_page is not None else None
    return client.post("/staff/login", query_string=query, data={
        "name": name, "password": password, "csrf_token": csrf_token(form.text)}, **request)
