"""Turn the measurements into one table, the target checks, and docs/benchmarks.md."""
from __future__ import annotations

import datetime
import os
import platform
import runpy
import statistics
import subprocess
from dataclasses import dataclass
from importlib.metadata import version
from typing import TYPE_CHECKING

from loadgen import LOPSIDED_SHARE, MOST_ATTEMPTS
from servers import ROOT

if TYPE_CHECKING:
    from loadgen import Load

    from bench import FlowTiming, HttpResults

DOC = ROOT / "docs" / "benchmarks.md"

# Targets from the issue. HTTP ratios are wizard / bare view, in the same run.
QUESTION_MIN_RATIO = 0.8
POST_MIN_RATIO = 0.6
PAGE_MAX_BYTES = 30_000  # "30 KB", counted as 30,000 bytes
# "About linear": the cost per node at the largest size may be at most this
# many times the cost per node at the smallest generated size. A log factor
# from a deeper tree fits; quadratic growth (100x from 100 to 10,000) does not.
LINEAR_MAX_GROWTH = 2.0
# "No growth" of worker memory: allocator noise is a few hundred KiB; a leak of
# 10 bytes a request would add about 1 MiB over 100,000 requests.
RSS_MAX_GROWTH_KIB = 1024


@dataclass
class Row:
    measure: str
    result: str
    baseline: str = ""
    ratio: str = ""
    target: str = ""
    met: str = ""


@dataclass
class Check:
    """One target from the issue and whether this run met it."""

    name: str
    met: bool
    detail: str


def yes_no(met: bool) -> str:
    return "yes" if met else "**no**"


def spread(values: list[float], unit: str = "x") -> str:
    """'0.62x (0.55-0.70)': the median, and the range over the rounds."""
    return f"{statistics.median(values):.2f}{unit} ({min(values):.2f}-{max(values):.2f})"


def format_seconds(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.1f} ms"
    if seconds >= 1e-5:
        return f"{seconds * 1e6:.0f} µs"
    return f"{seconds * 1e6:.1f} µs"


# ----------------------------------------------------------------- rows

def per_second(result) -> float:
    return result.per_second


def p50(result) -> float:
    return result.p50_ms


def p99(result) -> float:
    return result.p99_ms


def http_rows(http: HttpResults, checks: list[Check]) -> list[Row]:
    rounds = http.rounds
    bare_rps = [r.per_second for r in rounds.bare]
    rows = [Row("Bare Flask view, same-size template: req/s",
                f"{statistics.median(bare_rps):,.0f} ({min(bare_rps):,.0f}-{max(bare_rps):,.0f} over "
                f"{len(bare_rps)} runs)", "", "1.00x"),
            Row("Bare Flask view: p50 / p99 latency",
                f"{statistics.median(r.p50_ms for r in rounds.bare):.2f} / "
                f"{statistics.median(r.p99_ms for r in rounds.bare):.2f} ms")]
    labelled = (
        ("question", f"GET `{http.question_path}` (question page, 2 answers in cookie)", QUESTION_MIN_RATIO),
        ("post", f"POST `{http.post_path}` (answer + CSRF token, the 303 itself)", POST_MIN_RATIO),
        ("outcome", f"GET `/q/{http.walk_path.current}` (outcome page with its reference code)", None),
        ("staff", "GET a staff call page (logged in, 2 answers in the database)", None),
        ("walk", f"Full walk: {http.walk_requests} requests, `/` to `/q/{http.walk_path.current}`", None),
        ("static", "GET `/static/style.css` from the wizard's server (ceiling)", None),
    )
    for name, label, minimum in labelled:
        results = rounds.app[name]
        rps_ratios = rounds.ratios(name, per_second)
        rps = statistics.median(r.per_second for r in results)
        walks = f" = {rps / http.walk_requests:,.0f} walks/s" if name == "walk" else ""
        met = ""
        if minimum is not None:
            ok = statistics.median(rps_ratios) >= minimum
            met = yes_no(ok)
            checks.append(Check(f"{label.split(' (')[0]}: req/s >= {minimum}x bare", ok,
                                f"{spread(rps_ratios)} over {len(results)} rounds"))
        rows += [
            Row(f"{label}: req/s", f"{rps:,.0f}{walks}", "bare view", spread(rps_ratios),
                f">= {minimum}x" if minimum else "", met),
            Row(f"{label}: p50 latency", f"{statistics.median(r.p50_ms for r in results):.2f} ms", "bare view",
                spread(rounds.ratios(name, p50))),
            Row(f"{label}: p99 latency", f"{statistics.median(r.p99_ms for r in results):.2f} ms", "bare view",
                spread(rounds.ratios(name, p99))),
        ]
    return rows


