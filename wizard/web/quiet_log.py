"""Log a recurring failure at most once per interval, counting the times it kept quiet.

Used where one outage would otherwise log a line per request (the database
for reference codes, the database for staff pages). Only the error's class is
logged: its text can hold SQL and its parameters.
"""
from __future__ import annotations

import logging
import threading
import time

EVERY_SECONDS = 60.0


class QuietLog:
    """``report(error)`` logs ``message`` with the error's class, at most once per ``every`` seconds."""

    def __init__(self, logger: logging.Logger, message: str, every: float = EVERY_SECONDS):
        self.logger, self.message, self.every = logger, message, every
        self.last: float | None = None
        self.quiet = 0
        self.lock = threading.Lock()

    def report(self, error: Exception) -> None:
        with self.lock:
            now = time.monotonic()
            if self.last is not None and now - self.last < self.every:
                self.quiet += 1
                return
            self.last, quiet, self.quiet = now, self.quiet, 0
        self.logger.error("%s (%s)%s", self.message, type(error).__name__,
                          f"; {quiet} more failures since the last report" if quiet else "")
