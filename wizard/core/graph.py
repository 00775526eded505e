"""The flow as a graph: where each option leads, and what follows from that.

The one parser of an option's ``next`` (a node id, or a list of branches with
``if`` conditions and ``when_sign_in`` limits) lives here. The flow builder
turns its result into the transitions Machine's transitions, and the flow
checker runs its graph checks on the same result, so the Machine is the only
router and the checker sees exactly what it will route. Everything here works
on the raw parsed content and tolerates malformed data, so the checker can
report it instead of crashing.
"""
from __future__ import annotations

import statistics
from collections import deque
from typing import Any

from wizard.core.sign_in import offered


def option_targets(option: Any, sign_in: str | None = None) -> list[tuple[str | None, str | None]]:
    """(condition, target) pairs for an option: a node id or a list of branches.

    With ``sign_in``, only the branches offered with that setting; without,
    all of them. Anything that is not a string comes back as None (a target)
    or its text (a condition), so the checks below report it instead of
    tripping over it.
    """
    branches = option if isinstance(option, list) else [{"go": option}]
    return [(as_name(branch.get("if")), as_id(branch.get("go"))) if isinstance(branch, dict) else (None, None)
            for branch in branches if offered(branch, sign_in)]


def as_id(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def as_name(value: Any) -> str | None:
    return None if value is None else str(value)


def edges(flow: dict, sign_in: str | None = None) -> dict[str, list[str]]:
    """Node id -> the node ids its options can lead to (known nodes only), with a sign-in setting or any."""
    nodes = flow["nodes"]
    return {
        node_id: [target for option in (node.get("options") or {}).values()
                  for _, target in option_targets(option, sign_in) if target in nodes]
        for node_id, node in nodes.items()
    }


def active_edges(flow: dict) -> dict[str, list[str]]:
    """The edges people can follow with the content's own `portal_sign_in`."""
    return edges(flow, flow.get("portal_sign_in"))


def walk_from(starts: list[str], graph: dict[str, list[str]]) -> set[str]:
    """Every node reachable from any of ``starts`` (iterative: flows can be deep)."""
    seen, todo = set(), list(starts)
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(graph.get(node, ()))
    return seen


def reverse(graph: dict[str, list[str]]) -> dict[str, list[str]]:
    backwards: dict[str, list[str]] = {node: [] for node in graph}
    for node, targets in graph.items():
        for target in targets:
            backwards[target].append(node)
    return backwards


def topological_order(graph: dict[str, list[str]]) -> tuple[list[str], set[str]]:
    """Nodes in an order where each comes before the nodes it leads to
    (Kahn's algorithm), and the nodes left over because they sit on or
    behind a cycle."""
    incoming = {node: 0 for node in graph}
    for targets in graph.values():
        for target in targets:
            incoming[target] += 1
    order = [node for node, count in incoming.items() if count == 0]
    for node in order:  # the list grows while we walk it
        for target in graph[node]:
            incoming[target] -= 1
            if incoming[target] == 0:
                order.append(target)
    return order, set(graph) - set(order)


def find_cycle(graph: dict[str, list[str]]) -> list[str] | None:
    """One cycle as a list of node ids (first repeated at the end), or None."""
    _, behind_or_on_cycle = topological_order(graph)
    # Of those, keep the nodes that also lead on to a cycle: each then has an
    # edge to another kept node, so following such edges must loop.
    stuck = {node: [t for t in graph[node] if t in behind_or_on_cycle] for node in behind_or_on_cycle}
    _, on_cycle = topological_order(reverse(stuck))
    if not on_cycle:
        return None
    path = [next(node for node in graph if node in on_cycle)]
    while True:
        step = next(target for target in graph[path[-1]] if target in on_cycle)
        if step in path:
            return path[path.index(step):] + [step]
        path.append(step)


def longest_path(flow: dict) -> int:
    """The most questions anyone answers on one path (the flow has no cycles)."""
    graph, nodes = active_edges(flow), flow["nodes"]
    order, _ = topological_order(graph)
    depth: dict[str, int] = {}
    for node in reversed(order):
        here = 1 if nodes[node]["type"] == "question" else 0
        depth[node] = here + max((depth[target] for target in graph[node]), default=0)
    return depth.get(flow["start"], 0)


def fewest_questions_to(flow: dict) -> dict[str, int]:
    """Node id -> the fewest questions answered on the way to it from the start (0-1 BFS)."""
    graph, nodes = active_edges(flow), flow["nodes"]
    fewest, todo = {flow["start"]: 0}, deque([flow["start"]])
    while todo:
        node = todo.popleft()
        step = 1 if nodes[node]["type"] == "question" else 0
        for target in graph[node]:
            if target not in fewest or fewest[node] + step < fewest[target]:
                fewest[target] = fewest[node] + step
                if step:
                    todo.append(target)
                else:  # no question on the way: as near as `node`, so look at it next
                    todo.appendleft(target)
    return fewest


def median_path_to_outcomes(flow: dict) -> float:
    """The median, over the reachable outcomes, of the fewest questions answered to reach each."""
    fewest = fewest_questions_to(flow)
    counts = [fewest[node_id] for node_id, node in flow["nodes"].items()
              if node["type"] == "outcome" and node_id in fewest]
    return float(statistics.median(counts)) if counts else 0.0
