"""deploy/nginx/wizard.conf in front of the real app: slow clients, limits, headers, logs.

One gunicorn (2 workers x 4 threads, temporary SQLite) and one Debian nginx
running the production file with only its addresses and paths changed
(tests/proxy/harness.py). Loopback only. Without nginx these tests fail with
what to install; they never skip.
"""
from __future__ import annotations

import datetime as dt
import http.client
import re
import shutil
import tempfile
import time
from pathlib import Path

import pytest

from .harness import (
    REPO,
    REQUEST_TIMEOUT,
    SLOW_BODIES,
    SLOW_HEADERS,
    TRICKLE_SECONDS,
    Gunicorn,
    Nginx,
    NginxMissing,
    attack_and_measure,
    first_question,
    free_port,
)

RESULTS = REPO / "test-output" / "slow-clients.md"
SECURITY_HEADERS = ["Content-Security-Policy", "Strict-Transport-Security", "X-Content-Type-Options",
                    "Referrer-Policy", "Cross-Origin-Opener-Policy", "Cross-Origin-Resource-Policy"]


@pytest.fixture(scope="module")
def static_root():
    """Stands for /srv/wizard/: the app writes its static build into instance/static/ here,
    readable by nginx's www-data workers."""
    root = Path(tempfile.mkdtemp(prefix="wizard-static-"))
    root.chmod(0o755)
    (root / "instance").mkdir(mode=0o755)
    yield root
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def app_server(tmp_path_factory, static_root):
    try:
        server = Gunicorn(tmp_path_factory.mktemp("proxy-app"), static_root / "instance" / "static").start()
    except RuntimeError as error:
        pytest.fail(str(error), pytrace=False)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def proxy(app_server, static_root):
    try:
        server = Nginx(app_server.port, static_root).start()
    except (NginxMissing, RuntimeError) as error:
        pytest.fail(str(error), pytrace=False)
    yield server
    server.stop()


def get(port: int, path: str, source: str = "127.0.3.1", method: str = "GET", body: bytes | None = None,
        headers: dict | None = None) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10, source_address=(source, 0))
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    response.body = response.read()  # kept: the connection is closed next
    connection.close()
    return response


def test_ordinary_requests_succeed_while_slow_clients_hold_connections(proxy):
    started = time.monotonic()
    result = attack_and_measure(proxy.port, "nginx in front of gunicorn")
    took = time.monotonic() - started
    p50, p99 = result.percentile(50), result.percentile(99)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        f"# Slow clients through nginx\n\n"
        f"Written by `tests/proxy/test_slow_clients.py` on {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC.\n\n"
        f"- Attack: {SLOW_HEADERS} slow-header connections (a header line every {TRICKLE_SECONDS:.0f} s) and "
        f"{SLOW_BODIES} slow-body POSTs (a byte every {TRICKLE_SECONDS:.0f} s), each from its own "
        f"127.0.1.x address; {result.attack_connections} opened in all (nginx closes a header after 10 s)\n"
        f"- Ordinary requests: {result.sent} GETs of the start page, the first question (both cached by nginx), "
        f"an answer (a redirect: always the app) and /static/style.css over 10 s "
        f"from 50 other addresses, {REQUEST_TIMEOUT:.0f} s timeout each\n"
        f"- Succeeded: {result.succeeded}/{result.sent} = **{result.fraction:.1%}**\n"
        f"- Latency of those: p50 {p50 * 1000 if p50 else 0:.1f} ms, **p99 {p99 * 1000 if p99 else 0:.1f} ms**\n"
        f"- Failures: {result.failures or 'none'}\n"
        f"- Slow connections still open at the end: {result.slow_open_at_end} of {SLOW_HEADERS + SLOW_BODIES}\n"
        f"- Took {took:.1f} s\n")
    assert result.slow_open_at_end == SLOW_HEADERS + SLOW_BODIES, "the attack was not running to the end"
    assert result.fraction >= 0.99, result.summary()
    assert p99 is not None and p99 < 2.0, result.summary()


def test_pages_come_from_the_app_with_each_security_header_once(proxy):
    response = get(proxy.port, first_question())
    assert response.status == 200
    assert response.getheader("Cache-Control") == "public, max-age=600, stale-if-error=604800"
    for name in SECURITY_HEADERS:
        assert len(response.headers.get_all(name) or []) == 1, name


@pytest.mark.parametrize("request_kind", ["missing static file", "body too large", "request line too long", "header too large",
                                          "app not answering"])
def test_nginx_own_error_pages_carry_the_security_headers(proxy, request_kind):
    if request_kind == "missing static file":
        response = get(proxy.port, "/static/nothing-here.css")
        expected = 404
    elif request_kind == "body too large":
        response = get(proxy.port, "/q/topic", method="POST", body=b"a" * 20_000,
                       headers={"Content-Type": "application/x-www-form-urlencoded"})
        expected = 413
    elif request_kind == "app not answering":
        nobody = Nginx(free_port(), proxy.static_root).start()  # in front of a port nobody listens on
        try:
            response = get(nobody.port, "/")
        finally:
            nobody.stop()
        expected = 502
    elif request_kind == "request line too long":
        response = get(proxy.port, "/q/" + "a" * 9000)
        expected = 414
    else:
        response = get(proxy.port, "/", headers={"X-Big": "a" * 9000})
        expected = 400
    assert response.status == expected
    for name in SECURITY_HEADERS:
        assert len(response.headers.get_all(name) or []) == 1, (name, response.headers)
    assert response.getheader("Cache-Control") is None  # an error is never kept


def test_static_files_hashed_names_kept_a_year_others_five_minutes(proxy):
    page = get(proxy.port, first_question()).body.decode()
    linked = re.search(r'href="/static/(style\.[0-9a-f]{8,}\.css)"', page).group(1)  # the name pages link
    hashed = get(proxy.port, f"/static/{linked}")
    assert hashed.status == 200
    assert hashed.getheader("Cache-Control") == "public, max-age=31536000, immutable"
    assert hashed.getheader("Content-Type") == "text/css"
    plain = get(proxy.port, "/static/style.css")
    assert plain.getheader("Cache-Control") == "public, max-age=300"
    assert plain.getheader("X-Content-Type-Options") == "nosniff"


def test_one_address_over_its_request_limit_gets_429_others_do_not(proxy):
    page = first_question()  # a cached page counts too: the limit comes before the cache
    statuses = [get(proxy.port, page, source="127.0.4.1").status for _ in range(80)]
    assert set(statuses) == {200, 429}, statuses
    assert statuses.count(200) >= 40  # the burst (40) passes at once
    limited = get(proxy.port, page, source="127.0.4.1")
    if limited.status == 429:
        for name in SECURITY_HEADERS:
            assert limited.getheader(name), name
    assert get(proxy.port, page, source="127.0.4.2").status == 200


def test_access_log_has_paths_but_never_query_strings(proxy):
    get(proxy.port, "/q/topic?topic=cannot_sign_in&secret=s3cr3t-answer")
    deadline = time.monotonic() + 5
    log = ""
    while time.monotonic() < deadline and "/q/topic" not in log:
        log = proxy.access_log.read_text()
        time.sleep(0.1)
    assert "/q/topic" in log
    assert "s3cr3t" not in log and "cannot_sign_in" not in log
