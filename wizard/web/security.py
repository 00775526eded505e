"""HTTP security headers and cookie settings for every response."""
from __future__ import annotations

from flask import Flask, Response, abort, request
from werkzeug.middleware.proxy_fix import ProxyFix

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
    if response.location and response.location.startswith(request.host_url):
        # Werkzeug's own redirects (//a -> /a, a missing trailing slash) are absolute, built from
        # the Host header the client sent: keep them on this site whatever that header said.
        response.location = "/" + response.location[len(request.host_url):].lstrip("/")
    if request.endpoint != "static":
        # Only what a view marked as the same for everyone may be kept (wizard/public/page_cache.py).
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def trust_proxy(app: Flask) -> None:
    """Behind TRUSTED_PROXY_COUNT proxies, take the client's address and scheme from X-Forwarded-For
    and X-Forwarded-Proto (ProxyFix). Unset, those headers are ignored: anyone can send them."""
    if count := app.config.get("TRUSTED_PROXY_COUNT"):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=0, x_port=0, x_prefix=0)


def init_security(app: Flask) -> None:
    trust_proxy(app)
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_other_bodies)  # before CSRFProtect's check
    app.after_request(add_security_headers)
