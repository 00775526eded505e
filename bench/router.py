"""The Machine as router against a plain dict walk: what the state machine costs each request.

The code review of 2026-12-02 replaced Engine.walk with a nine-line walk over the flow's dicts and found
the same answers, faster. The Machine stays the router (docs/decisions/0006-the-machine-is-the-router.md);
this measures what that costs on every path to an outcome, so the cost is watched, not assumed.
Run alone: ``PYTHONPATH=. .venv/bin/python bench/router.py``; ``make bench`` puts the line in
docs/benchmarks.md.
"""
from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Mapping
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from wizard.core.conditions import CONDITIONS  # noqa: E402
from wizard.core.engine import Engine, Position  # noqa: E402
from wizard.core.flow import Flow, load_flow  # noqa: E402


def dict_walk(flow: Flow, answers: Mapping[str, str]) -> str:
    """The review's reference: follow the answers through the flow's own dicts, no Machine."""
    node, kept = flow.start, {}
    while (key := answers.get(node)) is not None and node not in kept and key in flow.nodes[node].options:
        kept[node] = key
        for branch in flow.nodes[node].options[key]:
            if not branch.condition or CONDITIONS[branch.condition](kept):
                node = branch.target
                break
    return node


def every_path(flow: Flow, engine: Engine) -> list[Position]:
    """Every way from the start to a first outcome."""
    paths, waiting = [], [engine.walk({})]
    while waiting:
        position = waiting.pop()
        if flow.nodes[position.current].is_outcome:
            paths.append(position)
            continue  # an outcome's way on starts another story: its paths are counted from its own questions
        waiting += [engine.answer(position.answers, position.current, key) for key in engine.options_at(position.current)]
    return paths


def per_walk_us(walk, paths: list[Position], rounds: int = 15) -> float:
    """Median over rounds of the mean time of one walk over every path (process CPU time)."""
    times = []
    for _ in range(rounds):
        started = time.process_time()
        for position in paths:
            walk(position.answers)
        times.append((time.process_time() - started) / len(paths))
    return statistics.median(times) * 1e6


def router_note(flow: Flow) -> str:
    engine = Engine(flow)
    paths = every_path(flow, engine)
    assert all(dict_walk(flow, p.answers) == engine.walk(p.answers).current for p in paths), "the walks disagree"
    machine = per_walk_us(engine.walk, paths)
    plain = per_walk_us(lambda answers: dict_walk(flow, answers), paths)
    return (f"Router: `Engine.walk` (the transitions Machine) took {machine:.1f} µs a walk over the {len(paths):,} "
            f"paths to an outcome, a plain dict walk {plain:.1f} µs ({machine / plain:.1f}x), both giving the same "
            f"node on every path (bench/router.py; set it beside a rendered page's time per request in the table).")


if __name__ == "__main__":
    print(router_note(load_flow()))
