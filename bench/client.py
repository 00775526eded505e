"""A minimal browser (stdlib only) that walks the wizard and records each request.

wrk cannot keep a cookie per connection, so instead of letting wrk walk the
wizard we walk it once here, like a browser would (session cookie, CSRF token
from each page), and record every request with the cookie it carried. The wrk
script then replays those requests: each one is valid on its own, so the
server does exactly the work a real walk causes, in any order, on any
connection.
"""
from __future__ import annotations

import http.client
import re
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from servers import HOST

SESSION_COOKIE = "triage"  # wizard/settings.py DEFAULTS (not production, so not __Host-)
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass(frozen=True)
class Recorded:
    """One request as a browser sent it, and what the server answered."""

    method: str
    path: str
    cookie: str  # the Cookie header sent ("" for none)
    body: str  # form body for POSTs ("" for none)
    status: int
    response_body: bytes = field(repr=False)


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


class Browser:
    """Keeps the wizard's session cookie and records every request it sends."""

    def __init__(self, port: int):
        self.port = port
        self.session = ""  # value of the session cookie
        self.requests: list[Recorded] = []

    @property
    def cookie(self) -> str:
        return f"{SESSION_COOKIE}={self.session}" if self.session else ""

    def send(self, method: str, path: str, form: dict[str, str] | None = None) -> Response:
        body = urlencode(form) if form else ""
        cookie = self.cookie
        response = fetch(self.port, method, path, cookie, body)
        self.requests.append(Recorded(method, path, cookie, body, response.status, response.body))
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

    def answer(self, page: Response, node: str, option: str) -> Response:
        """POST the option with the page's CSRF token; return the page the 303 leads to."""
        match = CSRF_FIELD.search(page.body.decode())
        if not match:
            raise RuntimeError(f"no CSRF token on the page before answering {node}")
        response = self.send("POST", f"/q/{node}", {"csrf_token": match.group(1), "choice": option})
        if response.status != 303:
            raise RuntimeError(f"POST /q/{node} choice={option}: expected 303, got {response.status}")
        target = urlsplit(response.headers["Location"])
        return self.get(f"{target.path}?{target.query}" if target.query else target.path)


def walk(port: int, start: str, answers: dict[str, str], outcome: str) -> list[Recorded]:
    """Walk start page -> first question -> each answer -> outcome; return every request."""
    browser = Browser(port)
    browser.get("/")
    page = browser.get(f"/q/{start}")
    for node, option in answers.items():
        page = browser.answer(page, node, option)
    if browser.requests[-1].path != f"/q/{outcome}":
        raise RuntimeError(f"walk ended at {browser.requests[-1].path}, not at the outcome {outcome}")
    return browser.requests


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


def token(page: Response) -> str:
    match = CSRF_FIELD.search(page.body.decode())
    if not match:
        raise RuntimeError("no CSRF token on the page")
    return match.group(1)
