"""KeptPages, the per-process page cache, on its own with a fake WSGI app: it keeps only public 200s
without a cookie, and sends a kept page again without running the app."""
from __future__ import annotations

from wizard.public.page_cache import PUBLIC_CACHE, KeptPages


class FakeApp:
    def __init__(self, status="200 OK", headers=(("Cache-Control", PUBLIC_CACHE),)):
        self.status, self.headers, self.calls = status, list(headers), 0

    def __call__(self, environ, start_response):
        self.calls += 1
        start_response(self.status, self.headers)
        return [f"page {self.calls}".encode()]


def get(wsgi, path="/q/topic", method="GET"):
    sent = {}
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "RAW_URI": path, "HTTP_HOST": "wizard.example"}
    body = b"".join(wsgi(environ, lambda status, headers, exc_info=None: sent.update(status=status)))
    return sent["status"], body


def test_a_public_page_is_sent_again_without_running_the_app():
    app = FakeApp()
    kept = KeptPages(app)
    assert get(kept) == get(kept) == ("200 OK", b"page 1")
    assert app.calls == 1
    assert get(kept, "/q/method") == ("200 OK", b"page 2")  # another address is another page


def test_a_public_page_that_sets_a_cookie_is_never_kept():
    app = FakeApp(headers=[("Cache-Control", PUBLIC_CACHE), ("Set-Cookie", "triage=someone; HttpOnly")])
    kept = KeptPages(app)
    get(kept), get(kept)
    assert app.calls == 2 and not kept.pages


def test_pages_not_marked_public_redirects_and_errors_are_never_kept():
    for app in (FakeApp(headers=[("Cache-Control", "no-store")]), FakeApp(status="303 See Other"),
                FakeApp(status="404 NOT FOUND")):
        kept = KeptPages(app)
        get(kept), get(kept)
        assert app.calls == 2 and not kept.pages


def test_only_the_latest_pages_are_kept():
    kept = KeptPages(FakeApp(), most=2)
    for path in ("/a", "/b", "/c"):
        get(kept, path)
    assert [target for _, target in kept.pages] == ["/b", "/c"]
