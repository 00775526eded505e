"""Public pages are pure functions of their address: say so to caches, and keep the latest ones at hand.

:func:`cacheable` marks a view whose 200 responses depend on nothing but the
address (path and query string) and the running content. It sends
``Cache-Control: public, max-age=600, stale-if-error=604800``, so nginx
(deploy/nginx/wizard.conf) and the browser keep the page for 10 minutes, and
nginx may serve it for a week while the app cannot answer. The content version
is in every question's address, so a content change makes new addresses; the
10 minutes bound how long the start page and an old address can show the old
content (a deploy can also empty nginx's cache).

:class:`KeptPages` is the same idea inside each process, in front of Flask: a
WSGI layer that keeps the last PAGES_KEPT responses marked ``public`` (exactly
as they were sent, security headers included) and sends one again when the
same request target (the path and query exactly as sent: :func:`request_target`)
is asked for on the same host, without running Flask, replaying the answers or
rendering. A page is public only at its canonical address (the views send any
other spelling of it, ``/q/%74opic`` or ``/?x``, to that address with a 303, which is
never kept), so neither this nor nginx can be filled with copies of one page. It logs each page it sends the way every request is logged
(wizard/web/request_log.py). Anything not marked public (a redirect, a refused answer, a 404, a
staff page) is never kept: the security headers make it ``no-store``.
"""
from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from urllib.parse import quote

from flask import make_response

from wizard.web.request_log import ROUTE_KEY, log_line

# What a view leaves in the WSGI environ for a page that counts as seen (wizard/page_counts.py): KeptPages
# keeps it with the page and hands it to ``on_hit`` each time it sends the page again.
COUNT_KEY = "wizard.count"

PUBLIC_CACHE = "public, max-age=600, stale-if-error=604800"
PAGES_KEPT = 512  # about 8 MB of pages per process


# What a path may hold unquoted (RFC 3986 pchar and "/"): the fallback below quotes the rest.
PATH_SAFE = "/!$&'()*+,;=:@-._~"


def request_target(environ) -> str:
    """The request target as the client sent it: path and query, undecoded (``/q/%74opic?v=1``).

    gunicorn gives it as RAW_URI, mod_wsgi and uWSGI as REQUEST_URI (Werkzeug's servers and test
    client set both). An absolute-form target (``http://host/path``) counts from its path. Without
    either, it is rebuilt from SCRIPT_NAME, PATH_INFO and QUERY_STRING (percent-encoding anything
    a path may not hold bare), which cannot tell ``%74`` from ``t`` but is never wrong about a query.
    """
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if raw:
        if raw.startswith(("http://", "https://")):
            after = raw.split("://", 1)[1]
            cut = min((i for i in (after.find("/"), after.find("?")) if i >= 0), default=len(after))
            raw = after[cut:] if after[cut:].startswith("/") else "/" + after[cut:]
        if "?" not in raw and environ.get("QUERY_STRING"):  # Werkzeug's test client, given query_string=
            raw += "?" + environ["QUERY_STRING"]
        return raw
    path = (environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")) or "/"
    target = quote(path.encode("latin-1", "replace"), safe=PATH_SAFE)
    query = environ.get("QUERY_STRING", "")
    return f"{target}?{query}" if query else target


def cacheable(view):
    """Mark the view's 200 responses as the same for everyone who asks for the same address."""
    @functools.wraps(view)
    def marked_view(**kwargs):
        response = make_response(view(**kwargs))
        if response.status_code == 200:
            response.headers["Cache-Control"] = PUBLIC_CACHE
        return response
    return marked_view


class KeptPages:
    """WSGI middleware: the latest public pages of this process, sent again without running the app."""

    def __init__(self, wsgi_app, most: int = PAGES_KEPT, on_hit=None):
        self.wsgi_app, self.most, self.on_hit = wsgi_app, most, on_hit
        self.pages: OrderedDict[tuple, tuple] = OrderedDict()
        self.lock = threading.Lock()

    @staticmethod
    def key(environ) -> tuple | None:
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return None
        # The target as sent, not the decoded PATH_INFO: /q%2Ftopic must reach the app (a 303), not
        # be answered with /q/topic's page.
        return environ.get("HTTP_HOST", "").lower(), request_target(environ)

    def __call__(self, environ, start_response):
        key = self.key(environ)
        if key is not None:
            with self.lock:
                page = self.pages.get(key)
                if page is not None:
                    self.pages.move_to_end(key)
            if page is not None:
                status, headers, body, route, counted = page
                log_line(environ["REQUEST_METHOD"], route, status[:3])
                if counted is not None and self.on_hit is not None:
                    self.on_hit(counted)
                start_response(status, headers)
                return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]
        if key is None or environ["REQUEST_METHOD"] != "GET":
            return self.wsgi_app(environ, start_response)
        return self.keep_if_public(key, environ, start_response)

    def keep_if_public(self, key: tuple, environ, start_response):
        sent = {}

        def remember_start(status, headers, exc_info=None):
            sent.update(status=status, headers=headers)
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        chunks = self.wsgi_app(environ, remember_start)
        try:
            body = b"".join(chunks)
        finally:
            if hasattr(chunks, "close"):
                chunks.close()
        if sent.get("status", "").startswith("200") and is_public(sent["headers"]):
            with self.lock:
                self.pages[key] = (sent["status"], list(sent["headers"]), body, environ.get(ROUTE_KEY, "-"),
                                   environ.get(COUNT_KEY))
                while len(self.pages) > self.most:
                    self.pages.popitem(last=False)
        return [body]


def is_public(headers: list[tuple[str, str]]) -> bool:
    """Marked public, and carrying nobody's cookie (the session interface never adds one to such a page)."""
    names = {name.lower(): value for name, value in headers}
    return names.get("cache-control", "").startswith("public") and "set-cookie" not in names
