"""Slow clients straight at gunicorn, then at nginx in front of it: the comparison in docs/benchmarks.md.

    .venv/bin/python bench/slow_clients.py           # about 40 s; updates docs/benchmarks.md
    .venv/bin/python bench/slow_clients.py --no-doc  # print only

Runs the attack of tests/proxy/test_slow_clients.py (64 slow-header and 16 slow-body
connections, each from its own loopback address, while 200 ordinary GETs over 10 s
are timed) twice: against gunicorn alone (2 workers x 4 threads, gunicorn.conf.py),
then against Debian's nginx running deploy/nginx/wizard.conf in front of a fresh
gunicorn. Not a test: without the proxy the app stops answering, which is the point.
Everything runs on 127.0.0.0/8 and stops by itself. Needs nginx (`make nginx`).

Its section of docs/benchmarks.md is replaced on each run (appended if missing);
`make bench` runs it right after bench/bench.py rewrites the rest of that file.
"""
from __future__ import annotations

import argparse
import datetime as dt
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT)]  # tests/proxy/harness.py, and the wizard package it reads

from proxy.harness import (  # noqa: E402
    ORDINARY_PATHS,
    REQUEST_TIMEOUT,
    SLOW_BODIES,
    SLOW_HEADERS,
    TRICKLE_SECONDS,
    Gunicorn,
    Measurement,
    Nginx,
    attack_and_measure,
)

DOC = ROOT / "docs" / "benchmarks.md"
TITLE = "## Slow clients: gunicorn alone and behind nginx"
REQUESTS, SECONDS = 200, 10.0


def run(proxied: bool, folder: Path) -> tuple[Measurement, float]:
    app = Gunicorn(folder).start()
    nginx = None
    try:
        if proxied:
            nginx = Nginx(app.port).start()
        target = "nginx + gunicorn" if proxied else "gunicorn alone"
        started = time.monotonic()
        result = attack_and_measure(nginx.port if nginx else app.port, target, REQUESTS, SECONDS)
        return result, time.monotonic() - started
    finally:
        if nginx is not None:
            nginx.stop()
        app.stop()


def ms(value: float | None) -> str:
    return "-" if value is None else f"{value * 1000:.1f} ms"


def section(results: list[tuple[Measurement, float]], command: str, took: float) -> str:
    nginx_version = subprocess.run(["nginx", "-v"], capture_output=True, text=True).stderr.strip()
    gunicorn_version = subprocess.run([sys.executable, "-m", "gunicorn", "--version"],
                                      capture_output=True, text=True).stdout.strip()
    rows = "\n".join(
        f"| {r.target} | {r.succeeded}/{r.sent} = **{r.fraction:.1%}** | {ms(r.percentile(50))} | "
        f"**{ms(r.percentile(99))}** | {', '.join(f'{n} {k}' for k, n in sorted(r.failures.items())) or 'none'} | "
        f"{r.attack_connections} | {seconds:.1f} s |"
        for r, seconds in results)
    return f"""{TITLE}

Written by `bench/slow_clients.py` (issue 8, item 3); `make bench` rewrites this file, so run it again after that.

- Date: {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC; whole run {took:.0f} s
- Command: `{command}`
- Machine: {len(__import__('os').sched_getaffinity(0))} CPUs, Linux {platform.release()}, Python {platform.python_version()}, {gunicorn_version} with `gunicorn.conf.py` (2 workers x 4 threads, gthread), {nginx_version.replace('nginx version: ', '')} with `deploy/nginx/wizard.conf` (plain HTTP variant, as in tests/proxy/)
- Attack: {SLOW_HEADERS} slow-header connections (a partial GET, then a header line every {TRICKLE_SECONDS:.0f} s) and {SLOW_BODIES} slow-body POSTs (Content-Length 8000, a byte every {TRICKLE_SECONDS:.0f} s), each from its own 127.0.1.x address, reopened whenever the server closes one
- Measured: {REQUESTS} ordinary GETs ({', '.join(f'`{path}`' for path in ORDINARY_PATHS)} in turn: the start page, the first question, an answer and a static file) started evenly over {SECONDS:.0f} s while the attack runs, from 50 other loopback addresses; one fails if it is not a complete 200 (303 for the answer) within {REQUEST_TIMEOUT:.0f} s. Behind nginx the start page and the question come from its page cache once asked for; the answer always reaches the app. Latency percentiles are of the requests that succeeded.

| Target | Ordinary requests that succeeded | p50 | p99 | Failures | Slow connections opened | Attack run |
|---|---|---|---|---|---|---|
{rows}

Without the proxy every slow connection can hold one of gunicorn's 8 threads
(gunicorn 27 waits a little for data before giving a connection a thread, so
some requests still slip through between trickles). nginx reads whole requests
before passing them on, closes a header that takes more than 10 s
(`client_header_timeout`), and holds the slow connections for almost nothing.
`tests/proxy/test_slow_clients.py` asserts the proxied figure in every
`make test` (at least 99% succeed, p99 under 2 s) and writes
`test-output/slow-clients.md`.
"""


def write_section(text: str) -> None:
    doc = DOC.read_text()
    pattern = re.compile(rf"^{re.escape(TITLE)}\n.*?(?=^## |\Z)", re.S | re.M)
    doc = pattern.sub(lambda _: text + "\n", doc) if pattern.search(doc) else doc.rstrip("\n") + "\n\n" + text
    DOC.write_text(doc.rstrip("\n") + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-doc", action="store_true", help="print the section; leave docs/benchmarks.md alone")
    args = parser.parse_args()
    started = time.monotonic()
    results = []
    with tempfile.TemporaryDirectory(prefix="wizard-slow-") as folder:
        for proxied in (False, True):
            run_folder = Path(folder) / ("proxied" if proxied else "alone")
            run_folder.mkdir()
            result, seconds = run(proxied, run_folder)
            print(result.summary(), f"[{seconds:.1f} s]", flush=True)
            results.append((result, seconds))
    command = "python bench/slow_clients.py" + (" --no-doc" if args.no_doc else "")
    text = section(results, command, time.monotonic() - started)
    if args.no_doc:
        print(text)
    else:
        write_section(text)
        print(f"updated {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
