"""A minimal browser (stdlib only) that walks the wizard and records each request.

Public pages keep the answers in the address: every step is a GET, with no
cookie and no CSRF token. A question's form is ``<form method="get"
action="/a/<node>">`` holding a hidden input for each other answer and the
content version ``v``, and radios named after the node; submitting it is a
GET of ``/a/<node>?<hidden fields>&<node>=<option>`` that answers 303 with the
next page's canonical address. We walk the wizard once here the way a browser
does (start page, its Start now link, then each form submitted and each
redirect followed) and record every request. wrk then replays them: each one
is valid on its own, so the server does exactly the work a real walk causes,
in any order, on any connection.

Staff pages still use a session cookie and CSRF tokens (``staff_call_page``).
"""
from __future__ import annotations

import http.client
import re
from collections import deque
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

from servers import HOST

SESSION_COOKIE = "triage"  # wizard/settings.py DEFAULTS (not production, so not __Host-): staff pages only
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
START_LINK = re.compile(r'<a class="button button--start" href="([^"]+)"')


@dataclass(frozen=True)
class Recorded:
    """One request as a browser sent it, and what the server answered."""

    method: str
    path: str  # path and query string, exactly as sent
    cookie: str  # the Cookie header sent ("" for none: every public page)
    body: str  # form body for POSTs ("" for none)
    status: int
    response_body: bytes = field(repr=False)
    location: str = ""  # the Location of a redirect


@dataclass(frozen=True)
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes


def fetch(port: int, method: str, path: str, cookie: str = "", body: str = "") -> Response:
    headers = {"Cookie": cookie} if cookie else {}
    if body:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        connection.request(method, path, body=body or None, headers=headers)
        response = connection.getresponse()
        return Response(response.status, response.headers, response.read())
    finally:
        connection.close()


def local(location: str) -> str:
    """A Location header as the path and query a browser would ask for next (same origin)."""
    target = urlsplit(location)
    return f"{target.path}?{target.query}" if target.query else target.path


# ----------------------------------------------------------------- forms

@dataclass
class Form:
    method: str
    action: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (type, name, value) in document order


class FormReader(HTMLParser):
    """The page's forms, with their inputs in document order (the order a browser submits them in)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.open: Form | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.open = Form(attributes.get("method", "get").lower(), attributes.get("action", ""))
            self.forms.append(self.open)
        elif tag == "input" and self.open is not None and attributes.get("name"):
            self.open.fields.append((attributes.get("type", "text").lower(), attributes["name"],
                                     attributes.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.open = None


def read_forms(page: bytes) -> list[Form]:
    reader = FormReader()
    reader.feed(page.decode())
    return reader.forms


def answer_query(page: bytes, node: str, option: str) -> str | None:
    """The query a browser sends when ``option`` is chosen in the page's form for ``node``, or None.

    A question's form has radios named ``node``; an outcome's "carry on" buttons
    are one form per option, each with a hidden ``node`` input holding its key.
    Successful controls go in document order: the hidden answers, then the choice.
    """
    for form in read_forms(page):
        if form.method != "get" or urlsplit(form.action).path.rsplit("/", 2)[-2:] != ["a", node]:
            continue
        hidden = [(name, value) for kind, name, value in form.fields if kind == "hidden"]
        radios = {value for kind, name, value in form.fields if kind == "radio" and name == node}
        if option in radios:
            return urlencode([*hidden, (node, option)])
        if (node, option) in hidden:  # an outcome's carry-on button for this option
            return urlencode(hidden)
    return None


# ----------------------------------------------------------------- the browser

class Browser:
    """Sends requests as a browser would and records every one (the session cookie: staff pages only)."""

    def __init__(self, port: int):
        self.port = port
        self.session = ""  # value of the staff session cookie
        self.requests: list[Recorded] = []

    @property
    def cookie(self) -> str:
        return f"{SESSION_COOKIE}={self.session}" if self.session else ""

    def send(self, method: str, path: str, form: dict[str, str] | None = None) -> Response:
        body = urlencode(form) if form else ""
        cookie = self.cookie
        response = fetch(self.port, method, path, cookie, body)
        self.requests.append(Recorded(method, path, cookie, body, response.status, response.body,
                                      response.headers.get("Location", "")))
        self.keep_cookie(response)
        return response

    def keep_cookie(self, response: Response) -> None:
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            if name.strip() == SESSION_COOKIE:
                self.session = rest.split(";", 1)[0]

    def get(self, path: str, expect: int = 200) -> Response:
        response = self.send("GET", path)
        if response.status != expect:
            raise RuntimeError(f"GET {path}: expected {expect}, got {response.status}")
        return response

    def start(self) -> Response:
        """The start page, then its Start now link: the first question."""
        link = START_LINK.search(self.get("/").body.decode())
        if not link:
            raise RuntimeError("the start page has no Start now link")
        return self.get(unescape(link.group(1)))

    def answer(self, page: Response, node: str, option: str) -> Response:
        """Submit the page's GET form for ``node`` with ``option``; return the page its 303 leads to."""
        query = answer_query(page.body, node, option)
        if query is None:
            raise RuntimeError(f"{self.requests[-1].path}: no form answers {node} with {option}")
        response = self.get(f"/a/{node}?{query}", expect=303)
        return self.get(local(response.headers["Location"]))


