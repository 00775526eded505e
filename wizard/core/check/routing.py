"""Checks on the routing in flow.yaml: shape, nodes, options, where each leads, outcomes and their desks."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TYPE_CHECKING

from wizard.core.conditions import CONDITIONS
from wizard.core.graph import as_id, edges, find_cycle, option_targets, reverse, walk_from
from wizard.core.sign_in import SIGN_IN_SETTINGS
from wizard.core.check.problems import (
    IDENTIFIER,
    KINDS,
    NODE_TYPES,
    Problem,
    RESERVED_NAMES,
    TEXT_PARTS,
    is_mapping_of_names,
    lookup,
)

if TYPE_CHECKING:
    from wizard.core.flow import RawContent


def check_shape(raw: RawContent) -> Iterator[Problem]:
    """The basic shape every other check relies on: mappings where mappings belong."""
    flow = raw.flow if isinstance(raw.flow, dict) else {}
    nodes = flow.get("nodes")
    if not isinstance(nodes, dict) or not nodes:
        yield Problem("flow.yaml", None, "needs a `nodes:` mapping with at least one node")
        nodes = {}
    elif as_id(flow.get("start")) not in nodes:
        yield Problem("flow.yaml", None, f"`start: {flow.get('start')}` is not a node")
    for node_id, node in nodes.items():
        yield from check_node_shape(str(node_id), node)
    for name in ("contacts", "sources"):
        if not isinstance(getattr(raw, name), dict):
            yield Problem(f"{name}.yaml", None, "must be a mapping of ids")
    fallback = as_id(flow.get("fallback_contact"))
    if not (isinstance(raw.contacts, dict) and "phone" in (raw.contacts.get(fallback) or {})):
        yield Problem("flow.yaml", None, f"`fallback_contact: {fallback}` must be a contact with a phone number")
    portal = as_id(flow.get("portal_contact"))
    if not (isinstance(raw.contacts, dict) and lookup(raw.contacts, portal, "web")):
        yield Problem("flow.yaml", None, f"`portal_contact: {portal}` must be a contact with a web address")
    if flow.get("portal_sign_in") not in SIGN_IN_SETTINGS:
        yield Problem("flow.yaml", None, f"`portal_sign_in` must be one of {', '.join(SIGN_IN_SETTINGS)}")
    if not isinstance(flow.get("notes") or {}, dict):
        yield Problem("flow.yaml", None, "`notes` must map note ids to their `sources`")
    if not (isinstance(raw.addresses, list) and all(isinstance(entry, dict) for entry in raw.addresses)):
        yield Problem("addresses.yaml", None, "must be a list of {url: ...} or {host: ...} entries")
    if "en" not in raw.texts:
        yield Problem("text/en.yaml", None, "is missing: English wording is required")
    for language, text in raw.texts.items():
        if not isinstance(text, dict) or not all(isinstance(text.get(part) or {}, dict) for part in TEXT_PARTS):
            yield Problem(f"text/{language}.yaml", None, f"must be a mapping with mappings {', '.join(TEXT_PARTS)}")


def check_node_shape(node_id: str, node: Any) -> Iterator[Problem]:
    if not isinstance(node, dict) or node.get("type") not in NODE_TYPES:
        yield Problem("flow.yaml", node_id, "needs `type: question` or `type: outcome`")
    elif not isinstance(node.get("options") or {}, dict):
        yield Problem("flow.yaml", node_id, "`options` must map option keys to next nodes")
    elif not all(isinstance(node.get(part) or [], list) for part in ("contacts", "sources", "notes")):
        yield Problem("flow.yaml", node_id, "`contacts`, `sources` and `notes` must be lists of ids")
    elif not is_mapping_of_names(node.get("extra_when") or {}):
        yield Problem("flow.yaml", node_id, "`extra_when` must map condition names to block names")
    elif not isinstance(node.get("self_service", False), bool):
        yield Problem("flow.yaml", node_id, "`self_service` must be true or false")


def check_nodes(raw: RawContent) -> Iterator[Problem]:
    nodes = raw.flow["nodes"]
    for node_id, node in nodes.items():
        if not IDENTIFIER.match(str(node_id)):
            yield Problem("flow.yaml", node_id, "node id must be lower_case letters, digits and _")
        if node_id in RESERVED_NAMES:
            yield Problem("flow.yaml", node_id, f"node id must not be one of {sorted(RESERVED_NAMES)}: "
                                                "page addresses use those names")
        options = node.get("options") or {}
        if node["type"] == "question" and not options:
            yield Problem("flow.yaml", node_id, "dead end: a question with no options")
        yield from check_options(node_id, options, nodes)
        if node["type"] == "outcome":
            yield from check_outcome(node_id, node, raw)


def check_options(node_id: str, options: dict, nodes: dict) -> Iterator[Problem]:
    for key, option in options.items():
        if not isinstance(key, str) or not IDENTIFIER.match(key):
            yield Problem("flow.yaml", node_id, f"option key {key!r} must be lower_case letters, digits and _")
        branches = option_targets(option)
        if not branches:
            yield Problem("flow.yaml", node_id, f"option `{key}` leads nowhere: it has no branches")
            continue
        for condition, target in branches:
            if target not in nodes:
                yield Problem("flow.yaml", node_id, f"option `{key}` leads nowhere: `{target}` is not a node")
            if condition is not None and condition not in CONDITIONS:
                yield Problem("flow.yaml", node_id, f"option `{key}` uses unknown condition `{condition}`")
        yield from check_sign_in_branches(node_id, key, option)


def check_sign_in_branches(node_id: str, key: str, option: Any) -> Iterator[Problem]:
    """`when_sign_in` names known settings, and with each setting the option ends without an `if`."""
    for branch in option if isinstance(option, list) else []:
        limited_to = branch.get("when_sign_in", list(SIGN_IN_SETTINGS)) if isinstance(branch, dict) else []
        if not (isinstance(limited_to, list) and set(limited_to) <= set(SIGN_IN_SETTINGS)):
            yield Problem("flow.yaml", node_id, f"option `{key}`: `when_sign_in` must list some of "
                          f"{', '.join(SIGN_IN_SETTINGS)}")
            return
    for sign_in in SIGN_IN_SETTINGS:
        branches = option_targets(option, sign_in)
        if branches and branches[-1][0] is not None:
            yield Problem("flow.yaml", node_id, f"option `{key}` leads nowhere when no condition holds "
                          f"(portal_sign_in: {sign_in}): end its branches with one that has no `if`")


def check_outcome(node_id: str, node: dict, raw: RawContent) -> Iterator[Problem]:
    contacts = node.get("contacts") or []
    if not contacts:
        yield Problem("flow.yaml", node_id, "outcome without a contact")
    for contact in contacts:
        if as_id(contact) not in raw.contacts:
            yield Problem("flow.yaml", node_id, f"unknown contact `{contact}`")
    first = raw.contacts.get(as_id(contacts[0])) if contacts else None
    if contacts and not any("phone" in (raw.contacts.get(as_id(c)) or {}) for c in contacts) \
            and not (isinstance(first, dict) and ("web" in first or "reach" in first)):
        yield Problem("flow.yaml", node_id, "outcome without a contact that has a phone number, "
                      "or a first contact with a web address or `reach`")
    yield from check_resolves(node_id, node, raw.contacts)
    if not node.get("sources"):
        yield Problem("flow.yaml", node_id, "outcome without `sources`")
    for source in node.get("sources") or []:
        if as_id(source) not in raw.sources:
            yield Problem("flow.yaml", node_id, f"unknown source `{source}`")
    for condition in node.get("extra_when") or {}:
        if condition not in CONDITIONS:
            yield Problem("flow.yaml", node_id, f"`extra_when` uses unknown condition `{condition}`")
    for note in node.get("notes") or []:
        if as_id(note) not in (raw.flow.get("notes") or {}):
            yield Problem("flow.yaml", node_id, f"unknown note `{note}` (define it under `notes:`)")
    if node.get("sources") and not any(lookup(raw.sources, source, "public") is not False
                                       for source in node["sources"]):
        yield Problem("flow.yaml", node_id, "outcome without a source people can check (all are `public: false`)")


def check_resolves(node_id: str, node: dict, contacts: dict) -> Iterator[Problem]:
    """An outcome names the kind of problem it resolves, and its first contact handles that kind."""
    kind = node.get("resolves")
    if kind not in KINDS:
        yield Problem("flow.yaml", node_id, f"needs `resolves:` one of {', '.join(KINDS)} (got {kind!r})")
        return
    first = as_id((node.get("contacts") or [None])[0])
    handles = lookup(contacts, first, "handles")
    if first in contacts and kind not in (handles if isinstance(handles, list) else []):
        yield Problem("flow.yaml", node_id, f"resolves `{kind}`, but its first contact `{first}` does not "
                      f"handle it (handles: {', '.join(map(str, handles or [])) or 'nothing'})")


def check_graph(flow: dict) -> Iterator[Problem]:
    """Reachable with some setting, no cycle, and with every setting no dead end."""
    graph = edges(flow)
    reachable = walk_from([flow["start"]], graph)
    for node_id in graph:
        if node_id not in reachable:
            yield Problem("flow.yaml", node_id, f"unreachable from `{flow['start']}`")
    cycle = find_cycle(graph)
    if cycle:
        yield Problem("flow.yaml", cycle[0], "cycle: " + " -> ".join(cycle))
    for sign_in in SIGN_IN_SETTINGS:
        yield from check_dead_ends(flow, sign_in)


def check_dead_ends(flow: dict, sign_in: str) -> Iterator[Problem]:
    """With this sign-in setting, every question keeps an option and every node leads to an outcome."""
    graph, nodes = edges(flow, sign_in), flow["nodes"]
    reachable = walk_from([flow["start"]], graph)
    outcomes = [n for n, node in nodes.items() if node["type"] == "outcome"]
    leads_to_outcome = walk_from(outcomes, reverse(graph))
    for node_id in graph:
        if node_id in reachable and node_id not in leads_to_outcome:
            yield Problem("flow.yaml", node_id, f"dead end: no outcome can be reached from here "
                          f"(portal_sign_in: {sign_in})")


def used_conditions(flow: dict) -> set[str]:
    """Names of the conditions the flow refers to, in branches or extra steps."""
    names = set()
    for node in flow["nodes"].values():
        names.update(condition for option in (node.get("options") or {}).values()
                     for condition, _ in option_targets(option) if condition)
        names.update(node.get("extra_when") or {})
    return names


def check_conditions(flow: dict) -> Iterator[Problem]:
    nodes = flow["nodes"]
    for name in sorted(used_conditions(flow) & set(CONDITIONS)):
        for node_id, key in sorted(CONDITIONS[name].reads()):
            if key not in (nodes.get(node_id, {}).get("options") or {}):
                yield Problem("wizard/core/conditions.py", name, f"reads answer `{node_id}: {key}`, not in the flow")


def check_notes(flow: dict, sources: dict) -> Iterator[Problem]:
    for note_id, note in (flow.get("notes") or {}).items():
        for source in lookup(note, "sources") or [None]:
            if as_id(source) not in sources:
                yield Problem("flow.yaml", f"notes.{note_id}", f"needs known `sources` (got {source!r})")
