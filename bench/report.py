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
from urllib.parse import parse_qsl, urlsplit

from loadgen import LOPSIDED_SHARE, MOST_ATTEMPTS
from servers import ROOT

if TYPE_CHECKING:
    from loadgen import Load

    from bench import FlowTiming, HttpResults

DOC = ROOT / "docs" / "benchmarks.md"

# Targets. HTTP ratios are wizard / bare view, in the same run; nginx's cached page is
# compared with nginx sending the same bytes as a static file, in the same round.
QUESTION_MIN_RATIO = 0.6  # a question page kept by the process (KeptPages)
NGINX_CACHED_MIN_RATIO = 0.5  # nginx's page cache / nginx's static file
STAFF_MIN_RATIO = 0.3  # a staff call page (issue 15, point 5): rendered for one agent, never kept
PAGE_MAX_BYTES = 30_000  # "30 KB", counted as 30,000 bytes
# "About linear": the cost per node at the largest size may be at most this
# many times the cost per node at the smallest generated size. A log factor
# from a deeper tree fits; quadratic growth (100x from 100 to 10,000) does not.
LINEAR_MAX_GROWTH = 2.0
# A leak, not the allocator's plateau: after the kept pages are full, a worker's memory may still
# grow while the allocator settles (pages, fragments, caches reaching their size: the first half of
# the run), but a leak keeps growing at the same rate to the end. So the check is on the SECOND half
# of the memory run: at most this much growth there, above the highest the worker had reached
# before it (a plateau may dip when the allocator hands memory back and come back up to where it
# was: that is not growth; a leak passes every earlier level). A leak of 10 bytes a request would
# add about 500 KiB over 50,000 requests; allocator noise late in a run is a few hundred KiB at most.
RSS_MAX_LATE_GROWTH_KIB = 512


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


def address(path: str) -> str:
    """A public page's address, short: `/q/which_card?` + 2 answers + `&v=...` (the notes give them in full)."""
    where = urlsplit(path)
    if not where.query:
        return f"`{where.path}`"
    answers = [name for name, _ in parse_qsl(where.query) if name not in ("v", "notice")]
    return f"`{where.path}?` + {len(answers)} answer{'s' if len(answers) != 1 else ''} + `v`"


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
        ("question", f"GET {address(http.question_path)} (question page, kept by the process)",
         QUESTION_MIN_RATIO, ""),
        ("rendered", "The same address on a server with PAGES_KEPT=0 (replayed and rendered every time)",
         None, "none: the cost of a page nobody asked for recently"),
        ("answer", f"GET {address(http.answer_path)} (an answer: the 303 to the next page)", None, ""),
        ("outcome", f"GET {address(http.outcome_path)} (outcome page with its reference code, kept by the process)",
         None, ""),
        ("staff", "GET a staff call page (logged in, 2 answers in the database)", STAFF_MIN_RATIO, ""),
        ("login floor", "Login floor: the same page's bytes behind Flask-Login, the session, 2 ORM reads and a "
         "CSRF token, no page logic", None, "none: the best a logged-in page can do on these libraries"),
        ("walk", f"Full walk: {http.walk_requests} requests, `/` to `/q/{http.walk_path.current}`", None, ""),
        ("static", "GET `/static/style.css` from the wizard's server", None, ""),
        ("nginx static", "nginx: the question page's exact bytes as a static file", None, ""),
        ("nginx cached", "nginx: the question page's address from its page cache (HIT)", None, ""),
    )
    for name, label, minimum, no_target in labelled:
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
                f">= {minimum}x" if minimum else no_target, met),
            Row(f"{label}: p50 latency", f"{statistics.median(r.p50_ms for r in results):.2f} ms", "bare view",
                spread(rounds.ratios(name, p50))),
            Row(f"{label}: p99 latency", f"{statistics.median(r.p99_ms for r in results):.2f} ms", "bare view",
                spread(rounds.ratios(name, p99))),
        ]
    return rows + comparison_rows(http, checks)


