"""Public pages are pure functions of their address: say so to caches, and keep the latest ones at hand.

:func:`cacheable` marks a view whose 200 responses depend on nothing but the
address (path and query string) and the running content:

- it sends ``Cache-Control: public, max-age=600, stale-if-error=604800``, so
  nginx (deploy/nginx/wizard.conf) and the browser keep the page for 10
  minutes, and nginx may serve it for a week while the app cannot answer.
  The content version is in every question's address, so a content change
  makes new addresses; the 10 minutes bound how long the start page and an
  old address can show the old content (a deploy can also empty nginx's cache);
- each process keeps the last PAGES_KEPT such pages in memory, so an address
  asked for again (by another person, or after nginx let it go) is sent
  without replaying or rendering it.

Anything else (a redirect, a refused answer, a 404) is left as it is: the
security headers make it ``no-store``.
"""
from __future__ import annotations

import functools
import threading
from collections import OrderedDict

from flask import current_app, make_response, request

from wizard.extensions import per_app

PUBLIC_CACHE = "public, max-age=600, stale-if-error=604800"
PAGES_KEPT = 512  # about 8 MB of pages per process


class RecentPages:
    """address -> (status, headers, body) of the latest pages, least recently used dropped first."""

    def __init__(self, most: int = PAGES_KEPT):
        self.most, self.pages, self.lock = most, OrderedDict(), threading.Lock()

    def get(self, key: str):
        with self.lock:
            page = self.pages.get(key)
            if page is not None:
                self.pages.move_to_end(key)
            return page

    def put(self, key: str, page) -> None:
        with self.lock:
            self.pages[key] = page
            while len(self.pages) > self.most:
                self.pages.popitem(last=False)


def recent_pages() -> RecentPages:
    return per_app("public_recent_pages", RecentPages)


def cacheable(view):
    @functools.wraps(view)
    def cached_view(**kwargs):
        key = request.script_root + request.full_path
        if (page := recent_pages().get(key)) is not None:
            return current_app.response_class(page[2], status=page[0], headers=page[1])
        response = make_response(view(**kwargs))
        if response.status_code == 200:
            response.headers["Cache-Control"] = PUBLIC_CACHE
            recent_pages().put(key, (response.status_code, list(response.headers.items()), response.get_data()))
        return response
    return cached_view
