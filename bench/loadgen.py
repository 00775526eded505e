"""Run wrk with bench/replay.lua and read back its JSON summary."""
from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from client import Recorded
from servers import HOST, Server, cpu_ticks

REPLAY_SCRIPT = Path(__file__).resolve().parent / "replay.lua"

# wrk opens all its connections at once, and gunicorn's workers race to accept
# them: now and then one worker takes (nearly) all of them and the run measures
# one CPU instead of two. Such a run says nothing about the app, so it is run again.
LOPSIDED_SHARE = 0.75  # the busiest worker did more than this share of the workers' CPU time
MOST_ATTEMPTS = 6  # it happens in about a third of the runs on 2 CPUs


def busiest_share(server: Server, action) -> tuple[float, object]:
    """Run ``action``; return the busiest worker's share of the workers' CPU time, and its result."""
    pids = server.worker_pids()
    before = {pid: cpu_ticks(pid) for pid in pids}
    result = action()
    used = [cpu_ticks(pid) - before[pid] for pid in pids]
    return max(used) / max(1, sum(used)), result


@dataclass(frozen=True)
class Load:
    """How hard to push: kept small, the server shares 2 cores with wrk."""

    threads: int = 2
    connections: int = 16
    seconds: float = 4.0


@dataclass(frozen=True)
class Result:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int  # socket errors and 4xx/5xx answers; any of them makes a run invalid

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


def write_request_list(path: Path, requests: list[Recorded]) -> Path:
    """The tab-separated list replay.lua reads (method, path and query, cookie, body)."""
    lines = [f"{r.method}\t{r.path}\t{r.cookie}\t{r.body}" for r in requests]
    if any("\t" in field or "\n" in field for r in requests for field in (r.path, r.cookie, r.body)):
        raise ValueError("a recorded request contains a tab or newline; replay.lua cannot read it")
    path.write_text("\n".join(lines) + "\n")
    return path


def run_wrk(port: int, request_list: Path, load: Load, limit: int | None = None) -> Result:
    """Replay the requests in ``request_list`` against 127.0.0.1:port under ``load``."""
    env = {**os.environ, "BENCH_REQUESTS": str(request_list)}
    if limit is not None:
        env["BENCH_LIMIT_PER_THREAD"] = str(math.ceil(limit / load.threads))
    command = [shutil.which("wrk") or "wrk", f"-t{load.threads}", f"-c{load.connections}",
               f"-d{max(1, round(load.seconds))}s", "--timeout", "10s", "-s", str(REPLAY_SCRIPT),
               f"http://{HOST}:{port}/"]
    finished = subprocess.run(command, env=env, capture_output=True, text=True)
    if finished.returncode != 0:
        raise RuntimeError(f"wrk failed ({finished.returncode}): {finished.stderr.strip() or finished.stdout.strip()}")
    output = finished.stdout
    summary = json.loads(next(line for line in output.splitlines()
                              if line.startswith("BENCH_JSON ")).removeprefix("BENCH_JSON "))
    errors = sum(summary[name] for name in ("connect_errors", "read_errors", "write_errors",
                                            "status_errors", "timeouts"))
    return Result(summary["requests"], summary["duration_us"] / 1e6, summary["p50_us"] / 1000,
                  summary["p99_us"] / 1000, errors)