def comparison_rows(http: HttpResults, checks: list[Check]) -> list[Row]:
    """Scenarios compared with each other, round by round: nginx's cache with its static file, and a
    page kept by the process with the same page rendered."""
    rounds, rows = http.rounds, []
    cached = rounds.between("nginx cached", "nginx static", per_second)
    ok = statistics.median(cached) >= NGINX_CACHED_MIN_RATIO
    checks.append(Check(f"nginx cached page: req/s >= {NGINX_CACHED_MIN_RATIO}x nginx static file", ok,
                        f"{spread(cached)} over {len(cached)} rounds"))
    rows += [
        Row("nginx cached / nginx static: req/s", "", "nginx static, same round", spread(cached),
            f">= {NGINX_CACHED_MIN_RATIO}x", yes_no(ok)),
        Row("nginx cached / nginx static: p50 latency", "", "nginx static, same round",
            spread(rounds.between("nginx cached", "nginx static", p50))),
        Row("nginx cached / nginx static: p99 latency", "", "nginx static, same round",
            spread(rounds.between("nginx cached", "nginx static", p99))),
        Row("staff call page / login floor: req/s", "", "login floor, same round",
            spread(rounds.between("staff", "login floor", per_second)), "none: what the page's own work costs"),
        Row("question (kept) / rendered: req/s", "", "rendered, same round",
            spread(rounds.between("question", "rendered", per_second)), "none: what keeping pages saves"),
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


MEMORY_SERVERS = {"wizard": "keeps 512 pages", "rendered": "PAGES_KEPT=0, the control"}


def memory_rows(http: HttpResults, checks: list[Check]) -> list[Row]:
    rows = []
    for memory in http.memory:
        checked = memory.server == "wizard"  # the control only tells the kept pages' part from the rest
        deltas = []
        fresh, filled, *readings = memory.rss
        last, half = readings[-1], len(readings) // 2
        middle = readings[half - 1]
        for pid, before in sorted(filled.items()):
            if any(pid not in reading for reading in (fresh, *readings)):  # a worker restarted: a finding in itself
                rows.append(Row(f"Worker RSS ({MEMORY_SERVERS[memory.server]}), pid {pid}",
                                f"{before / 1024:.1f} MiB, then the worker was gone",
                                target="same workers", met=yes_no(False)))
                deltas.append(float("inf"))
                continue
            # the second half of the run, above the highest level reached before it: a leak grows here
            highest = max(reading[pid] for reading in (filled, *readings[:half]))
            late = last[pid] - highest
            deltas.append(late)
            steps = [later[pid] - earlier[pid] for earlier, later in zip([filled, *readings], readings)]
            rows.append(Row(
                f"Worker RSS ({MEMORY_SERVERS[memory.server]}), pid {pid}: before the warm-up, after the timed runs "
                f"and a fill, then every {memory.requests // len(readings):,} of {memory.requests:,} requests",
                " -> ".join(f"{reading[pid] / 1024:.1f}" for reading in (fresh, filled, *readings))
                + f" MiB (warm-up, timed runs and fill {before - fresh[pid]:+,} KiB; then "
                + ", ".join(f"{step:+,}" for step in steps) + f" KiB: first half {middle[pid] - before:+,}, "
                f"second half {last[pid] - middle[pid]:+,} KiB, {late:+,} KiB above the highest before it)",
                f"after the fill; this worker did {memory.work_share.get(pid, 0):.0%} of the work",
                f"{last[pid] / before:.3f}x",
                f"second half <= +{RSS_MAX_LATE_GROWTH_KIB:,} KiB above the highest before it" if checked
                else "none: the control",
                yes_no(late <= RSS_MAX_LATE_GROWTH_KIB) if checked else ""))
        if checked:
            worst = max(deltas, default=0)
            checks.append(Check("worker memory levels off (a plateau, not a leak)",
                                worst <= RSS_MAX_LATE_GROWTH_KIB,
                                f"largest growth in the second half of the run, above the highest level before it, {worst:+,} KiB per worker "
                                f"({memory.requests // 2:,} requests, after its kept pages were full)"))
    return rows


def page_rows(http: HttpResults, checks: list[Check]) -> list[Row]:
    rows = []
    for label, page in http.pages:
        ok = page.total_bytes <= PAGE_MAX_BYTES and not page.other_hosts
        hosts = f"{len(page.other_hosts)} other hosts" + (f" ({', '.join(page.other_hosts)})" if page.other_hosts else "")
        rows.append(Row(f"Page weight: {label} {address(page.path)}", f"{page.total_bytes / 1000:.1f} KB = {page.by_kind()}; "
                        f"{hosts}", "", f"{page.total_bytes / PAGE_MAX_BYTES:.2f}x of limit",
                        f"<= {PAGE_MAX_BYTES / 1000:.0f} KB, 0 other hosts", yes_no(ok)))
    heaviest = max((page for _, page in http.pages), key=lambda page: page.total_bytes)
    checks.append(Check("pages <= 30 KB with zero requests to other hosts",
                        all(p.total_bytes <= PAGE_MAX_BYTES and not p.other_hosts for _, p in http.pages),
                        f"heaviest {heaviest.total_bytes / 1000:.1f} KB, {address(heaviest.path)}"))
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
  range in brackets. A round runs every scenario once; bare-view runs come
  before and after every round, and each run is compared with the mean of the
  bare runs on either side of it, so a machine that slows down during the run
  (the CPUs are shared) skews the ratios less. Absolute numbers depend on the
  machine and whatever else it runs; compare ratios between runs, not req/s.
  p99 is the most sensitive to other work on the machine: a p99 ratio below 1.00x
  means the bare runs were disturbed more than the wizard runs, not that the
  wizard is faster.
- **Lopsided runs**: wrk opens its connections all at once and gunicorn's two workers
  race to accept them; now and then one worker gets nearly all of them and the run
  measures one CPU instead of two (about a third of the speed for the bare view).
  Each gunicorn run reads the workers' CPU time from `/proc`; a run where one worker
  did more than {share:.0%} of the work is run again (up to {attempts} tries). The notes
  count the reruns. (nginx runs one worker process: nothing to balance.)
- The **bare view** is a tiny Flask app (`bench/bare_app.py`) whose template renders
  to exactly the bytes of the question page, served by gunicorn with the same
  `gunicorn.conf.py`. Its template is constant: it is Flask, Jinja and gunicorn
  sending that many bytes, and nothing more.
- The **login floor** (`bench/login_floor_app.py`) serves the staff call page's exact
  bytes (a fresh CSRF token in place of the served one) behind only what a logged-in
  page must run on these libraries: Flask-Login loading the agent and checking its
  session epoch, the signed session sent again, an ORM read of the call, Flask-WTF's
  token; same gunicorn settings, SQLite. It has no target: it shows how much of the
  bare view's speed any staff page can keep, and the staff call page / login floor
  row shows what the page's own work costs.
- **Public pages are GETs whose address holds the answers** (and the content version
  `v`), with no cookie and no CSRF token, and the app marks them
  `Cache-Control: public`. Each worker process keeps its latest 512 such pages
  (`KeptPages`, a WSGI layer in front of Flask): the **question** row asks for the
  same canonical address again and again, so after the first request the process
  sends the kept bytes without running Flask, replaying the answers or rendering.
  The **rendered** row asks for the same address on a second wizard server started
  with `PAGES_KEPT=0`: every request replays the answers through the state machine
  and renders the real templates. That is what a page nobody asked for recently
  costs; it has no target. The **outcome** page is kept the same way as the question.
- The **answer** row is the request a question's form sends (`GET /a/<node>?<the other
  answers>&v=...&<node>=<option>`): never kept, since it is a 303 to the next page's
  canonical address (`no-store`). No target is set for it.
- **nginx** rows go through Debian's nginx running `deploy/nginx/wizard.conf`
  (`tests/proxy/harness.py`: plain HTTP on 127.0.0.1, one worker process, without the
  per-address request limit, which would answer most of wrk's single address with
  429) in front of the first wizard server. **nginx static** is the question page's
  exact bytes written as a file into the static folder nginx serves itself;
  **nginx cached** is the question page's address, answered from nginx's page cache
  (`proxy_cache`). Before every nginx cached run one request checks that nginx
  answers it with `X-Cache-Status: HIT` (the run fails otherwise), and the app's
  workers' CPU time during those runs is in the notes. nginx cached / nginx static
  compares the two runs of the same round.
- The **static file** row is the wizard's own static route (WhiteNoise, in front of
  KeptPages and Flask), with no page logic.
- The **full walk** replays, round robin, every request of one path as a browser sent
  them (recorded once by `bench/client.py`): the start page, its Start now link,
  then for each answer the form's GET to `/a/<node>` (a 303) and the page it leads
  to, up to the outcome. walks/s is req/s divided by the requests in a walk.
- **Flow rows**: time per node should stay about the same as flows grow; the ratio
  is time per node against the smallest generated flow. Generated flows
  (`bench/flowgen.py`) are shaped like the real one: a third questions, two thirds
  outcomes, shared "not sure" outcomes, conditions and extra blocks. Loading 10,000 nodes
  is timed once, everything else takes the best of 3. Flow times are CPU time of the
  benchmark process (`time.process_time`), so other work on the machine counts
  less than in wall time. `Engine.walk` is the replay cost
  every page not kept pays; it should not depend on the size of the flow.
- **Worker RSS** comes from `/proc/<pid>/status` for each gunicorn worker: before the
  warm-up (the tour below was recorded on the server that keeps no pages, so the other
  keeps few yet), after the timed runs and a pass that fills its kept pages and parts
  (the tour four times over), then four times during the memory run. The same run on the server with `PAGES_KEPT=0` is the
  control: what grows there is not the kept pages. The memory run replays a tour of every page a
  person can reach (every option of every question and of every outcome's carry-on
  buttons, each answer followed by the page it leads to): far more distinct pages
  than a process keeps, so the kept pages are full and keep replacing each other.
  The check tells a leak from the allocator's plateau: growth in the first half of the run
  is a one-off step (caches, kept parts, allocator arenas settling), so only the growth in
  the second half counts, and only above the highest level the worker reached before it
  (the allocator may hand memory back and take it again: a dip and a rebound to an
  earlier level is not growth, and a leak passes every earlier level), at most +512 KiB
  per worker (a leak of 10 bytes a request would add that over 50,000 requests, and
  would show in every quarter).
- **Page weight** is the HTML plus every stylesheet, script and image the page loads
  (uncompressed bodies, each counted once); links a person may follow are not loads.
  "Other hosts" lists any of those loads that is not same-origin.
"""


def describe_machine(load: Load, rounds: int) -> str:
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()[1]
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))  # the file every gunicorn here reads
    nginx = subprocess.run(["nginx", "-v"], capture_output=True, text=True).stderr.strip().split("/")[-1]
    return (f"{os.cpu_count()} CPUs, {platform.system()} {platform.release()}, Python {platform.python_version()}, "
            f"wrk {wrk_version}, gunicorn {version('gunicorn')} with `gunicorn.conf.py` "
            f"({settings.get('workers')} workers x {settings.get('threads')} threads, "
            f"{settings.get('worker_class')}), nginx {nginx} (1 worker process); timed runs: {rounds} rounds of wrk -t{load.threads} "
            f"-c{load.connections} -d{load.seconds:.0f}s, 127.0.0.1 only")


def notes(http: HttpResults, timings: list[FlowTiming]) -> list[str]:
    answers = ", ".join(f"{node}={key}" for node, key in http.walk_path.answers.items())
    real, largest = timings[0], timings[-1]
    memory = http.memory[0]
    seen = {status: http.nginx_warm_up.count(status) for status in dict.fromkeys(http.nginx_warm_up)}
    cpu, requests = http.rounds.quiet_cpu.get("nginx cached", (0.0, 0))
    return [
        f"Full walk: the longest path that passes no other outcome: {answers}.",
        f"Addresses in full: question `{http.question_path}`; answer `{http.answer_path}`; outcome "
        f"`{http.outcome_path}`; heaviest page `{max((p for _, p in http.pages), key=lambda p: p.total_bytes).path}`.",
        "Engine(flow) build with Python's cyclic garbage collector paused: "
        + ", ".join(f"{t.per_node_us(t.engine_no_gc_s):.1f}" for t in timings[1:])
        + f" µs/node for {', '.join(f'{t.nodes:,}' for t in timings[1:])} nodes (with it: "
        + ", ".join(f"{t.per_node_us(t.engine_s):.1f}" for t in timings[1:])
        + "). Growth that disappears with the collector paused is the collector scanning a larger heap "
        "of live objects, not the engine's own code.",
        walk_note(real, timings[1], largest),
        staff_floor_note(http.rounds),
        f"nginx's page cache: X-Cache-Status of the checks (a warm-up, one before each nginx cached run, one "
        f"after the last): {', '.join(f'{status} {count}' for status, count in seen.items())}. The wizard's "
        f"workers used {cpu:.2f} s of CPU in all during the nginx cached runs ({requests:,} requests: "
        f"{cpu / max(1, requests) * 1e6:.2f} µs each), so nginx answered them without the app.",
        f"Lopsided runs (one worker did over {LOPSIDED_SHARE:.0%} of the work) run again: "
        f"{len(http.rounds.reruns)} ({', '.join(http.rounds.reruns) or 'none'}).",
        f"Memory run: a tour of {memory.distinct_pages:,} distinct pages (each process keeps 512), "
        f"{memory.fill_requests:,} requests to fill the kept pages, then {memory.requests:,} "
        "(wrk stops each thread at its share); the same on the server that keeps no pages.",
        memory_note(http),
        f"Server logs: {server_log_errors()}; {http.nginx_errors}. They, and the request lists wrk "
        "replayed, are in `bench/out/` (not committed).",
    ]


def staff_floor_note(rounds) -> str:
    """Where the staff call page stands between the bare view and the login floor, from this run's numbers."""
    floor = statistics.median(rounds.ratios("login floor", per_second))
    staff = statistics.median(rounds.ratios("staff", per_second))
    share = statistics.median(rounds.between("staff", "login floor", per_second))
    reach = "below" if floor < STAFF_MIN_RATIO else "above"
    return (f"Staff call page: {staff:.2f}x bare; the login floor (the same bytes behind Flask-Login, the signed "
            f"session, the agent's and the call's ORM reads and a CSRF token, and no page logic: "
            f"bench/login_floor_app.py) is {floor:.2f}x, {reach} the {STAFF_MIN_RATIO}x target, and the page runs at "
            f"{share:.2f}x the floor: the page's own work (the Machine, the call's story, its summary, the rate limit, "
            f"the request log) takes {1 / share - 1:.1f} times as long as the libraries under it. "
            "docs/decisions/0007 says what that means for the target.")


def memory_note(http: HttpResults) -> str:
    """What the two memory runs say, from the numbers: the kept pages' share, and where growth happened."""
    def median_mib(memory, index: int) -> float:
        return statistics.median(memory.rss[index].values()) / 1024

    kept, control = http.memory
    growth = {m.server: max((m.rss[-1].get(pid, 0) - before for pid, before in m.rss[1].items()), default=0)
              for m in (kept, control)}
    last_step = max((kept.rss[-1].get(pid, 0) - kept.rss[-2].get(pid, 0) for pid in kept.rss[-2]), default=0)
    return (f"Workers that keep pages end the memory run at {median_mib(kept, -1):.1f} MiB (median), those that keep "
            f"none at {median_mib(control, -1):.1f} MiB: the kept pages (and the allocator's spare room around "
            f"them) cost about {median_mib(kept, -1) - median_mib(control, -1):.1f} MiB a worker. After the fill, "
            f"the largest growth of a worker was {growth['wizard']:+,} KiB with kept pages "
            f"({last_step:+,} KiB in the last quarter) and {growth['rendered']:+,} KiB without.")


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
