"""Security headers on every kind of response; what caches may keep; staff cookies; request limits.

Public pages are the same for everyone at the same address, so they are sent
``Cache-Control: public`` (wizard/public/page_cache.py) and never vary by cookie.
Everything else (redirects, refusals, errors, staff pages) is ``no-store``.
"""
from __future__ import annotations

import re

import pytest

from wizard.core.reference_codes import code_for
from wizard.public.page_cache import PUBLIC_CACHE

EXPECTED_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                               "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",  # page addresses hold answers: never sent to another site
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
OUTCOME_ANSWERS = {"topic": "inside_portal", "portal_issue": "old_messages"}


@pytest.fixture(scope="module")
def v(app) -> str:
    return app.extensions["triage_engine"].flow.version


def canonical_pages(v: str) -> dict[str, str]:
    return {
        "start page": "/",
        "first question": f"/q/topic?v={v}",
        "later question": f"/q/method?topic=cannot_sign_in&v={v}",
        "question with a notice": f"/q/method?notice=not_reached&topic=cannot_sign_in&v={v}",
        "outcome": f"/q/old_messages?portal_issue=old_messages&topic=inside_portal&v={v}",
        "your answers": f"/answers?topic=cannot_sign_in&v={v}",
        "no answers yet": f"/answers?v={v}",
        "saved result": f"/r/{code_for(v, OUTCOME_ANSWERS)}",
    }


def not_kept(v: str) -> dict[str, tuple[str, str, int]]:
    """kind -> (method, path, status) of responses no cache may keep."""
    return {
        "no version: redirect": ("GET", "/q/topic", 303),
        "junk parameter: redirect": ("GET", f"/q/topic?utm=x&v={v}", 303),
        "not reached: redirect": ("GET", f"/q/method?v={v}", 303),
        "answer: redirect": ("GET", f"/a/topic?topic=inside_portal&v={v}", 303),
        "nothing chosen": ("GET", f"/a/topic?v={v}", 400),
        "question not reached": ("GET", f"/a/method?method=cac&v={v}", 409),
        "not found": ("GET", "/q/nope", 404),
        "unknown code": ("GET", "/r/K7PM4QX2", 404),
        "wrong method": ("POST", "/q/topic", 405),
        "not a form": ("POST", "/staff/login", 415),
        "staff login": ("GET", "/staff/login", 200),
        "staff login refused": ("POST", "/staff/login", 400),
    }


def every_response(v: str) -> dict[str, tuple[str, str]]:
    responses = {kind: ("GET", path) for kind, path in canonical_pages(v).items()}
    responses.update({kind: (method, path) for kind, (method, path, _) in not_kept(v).items()})
    responses.update({"stylesheet": ("GET", "/static/style.css"), "script": ("GET", "/static/wizard.js")})
    return responses


KINDS = list(every_response("v"))


@pytest.mark.parametrize("kind", KINDS)
def test_every_response_carries_the_security_headers(client, v, kind):
    method, path = every_response(v)[kind]
    body = {"data": "{}", "content_type": "application/json"} if kind == "not a form" else {}
    with client.open(path, method=method, **body) as response:
        for header, value in EXPECTED_HEADERS.items():
            assert response.headers.get(header) == value, (kind, header)
        assert "unsafe-inline" not in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("kind", list(canonical_pages("v")))
def test_canonical_public_pages_may_be_kept_by_any_cache(client, v, kind):
    response = client.get(canonical_pages(v)[kind])
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == PUBLIC_CACHE == "public, max-age=600, stale-if-error=604800"
    assert "Set-Cookie" not in response.headers
    assert "Cookie" not in response.headers.get("Vary", "")


@pytest.mark.parametrize("kind", list(canonical_pages("v")))
def test_public_pages_are_the_same_whatever_cookie_comes_with_them(app, v, kind):
    """A cookie (a staff session, anything) changes nothing, so caches keep one copy for everyone."""
    path = canonical_pages(v)[kind]
    plain = app.test_client().get(path)
    with_cookie = app.test_client()
    with_cookie.set_cookie("triage", "eyJfZnJlc2giOmZhbHNlfQ.forged.signature")
    with_cookie.set_cookie("other", "1")
    response = with_cookie.get(path)
    assert response.text == plain.text
    assert response.headers["Cache-Control"] == PUBLIC_CACHE
    assert "Cookie" not in response.headers.get("Vary", "")
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("kind", list(not_kept("v")))
def test_redirects_refusals_and_staff_pages_are_not_kept(client, v, kind):
    method, path, status = not_kept(v)[kind]
    body = {"data": "{}", "content_type": "application/json"} if kind == "not a form" else {}
    response = client.open(path, method=method, **body)
    assert response.status_code == status, kind
    assert response.headers["Cache-Control"] == "no-store"


def test_a_page_sent_again_from_memory_has_the_same_headers(app, v):
    """Each process keeps its latest public pages (page_cache.py): the second copy is the first one."""
    path = canonical_pages(v)["later question"]
    first, second = app.test_client().get(path), app.test_client().get(path)
    assert second.text == first.text
    assert second.headers["Cache-Control"] == PUBLIC_CACHE
    for header, value in EXPECTED_HEADERS.items():
        assert second.headers.get(header) == value
    assert "Set-Cookie" not in second.headers


def test_pages_use_no_inline_script_or_style(wizard):
    wizard.walk(("topic", "cannot_sign_in"), ("method", "cac"), ("cac_problem", "no_reader"))
    assert "<script>" not in wizard.html and "<style" not in wizard.html and " style=" not in wizard.html
    assert " on" + "click=" not in wizard.html


def test_public_forms_are_get_forms_to_this_site(wizard):
    """Answers go in the address of this site's own /a/ page, and CSP allows only 'self'. The one POST is the
    outcome's "Did this solve your problem?", to this site's /feedback/ (tests/public/test_feedback.py)."""
    wizard.walk(("topic", "cannot_sign_in"), ("method", "cac"), ("cac_problem", "no_reader"))
    assert '<form method="get" action="/a/cac_no_reader">' in wizard.html
    posted = re.findall(r'<form[^>]*method="post"[^>]*>', wizard.html.lower())
    assert len(posted) == 2 and all('action="/feedback/cac_no_reader"' in form for form in posted), posted
    wizard.start()
    assert 'method="post"' not in wizard.html.lower()  # a question posts nothing


def test_staff_session_cookie_is_httponly_and_samesite(client):
    cookie = client.get("/staff/login").headers["Set-Cookie"]
    assert cookie.startswith("triage=")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain HTTP on a developer's machine


def test_staff_session_cookie_is_secure_over_https(app):
    client = app.test_client()
    response = client.get("/staff/login", base_url="https://localhost")
    assert response.status_code == 200
    assert "Secure" in response.headers["Set-Cookie"]


def test_request_bodies_are_capped_small(app):
    assert app.config["MAX_CONTENT_LENGTH"] <= 16 * 1024


@pytest.mark.parametrize(("method", "path"), [("PUT", "/q/topic"), ("DELETE", "/"), ("POST", "/"),
                                               ("POST", "/q/topic"), ("POST", "/a/topic"), ("POST", "/answers"),
                                               ("PATCH", "/answers")])
def test_wrong_methods_get_405(client, method, path):
    assert client.open(path, method=method).status_code == 405
