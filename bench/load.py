"""A bounded load test: simulated people walking full paths through nginx to two app instances.

    .venv/bin/python bench/load.py                 # 200 people for 60 s; updates docs/benchmarks.md
    .venv/bin/python bench/load.py --people 50 --seconds 10 --no-doc

Everything is real and on loopback: a throwaway PostgreSQL and Redis (Debian's
packages, as the tests start them), two gunicorn instances sharing them (2
workers x 4 threads each), and Debian's nginx running deploy/nginx/wizard.conf
in front of both. Each person, from their own loopback address, opens the first
question and answers their way to an outcome chosen at random from
tests/routes.py, pausing a little between pages like a person, then starts
again until the time is up. Afterwards every reference code a person was shown
is looked for in the database. Stops by itself; run by `make bench`.
"""
from __future__ import annotations

import argparse
import datetime as dt
import http.client
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "service"), str(ROOT)]

from instances import Instance  # noqa: E402
from pg_server import PostgresServer  # noqa: E402
from proxy.harness import Nginx  # noqa: E402
from redis_server import RedisServer  # noqa: E402
from routes import OUTCOMES, TO  # noqa: E402

DOC = ROOT / "docs" / "benchmarks.md"
TITLE = "## Load: simulated people through nginx to two instances"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
CODE = re.compile(r'href="/r/([0-9A-Z]{8})"')
THINK_SECONDS = (0.3, 1.0)  # a person reads a page before answering


@dataclass
class Tally:
    """What all the people saw, gathered under one lock."""

    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    walks: int = 0
    codes: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def request(self, seconds: float, problem: str | None) -> None:
        with self.lock:
            self.latencies.append(seconds)
            if problem:
                self.errors[problem] = self.errors.get(problem, 0) + 1

    def walked(self, code: str | None) -> None:
        with self.lock:
            self.walks += 1
            if code:
                self.codes.add(code)


class Person:
    """One browser: a cookie, its own loopback address, and pages read at human pace."""

    def __init__(self, port: int, address: str, tally: Tally):
        self.port, self.address, self.tally = port, address, tally
        self.cookie = ""

    def send(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, str, str]:
        headers = {"Cookie": self.cookie} if self.cookie else {}
        body = urlencode(form) if form else None
        if body:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.monotonic()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10,
                                                    source_address=(self.address, 0))
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode(errors="replace")
            connection.close()
        except OSError as error:
            self.tally.request(time.monotonic() - started, type(error).__name__)
            return 0, "", ""
        for header in response.headers.get_all("Set-Cookie") or []:
            if header.startswith("triage="):
                self.cookie = header.split(";", 1)[0]
        problem = None if response.status in (200, 303) else f"HTTP {response.status}"
        self.tally.request(time.monotonic() - started, problem)
        return response.status, text, response.headers.get("Location", "")

    def walk(self, answers: list[tuple[str, str]]) -> None:
        status, page, _ = self.send("GET", "/q/topic")
        for node, option in answers:
            time.sleep(random.uniform(*THINK_SECONDS))
            token = CSRF.search(page)
            if status != 200 or not token:
                return
            status, _, location = self.send("POST", f"/q/{node}", {"csrf_token": token.group(1), "choice": option})
            if status != 303:
                return
            status, page, _ = self.send("GET", urlsplit(location).path)
        code = CODE.search(page)
        self.tally.walked(code.group(1) if code else None)


def routes() -> list[list[tuple[str, str]]]:
    return [[*TO[question].items(), (question, option)] for question, option in OUTCOMES.values()]


def people_walk(port: int, people: int, seconds: float, tally: Tally) -> None:
    deadline = time.monotonic() + seconds
    paths = routes()

    def live(number: int) -> None:
        person = Person(port, f"127.0.{6 + number // 250}.{number % 250 + 1}", tally)
        while time.monotonic() < deadline:
            person.cookie = ""  # a new person each walk: nothing carried over
            person.walk(random.choice(paths))

    threads = [threading.Thread(target=live, args=(number,), daemon=True) for number in range(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)


def codes_found(postgres: PostgresServer, database: str, codes: set[str]) -> int:
    with postgres.connect(database) as connection:
        rows = connection.execute("SELECT code FROM reference_code WHERE code = ANY(%s)", (list(codes),)).fetchall()
    return len(rows)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


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
        found = codes_found(postgres, "wizard_load", tally.codes)
        return report(people, seconds, elapsed, tally, found)
    finally:
        if proxy:
            proxy.stop()
        for instance in instances:
            instance.remove()
        redis.remove()
        postgres.stop()


def report(people: int, seconds: float, elapsed: float, tally: Tally, found: int) -> str:
    requests = len(tally.latencies)
    errors = sum(tally.errors.values())
    latencies_ms = [value * 1000 for value in tally.latencies]
    lines = [
        TITLE, "",
        f"Measured {dt.date.today():%Y-%m-%d} with `.venv/bin/python bench/load.py --people {people} "
        f"--seconds {seconds:g}` (run by `make bench`), on 127.0.0.0/8: nginx (deploy/nginx/wizard.conf) in front of "
        "two gunicorn instances (2 workers x 4 threads each) sharing a throwaway PostgreSQL and Redis. "
        f"Each of {people} people walks a full path to a random outcome from their own address, "
        f"{THINK_SECONDS[0]}-{THINK_SECONDS[1]} s between pages, then starts again.", "",
        "| measure | value |", "|---|---|",
        f"| walks finished | {tally.walks:,} in {elapsed:.0f} s |",
        f"| requests | {requests:,} ({requests / elapsed:,.0f} a second) |",
        f"| errors (no answer, or a status other than 200/303) | {errors} "
        f"({', '.join(f'{k}: {v}' for k, v in sorted(tally.errors.items())) or 'none'}) |",
        f"| latency p50 / p99 | {statistics.median(latencies_ms):.1f} / {percentile(latencies_ms, 99):.1f} ms |",
        f"| reference codes shown, and found in the database afterwards | {len(tally.codes):,}, {found:,} found |",
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
