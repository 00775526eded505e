"""One log line per request naming the route pattern, never the URL a person typed (it holds their answers).

Flask requests are logged after each response (:func:`log_request`); pages
sent again by KeptPages (wizard/public/page_cache.py) never reach Flask, so it
logs them itself with :func:`log_line`, using the route the first request left
in the WSGI environ under ROUTE_KEY.
"""
from __future__ import annotations

import logging

from flask import request

ROUTE_KEY = "wizard.route"
log = logging.getLogger("wizard.requests")


def log_line(method: str, route: str, status: int | str) -> None:
    log.info("%s %s %s", method, route, status)


def log_request(response):
    rule = request.url_rule.rule if request.url_rule else "-"
    request.environ[ROUTE_KEY] = rule
    log_line(request.method, rule, response.status_code)
    return response
