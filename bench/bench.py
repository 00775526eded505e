"""`make bench`: the wizard against a bare Flask view and nginx, flow load cost, memory, page weight.

Run through bench/run.sh (which installs wrk if missing and sets SECRET_KEY).
Everything runs on 127.0.0.1, in one run, and HTTP results are reported as
ratios to a bare Flask view measured in the same run (and nginx's cached page
as a ratio to nginx sending the same bytes as a static file): the machine is
shared and noisy, so absolute numbers from one day to the next mean little.

Servers: the wizard under gunicorn (each process keeping its latest public
pages, KeptPages), a second wizard with PAGES_KEPT=0 (every request replays
the answers and renders), the bare view, the "login floor" (the libraries a
logged-in page runs on, serving the staff call page's bytes with no page logic:
bench/login_floor_app.py), and Debian's nginx running
deploy/nginx/wizard.conf in front of the first (tests/proxy/harness.py,
without the per-address request limit: wrk sends everything from one address).

Prints one table and writes it, with the command and the date, to
docs/benchmarks.md (overwritten each run).
"""
from __future__ import annotations

import argparse
import gc
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the wizard package, from the repo root
sys.path.append(str(Path(__file__).resolve().parent.parent / "tests"))  # tests/proxy/harness.py: nginx

import login_floor_app  # noqa: E402
import report  # noqa: E402
from client import Recorded, fetch, floor_call_page, staff_call_page, tour, walk  # noqa: E402
from flowgen import generate_content  # noqa: E402
from loadgen import LOPSIDED_SHARE, MOST_ATTEMPTS, Load, Result, busiest_share, run_wrk, write_request_list  # noqa: E402
from pages import PageWeight, weigh_page  # noqa: E402
from router import router_note  # noqa: E402
from proxy.harness import Nginx  # noqa: E402
from servers import ROOT, Server, cpu_ticks, rss_kib  # noqa: E402

from wizard.core.engine import Engine, Position  # noqa: E402
from wizard.core.flow import CONTENT_DIR, Flow, load_flow  # noqa: E402

OUT = ROOT / "bench" / "out"  # scratch files and server logs (git-ignored)
STATIC_COPY = "bench-question.html"  # the question page's bytes, as a file nginx serves from the static build
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


# ----------------------------------------------------------------- flow load

@dataclass
class FlowTiming:
    """CPU seconds (this process only) for one content directory."""

    label: str
    nodes: int
    load_s: float  # load_flow: read (YAML), check, build
    engine_s: float  # Engine(flow): the transitions state machine
    engine_no_gc_s: float  # the same with Python's cyclic garbage collector paused
    walk_s: float  # one Engine.walk({}), the fixed cost every request pays

    def per_node_us(self, seconds: float) -> float:
        return seconds / self.nodes * 1e6


# CPU time of this process, not wall time: the machine is shared, and other
# processes taking the CPUs would otherwise count as our load time.
clock = time.process_time


def best_time(action, repeats: int) -> tuple[float, object]:
    """The fastest of ``repeats`` runs (the least disturbed by other work) and the last result."""
    times, result = [], None
    for _ in range(repeats):
        started = clock()
        result = action()
        times.append(clock() - started)
    return min(times), result


def without_gc(action):
    """Run ``action`` with the cyclic collector paused, to tell its cost from the code's own."""
    gc.disable()
    try:
        return action()
    finally:
        gc.enable()


def median_walk_time(engine: Engine, budget_s: float = 0.5, most: int = 200) -> float:
    """Median time of Engine.walk with no answers, over at most ``budget_s`` of calls."""
    times: list[float] = []
    deadline = clock() + budget_s
    while len(times) < most and (len(times) < 3 or clock() < deadline):
        started = clock()
        engine.walk({})
        times.append(clock() - started)
    return statistics.median(times)


def time_flow(label: str, directory: Path, repeats: int) -> FlowTiming:
    load_s, flow = best_time(lambda: load_flow(directory), repeats)
    # The machine takes well under a second even at 10,000 nodes: always the best of 3 (one run of it
    # was noise: 30.6 us/node in one run of 2026-12-03, 14-21 in four runs just after).
    engine_s, engine = best_time(lambda: Engine(flow), 3)
    engine_no_gc_s, _ = without_gc(lambda: best_time(lambda: Engine(flow), 3))
    return FlowTiming(label, len(flow.nodes), load_s, engine_s, engine_no_gc_s, median_walk_time(engine))


