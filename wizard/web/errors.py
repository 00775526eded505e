"""Friendly error pages that keep the person's place where possible."""
from __future__ import annotations

import logging

from flask import Flask, current_app, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)

# status -> (page title, what happened, in plain words)
ERRORS = {
    400: ("Something went wrong with that page", "We could not understand what your browser sent."),
    404: ("Page not found", "There is no page at this address. If you typed it, check it."),
    405: ("That did not work", "This page cannot be used that way."),
    413: ("That was too much", "Your browser sent more than this service accepts."),
    429: ("Too many tries", "Please wait a minute, then try again."),
    500: ("Sorry, there is a problem with the service", "Something went wrong on our side."),
}


def error_page(status: int):
    title, message = ERRORS.get(status, ERRORS[400])
    template = "staff/error.html" if request.blueprint == "staff" else "public/error.html"
    return render_template(template, title=title, message=message, status=status), status


def handle_http_error(error: HTTPException):
    log.info("%s %s -> %s", request.method, request.url_rule or "unknown route", error.code)
    return error_page(error.code if error.code in ERRORS else 400)


def handle_crash(error: InternalServerError):
    log.error("unhandled error on %s", request.url_rule or "unknown route",
              exc_info=getattr(error, "original_exception", None))
    return error_page(500)


def handle_expired_form(error: CSRFError):
    """A form sent without its token or after WTF_CSRF_TIME_LIMIT (a caller on hold for an hour).

    Each blueprint knows how to ask again without losing anyone's place: it
    sets ``expired_form`` on itself (public: the current question in place;
    staff: the call or the login page). Elsewhere, the 400 page.
    """
    log.info("form token refused on %s", request.url_rule or "unknown route")
    blueprint = current_app.blueprints.get(request.blueprint or "")
    ask_again = getattr(blueprint, "expired_form", None)
    return ask_again(error) if ask_again else error_page(400)


def register_error_pages(app: Flask) -> None:
    app.register_error_handler(InternalServerError, handle_crash)
    app.register_error_handler(CSRFError, handle_expired_form)
    app.register_error_handler(HTTPException, handle_http_error)
