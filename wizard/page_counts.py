"""Where people stop: page views, answers and arrivals, counted in memory and added to the database in batches.

A public page must not wait for the database, so a request only adds 1 to a
counter in this process's memory (a lock and a dict: about a microsecond); a
background thread adds what was counted to the ``page_count`` table every
PAGE_COUNT_FLUSH_SECONDS (one upsert per row, wizard/counts.py, so any number
of processes and instances add to the same rows), and once more when the
process exits. What it does not see (docs/insights.md): pages nginx sends from
its cache, pages the browser shows from its own cache or history, and up to
PAGE_COUNT_FLUSH_SECONDS of counts when a process is killed.

``PAGE_COUNT_FLUSH_SECONDS = 0`` starts no thread: counts are added only when
:meth:`PageCounts.flush` is called (the tests do).
"""
from __future__ import annotations

import atexit
import logging
import os
import threading
from collections import Counter

from flask import Flask

from wizard.counts import add, today
from wizard.models import PageCount
from wizard.web.quiet_log import QuietLog

log = logging.getLogger(__name__)
KINDS = ("view", "answer", "arrive")


class PageCounts:
    """This process's uncounted page views, answers and arrivals, and the thread that adds them."""

    def __init__(self, app: Flask, every: float):
        self.app, self.every = app, every
        self.counted: Counter = Counter()
        self.lock = threading.Lock()
        self.started_in: int | None = None  # the process whose thread is running (a fork has none)
        self.wake = threading.Event()
        self.failures = QuietLog(log, "page counts not added yet: the database cannot be reached")

    def note(self, version: str, node: str, kind: str) -> None:
        """Count one; no database, no I/O."""
        with self.lock:
            self.counted[today(), version, node, kind] += 1
            if self.every and self.started_in != os.getpid():
                self.start()

    def start(self) -> None:
        """The background thread of this process (called under the lock, after a fork too)."""
        self.started_in = os.getpid()
        self.wake = threading.Event()
        threading.Thread(target=self.run, name="page-counts", daemon=True).start()
        atexit.register(self.flush)

    def run(self) -> None:
        while not self.wake.wait(self.every):
            self.flush()

    def flush(self) -> None:
        """Add what was counted to the database; on failure keep it for the next try."""
        with self.lock:
            taken, self.counted = self.counted, Counter()
        if not taken:
            return
        rows = [dict(day=day, flow_version=version, node=node, kind=kind, count=count)
                for (day, version, node, kind), count in taken.items()]
        try:
            with self.app.app_context():
                add(PageCount, rows)
        except Exception as error:  # noqa: BLE001  the database down, or gone at exit: counted again later
            with self.lock:
                self.counted.update(taken)
            self.failures.report(error)


def page_counts(app: Flask) -> PageCounts:
    return app.extensions["triage_page_counts"]


def init_page_counts(app: Flask) -> PageCounts:
    counts = PageCounts(app, app.config["PAGE_COUNT_FLUSH_SECONDS"])
    app.extensions["triage_page_counts"] = counts
    return counts
