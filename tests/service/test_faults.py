"""Faults, for real: PostgreSQL stopped mid-run, Redis stopped, a gunicorn worker killed under load.

The database and Redis faults use their own servers and one instance with a
single worker (so "per instance" and "per process" are the same thing and the
warnings can be counted exactly): stopping them disturbs no other test. The
killed worker is one of instance A's, in the shared two-instance service.
"""
from __future__ import annotations

import http.client
import os
import re
import runpy
import signal
import threading
import time
import urllib.error
from dataclasses import dataclass

import pytest
from service_setup import PASSWORD, add_agent, service_env, start_redis
from instances import REPO, Browser, Instance, answer_call, start_staff_call
from pg_server import PostgresMissing, PostgresServer
from redis_server import RedisServer
from routes import OUTCOMES, TO

LIMIT = 3  # failed logins a minute on the lonely instance
RECOVERY_TIMEOUT = 20.0  # seconds for PostgreSQL's return to be noticed
REDIS_RECOVERY_TIMEOUT = 45.0  # Flask-Limiter pings a lost Redis after 1, 2, 4 ... 32 s
CONNECTION_LOST = (OSError, urllib.error.URLError, http.client.HTTPException)


@dataclass
class Lonely:
    instance: Instance
    postgres: PostgresServer
    redis: RedisServer
    agent: str


def outcome_answers(outcome: str) -> list[tuple[str, str]]:
    question, option = OUTCOMES[outcome]
    return [*TO[question].items(), (question, option)]


def walk(person: Browser, base: str, outcome: str):
    """Answer the questions to ``outcome`` on ``base``; the last page (the outcome's)."""
    page = None
    for node, option in outcome_answers(outcome):
        page = person.answer(base, node, option)
        assert page.status < 500, f"{page.status} after {node}={option}"
    assert page.path == f"/q/{outcome}", page.url
    return page


def stop_postgres(server: PostgresServer) -> None:
    server.run("pg_ctl", "stop", "-D", str(server.data), "-m", "fast", "-w")


def start_postgres(server: PostgresServer) -> None:
    options = f"-h 127.0.0.1 -p {server.port} -k {server.root} -F -c max_connections=50"
    server.run("pg_ctl", "start", "-D", str(server.data), "-l", str(server.log), "-w", "-t", "30", "-o", options)


