"""HTTP security headers and cookie settings for every response."""
from __future__ import annotations

from flask import Flask, Response, abort, request

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
])

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


# What an HTML form sends. Every POST here (answers, start, restart, staff calls, login) comes from a form.
FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


def refuse_other_bodies():
    """A POST whose body is not a form (JSON, text, XML...) is a 415, before CSRF or any view reads it.

    Flask-WTF would read a JSON body as the form, and one that is not an object (``"x"``, ``5``,
    ``[1,2]``) crashed its form wrapper with a 500. A POST with no body, or no Content-Type, is left
    to the form checks (a missing token asks again).
    """
    if request.method == "POST" and request.mimetype and request.mimetype not in FORM_TYPES:
        abort(415)


def add_security_headers(response: Response) -> Response:
    response.headers.update(HEADERS)
    if request.endpoint != "static":
        response.headers["Cache-Control"] = "no-store"
    return response


def init_security(app: Flask) -> None:
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_other_bodies)  # before CSRFProtect's check
    app.after_request(add_security_headers)
