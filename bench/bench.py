"""`make bench`: the wizard against a bare Flask view, flow load cost, memory, page weight.

Run through bench/run.sh (which installs wrk if missing and sets SECRET_KEY).
Everything runs on 127.0.0.1, in one run, and HTTP results are reported as
ratios to a bare Flask view measured in the same run: the machine is shared
and noisy, so absolute numbers from one day to the next mean little.

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
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the wizard package, from the repo root

import report  # noqa: E402
from client import Recorded, fetch, staff_call_page, walk  # noqa: E402
from flowgen import generate_content  # noqa: E402
from loadgen import LOPSIDED_SHARE, MOST_ATTEMPTS, Load, Result, busiest_share, run_wrk, write_request_list  # noqa: E402
from pages import PageWeight, weigh_page  # noqa: E402
from servers import ROOT, Server, cpu_ticks, rss_kib  # noqa: E402

from wizard.core.engine import Engine, Position  # noqa: E402
from wizard.core.flow import CONTENT_DIR, Flow, load_flow  # noqa: E402

OUT = ROOT / "bench" / "out"  # scratch files and server logs (git-ignored)


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
    engine_s, engine = best_time(lambda: Engine(flow), repeats)
    engine_no_gc_s, _ = without_gc(lambda: best_time(lambda: Engine(flow), repeats))
    return FlowTiming(label, len(flow.nodes), load_s, engine_s, engine_no_gc_s, median_walk_time(engine))


def measure_flows(sizes: list[int]) -> list[FlowTiming]:
    timings = [time_flow("real content", CONTENT_DIR, repeats=3)]
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix=f"flow{size}-") as scratch:
            directory = generate_content(Path(scratch), size)
            # Best of 3, except for the largest flows: one load of 10,000 nodes takes seconds.
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
            follow(engine.answer(position, position.current, key))

    follow(engine.walk({}))
    return paths


def main_walk(flow: Flow, paths: list[Position]) -> Position:
    """The longest walk that passes through no other outcome: the 'full walk' scenario."""
    direct = [p for p in paths if not any(flow.nodes[n].is_outcome for n in p.answers)]
    return max(direct, key=lambda p: len(p.answers))  # max keeps the first of equals: stable


def covering_paths(paths: list[Position]) -> list[Position]:
    """Few paths that between them take every option of every node (for the memory run)."""
    chosen, covered = [], set()
    for path in paths:
        steps = set(path.answers.items()) | {(path.current, None)}
        if not steps <= covered:
            chosen.append(path)
            covered |= steps
    return chosen


# ----------------------------------------------------------------- HTTP

@dataclass(frozen=True)
class Scenario:
    """Requests wrk replays against one server."""

    name: str
    server: Server
    requests: list[Recorded]


@dataclass
class Rounds:
    """Interleaved runs: bare, then each wizard scenario, then bare again, and so on.

    The machine is shared, so its speed drifts within a run; each wizard run is
    compared with the mean of the bare runs just before and just after it.
    """

    bare: list[Result]  # one more than the rounds: bare runs bracket every round
    app: dict[str, list[Result]]  # scenario name -> one result per round
    reruns: list[str]  # scenarios run again because one worker got (nearly) all connections

    def bare_around(self, round_index: int, value) -> float:
        return statistics.mean(value(r) for r in self.bare[round_index:round_index + 2])

    def ratios(self, name: str, value) -> list[float]:
        """Per round: the scenario's value divided by the bare runs around it."""
        return [value(result) / self.bare_around(i, value) for i, result in enumerate(self.app[name])]


def requests_file(name: str, requests: list[Recorded]) -> Path:
    return write_request_list(OUT / f"{name}.requests", requests)