def walk(port: int, answers: dict[str, str], outcome: str) -> list[Recorded]:
    """Walk start page -> Start now -> each answer (GET /a/..., 303) -> the page it leads to; every request."""
    browser = Browser(port)
    page = browser.start()
    for node, option in answers.items():
        page = browser.answer(page, node, option)
    if urlsplit(browser.requests[-1].path).path != f"/q/{outcome}":
        raise RuntimeError(f"walk ended at {browser.requests[-1].path}, not at the outcome {outcome}")
    return browser.requests


def tour(port: int, options: dict[str, list[str]]) -> list[Recorded]:
    """Every page a person can reach, each once: from the first question, every option of every form
    (questions and outcomes' carry-on buttons) is submitted and its redirect followed to a page not yet
    seen. ``options``: node id -> its option keys. Returns the requests: an answer then the page it led to."""
    browser = Browser(port)
    first = browser.start()
    seen, waiting = {browser.requests[-1].path}, deque([(browser.requests[-1].path, first)])
    while waiting:
        path, page = waiting.popleft()
        node = urlsplit(path).path.rsplit("/", 1)[-1]
        for option in options.get(node, []):
            query = answer_query(page.body, node, option)
            if query is None:
                continue  # not offered here (an option shown only on some paths)
            response = browser.get(f"/a/{node}?{query}", expect=303)
            target = local(response.headers["Location"])
            if target not in seen:
                seen.add(target)
                waiting.append((target, browser.get(target)))
    return browser.requests


# ----------------------------------------------------------------- staff

def staff_call_page(port: int, name: str, password: str) -> Recorded:
    """Log in as an agent, start a call, answer two questions: the call page request an agent's browser sends."""
    browser = Browser(port)
    page = browser.get("/staff/login")
    response = browser.send("POST", "/staff/login", {"csrf_token": token(page), "name": name, "password": password})
    if response.status != 303:
        raise RuntimeError(f"staff login: expected 303, got {response.status}")
    home = browser.get("/staff/")
    call_path = urlsplit(browser.send("POST", "/staff/calls", {"csrf_token": token(home)}).headers["Location"]).path
    page = browser.get(call_path)
    for node, option in (("topic", "cannot_sign_in"), ("method", "ds_logon")):
        browser.send("POST", f"{call_path}/q/{node}", {"csrf_token": token(page), "choice": option})
        page = browser.get(call_path)
    return browser.requests[-1]


def floor_call_page(port: int) -> Recorded:
    """bench/login_floor_app.py: log its one agent in; the page request, with the session cookie it set."""
    response = fetch(port, "GET", "/login")
    cookies = [header.split(";", 1)[0] for header in response.headers.get_all("Set-Cookie") or []]
    if response.status != 200 or not cookies:
        raise RuntimeError(f"login floor: GET /login answered {response.status} with no session cookie")
    page = fetch(port, "GET", "/", cookies[0])
    if page.status != 200:
        raise RuntimeError(f"login floor: GET / answered {page.status} after logging in")
    return Recorded("GET", "/", cookies[0], "", page.status, page.body)


def token(page: Response) -> str:
    match = CSRF_FIELD.search(page.body.decode())
    if not match:
        raise RuntimeError("no CSRF token on the page")
    return match.group(1)