def measure_flows(sizes: list[int]) -> list[FlowTiming]:
    timings = [time_flow("real content", CONTENT_DIR, repeats=3)]
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix=f"flow{size}-") as scratch:
            directory = generate_content(Path(scratch), size)
            # Best of 3, except for loading the largest flows: one load of 10,000 nodes takes seconds.
            timings.append(time_flow("generated", directory, repeats=3 if size <= 1000 else 1))
        print(f"  flow of {size:,} nodes: load_flow {timings[-1].load_s:.2f} s of CPU", flush=True)
    return timings


# ----------------------------------------------------------------- paths through the flow

def outcome_paths(flow: Flow, engine: Engine) -> list[Position]:
    """Every way from the start to an outcome (depth first, through the real engine).

    Only used on the real flow, which has under a thousand such paths.
    """
    paths: list[Position] = []

    def follow(position: Position) -> None:
        node = flow.nodes[position.current]
        if node.is_outcome:
            paths.append(position)
        for key in node.options:
            follow(engine.answer(position.answers, position.current, key))

    follow(engine.walk({}))
    return paths


def main_walk(flow: Flow, paths: list[Position]) -> Position:
    """The longest walk that passes through no other outcome: the 'full walk' scenario."""
    direct = [p for p in paths if not any(flow.nodes[n].is_outcome for n in p.answers)]
    return max(direct, key=lambda p: len(p.answers))  # max keeps the first of equals: stable


# ----------------------------------------------------------------- HTTP

@dataclass(frozen=True)
class Scenario:
    """Requests wrk replays against one server (gunicorn or nginx)."""

    name: str
    port: int
    requests: list[Recorded]
    workers: Server | None = None  # the gunicorn whose workers' balance is checked (None: nginx answers)
    log_path: Path | None = None
    before: Callable[[], None] | None = None  # run before each timed run (a check)
    quiet: Server | None = None  # an app server that should do (almost) no work meanwhile: its CPU is counted


@dataclass
class Rounds:
    """Interleaved runs: bare, then each wizard scenario, then bare again, and so on.

    The machine is shared, so its speed drifts within a run; each wizard run is
    compared with the mean of the bare runs just before and just after it.
    """

    bare: list[Result]  # one more than the rounds: bare runs bracket every round
    app: dict[str, list[Result]]  # scenario name -> one result per round
    reruns: list[str]  # scenarios run again because one worker got (nearly) all connections
    quiet_cpu: dict[str, tuple[float, int]] = field(default_factory=dict)  # name -> (app CPU s, requests)

    def bare_around(self, round_index: int, value) -> float:
        return statistics.mean(value(r) for r in self.bare[round_index:round_index + 2])

    def ratios(self, name: str, value) -> list[float]:
        """Per round: the scenario's value divided by the bare runs around it."""
        return [value(result) / self.bare_around(i, value) for i, result in enumerate(self.app[name])]

    def between(self, name: str, baseline: str, value) -> list[float]:
        """Per round: one scenario's value divided by another's, measured next to it in the same round."""
        return [value(result) / value(base) for result, base in zip(self.app[name], self.app[baseline])]


def requests_file(name: str, requests: list[Recorded]) -> Path:
    return write_request_list(OUT / f"{name.replace(' ', '-')}.requests", requests)


def run_once(scenario: Scenario, request_list: Path, load: Load) -> tuple[float | None, Result]:
    if scenario.workers is None:
        return None, run_wrk(scenario.port, request_list, load)
    return busiest_share(scenario.workers, lambda: run_wrk(scenario.port, request_list, load))


def measure(scenario: Scenario, load: Load, rounds: Rounds) -> Result:
    request_list = requests_file(scenario.name, scenario.requests)
    for attempt in range(1, MOST_ATTEMPTS + 1):
        if scenario.before:
            scenario.before()
        quiet_before = app_cpu_seconds(scenario.quiet) if scenario.quiet else 0.0
        share, result = run_once(scenario, request_list, load)
        if scenario.quiet:
            seconds, requests = rounds.quiet_cpu.get(scenario.name, (0.0, 0))
            rounds.quiet_cpu[scenario.name] = (seconds + app_cpu_seconds(scenario.quiet) - quiet_before,
                                               requests + result.requests)
        if result.errors:  # a refused answer or a broken page would make the numbers meaningless
            raise RuntimeError(f"{scenario.name}: {result.errors} errors or 4xx/5xx answers; "
                               f"see {scenario.log_path}")
        balance = f"  busiest worker {share:4.0%}" if share is not None else ""
        print(f"  {scenario.name:<13} {result.per_second:8,.0f} req/s  p50 {result.p50_ms:6.2f} ms  "
              f"p99 {result.p99_ms:6.2f} ms{balance}", flush=True)
        if share is None or share <= LOPSIDED_SHARE:
            break
        rounds.reruns.append(scenario.name if attempt < MOST_ATTEMPTS else f"{scenario.name} (kept lopsided)")
    return result


