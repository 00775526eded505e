"""Plain helpers shared by tests in any folder (import them from here: a folder's own conftest.py
shadows `from conftest import ...`)."""
from __future__ import annotations

import html
import re
import sqlite3
import tempfile
from functools import cache
from html.parser import HTMLParser
from urllib.parse import urlencode

# PAGE_COUNT_FLUSH_SECONDS 0: no background thread writing page counts while a test counts statements.
TEST_CONFIG = {"SECRET_KEY": "test-secret-key", "TESTING": True, "PAGE_COUNT_FLUSH_SECONDS": 0}
CSRF_FIELD = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token(html: str) -> str:
    match = CSRF_FIELD.search(html)
    assert match, "page has no CSRF token"
    return match.group(1) or match.group(2)


FORM = re.compile(r'<form method="get" action="(?:[^"]*)/a/([a-z0-9_]+)"[^>]*>(.*?)</form>', re.S)
HIDDEN = re.compile(r'<input type="hidden" name="([a-z0-9_]+)" value="([^"]*)">')


def form_for(page: str, node: str) -> str | None:
    """The inside of the page's form that answers ``node``, or None."""
    return next((inside for action, inside in FORM.findall(page) if action == node), None)


def hidden_fields(page: str, node: str | None = None) -> dict[str, str]:
    """The answers a page carries (its first answer form's hidden fields; else its Back link's query)."""
    forms = FORM.findall(page)
    inside = form_for(page, node) if node and form_for(page, node) else (forms[0][1] if forms else "")
    fields = dict(HIDDEN.findall(inside))
    fields.pop(node, None)
    if not fields:
        links = re.findall(r'href="[^"?]*/(?:q/[a-z0-9_]+|answers)\?([^"]+)"', page)
        if links:
            from urllib.parse import parse_qsl
            fields = dict(parse_qsl(html.unescape(links[0])))
            fields.pop("notice", None)
    return fields


def link_to(page: str, path: str) -> str | None:
    """The first link on the page to ``path`` with a query (``/q/method``, ``/answers``), unescaped, or None."""
    match = re.search(rf'href="([^"?]*{re.escape(path)}\?[^"]*)"', page)
    return html.unescape(match.group(1)) if match else None


def start_now_link(start_page: str) -> str:
    """The address the start page's "Start now" links to."""
    match = re.search(r'<a class="button button--start" href="([^"]+)"', start_page)
    assert match, "the start page has no Start now link"
    return html.unescape(match.group(1))


def first_question_url(client) -> str:
    return start_now_link(client.get("/").text)


def answer_query(page: str, node: str, option: str) -> str:
    """The query string ``node``'s GET form on ``page`` sends when ``option`` is chosen (sorted, as the app's are)."""
    return urlencode(sorted({**hidden_fields(page, node), node: option}.items()))


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
    """Walks the wizard through HTTP the way a browser would: each page's own GET form, its hidden fields
    (the answers so far) and the chosen option, then the redirect to the next page."""

    def __init__(self, client):
        self.client = client
        self.page = None

    def start(self) -> "Wizard":
        self.page = self.client.get(first_question_url(self.client), follow_redirects=True)
        assert self.page.status_code == 200
        return self

    def answer(self, node: str, option: str) -> "Wizard":
        """Pick ``option`` in the form for ``node`` on the current page (opening the question page
        first, as a Change link does, when the current page is not it), and follow the redirect."""
        if self.page is None:
            self.start()
        if form_for(self.page.text, node) is None:
            self.page = self.open_question(node)
        self.page = self.client.get(f"/a/{node}", query_string={**hidden_fields(self.page.text, node), node: option},
                                    follow_redirects=True)
        return self

    def open_question(self, node: str):
        """The page for ``node`` reached from the current page the way a person would: its Change or Back
        link, else the Change link on its "Check or change your answers" page (so every later answer is
        carried along); else the question at the answers the page carries."""
        link = link_to(self.page.text, f"/q/{node}")
        if link is None and (answers_page := link_to(self.page.text, "/answers")):
            link = link_to(self.client.get(answers_page).text, f"/q/{node}")
        if link is None:
            opened = self.client.get(f"/q/{node}", query_string=hidden_fields(self.page.text, node),
                                     follow_redirects=True)
        else:
            opened = self.client.get(link, follow_redirects=True)
        assert opened.status_code == 200 and form_for(opened.text, node), f"{node} is not reachable"
        return opened

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


@cache
def _started_database() -> str:
    """A SQLite file one app has started on (migrated, this content version's codes and wording kept), built once."""
    path = f"{tempfile.mkdtemp(prefix='wizard-started-')}/started.db"
    close_app(start_app(f"sqlite:///{path}"))
    return path


def started_sqlite(folder) -> str:
    """The address of a new SQLite file in ``folder`` as another instance would leave it after starting: what a
    test of anything but start-up itself needs, without writing this version's 5,500 codes again (about 0.4 s
    an app). A copy by SQLite's backup API, so the copy is whole whatever journal mode the first one used."""
    path = f"{folder}/wizard.db"
    with sqlite3.connect(_started_database()) as source, sqlite3.connect(path) as copy:
        source.backup(copy)
    return f"sqlite:///{path}"