FLOW_MEASURES = (
    # (what, FlowTiming attribute, checked for linear growth)
    ("load_flow (read + check + build)", "load_s", True),
    ("Engine(flow) build", "engine_s", True),
    ("Engine.walk with no answers, paid by every request", "walk_s", False),
)


def flow_rows(timings: list[FlowTiming], checks: list[Check]) -> list[Row]:
    real, smallest, largest = timings[0], timings[1], timings[-1]  # timings[1]: smallest generated
    rows = []
    for what, attribute, linear in FLOW_MEASURES:
        base_seconds = getattr(smallest, attribute)
        base_per_node = smallest.per_node_us(base_seconds)
        for timing in timings:
            seconds = getattr(timing, attribute)
            label = f"{what}: {timing.label} ({timing.nodes:,} nodes)"
            checked = linear and timing is not real and timing is not smallest
            if linear:
                growth = timing.per_node_us(seconds) / base_per_node
                rows.append(Row(label, f"{format_seconds(seconds)} = {timing.per_node_us(seconds):,.1f} µs/node",
                                f"{base_per_node:,.1f} µs/node at {smallest.nodes:,}", f"{growth:.2f}x per node",
                                f"<= {LINEAR_MAX_GROWTH:.0f}x per node" if checked else "",
                                yes_no(growth <= LINEAR_MAX_GROWTH) if checked else ""))
            else:  # a cost per request: ideally independent of the flow's size
                rows.append(Row(label, format_seconds(seconds), f"{format_seconds(base_seconds)} at {smallest.nodes:,}",
                                f"{seconds / base_seconds:.2f}x", "flat (no target in the issue)"
                                if timing is largest else ""))
        if linear and largest is not smallest:
            growth = largest.per_node_us(getattr(largest, attribute)) / base_per_node
            checks.append(Check(f"{what} grows about linearly", growth <= LINEAR_MAX_GROWTH,
                                f"{growth:.2f}x per node from {smallest.nodes:,} to {largest.nodes:,} nodes"))
    return rows


def memory_rows(http: HttpResults, checks: list[Check]) -> list[Row]:
    memory = http.memory
    rows, deltas = [], []
    first, halfway, last = memory.rss
    for pid, before in sorted(first.items()):
        if pid not in halfway or pid not in last:  # a worker restarted: a finding in itself
            rows.append(Row(f"Worker RSS, pid {pid}", f"{before / 1024:.1f} MiB, then the worker was gone",
                            target="same workers", met=yes_no(False)))
            deltas.append(float("inf"))
            continue
        delta = last[pid] - before
        deltas.append(delta)
        rows.append(Row(f"Worker RSS, pid {pid}: before, halfway and after {memory.requests:,} requests",
                        f"{before / 1024:.1f} -> {halfway[pid] / 1024:.1f} -> {last[pid] / 1024:.1f} MiB "
                        f"({delta:+,} KiB; second half {last[pid] - halfway[pid]:+,} KiB)",
                        f"after warm-up; this worker did {memory.work_share.get(pid, 0):.0%} of the work",
                        f"{last[pid] / before:.3f}x", f"<= +{RSS_MAX_GROWTH_KIB:,} KiB",
                        yes_no(delta <= RSS_MAX_GROWTH_KIB)))
    worst = max(deltas, default=0)
    checks.append(Check("worker memory does not grow", worst <= RSS_MAX_GROWTH_KIB,
                        f"largest change {worst:+,} KiB per worker over {memory.requests:,} requests"))
    return rows