def measure_rounds(bare: Scenario, scenarios: list[Scenario], load: Load, rounds: int) -> Rounds:
    results = Rounds([], {s.name: [] for s in scenarios}, [])
    results.bare.append(measure(bare, load, results))
    for number in range(1, rounds + 1):
        print(f" round {number} of {rounds}", flush=True)
        for scenario in scenarios:
            results.app[scenario.name].append(measure(scenario, load, results))
        results.bare.append(measure(bare, load, results))
    return results


def app_cpu_seconds(server: Server) -> float:
    return sum(cpu_ticks(pid) for pid in server.worker_pids()) / CLOCK_TICKS


def first_request(requests: list[Recorded], status: int, path: str) -> Recorded:
    """The first recorded request to ``path`` (any query) that was answered ``status``."""
    return next(r for r in requests if r.status == status and urlsplit(r.path).path == path)


def save_bare_template(page: Recorded) -> Path:
    """The question page exactly as served, as a Jinja template that renders to the same bytes."""
    template = OUT / "bare" / "page.html"
    template.parent.mkdir(parents=True, exist_ok=True)
    template.write_text("{% raw %}" + page.response_body.decode() + "{% endraw %}", encoding="utf-8")
    return template


def check_same_page(port: int, path: str, page: Recorded, what: str) -> None:
    served = fetch(port, "GET", path)
    if served.status != 200 or len(served.body) != len(page.response_body):
        raise RuntimeError(f"{what}: {path} answered {served.status} with {len(served.body)} bytes; "
                           f"the wizard's question page is {len(page.response_body)} bytes")


def run_memory_load(server: Server, request_list: Path, total: int, rate: float, load: Load) -> int:
    """Send at least ``total`` requests; wrk's -d bounds only time, so size it from the measured rate."""
    sent = 0
    for _ in range(10):  # each pass tops up what the last one missed (the machine may slow down)
        remaining = total - sent
        if remaining <= 0:
            break
        seconds = remaining / rate * 1.15 + 1
        result = run_wrk(server.port, request_list, Load(load.threads, load.connections, seconds), remaining)
        if result.errors:
            raise RuntimeError(f"memory run: {result.errors} errors; see {server.log_path}")
        sent += result.requests
        rate = result.requests / seconds
    return sent


MEMORY_READINGS = 4  # readings during the memory run, evenly spaced


@dataclass
class Memory:
    """Worker memory of one server around the memory run."""

    server: str  # "wizard" (keeps pages) or "rendered" (PAGES_KEPT=0: the control)
    requests: int
    fill_requests: int
    distinct_pages: int
    rss: list[dict[int, int]]  # before the warm-up, after the fill, then MEMORY_READINGS: worker pid -> KiB
    work_share: dict[int, float]  # worker pid -> its share of the workers' CPU time in the run


