"""Friendly error pages that keep the person's place where possible."""
from __future__ import annotations

import logging

from flask import Flask, render_template, request
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


def register_error_pages(app: Flask) -> None:
    app.register_error_handler(InternalServerError, handle_crash)
    app.register_error_handler(HTTPException, handle_http_error)