def measure(scenario: Scenario, load: Load, reruns: list[str]) -> Result:
    request_list = requests_file(scenario.name, scenario.requests)
    for attempt in range(1, MOST_ATTEMPTS + 1):
        share, result = busiest_share(scenario.server, lambda: run_wrk(scenario.server.port, request_list, load))
        if result.errors:  # a refused CSRF token or a wrong cookie would make the numbers meaningless
            raise RuntimeError(f"{scenario.name}: {result.errors} errors or 4xx/5xx answers; "
                               f"see {scenario.server.log_path}")
        print(f"  {scenario.name:<9} {result.per_second:8,.0f} req/s  p50 {result.p50_ms:6.2f} ms  "
              f"p99 {result.p99_ms:6.2f} ms  busiest worker {share:4.0%}", flush=True)
        if share <= LOPSIDED_SHARE:
            break
        reruns.append(scenario.name if attempt < MOST_ATTEMPTS else f"{scenario.name} (kept lopsided)")
    return result


def measure_rounds(bare: Scenario, scenarios: list[Scenario], load: Load, rounds: int) -> Rounds:
    reruns: list[str] = []
    results = Rounds([measure(bare, load, reruns)], {s.name: [] for s in scenarios}, reruns)
    for number in range(1, rounds + 1):
        print(f" round {number} of {rounds}", flush=True)
        for scenario in scenarios:
            results.app[scenario.name].append(measure(scenario, load, reruns))
        results.bare.append(measure(bare, load, reruns))
    return results


def first_request(requests: list[Recorded], method: str, path: str) -> Recorded:
    return next(r for r in requests if r.method == method and r.path == path)


def save_bare_template(page: Recorded) -> Path:
    """The question page exactly as served, as a Jinja template that renders to the same bytes."""
    template = OUT / "bare" / "page.html"
    template.parent.mkdir(parents=True, exist_ok=True)
    template.write_text("{% raw %}" + page.response_body.decode() + "{% endraw %}", encoding="utf-8")
    return template


def check_same_size(port: int, page: Recorded) -> None:
    served = fetch(port, "GET", "/").body
    if len(served) != len(page.response_body):
        raise RuntimeError(f"bare page is {len(served)} bytes, the wizard page {len(page.response_body)}")


def run_memory_load(server: Server, requests: list[Recorded], total: int, rate: float, load: Load) -> int:
    """Send at least ``total`` requests; wrk's -d bounds only time, so size it from the measured rate."""
    request_list = requests_file("memory", requests)
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


@dataclass
class Memory:
    """Worker memory around the memory run."""

    requests: int
    rss: list[dict[int, int]]  # before, halfway and after: worker pid -> KiB
    work_share: dict[int, float]  # worker pid -> its share of the workers' CPU time in the run


