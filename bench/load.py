"""A bounded load test: simulated people walking full paths through nginx to two app instances.

    .venv/bin/python bench/load.py                 # 200 people for 60 s; updates docs/benchmarks.md
    .venv/bin/python bench/load.py --people 50 --seconds 10 --no-doc

Everything is real and on loopback: a throwaway PostgreSQL and Redis (Debian's
packages, as the tests start them), two gunicorn instances sharing them (2
workers x 4 threads each), and Debian's nginx running deploy/nginx/wizard.conf
(its page cache and per-address limits included) in front of both. Each
person, from their own loopback address, opens the start page, follows its
Start now link and answers their way to an outcome chosen at random from
tests/routes.py with the pages' GET forms (answers in the address, no cookie),
pausing a little between pages like a person, then starts again until the
time is up. nginx's X-Cache-Status on every answer is counted. Afterwards every
reference code a person was shown is opened at /r/<code> on an instance
directly (not through nginx, so not from its cache). Stops by itself; run by
`make bench`.
"""
from __future__ import annotations

import argparse
import datetime as dt
import html
import http.client
import random
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "service"), str(ROOT)]

from client import START_LINK, answer_query, local  # noqa: E402
from instances import Instance  # noqa: E402
from pg_server import PostgresServer  # noqa: E402
from proxy.harness import Nginx, an_answer  # noqa: E402
from redis_server import RedisServer  # noqa: E402
from routes import OUTCOMES, TO  # noqa: E402

DOC = ROOT / "docs" / "benchmarks.md"
TITLE = "## Load: simulated people through nginx to two instances"
CODE = re.compile(r'href="/r/([0-9A-Z]{8})"')
OUTCOME_TITLE = re.compile(r'<h1 class="outcome-title">(.*?)</h1>', re.S)
THINK_SECONDS = (0.3, 1.0)  # a person reads a page before going on
FROM_CACHE = ("HIT", "STALE")  # X-Cache-Status values nginx answers from its cache with
SLOW_SECONDS = 0.5  # with proxy_cache_lock on, nginx looked at a request waiting for another's fetch of
# its address again every 500 ms, so such waits showed as 0.5 s or more; the lock is off now (wizard.conf)
LOOKUPS_PER_ADDRESS = 20  # /r/<code> is limited per address (CODE_LOOKUP_LIMIT, 30 per minute)


@dataclass
class Tally:
    """What all the people saw, gathered under one lock."""

    latencies: list[float] = field(default_factory=list)
    cached_latencies: list[float] = field(default_factory=list)  # answered from nginx's cache
    passed_latencies: list[float] = field(default_factory=list)  # answered by the app through nginx
    errors: dict[str, int] = field(default_factory=dict)
    cache: dict[str, int] = field(default_factory=dict)  # X-Cache-Status -> requests ("none": not sent)
    slow: dict[str, int] = field(default_factory=dict)  # "answer MISS", "page HIT"... -> requests >= SLOW_SECONDS
    walks: int = 0
    codes: dict[str, str] = field(default_factory=dict)  # code shown -> the outcome page's title
    lock: threading.Lock = field(default_factory=threading.Lock)

    def request(self, seconds: float, problem: str | None, cache_status: str = "none", kind: str = "page") -> None:
        with self.lock:
            if seconds >= SLOW_SECONDS:
                self.slow[f"{kind} {cache_status}"] = self.slow.get(f"{kind} {cache_status}", 0) + 1
            self.latencies.append(seconds)
            self.cache[cache_status] = self.cache.get(cache_status, 0) + 1
            if cache_status in FROM_CACHE:
                self.cached_latencies.append(seconds)
            elif cache_status != "none":
                self.passed_latencies.append(seconds)
            if problem:
                self.errors[problem] = self.errors.get(problem, 0) + 1

    def walked(self, code: str | None, title: str) -> None:
        with self.lock:
            self.walks += 1
            if code:
                self.codes[code] = title