def page_rows(http: HttpResults, checks: list[Check]) -> list[Row]:
    rows = []
    for label, page in http.pages:
        ok = page.total_bytes <= PAGE_MAX_BYTES and not page.other_hosts
        hosts = f"{len(page.other_hosts)} other hosts" + (f" ({', '.join(page.other_hosts)})" if page.other_hosts else "")
        rows.append(Row(f"Page weight: {label} `{page.path}`", f"{page.total_bytes / 1000:.1f} KB = {page.by_kind()}; "
                        f"{hosts}", "", f"{page.total_bytes / PAGE_MAX_BYTES:.2f}x of limit",
                        f"<= {PAGE_MAX_BYTES / 1000:.0f} KB, 0 other hosts", yes_no(ok)))
    heaviest = max((page for _, page in http.pages), key=lambda page: page.total_bytes)
    checks.append(Check("pages <= 30 KB with zero requests to other hosts",
                        all(p.total_bytes <= PAGE_MAX_BYTES and not p.other_hosts for _, p in http.pages),
                        f"heaviest {heaviest.total_bytes / 1000:.1f} KB, `{heaviest.path}`"))
    return rows


def markdown_table(rows: list[Row]) -> str:
    lines = ["| Measure | Result | Baseline | Ratio | Target | Met |", "|---|---|---|---|---|---|"]
    lines += [f"| {r.measure} | {r.result} | {r.baseline} | {r.ratio} | {r.target} | {r.met} |" for r in rows]
    return "\n".join(lines)


def build_table(http: HttpResults, timings: list[FlowTiming]) -> tuple[str, list[Check]]:
    checks: list[Check] = []
    rows = [*http_rows(http, checks), *flow_rows(timings, checks), *memory_rows(http, checks),
            *page_rows(http, checks)]
    return markdown_table(rows), checks


def checks_summary(checks: list[Check]) -> str:
    return "\n".join(f"{'MET    ' if c.met else 'NOT MET'}  {c.name} ({c.detail})" for c in checks)


# ----------------------------------------------------------------- the document

HOW_TO_READ = """\
- **HTTP ratios** are the wizard divided by the bare Flask view, measured in this
  same run: for req/s higher is better (1.00x = as fast as bare), for latency lower
  is better (2.00x = twice as slow). Each is the median over the rounds, with the
  range in brackets. A round runs every wizard scenario once; bare-view runs come
  before and after every round, and each wizard run is compared with the mean of the
  bare runs on either side of it, so a machine that slows down during the run
  (the CPUs are shared) skews the ratios less. Absolute numbers depend on the
  machine and whatever else it runs; compare ratios between runs, not req/s.
  p99 is the most sensitive to other work on the machine: a p99 ratio below 1.00x
  means the bare runs were disturbed more than the wizard runs, not that the
  wizard is faster.
- **Lopsided runs**: wrk opens its connections all at once and gunicorn's two workers
  race to accept them; now and then one worker gets nearly all of them and the run
  measures one CPU instead of two (about a third of the speed for the bare view).
  Each run reads the workers' CPU time from `/proc`; a run where one worker did more
  than {share:.0%} of the work is run again (up to {attempts} tries). The notes count
  the reruns.
- The **bare view** is a tiny Flask app (`bench/bare_app.py`) whose template renders
  to exactly the bytes of the question page, served by gunicorn with the same
  `gunicorn.conf.py`. Its template is constant, so the gap to it is all of the
  wizard's own work per request: reading and signing the session cookie, replaying
  the answers through the state machine, the CSRF token, rendering the real
  templates (layout, includes, loops, escaping), headers and the request log.
- The **static file** row (the wizard's own Flask static route) was meant as the
  ceiling: what the same server does with no page logic. It goes through Flask's
  `send_file` and every after-request hook, so it is not necessarily faster than the
  bare view.
- The **full walk** replays, round robin, every request of one path (start page,
  first question, then each answer POST and the page it leads to, up to the outcome),
  each with the session cookie and CSRF token a browser had at that step (recorded
  once by `bench/client.py`). walks/s is req/s divided by the requests in a walk.
- **Flow rows**: time per node should stay about the same as flows grow; the ratio
  is time per node against the smallest generated flow. Generated flows
  (`bench/flowgen.py`) are shaped like the real one: a third questions, two thirds
  outcomes, shared "not sure" outcomes, conditions and extra blocks. 10,000 nodes are
  timed once, smaller flows take the best of 3. Flow times are CPU time of the
  benchmark process (`time.process_time`), so other work on the machine counts
  less than in wall time. `Engine.walk` is the replay cost
  every request pays; the issue sets no target for it, but it should not depend on
  the size of the flow.
- **Worker RSS** comes from `/proc/<pid>/status` for each gunicorn worker: after the
  warm-up and timed runs, halfway through the memory run and after it. The memory
  run replays walks that between them take every option of every question and reach
  every outcome. Growth in the first half only is a one-off step (caches, allocator
  arenas); growth in both halves would be a leak.
- **Page weight** is the HTML plus every stylesheet, script and image the page loads
  (uncompressed bodies, each counted once); links a person may follow are not loads.
  "Other hosts" lists any of those loads that is not same-origin.
"""


