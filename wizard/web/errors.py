"""Friendly error pages that keep the person's place where possible."""
from __future__ import annotations

import logging
import sys
import traceback

from flask import Flask, Response, current_app, render_template, request
from flask.globals import request_ctx
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError

from wizard.web.languages import request_language

log = logging.getLogger(__name__)

# The statuses with a page of their own; the title and message are worded in text/<lang>.yaml (pages.errors).
ERRORS = (400, 404, 405, 413, 415, 429, 500)


def error_words(status: int) -> tuple[str, str]:
    """The error page's title and message, in the page's language (staff pages: English)."""
    language = "en" if request.blueprint == "staff" else request_language()
    presenters = current_app.extensions["triage_presenters"]
    words = (presenters.get(language) or presenters["en"]).text["pages"]["errors"][str(status)]
    return words["title"], words["message"]


def error_page(status: int):
    title, message = error_words(status if status in ERRORS else 400)
    if request_ctx.url_adapter is None:  # no URL can be built (a Host Werkzeug refused)
        return Response(f"{title}. {message}\n", mimetype="text/plain"), status
    template = "staff/error.html" if request.blueprint == "staff" else "public/error.html"
    return render_template(template, title=title, message=message, status=status), status


def handle_http_error(error: HTTPException):
    if isinstance(error, SecurityError):  # a Host not in TRUSTED_HOSTS: no URL can be built for it
        log.info("%s refused: Host not in TRUSTED_HOSTS", request.method)
        return Response("Bad request: unknown host.\n", 400, mimetype="text/plain")
    log.info("%s %s -> %s", request.method, request.url_rule or "unknown route", error.code)
    page, status = error_page(error.code if error.code in ERRORS else 400)
    allowed = dict(error.get_headers()).get("Allow")  # a 405 says which methods the page takes
    return (page, status, {"Allow": allowed}) if allowed else (page, status)


def handle_crash(error: InternalServerError):
    """The 500 page. An unhandled exception was already logged, in one line, by log_crash."""
    if getattr(error, "original_exception", None) is None:  # abort(500): no exception to describe
        log.error("500 on %s", request.url_rule or "unknown route")
    return error_page(500)


class WizardFlask(Flask):
    """The app class: Flask with a crash logged in one line (Flask's documented way to change it is
    overriding ``log_exception``)."""

    def log_exception(self, exc_info) -> None:
        log_crash(exc_info)


def log_crash(exc_info) -> None:
    """One log line per crash (instead of Flask's log_exception, which logged a second, full traceback).

    The line names the route pattern, the exception's type, its message (newlines escaped, cut to
    200 characters) and where it was raised: enough to find it, and a client that makes the same
    crash happen in a loop adds one short line per request, not kilobytes of traceback.
    """
    kind, error, trace = exc_info if exc_info[0] else sys.exc_info()
    frames = traceback.extract_tb(trace) if trace else []
    where = f" at {frames[-1].filename}:{frames[-1].lineno} in {frames[-1].name}" if frames else ""
    message = " ".join(str(error).split())[:200]
    log.error("unhandled error on %s: %s: %s%s", request.url_rule or "unknown route",
              kind.__name__ if kind else "unknown", message, where)


def handle_expired_form(error: CSRFError):
    """A form sent without its token or after WTF_CSRF_TIME_LIMIT, where no blueprint asks again its own
    way (the staff blueprint registers its own handler: the call or the login page). The 400 page."""
    log.info("form token refused on %s", request.url_rule or "unknown route")
    return error_page(400)


def register_error_pages(app: Flask) -> None:
    app.register_error_handler(InternalServerError, handle_crash)
    app.register_error_handler(CSRFError, handle_expired_form)
    app.register_error_handler(HTTPException, handle_http_error)