def measure_memory(app: Server, requests: list[Recorded], total: int, rate: float, load: Load) -> Memory:
    pids = app.worker_pids()
    ticks = {pid: cpu_ticks(pid) for pid in pids}
    # A reading halfway tells a one-off step (caches filling) from steady growth (a leak).
    rss, sent = [worker_rss(app)], 0
    for half in (total // 2, total - total // 2):
        sent += run_memory_load(app, requests, half, rate, load)
        rss.append(worker_rss(app))
        print(f"  {sent:,} requests, worker RSS {sorted(rss[-1].values())} KiB", flush=True)
    used = {pid: cpu_ticks(pid) - ticks[pid] for pid in pids}
    return Memory(sent, rss, {pid: used[pid] / max(1, sum(used.values())) for pid in pids})


@dataclass
class HttpResults:
    rounds: Rounds
    walk_path: Position
    walk_requests: int
    question_path: str
    post_path: str
    pages: list[tuple[str, PageWeight]]  # label -> weight
    memory: Memory


def worker_rss(server: Server) -> dict[int, int]:
    return {pid: rss_kib(pid) for pid in server.worker_pids()}


def weigh_pages(app: Server, walk_requests: list[Recorded], question: Recorded,
                others: list[Recorded]) -> list[tuple[str, PageWeight]]:
    """Start, question and outcome page of the main walk, and the heaviest page of all visited."""
    weigh = lambda r: weigh_page(app.port, app.origin, r.path, r.response_body)  # noqa: E731
    # The same URL shows more or less depending on the answers (extra steps): keep its largest.
    largest: dict[str, Recorded] = {}
    for request in walk_requests + others:
        kept = largest.get(request.path)
        if request.method == "GET" and (kept is None or len(request.response_body) > len(kept.response_body)):
            largest[request.path] = request
    heaviest = max((weigh(r) for r in largest.values()), key=lambda w: w.total_bytes)
    return [("Start page", weigh(walk_requests[0])), ("Question page", weigh(question)),
            ("Outcome page", weigh(walk_requests[-1])), (f"Heaviest of {len(largest)} pages visited", heaviest)]


def record_walks(app: Server, flow: Flow, engine: Engine) -> tuple[Position, list[Recorded], list[Recorded]]:
    """The main walk's requests, and requests of walks that take every option (for the memory run)."""
    paths = outcome_paths(flow, engine)
    walk_path = main_walk(flow, paths)
    walk_requests = walk(app.port, flow.start, walk_path.answers, walk_path.current)
    coverage = [r for path in covering_paths(paths) for r in walk(app.port, flow.start, path.answers, path.current)]
    return walk_path, walk_requests, coverage


def make_agent(env: dict[str, str]) -> tuple[str, str]:
    """A staff account in the benchmark's database, made with the real CLI."""
    name, password = "bench-agent", secrets.token_hex(16)
    subprocess.run([sys.executable, "-m", "flask", "--app", "app", "staff", "add", name, "--desk", "gsc",
                    "--password-stdin"], input=password + "\n", text=True, env={**os.environ, **env}, cwd=ROOT,
                   check=True, capture_output=True)
    return name, password


def measure_http(flow: Flow, engine: Engine, load: Load, rounds: int, memory_total: int,
                 env: dict[str, str]) -> HttpResults:
    app = Server("wizard", "app:create_app()", env, OUT / "wizard-gunicorn.log")
    bare = None
    try:
        app.wait_until_serving()
        walk_path, walk_requests, coverage = record_walks(app, flow, engine)
        # The question page a person sees after two answers (the cookie holds them), and its POST.
        question_node = list(walk_path.answers)[2]
        question = first_request(walk_requests, "GET", f"/q/{question_node}")
        post = first_request(walk_requests, "POST", f"/q/{question_node}")
        pages = weigh_pages(app, walk_requests, question, coverage)

        bare = Server("bare", "bare_app:create_app()",
                      {**env, "BENCH_BARE_TEMPLATE": str(save_bare_template(question))},
                      OUT / "bare-gunicorn.log", ("--pythonpath", "bench"))
        bare.wait_until_serving()
        check_same_size(bare.port, question)
        bare_view = Scenario("bare", bare, [Recorded("GET", "/", "", "", 200, b"")])
        scenarios = [Scenario("question", app, [question]), Scenario("post", app, [post]),
                     Scenario("outcome", app, [walk_requests[-1]]),
                     Scenario("staff", app, [staff_call_page(app.port, *make_agent(env))]),
                     Scenario("walk", app, walk_requests),
                     Scenario("static", app, [Recorded("GET", "/static/style.css", "", "", 200, b"")])]

        print("Warming up both servers (imports, templates, connections)...", flush=True)
        warm_up = Load(load.threads, load.connections, 2)
        run_wrk(app.port, requests_file("warmup", coverage), warm_up)
        run_wrk(bare.port, requests_file("warmup-bare", bare_view.requests), warm_up)
        print(f"Timed runs, wrk -t{load.threads} -c{load.connections} -d{load.seconds:.0f}s each:", flush=True)
        results = measure_rounds(bare_view, scenarios, load, rounds)

        print(f"Memory: {memory_total:,} requests replaying {len(coverage)} recorded requests "
              "that take every option...", flush=True)
        walk_rate = statistics.median(r.per_second for r in results.app["walk"])
        memory = measure_memory(app, coverage, memory_total, walk_rate, load)
        return HttpResults(results, walk_path, len(walk_requests), question.path, post.path, pages, memory)
    finally:
        for server in (bare, app):
            if server:
                server.stop()


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
    # production); both servers get one made for this run instead.
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
                         report.notes(http, timings))
        print(f"\nWritten to {report.DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
