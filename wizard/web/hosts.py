"""The Host header, checked before Flask sees the request (a WSGI layer, outermost).

A Host header that is not a usable host name (``a..b``, ``.``, a label over 63
characters: IDNA refuses them, so Werkzeug cannot build a URL adapter for it),
or one not in TRUSTED_HOSTS when that is set, is answered here with a plain-text
400: no template, no URL building, no traceback, and one log line that never
quotes the Host or the URL (the query string holds a person's answers).
The response carries the same security headers as every other.
"""
from __future__ import annotations

import logging
import re

from werkzeug.sansio.utils import host_is_trusted

from wizard.web.security import HEADERS

log = logging.getLogger(__name__)

BODY = b"Bad request: unknown host.\n"


# What Werkzeug accepts (werkzeug.sansio.utils.host_is_trusted): a name or IPv4, or [IPv6], and a port.
HOST = re.compile(r"([a-z0-9.-]+|\[[a-f0-9]*:[a-f0-9.:]+])(?::[1-9][0-9]{,4})?")


def usable_host(host: str, trusted: list[str] | None) -> bool:
    """``host[:port]`` is made of valid characters, IDNA can encode its name (what Werkzeug's URL
    adapter does: ``a..b``, ``.`` and a label over 63 characters fail), and, when ``trusted`` is
    given, it is one of those names or under a ``.domain`` of them."""
    host = host.lower()
    match = HOST.fullmatch(host)
    if match is None or not host_is_trusted(host, None):
        return False
    name = match.group(1)
    if not name.startswith("["):
        try:
            name.encode("idna")
        except UnicodeError:
            return False
    return not trusted or host_is_trusted(host, trusted)


class HostCheck:
    """WSGI middleware: a request whose Host header is unusable or untrusted gets a plain 400."""

    def __init__(self, wsgi_app, trusted: list[str] | None = None):
        self.wsgi_app, self.trusted = wsgi_app, list(trusted or []) or None

    def __call__(self, environ, start_response):
        host = environ.get("HTTP_HOST")
        if host is not None and not usable_host(host, self.trusted):
            log.info("%s refused: %s Host header", environ.get("REQUEST_METHOD", "-"),
                     "untrusted" if self.trusted and usable_host(host, None) else "malformed")
            headers = [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(BODY))),
                       ("Cache-Control", "no-store"), *HEADERS.items()]
            start_response("400 BAD REQUEST", headers)
            return [] if environ.get("REQUEST_METHOD") == "HEAD" else [BODY]
        return self.wsgi_app(environ, start_response)