def describe_machine(load: Load, rounds: int) -> str:
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()[1]
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))  # the file both servers read
    return (f"{os.cpu_count()} CPUs, {platform.system()} {platform.release()}, Python {platform.python_version()}, "
            f"wrk {wrk_version}, gunicorn {version('gunicorn')} with `gunicorn.conf.py` "
            f"({settings.get('workers')} workers x {settings.get('threads')} threads, "
            f"{settings.get('worker_class')}); timed runs: {rounds} rounds of wrk -t{load.threads} "
            f"-c{load.connections} -d{load.seconds:.0f}s, 127.0.0.1 only")


def notes(http: HttpResults, timings: list[FlowTiming]) -> list[str]:
    answers = ", ".join(f"{node}={key}" for node, key in http.walk_path.answers.items())
    real, largest = timings[0], timings[-1]
    return [
        f"Full walk: the longest path that passes no other outcome: {answers}.",
        "Engine(flow) build with Python's cyclic garbage collector paused: "
        + ", ".join(f"{t.per_node_us(t.engine_no_gc_s):.1f}" for t in timings[1:])
        + f" µs/node for {', '.join(f'{t.nodes:,}' for t in timings[1:])} nodes (with it: "
        + ", ".join(f"{t.per_node_us(t.engine_s):.1f}" for t in timings[1:])
        + "). Growth that disappears with the collector paused is the collector scanning a larger heap "
        "of live objects, not the engine's own code.",
        walk_note(real, timings[1], largest),
        f"Lopsided runs (one worker did over {LOPSIDED_SHARE:.0%} of the work) run again: "
        f"{len(http.rounds.reruns)} ({', '.join(http.rounds.reruns) or 'none'}).",
        f"Memory run: {http.memory.requests:,} requests (wrk stops each thread at its share).",
        f"Server logs: {server_log_errors()}. They, and the request lists wrk replayed, are in "
        "`bench/out/` (not committed).",
    ]


def walk_note(real: FlowTiming, smallest: FlowTiming, largest: FlowTiming) -> str:
    """Whether the replay cost every request pays depends on the flow's size, from the numbers."""
    growth = largest.walk_s / smallest.walk_s
    verdict = ("so every request pays more as the flow grows" if growth > LINEAR_MAX_GROWTH
               else "so it does not depend on the size of the flow")
    return (f"`Engine.walk` with no answers took {format_seconds(real.walk_s)} on the real flow ({real.nodes} "
            f"nodes), {format_seconds(smallest.walk_s)} on {smallest.nodes:,} and {format_seconds(largest.walk_s)} "
            f"on {largest.nodes:,} nodes ({growth:.2f}x), {verdict}.")


def server_log_errors() -> str:
    """How many error lines and tracebacks the servers logged: any would mean a broken run."""
    counts = []
    for log in sorted((ROOT / "bench" / "out").glob("*-gunicorn.log")):
        lines = log.read_text(errors="replace").splitlines()
        errors = sum(" ERROR " in line or line.startswith("Traceback") for line in lines)
        counts.append(f"`{log.name}` {len(lines):,} lines, {errors} errors or tracebacks")
    return "; ".join(counts) or "none found"


def write_doc(command: str, machine: str, table: str, checks: list[Check], extra: list[str]) -> None:
    now = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    targets = "\n".join(f"- [{'x' if c.met else ' '}] {c.name}: {'met' if c.met else '**not met**'} ({c.detail})"
                        for c in checks)
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(
        "# Benchmarks\n\n"
        "Written by `make bench` (`bench/bench.py`); every run overwrites this file.\n\n"
        f"- Date: {now}\n- Command: `{command}`\n- Machine: {machine}\n\n"
        f"## Targets: {sum(c.met for c in checks)} of {len(checks)} met\n\n{targets}\n\n"
        f"## Results\n\n{table}\n\n"
        f"## How to read this\n\n{HOW_TO_READ.format(share=LOPSIDED_SHARE, attempts=MOST_ATTEMPTS)}\n"
        "## Notes from this run\n\n" + "\n".join(f"- {line}" for line in extra) + "\n",
        encoding="utf-8")
