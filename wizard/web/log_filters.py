"""Logging filters that keep client data out of the logs: addresses, request lines, URLs, header values.

- :class:`NoRequestData` on gunicorn's ``gunicorn.error`` logger: gunicorn quotes a malformed
  request line or header (``Invalid request from ip=...: Invalid HTTP request line: 'GET /q/x?...'``)
  and names the URI of a request it could not handle (``Error handling request GET /q/x?...``).
  The line keeps what went wrong and loses the quoted text, the address and the URI.
- :class:`NoLimiterKeys` on Flask-Limiter's ``flask-limiter`` logger: a refusal names its key,
  which for a per-address limit is the client's address
  (``ratelimit 30 per 1 minute (127.0.9.1) exceeded at endpoint: public.saved``). The line keeps
  the limit and the endpoint.

Both change the record in place and always let it through: nothing is lost but the client's data.
"""
from __future__ import annotations

import logging
import re

QUOTED = re.compile(r"""'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|b'(?:[^'\\]|\\.)*'""")
ADDRESS = re.compile(r"\bip=\S*?: ")


def _message(record: logging.LogRecord) -> str:
    try:
        return record.getMessage()
    except (TypeError, ValueError):
        return str(record.msg)


class NoRequestData(logging.Filter):
    """gunicorn's error log without the request lines, header values, URIs and addresses clients sent."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = _message(record)
        if message.startswith("Invalid request from ip="):
            message = ADDRESS.sub("ip=-: ", message, count=1)
            record.msg, record.args = QUOTED.sub("'...'", message), ()
        elif message.startswith("Error handling request"):
            method = record.args[0] if isinstance(record.args, tuple) and len(record.args) == 2 else None
            record.msg, record.args = ("Error handling request %s (address not logged)", (method,)) if method \
                else ("Error handling request (address not logged)", ())
        return True


class NoLimiterKeys(logging.Filter):
    """Flask-Limiter's refusals without their key (an address, or a digest standing for one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and record.msg.startswith("ratelimit %s (%s) exceeded") \
                and isinstance(record.args, tuple) and len(record.args) == 3:
            limit, _key, scope = record.args
            record.msg, record.args = "ratelimit %s exceeded at endpoint: %s", (limit, scope)
        return True


def install(logger_name: str, log_filter: logging.Filter) -> None:
    """Add the filter to the named logger once (create_app and gunicorn's hooks may run it again)."""
    logger = logging.getLogger(logger_name)
    if not any(type(existing) is type(log_filter) for existing in logger.filters):
        logger.addFilter(log_filter)
