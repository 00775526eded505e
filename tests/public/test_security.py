"""Security headers, cookies and request limits on every kind of response."""
from __future__ import annotations

import pytest
from conftest import csrf_token

EXPECTED_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                               "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
RESPONSES = {
    "start page": ("GET", "/"),
    "question": ("GET", "/q/topic"),
    "redirect": ("GET", "/q/method"),
    "answers": ("GET", "/answers"),
    "not found": ("GET", "/q/nope"),
    "wrong method": ("GET", "/restart"),
    "expired form": ("POST", "/q/topic"),
    "stylesheet": ("GET", "/static/style.css"),
    "script": ("GET", "/static/wizard.js"),
}


@pytest.mark.parametrize("kind", RESPONSES)
def test_every_response_carries_the_security_headers(client, kind):
    method, path = RESPONSES[kind]
    with client.open(path, method=method) as response:
        for header, value in EXPECTED_HEADERS.items():
            assert response.headers.get(header) == value, (kind, header)
        assert "unsafe-inline" not in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("path", ["/", "/q/topic", "/answers", "/q/nope"])
def test_wizard_pages_are_not_cached(client, path):
    assert client.get(path).headers["Cache-Control"] == "no-store"


def test_pages_use_no_inline_script_or_style(wizard):
    wizard.walk(("topic", "cannot_sign_in"), ("method", "cac"), ("cac_problem", "no_reader"))
    assert "<script>" not in wizard.html and "<style" not in wizard.html and " style=" not in wizard.html
    assert " on" + "click=" not in wizard.html


def set_cookie_header(client) -> str:
    page = client.get("/q/topic")
    response = client.post("/q/topic", data={"choice": "inside_portal", "csrf_token": csrf_token(page.text)})
    return response.headers["Set-Cookie"]


def test_session_cookie_is_httponly_and_samesite(client):
    cookie = set_cookie_header(client)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain HTTP on a developer's machine


def test_session_cookie_is_secure_over_https(app):
    client = app.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"
    client.environ_base["HTTP_REFERER"] = "https://localhost/q/topic"
    page = client.get("/q/topic", base_url="https://localhost")
    response = client.post("/q/topic", base_url="https://localhost",
                           data={"choice": "inside_portal", "csrf_token": csrf_token(page.text)})
    assert response.status_code == 303
    assert "Secure" in response.headers["Set-Cookie"]


def test_request_bodies_are_capped_small(app):
    assert app.config["MAX_CONTENT_LENGTH"] <= 16 * 1024


@pytest.mark.parametrize(("method", "path"), [("PUT", "/q/topic"), ("DELETE", "/"), ("GET", "/restart"),
                                               ("POST", "/answers")])
def test_wrong_methods_get_405(client, method, path):
    assert client.open(path, method=method).status_code == 405