def measure_memory(app: Server, requests: list[Recorded], total: int, rate: float, load: Load,
                   fresh: dict[int, int]) -> Memory:
    """A pass that fills each worker's kept pages (far more distinct pages than it keeps) and its kept
    parts, then ``total`` requests with readings evenly spaced. ``fresh``: RSS before the warm-up.

    The fill is the tour four times over: the two workers share the requests, and a part (a page's steps
    for one set of extras) is kept by the worker that first renders it, so with the tour twice over
    (before 2026-12-03) a worker still met parts it had not kept until the third quarter of the run
    (+2,292 and +1,224 KiB there, then +0 and -1,136 KiB in the last): the parts filling, not a leak."""
    request_list = requests_file(f"memory-{app.name}", requests)
    rss = [fresh]
    fill = run_memory_load(app, request_list, 4 * len(requests), rate, load)
    rss.append(worker_rss(app))
    print(f"  {app.name}: {fill:,} requests to fill the kept pages, worker RSS {sorted(rss[-1].values())} KiB",
          flush=True)
    pids = app.worker_pids()
    ticks = {pid: cpu_ticks(pid) for pid in pids}
    sent = 0
    for part in range(MEMORY_READINGS):
        sent += run_memory_load(app, request_list, total * (part + 1) // MEMORY_READINGS - sent, rate, load)
        rss.append(worker_rss(app))
        print(f"  {app.name}: {sent:,} requests, worker RSS {sorted(rss[-1].values())} KiB", flush=True)
    used = {pid: cpu_ticks(pid) - ticks[pid] for pid in pids}
    distinct = len({r.path for r in requests if r.status == 200})
    return Memory(app.name, sent, fill, distinct, rss, {pid: used[pid] / max(1, sum(used.values())) for pid in pids})


@dataclass
class HttpResults:
    rounds: Rounds
    walk_path: Position
    walk_requests: int
    question_path: str
    answer_path: str
    outcome_path: str
    pages: list[tuple[str, PageWeight]]  # label -> weight
    memory: list[Memory]  # the wizard's, then the control's (PAGES_KEPT=0)
    nginx_warm_up: list[str]  # X-Cache-Status of the warm-up requests
    nginx_errors: str  # what nginx's error log held at the end


def worker_rss(server: Server) -> dict[int, int]:
    return {pid: rss_kib(pid) for pid in server.worker_pids()}


def weigh_pages(app: Server, walk_requests: list[Recorded], question: Recorded,
                others: list[Recorded]) -> list[tuple[str, PageWeight]]:
    """Start, question and outcome page of the main walk, and the heaviest page of all visited."""
    fetched: dict = {}  # subresource URL -> (bytes, what it loads): fetched once for all pages
    weigh = lambda r: weigh_page(app.port, app.origin, r.path, r.response_body, fetched)  # noqa: E731
    pages = {r.path: r for r in walk_requests + others if r.method == "GET" and r.status == 200}
    heaviest = max((weigh(r) for r in pages.values()), key=lambda w: w.total_bytes)
    return [("Start page", weigh(walk_requests[0])), ("Question page", weigh(question)),
            ("Outcome page", weigh(walk_requests[-1])), (f"Heaviest of {len(pages):,} pages visited", heaviest)]


def record_walks(app: Server, rendered: Server, flow: Flow,
                 engine: Engine) -> tuple[Position, list[Recorded], list[Recorded]]:
    """The main walk's requests, and a tour of every page a person can reach (for the memory run).

    The tour goes to the server that keeps no pages, so the measured one starts the memory run
    with its kept pages empty (the same content answers the same bytes on both).
    """
    walk_path = main_walk(flow, outcome_paths(flow, engine))
    walk_requests = walk(app.port, walk_path.answers, walk_path.current)
    every_page = tour(rendered.port, {node_id: list(node.options) for node_id, node in flow.nodes.items()})
    return walk_path, walk_requests, every_page


def make_agent(env: dict[str, str]) -> tuple[str, str]:
    """A staff account in the benchmark's database, made with the real CLI."""
    name, password = "bench-agent", secrets.token_hex(16)
    subprocess.run([sys.executable, "-m", "flask", "--app", "app", "staff", "add", name, "--desk", "gsc",
                    "--password-stdin"], input=password + "\n", text=True, env={**os.environ, **env}, cwd=ROOT,
                   check=True, capture_output=True)
    return name, password


def static_folder() -> Path:
    """Stands for /srv/wizard/: the app writes its static build into instance/static/ here, and nginx
    serves it from there (readable by nginx's www-data workers, so not under bench/out/)."""
    root = Path(tempfile.mkdtemp(prefix="wizard-bench-static-"))
    root.chmod(0o755)
    (root / "instance").mkdir(mode=0o755)
    return root


class CacheCheck:
    """nginx must answer the question's address from its cache: checked before every timed run."""

    def __init__(self, nginx: Nginx, page: Recorded):
        self.nginx, self.page = nginx, page
        self.seen: list[str] = []

    def status(self) -> str:
        response = fetch(self.nginx.port, "GET", self.page.path)
        if response.status != 200 or response.body != self.page.response_body:
            raise RuntimeError(f"nginx: {self.page.path} answered {response.status} with {len(response.body)} "
                               f"bytes, not the wizard's {len(self.page.response_body)}-byte page")
        status = response.headers.get("X-Cache-Status", "(none)")
        self.seen.append(status)
        return status

    def warm_up(self) -> None:
        """One request to fill the cache; the next must be a HIT, or the run is meaningless."""
        self.status()
        if self.status() != "HIT":
            raise RuntimeError(f"nginx did not answer {self.page.path} from its cache after a warm-up request "
                               f"(X-Cache-Status: {', '.join(self.seen)}); see {self.nginx.error_log}")

    def __call__(self) -> None:
        if self.status() != "HIT":  # kept 10 minutes (max-age=600): a long run may need it filled again
            self.warm_up()


def nginx_error_lines(nginx: Nginx) -> str:
    """nginx's error log (level info) kept in bench/out/, and how many lines in it are errors."""
    kept = OUT / "nginx-error.log"
    if nginx.error_log.exists():
        shutil.copyfile(nginx.error_log, kept)
    lines = kept.read_text(errors="replace").splitlines() if kept.exists() else []
    errors = sum(any(f"[{level}]" in line for level in ("error", "crit", "alert", "emerg")) for line in lines)
    return f"`{kept.name}` {len(lines):,} lines, {errors} at level error or worse"


def measure_http(flow: Flow, engine: Engine, load: Load, rounds: int, memory_total: int,
                 env: dict[str, str]) -> HttpResults:
    static_root = static_folder()
    public_static = static_root / "instance" / "static"
    app = Server("wizard", "app:create_app()", {**env, "STATIC_BUILD_DIR": str(public_static)},
                 OUT / "wizard-gunicorn.log")
    rendered = bare = floor = nginx = None
    try:
        app.wait_until_serving()
        # The second server renders every page: nothing kept in the process (PAGES_KEPT=0).
        rendered = Server("rendered", "app:create_app()",
                          {**env, "PAGES_KEPT": "0", "DATABASE_URL": f"sqlite:///{OUT / 'rendered.db'}",
                           "STATIC_BUILD_DIR": str(OUT / "rendered-static")}, OUT / "rendered-gunicorn.log")
        rendered.wait_until_serving()
        walk_path, walk_requests, every_page = record_walks(app, rendered, flow, engine)
        # The question page a person sees after two answers (both in its address), and the answer to it.
        question_node = list(walk_path.answers)[2]
        question = first_request(walk_requests, 200, f"/q/{question_node}")
        answer = first_request(walk_requests, 303, f"/a/{question_node}")
        outcome = walk_requests[-1]
        check_same_page(rendered.port, question.path, question, "the server with PAGES_KEPT=0")
        pages = weigh_pages(app, walk_requests, question, every_page)

        bare = Server("bare", "bare_app:create_app()",
                      {**env, "BENCH_BARE_TEMPLATE": str(save_bare_template(question))},
                      OUT / "bare-gunicorn.log", ("--pythonpath", "bench"))
        bare.wait_until_serving()
        check_same_page(bare.port, "/", question, "the bare view")

        staff_page = staff_call_page(app.port, *make_agent(env))
        floor_template = login_floor_app.save_template(staff_page.response_body, OUT / "floor")
        floor = Server("login floor", "login_floor_app:create_app()",
                       {**env, "BENCH_FLOOR_TEMPLATE": str(floor_template),
                        "BENCH_FLOOR_DATABASE_URL": f"sqlite:///{OUT / 'floor.db'}"},
                       OUT / "floor-gunicorn.log", ("--pythonpath", "bench"))
        floor.wait_until_serving("/login")
        floor_page = floor_call_page(floor.port)
        if len(floor_page.response_body) != len(staff_page.response_body):
            raise RuntimeError(f"login floor: {len(floor_page.response_body)} bytes, the staff call page "
                               f"{len(staff_page.response_body)}")

        # nginx in front of the app, without the per-address limit (wrk sends everything from one address).
        (public_static / STATIC_COPY).write_bytes(question.response_body)  # after the app wrote its build
        (public_static / STATIC_COPY).chmod(0o644)
        nginx = Nginx(app.port, static_root, rate_limited=False).start()
        check_same_page(nginx.port, f"/static/{STATIC_COPY}", question, "nginx's static copy")
        cache_check = CacheCheck(nginx, question)
        cache_check.warm_up()

        bare_view = Scenario("bare", bare.port, [Recorded("GET", "/", "", "", 200, b"")], bare, bare.log_path)
        on_app = dict(port=app.port, workers=app, log_path=app.log_path)
        scenarios = [Scenario("question", requests=[question], **on_app),
                     Scenario("rendered", rendered.port, [question], rendered, rendered.log_path),
                     Scenario("answer", requests=[answer], **on_app),
                     Scenario("outcome", requests=[outcome], **on_app),
                     Scenario("staff", requests=[staff_page], **on_app),
                     Scenario("login floor", floor.port, [floor_page], floor, floor.log_path),
                     Scenario("walk", requests=walk_requests, **on_app),
                     Scenario("static", requests=[Recorded("GET", "/static/style.css", "", "", 200, b"")],
                              **on_app),
                     Scenario("nginx static", nginx.port,
                              [Recorded("GET", f"/static/{STATIC_COPY}", "", "", 200, b"")],
                              log_path=nginx.error_log),
                     Scenario("nginx cached", nginx.port, [question], log_path=nginx.error_log,
                              before=cache_check, quiet=app)]

        fresh_rss = {server.name: worker_rss(server) for server in (app, rendered)}  # before the warm-up
        print("Warming up the servers (imports, templates, connections)...", flush=True)
        warm_up = Load(load.threads, load.connections, 2)
        run_wrk(app.port, requests_file("warmup", every_page), warm_up)
        run_wrk(rendered.port, requests_file("warmup-rendered", [question]), warm_up)
        run_wrk(bare.port, requests_file("warmup-bare", bare_view.requests), warm_up)
        run_wrk(floor.port, requests_file("warmup-floor", [floor_page]), warm_up)
        run_wrk(nginx.port, requests_file("warmup-nginx", scenarios[-2].requests + [question]), warm_up)
        print(f"Timed runs, wrk -t{load.threads} -c{load.connections} -d{load.seconds:.0f}s each:", flush=True)
        results = measure_rounds(bare_view, scenarios, load, rounds)
        cache_check()  # still a HIT after the last run

        print(f"Memory: a tour of all {len(every_page):,} requests a person can make to reach every page, "
              f"replayed to fill the kept pages, then {memory_total:,} more; the same on the server that "
              "keeps none...", flush=True)
        memory = [measure_memory(server, every_page, memory_total,
                                 statistics.median(r.per_second for r in results.app[rate_of]), load,
                                 fresh_rss[server.name])
                  for server, rate_of in ((app, "walk"), (rendered, "rendered"))]
        return HttpResults(results, walk_path, len(walk_requests), question.path, answer.path, outcome.path,
                           pages, memory, cache_check.seen, nginx_error_lines(nginx))
    finally:
        if nginx:
            nginx_error_lines(nginx)
            nginx.stop()
        for server in (floor, bare, rendered, app):
            if server:
                server.stop()
        shutil.rmtree(static_root, ignore_errors=True)


# ----------------------------------------------------------------- main

def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=4, help="length of each timed wrk run (default 4)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of timed runs (default 3)")
    parser.add_argument("--memory-requests", type=int, default=100_000, help="requests in the memory run")
    parser.add_argument("--flow-sizes", default="100,1000,10000", help="generated flow sizes, comma-separated")
    parser.add_argument("--no-doc", action="store_true", help="print the table only; leave docs/ alone")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    # A TERM (say, from a CI timeout) should still stop the servers we started:
    # turning it into SystemExit runs the `finally` that stops them.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    command = os.environ.get("BENCH_COMMAND") or " ".join(["python", "bench/bench.py", *argv])
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: run `make bench` (bench/run.sh installs it)")
    load = Load(seconds=args.seconds)
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    # Without SECRET_KEY the app writes a key to instance/ (or refuses, in
    # production); every server here gets one made for this run instead.
    env = {"SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_hex(32),
           "DATABASE_URL": f"sqlite:///{OUT / 'bench.db'}"}  # reference codes and the staff call

    print("Flow load and check times (CPU time, before any server starts)...", flush=True)
    timings = measure_flows([int(size) for size in args.flow_sizes.split(",")])
    flow = load_flow()
    http = measure_http(flow, Engine(flow), load, args.rounds, args.memory_requests, env)

    table, checks = report.build_table(http, timings)
    print()
    print(table)
    print()
    print(report.checks_summary(checks))
    if not args.no_doc:
        report.write_doc(command, report.describe_machine(load, args.rounds), table, checks,
                         [*report.notes(http, timings), router_note(flow)])
        print(f"\nWritten to {report.DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
