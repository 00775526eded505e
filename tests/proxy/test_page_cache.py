"""nginx keeps public pages (deploy/nginx/wizard.conf, "page cache"): the same bytes for everyone with the
same answers, nothing of a staff page, and every page already visited while the app is stopped.

Its own gunicorn and nginx (the last test stops the app), on loopback.
"""
from __future__ import annotations

import html
import re
import shutil
import tempfile
import time
from pathlib import Path

import pytest
from helpers import answer_query

from .harness import Gunicorn, Nginx, NginxMissing, first_question
from .test_slow_clients import SECURITY_HEADERS, get

FIRST_FORM = re.compile(r'<form method="get" action="/a/([a-z0-9_]+)"')


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    root = Path(tempfile.mkdtemp(prefix="wizard-cache-"))
    root.chmod(0o755)
    (root / "instance").mkdir(mode=0o755)
    app = nginx = None
    try:
        app = Gunicorn(tmp_path_factory.mktemp("cache-app"), root / "instance" / "static").start()
        nginx = Nginx(app.port, root).start()
        yield app, nginx
    except (NginxMissing, RuntimeError) as error:
        pytest.fail(str(error), pytrace=False)
    finally:
        for server in (nginx, app):
            if server is not None:
                server.stop()
        shutil.rmtree(root, ignore_errors=True)


def answer(port: int, page: bytes, option: str) -> str:
    """The address the page's question form sends for ``option``, followed to the next page's address."""
    text = page.decode()
    node = FIRST_FORM.search(text).group(1)
    reply = get(port, f"/a/{node}?{answer_query(text, node, option)}")
    assert reply.status == 303, reply.status
    return html.unescape(reply.getheader("Location"))


def test_a_public_page_is_kept_and_then_served_the_same_to_everyone(service):
    _, nginx = service
    first = get(nginx.port, first_question(), source="127.0.5.1")
    again = get(nginx.port, first_question(), source="127.0.5.2")  # someone else
    assert (first.status, again.status) == (200, 200)
    assert first.getheader("X-Cache-Status") in ("MISS", "HIT")  # HIT when an earlier test asked for it
    assert again.getheader("X-Cache-Status") == "HIT"
    assert again.body == first.body
    assert again.getheader("Set-Cookie") is None and again.getheader("Vary") is None
    for name in SECURITY_HEADERS:
        assert len(again.headers.get_all(name) or []) == 1, name


def test_answers_redirects_and_staff_pages_always_reach_the_app(service):
    _, nginx = service
    page = get(nginx.port, first_question()).body
    assert answer(nginx.port, page, "cannot_sign_in").startswith("/q/method?")
    answered = first_question().replace("/q/topic?", "/a/topic?topic=cannot_sign_in&")
    # An answer (a redirect to the next page), a redirect to the canonical address, a page with a form token:
    for path in (answered, "/q/topic", "/staff/login"):
        replies = [get(nginx.port, path) for _ in range(2)]
        assert [reply.getheader("X-Cache-Status") for reply in replies] == ["MISS", "MISS"], path
    login = get(nginx.port, "/staff/login")
    assert login.getheader("Cache-Control") == "no-store" and login.getheader("Set-Cookie")


def test_people_sending_the_same_answer_at_once_do_not_wait_for_each_other(service):
    """An answer is never kept, so nothing is gained by queueing identical ones (proxy_cache_lock
    made each wait 0.5 s more than the one before: 8 at once took up to 3.5 s)."""
    import concurrent.futures

    _, nginx = service
    answered = first_question().replace("/q/topic?", "/a/topic?topic=inside_portal&")

    def timed(n: int) -> tuple[int, float]:
        started = time.monotonic()
        reply = get(nginx.port, answered, source=f"127.0.6.{n + 1}")
        return reply.status, time.monotonic() - started

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        results = list(pool.map(timed, range(8)))
    assert [status for status, _ in results] == [303] * 8
    assert max(seconds for _, seconds in results) < 1.0, results


def test_with_the_app_stopped_every_page_already_visited_still_answers(service):
    app, nginx = service
    visited, address = [], first_question()
    for option in ("cannot_sign_in", "ds_logon", "locked"):
        reply = get(nginx.port, address)
        assert reply.status == 200
        visited.append((address, reply.body))
        address = answer(nginx.port, reply.body, option)
    outcome = get(nginx.port, address)
    assert outcome.status == 200 and b"reference-code-value" in outcome.body
    visited.append((address, outcome.body))

    app.stop()
    time.sleep(0.2)
    for address, body in visited:
        reply = get(nginx.port, address)
        assert reply.status == 200, address
        assert reply.body == body, address
        assert reply.getheader("X-Cache-Status") in ("HIT", "STALE"), address
    never_seen = get(nginx.port, first_question().replace("v=", "notice=not_reached&v="))
    assert never_seen.status == 502  # a page nobody asked for yet cannot come from the cache