class Person:
    """One browser without cookies: its own loopback address, pages read at human pace."""

    def __init__(self, port: int, address: str, tally: Tally):
        self.port, self.address, self.tally = port, address, tally

    def get(self, path: str) -> tuple[int, bytes, str]:
        """GET ``path``; the status, the body and the Location (status 0 when nothing came back)."""
        started = time.monotonic()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10,
                                                    source_address=(self.address, 0))
            connection.request("GET", path)
            response = connection.getresponse()
            body = response.read()
            connection.close()
        except OSError as error:
            self.tally.request(time.monotonic() - started, type(error).__name__)
            return 0, b"", ""
        problem = None if response.status in (200, 303) else f"HTTP {response.status}"
        self.tally.request(time.monotonic() - started, problem, response.headers.get("X-Cache-Status", "none"),
                           "answer" if path.startswith("/a/") else "page")
        return response.status, body, response.headers.get("Location", "")

    def pause(self) -> None:
        time.sleep(random.uniform(*THINK_SECONDS))

    def walk(self, answers: list[tuple[str, str]]) -> None:
        status, page, _ = self.get("/")
        link = START_LINK.search(page.decode(errors="replace"))
        if status != 200 or not link:
            return
        self.pause()
        status, page, _ = self.get(html.unescape(link.group(1)))
        for node, option in answers:
            self.pause()
            query = answer_query(page, node, option) if status == 200 else None
            if query is None:
                return
            status, _, location = self.get(f"/a/{node}?{query}")
            if status != 303:
                return
            status, page, _ = self.get(local(location))
        text = page.decode(errors="replace")
        code, title = CODE.search(text), OUTCOME_TITLE.search(text)
        self.tally.walked(code.group(1) if code else None, title.group(1).strip() if title else "")


def routes() -> list[list[tuple[str, str]]]:
    return [[*TO[question].items(), (question, option)] for question, option in OUTCOMES.values()]