def wait_for(condition, timeout: float, what: str) -> float:
    """Seconds until ``condition()`` is true (checked every 0.2 s); fails after ``timeout``."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            pytest.fail(f"{what} did not happen within {timeout:.0f}s")
        time.sleep(0.2)
    return time.monotonic() - start


@pytest.fixture(scope="module")
def lonely():
    """One instance (one worker, four threads) on its own PostgreSQL server and its own Redis."""
    try:
        postgres = PostgresServer().start()
    except PostgresMissing as missing:
        pytest.fail(str(missing), pytrace=False)
    redis = start_redis()
    instance = Instance("lonely", service_env(postgres.create_database(), redis.url,
                                              STAFF_LOGIN_LIMIT=f"{LIMIT} per minute"), workers=1)
    try:
        instance.launch()
        agent = add_agent(instance, "lonely-agent")  # while it starts (migrations at start are under a lock)
        instance.wait()
        yield Lonely(instance, postgres, redis, agent)
    finally:
        instance.remove()
        redis.remove()
        if not (postgres.data / "postmaster.pid").exists():
            start_postgres(postgres)  # a failed test may have left it stopped: stop() expects it running
        postgres.stop()


def test_without_postgresql_the_public_wizard_works_staff_pages_say_so_and_all_comes_back(lonely):
    base, log = lonely.instance.url, lonely.instance.log
    agent = Browser()
    assert agent.log_in(base, lonely.agent, PASSWORD).status == 303
    call = start_staff_call(agent, base)
    code = walk(Browser(), base, "dsl_locked").code
    assert code

    stop_postgres(lonely.postgres)
    try:
        # The public wizard, end to end, on several paths: no 5xx, and each outcome still shows its code
        # (a pure function of the content and the answers: no database needed).
        for outcome in ("dsl_forgot", "create_with_cac", "child_record", "portal_outage"):
            person = Browser()
            assert person.get(f"{base}/").status == 200
            page = walk(person, base, outcome)
            assert page.status == 200 and page.code, outcome
            assert person.get(page.url.replace(f"/q/{outcome}", "/answers")).status == 200
        # A code of the running content opens without the database; only one that must be looked up
        # there (an earlier version's, or one nobody issued) gets a page that says so (503), not a crash.
        assert Browser().get(f"{base}/r/{code}", follow=True).status == 200  # 303 to /r/<code> without the dash
        for _ in range(3):
            missing = Browser().get(f"{base}/r/ZZZZ-ZZZZ")
            assert missing.status == 503 and "not available right now" in missing.words
        # Staff pages: the database is unavailable, in the staff layout, for every kind of page.
        for path in ("/staff/", f"/staff/calls/{call}", f"/staff/calls/{call}/answers", "/staff/lookup",
                     f"/staff/lookup/{code}", "/staff/map"):
            page = agent.get(base + path)
            assert page.status == 503, f"{path}: {page.status}"
            assert "The database is unavailable" in page.words and 'class="staff"' in page.text, path
            assert page.headers.get("retry-after") == "30"
        stranger = Browser()
        assert stranger.get(f"{base}/staff/login").status == 200  # the form itself needs no database
        assert stranger.log_in(base, lonely.agent, PASSWORD).status == 503
        # Logged once a minute, a line each, never a traceback per request.
        text = log()
        assert text.count("saved results of earlier content versions unavailable") == 1, text[-3000:]
        assert text.count("staff pages unavailable") == 1, text[-3000:]
        assert "Traceback" not in text, text[-3000:]
    finally:
        start_postgres(lonely.postgres)

    took = wait_for(lambda: agent.get(f"{base}/staff/lookup/{code}").status == 200, RECOVERY_TIMEOUT,
                    "staff pages after PostgreSQL came back")
    print(f"\nPostgreSQL back: staff pages answer again after {took:.1f}s")
    assert answer_call(agent, base, call, "topic", "cannot_sign_in").status == 200
    assert Browser().get(f"{base}/r/ZZZZ-ZZZZ").status == 404  # looked up in the database again: not there


def test_without_redis_logins_are_limited_per_instance_with_one_warning(lonely):
    base, redis, log = lonely.instance.url, lonely.redis, lonely.instance.log
    warning = "Rate limit storage unreachable - falling back to in-memory storage"
    redis.command("FLUSHALL")
    redis.stop()
    try:
        statuses = [Browser().log_in(base, "nobody-here", "not-the-password-at-all").status
                    for _ in range(LIMIT + 3)]
        assert statuses == [401] * LIMIT + [429] * 3, statuses
        assert Browser().get(f"{base}/r/ZZZZ-ZZZZ").status == 404  # code lookups' limit: in memory too
        assert Browser().get(f"{base}/q/topic", follow=True).status == 200
        assert log().count(warning) == 1, log()[-3000:]
    finally:
        redis.start()
    # Back to Redis by itself: Flask-Limiter pings it again (after 1, 2, 4 ... s) on later requests to
    # rate-limited pages (the wizard's own pages skip the limiter; a saved-result lookup is limited).
    took = wait_for(lambda: Browser().get(f"{base}/r/ZZZZ-ZZZZ").status == 404 and "Rate limit storage recovered" in log(),
                    REDIS_RECOVERY_TIMEOUT, "going back to Redis")
    print(f"\nRedis back: limits counted in Redis again after {took:.1f}s")
    # Counted in the (empty, restarted) Redis now, not in the memory that was at its limit.
    assert Browser().log_in(base, "nobody-here", "not-the-password-at-all").status == 401
    assert int(redis.command("DBSIZE").lstrip(b":")) >= 1
    assert log().count(warning) == 1


def test_a_worker_killed_under_load_loses_no_stored_data(shared, fresh_limits):
    a, b = shared.a, shared.b
    codes: set[str] = set()
    calls: set[str] = set()
    lost = []  # requests that died with the worker
    done = threading.Event()

    def people(outcomes: list[str]) -> None:
        for outcome in outcomes:
            try:
                page = walk(Browser(), a.url, outcome)
                if page.code:
                    codes.add(page.code)
            except CONNECTION_LOST as error:
                lost.append(type(error).__name__)

    def agent_at_work() -> None:
        agent = Browser()
        while not done.is_set():
            try:
                if agent.log_in(a.url, shared.agent, shared.password).status == 303:
                    break
            except CONNECTION_LOST as error:
                lost.append(type(error).__name__)
        while not done.is_set():
            try:
                calls.add(start_staff_call(agent, a.url))
            except CONNECTION_LOST as error:
                lost.append(type(error).__name__)

    every = sorted(OUTCOMES)
    threads = [threading.Thread(target=people, args=(every[0::2],)),
               threading.Thread(target=people, args=(every[1::2],)),
               threading.Thread(target=agent_at_work)]
    for thread in threads:
        thread.start()
    try:
        wait_for(lambda: len(codes) >= 4 and len(calls) >= 4, 15, "a few codes and calls before the kill")
        victim = a.worker_pids()[0]
        os.kill(victim, signal.SIGKILL)
        for thread in threads[:2]:
            thread.join(timeout=60)
    finally:
        done.set()
        for thread in threads:
            thread.join(timeout=15)
    assert not any(thread.is_alive() for thread in threads)
    wait_for(lambda: len(a.worker_pids()) == 2 and victim not in a.worker_pids(), 15, "a new worker")
    print(f"\nworker killed: {len(codes)} codes and {len(calls)} calls received, {len(lost)} requests lost "
          f"({', '.join(sorted(set(lost))) or 'none'})")

    # Every call the agent was given is stored, and every code a person was shown opens: the other
    # instance finds each one.
    reader = Browser()
    missing_codes = [code for code in sorted(codes) if reader.get(f"{b.url}/r/{code}", follow=True).status != 200]
    agent = Browser()
    assert agent.log_in(b.url, shared.agent, shared.password).status == 303
    missing_calls = [call for call in sorted(calls) if agent.get(f"{b.url}/staff/calls/{call}").status != 200]
    assert not missing_codes and not missing_calls, (missing_codes, missing_calls)
    assert len(codes) >= 20 and len(calls) >= 4


def test_logs_go_to_standard_error_and_no_log_file_is_written(lonely, shared):
    settings = runpy.run_path(str(REPO / "gunicorn.conf.py"))
    assert settings.get("errorlog", "-") == "-"  # gunicorn's own log: standard error (journald under systemd)
    assert settings.get("accesslog") in (None, "-")
    for instance in (lonely.instance, shared.a, shared.b):
        assert re.search(r"wizard\.requests\b.*GET /", instance.log()), instance.name  # the app's log, on stderr
        assert list(instance.cwd.iterdir()) == [], f"{instance.name} wrote files: {list(instance.cwd.iterdir())}"
