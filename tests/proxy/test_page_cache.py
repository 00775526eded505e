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
        # MISS: looked up, not kept; BYPASS: not the shape of a page nginx may keep (wizard.conf), not looked up
        assert {reply.getheader("X-Cache-Status") for reply in replies} <= {"MISS", "BYPASS"}, path
    login = get(nginx.port, "/staff/login")
    assert login.getheader("Cache-Control") == "no-store" and login.getheader("Set-Cookie")


def test_an_outcome_page_with_its_feedback_form_is_kept_and_a_vote_always_reaches_the_app(service):
    """The "Did this solve your problem?" form makes no page personal: the outcome is a HIT for the next
    person, carries no token or cookie; the vote (a POST) is never kept and is counted every time."""
    _, nginx = service
    address = first_question()
    for option in ("cannot_sign_in", "ds_logon", "forgot"):
        address = answer(nginx.port, get(nginx.port, address).body, option)
    first = get(nginx.port, address, source="127.0.8.1")
    again = get(nginx.port, address, source="127.0.8.2")
    assert (first.status, again.status) == (200, 200) and b'action="/feedback/' in first.body
    assert again.getheader("X-Cache-Status") == "HIT" and again.body == first.body
    assert again.getheader("Set-Cookie") is None and b"csrf_token" not in again.body
    action = re.search(rb'<form class="feedback-yes" method="post" action="([^"]+)">(.*?)</form>', first.body, re.S)
    fields = re.findall(rb'<input type="hidden" name="([^"]+)" value="([^"]*)">', action.group(2))
    body = b"&".join(name + b"=" + value for name, value in fields) + b"&vote=yes"
    for _ in range(2):
        vote = get(nginx.port, action.group(1).decode(), method="POST", body=body, source="127.0.8.3",
                   headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert vote.status == 200 and b"Thank you" in vote.body, vote.status
        assert vote.getheader("X-Cache-Status") in (None, "", "BYPASS", "MISS")
        assert vote.getheader("Set-Cookie") is None and vote.getheader("Cache-Control") == "no-store"


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


def flood(port: int, targets: list[str]) -> list[int]:
    """GET each target, spread over loopback addresses (10 each: under nginx's 10 r/s, burst 40, per address)."""
    import concurrent.futures

    def one(n: int) -> int:
        return get(port, targets[n], source=f"127.0.{8 + n // 2500}.{n // 10 % 250 + 1}").status

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        return list(pool.map(one, range(len(targets))))


def test_a_flood_of_address_variants_leaves_a_warm_page_a_hit(service):
    """Other spellings of a page (a query on the start page, a percent-encoded path, a doubled slash) are
    303s the app never marks public and nginx never keeps: they cannot push a warm page out of the cache.
    This nginx has a 1 MB cache (about 250 pages); the flood is about 960 addresses."""
    app, _ = service
    root = Path(tempfile.mkdtemp(prefix="wizard-flood-"))
    root.chmod(0o755)
    (root / "instance").mkdir(mode=0o755)
    (root / "instance" / "static").symlink_to(app.env["STATIC_BUILD_DIR"])
    nginx = Nginx(app.port, root, cache_size="1m").start()
    try:
        warm = first_question()
        assert get(nginx.port, warm).status == 200
        assert get(nginx.port, warm).getheader("X-Cache-Status") == "HIT"
        v = warm.rpartition("v=")[2]
        spellings = ["".join(f"%{ord(c):02X}" if n >> i & 1 else c for i, c in enumerate("topic")) for n in range(32)]
        variants = ([f"/?x={n}" for n in range(900)] + [f"/q/{name}?v={v}" for name in spellings[1:]]
                    + [f"//q/{name}?v={v}" for name in spellings])
        statuses = flood(nginx.port, variants)
        cache = nginx.root / "page-cache"
        deadline = time.monotonic() + 20  # nginx's cache manager trims to max_size in the background, in its own time
        while sum(path.stat().st_size for path in cache.rglob("*") if path.is_file()) > 1.2e6:
            assert time.monotonic() < deadline, "nginx did not trim its cache to max_size"
            time.sleep(0.5)
        again = get(nginx.port, warm, source="127.0.7.1")
        assert again.status == 200 and again.getheader("X-Cache-Status") == "HIT"
        assert set(statuses) <= {303, 308}, sorted(set(statuses))
        for target in variants[:3] + variants[-3:]:  # asked for again: still never from the cache
            assert get(nginx.port, target, source="127.0.7.2").getheader("X-Cache-Status") != "HIT", target
    finally:
        nginx.stop()
        shutil.rmtree(root, ignore_errors=True)


class EverythingPublic:
    """A stand-in upstream that marks every 200 public, whatever the address (what the app did before it
    sent other spellings to the canonical address): shows nginx's own rule, wizard.conf's $wizard_not_canonical."""

    def __init__(self):
        import http.server
        import threading

        received = self.received = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                received.append(dict(self.headers.items()))
                body = f"page for {self.path}".encode()
                self.send_response(200)
                self.send_header("Cache-Control", "public, max-age=600, stale-if-error=604800")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.parametrize(("target", "kept"), [
    ("/", True), ("/q/topic?v=0123456789ab", True), ("/q/method?topic=cannot_sign_in&v=0123456789ab", True),
    ("/answers?topic=cannot_sign_in&v=0123456789ab", True), ("/r/K7PM4QX2", True),
    ("/?x=1", False), ("/?", False), ("//q/topic?v=0123456789ab", False), ("/q//topic?v=0123456789ab", False),
    ("/q/%74opic?v=0123456789ab", False), ("/q%2Ftopic?v=0123456789ab", False), ("/q/topic?v=%30123456789ab", False),
    ("/q/Topic?v=0123456789ab", False), ("/q/topic", False), ("/r/k7pm4qx2", False), ("/r/K7PM-4QX2", False),
    ("/r/K7PM4QX2?x=1", False), ("/r/%4B7PM4QX2", False), ("/r/K7PM4QX20", False), ("/answers?v=1%26", False),
    # the same shapes under a language prefix (/es/...), and nothing else that looks like one
    ("/es/", True), ("/es/q/method?topic=cannot_sign_in&v=0123456789ab", True),
    ("/es/answers?topic=cannot_sign_in&v=0123456789ab", True), ("/es/r/K7PM4QX2", True),
    ("/es", False), ("/es/?x=1", False), ("/ES/", False), ("/es//q/topic?v=0123456789ab", False),
    ("/es/es/q/topic?v=0123456789ab", False), ("/e5/q/topic?v=0123456789ab", False),
])
def test_nginx_keeps_only_the_canonical_shapes_whatever_the_app_says(target, kept):
    upstream = EverythingPublic()
    root = Path(tempfile.mkdtemp(prefix="wizard-shapes-"))
    root.chmod(0o755)
    (root / "instance" / "static").mkdir(mode=0o755, parents=True)
    (root / "instance" / "static" / "style.css").write_text("body {}\n")
    for folder in (root / "instance", root / "instance" / "static"):
        folder.chmod(0o755)
    (root / "instance" / "static" / "style.css").chmod(0o644)
    nginx = None
    try:
        nginx = Nginx(upstream.port, root).start()
        replies = [get(nginx.port, target, source="127.0.7.3") for _ in range(2)]
        assert [reply.status for reply in replies] == [200, 200]
        assert (replies[1].getheader("X-Cache-Status") == "HIT") is kept, replies[1].getheader("X-Cache-Status")
    finally:
        if nginx is not None:
            nginx.stop()
        upstream.stop()
        shutil.rmtree(root, ignore_errors=True)


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


def test_nginx_passes_on_no_scheme_header_but_its_own_x_forwarded_proto():
    """A client's X-Forwarded-Ssl or X-Forwarded-Protocol never reaches gunicorn (which, with its default
    secure_scheme_headers, would believe them from nginx's address)."""
    upstream = EverythingPublic()
    root = Path(tempfile.mkdtemp(prefix="wizard-scheme-"))
    root.chmod(0o755)
    (root / "instance" / "static").mkdir(mode=0o755, parents=True)
    for folder in (root / "instance", root / "instance" / "static"):
        folder.chmod(0o755)
    (root / "instance" / "static" / "style.css").write_text("body {}\n")
    (root / "instance" / "static" / "style.css").chmod(0o644)
    nginx = None
    try:
        nginx = Nginx(upstream.port, root).start()
        sent = {"X-Forwarded-Ssl": "on", "X-Forwarded-Protocol": "https", "X-Forwarded-Proto": "https",
                "X-Url-Scheme": "https", "Front-End-Https": "on"}
        assert get(nginx.port, "/staff/login", headers=sent).status == 200
        received = {name.lower(): value for name, value in upstream.received[-1].items()}
        assert received.get("x-forwarded-proto") == "http"  # nginx's own: this listener is plain HTTP
        for name in ("x-forwarded-ssl", "x-forwarded-protocol", "x-url-scheme", "front-end-https"):
            assert name not in received, name
    finally:
        if nginx is not None:
            nginx.stop()
        upstream.stop()
        shutil.rmtree(root, ignore_errors=True)