def people_walk(port: int, people: int, seconds: float, tally: Tally) -> None:
    deadline = time.monotonic() + seconds
    paths = routes()

    def live(number: int) -> None:
        person = Person(port, f"127.0.{6 + number // 250}.{number % 250 + 1}", tally)
        while time.monotonic() < deadline:
            person.walk(random.choice(paths))  # nothing carried over: no cookie, a new address each walk

    threads = [threading.Thread(target=live, args=(number,), daemon=True) for number in range(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)


@dataclass
class Lookups:
    """Each reference code shown, opened at /r/<code> on an instance directly."""

    opened: int = 0  # 200, showing the outcome the person saw
    problems: dict[str, int] = field(default_factory=dict)

    def problem(self, kind: str) -> None:
        self.problems[kind] = self.problems.get(kind, 0) + 1


def open_codes(instances: list[Instance], codes: dict[str, str]) -> Lookups:
    """GET /r/<code> on the instances in turn, from a few loopback addresses (the lookup limit is per address)."""
    lookups = Lookups()
    for number, (code, title) in enumerate(sorted(codes.items())):
        instance = instances[number % len(instances)]
        source = f"127.0.9.{number // LOOKUPS_PER_ADDRESS + 1}"
        try:
            connection = http.client.HTTPConnection("127.0.0.1", instance.port, timeout=10, source_address=(source, 0))
            connection.request("GET", f"/r/{code}")
            response = connection.getresponse()
            text = response.read().decode(errors="replace")
            connection.close()
        except OSError as error:
            lookups.problem(type(error).__name__)
            continue
        shown = OUTCOME_TITLE.search(text)
        if response.status != 200:
            lookups.problem(f"HTTP {response.status}")
        elif not shown or shown.group(1).strip() != title:
            lookups.problem("another outcome shown")
        else:
            lookups.opened += 1
    return lookups


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def same_answer_at_once(port: int, path: str, senders: int = 8) -> list[tuple[float, str]]:
    """``senders`` people send the same answer (never cached: a 303) through nginx at the same moment,
    each from its own address: (seconds, X-Cache-Status) of each, fastest first."""
    results: list[tuple[float, str]] = []
    ready = threading.Barrier(senders)

    def send(number: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15,
                                                source_address=(f"127.0.10.{number + 1}", 0))
        connection.connect()
        ready.wait()
        started = time.monotonic()
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        results.append((time.monotonic() - started, f"{response.status} {response.headers.get('X-Cache-Status')}"))
        connection.close()

    threads = [threading.Thread(target=send, args=(number,)) for number in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(results)


def run(people: int, seconds: float) -> str:
    postgres, redis, instances, proxy = PostgresServer().start(), RedisServer().start(), [], None
    static_root = Path(tempfile.mkdtemp(prefix="wizard-load-static-"))
    static_root.chmod(0o755)
    (static_root / "instance").mkdir(mode=0o755)
    try:
        url = postgres.create_database("wizard_load")
        env = {"DATABASE_URL": url, "RATELIMIT_STORAGE_URI": redis.url,
               "STATIC_BUILD_DIR": str(static_root / "instance" / "static")}
        instances = [Instance(name, env).launch() for name in ("a", "b")]
        for instance in instances:
            instance.wait()
        proxy = Nginx(tuple(instance.port for instance in instances), static_root).start()
        tally = Tally()
        started = time.monotonic()
        people_walk(proxy.port, people, seconds, tally)
        elapsed = time.monotonic() - started
        lookups = open_codes(instances, tally.codes)
        at_once = same_answer_at_once(proxy.port, an_answer())
        return report(people, seconds, elapsed, tally, lookups, at_once)
    finally:
        if proxy:
            proxy.stop()
        for instance in instances:
            instance.remove()
        redis.remove()
        postgres.stop()
        shutil.rmtree(static_root, ignore_errors=True)


def latency(values: list[float]) -> str:
    if not values:
        return "-"
    in_ms = [value * 1000 for value in values]
    return f"{statistics.median(in_ms):.1f} / {percentile(in_ms, 99):.1f} ms"


def report(people: int, seconds: float, elapsed: float, tally: Tally, lookups: Lookups,
           at_once: list[tuple[float, str]]) -> str:
    requests = len(tally.latencies)
    errors = sum(tally.errors.values())
    cached = sum(tally.cache.get(status, 0) for status in FROM_CACHE)
    statuses = ", ".join(f"{status} {count:,}" for status, count in sorted(tally.cache.items(), key=lambda i: -i[1]))
    lines = [
        TITLE, "",
        f"Measured {dt.date.today():%Y-%m-%d} with `.venv/bin/python bench/load.py --people {people} "
        f"--seconds {seconds:g}` (run by `make bench`), on 127.0.0.0/8: nginx (deploy/nginx/wizard.conf, its page "
        "cache and per-address limits included) in front of two gunicorn instances (2 workers x 4 threads each, "
        "each keeping its latest 512 public pages) sharing a throwaway PostgreSQL and Redis. "
        f"Each of {people} people, from their own address and with no cookie, opens the start page, follows "
        "Start now and answers with the pages' GET forms (`/a/<node>?...`, a 303 to the next page) up to a random "
        f"outcome, {THINK_SECONDS[0]}-{THINK_SECONDS[1]} s between pages, then starts again. Only pages are "
        "fetched, not their stylesheet and script. Afterwards each reference code shown is opened at `/r/<code>` "
        "on an instance directly, bypassing nginx and its cache.", "",
        "| measure | value |", "|---|---|",
        f"| walks finished | {tally.walks:,} in {elapsed:.0f} s |",
        f"| requests | {requests:,} ({requests / elapsed:,.0f} a second) |",
        f"| answered from nginx's cache (X-Cache-Status HIT or STALE) | {cached:,} of {requests:,} "
        f"({cached / max(1, requests):.0%}); all statuses: {statuses or 'none'} |",
        f"| errors (no answer, or a status other than 200/303) | {errors} "
        f"({', '.join(f'{k}: {v}' for k, v in sorted(tally.errors.items())) or 'none'}) |",
        f"| latency p50 / p99, all requests | {latency(tally.latencies)} |",
        f"| latency p50 / p99, answered from nginx's cache | {latency(tally.cached_latencies)} |",
        f"| latency p50 / p99, passed to an instance (every answer, and pages not yet kept) | "
        f"{latency(tally.passed_latencies)} |",
        f"| requests that took {SLOW_SECONDS:g} s or more | {sum(tally.slow.values()):,}"
        + (f" ({', '.join(f'{k} {v:,}' for k, v in sorted(tally.slow.items(), key=lambda i: -i[1]))})"
           if tally.slow else "") + " |",
        f"| reference codes shown, and opened at `/r/<code>` on an instance directly (200, the same outcome) | "
        f"{len(tally.codes):,}, {lookups.opened:,} opened"
        + (f"; {', '.join(f'{k}: {v}' for k, v in sorted(lookups.problems.items()))}" if lookups.problems else "")
        + " |",
    ]
    lines += [
        "", f"The same answer sent by {len(at_once)} people at the same moment through nginx "
        f"(`{an_answer()}`, each from its own address), after the load: "
        + ", ".join(f"{seconds * 1000:.0f} ms" for seconds, _ in at_once)
        + f" ({', '.join(sorted({status for _, status in at_once}))}). An answer is a 303 marked no-store, so nginx "
        "never keeps it. With `proxy_cache_lock on` (an earlier deploy/nginx/wizard.conf) identical requests "
        "waited for each other, 0.5 s apart (8 at once took up to 3.5 s, and the p99 above was 504 ms); the "
        f"lock is off, and requests of {SLOW_SECONDS:g} s or more are counted in the table to show it stays so.",
    ]
    return "\n".join(lines) + "\n"


def write_section(section: str) -> None:
    text = DOC.read_text() if DOC.exists() else ""
    pattern = re.compile(rf"^{re.escape(TITLE)}\n.*?(?=^## |\Z)", re.S | re.M)
    text = pattern.sub(section + "\n", text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section
    DOC.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--no-doc", action="store_true", help="print the section; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    section = run(args.people, args.seconds)
    print(section)
    if not args.no_doc:
        write_section(section)


if __name__ == "__main__":
    main()
