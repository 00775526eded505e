"""Check the flow content and report every problem, naming file and node.

Run it with ``flask --app app flow check`` (or ``python -m wizard.core.check
[DIR]``). The app runs the same checks at start-up and refuses to start on
any problem. The checks work on the raw parsed files, so they report broken
content instead of crashing on it. Sources past their review date are only
warnings of the command (the app still starts); ``--strict`` fails on them.
"""
from __future__ import annotations

import datetime
import re
import sys
from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from wizard.core.addresses import AllowList, strings_in, unlisted_addresses
from wizard.core.conditions import CONDITIONS
from wizard.core.desks import DESKS
from wizard.core.graph import (
    as_id,
    edges,
    find_cycle,
    longest_path,
    median_path_to_outcomes,
    option_targets,
    reverse,
    walk_from,
)
from wizard.core.sign_in import BY_SIGN_IN, SIGN_IN_SETTINGS, for_sign_in, is_by_sign_in
from wizard.core.translations import DEFAULT_LANGUAGE, STAFF_ONLY_KEYS, compare
from wizard.core.translations import stale as stale_translations

if TYPE_CHECKING:
    from wizard.core.flow import RawContent

IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# Query parameters the public pages use besides node ids (wizard/answers/address.py): never a node id.
RESERVED_NAMES = {"v", "notice"}
E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
NODE_TYPES = ("question", "outcome")
QUESTION_TEXT = ("title", "summary", "error", "say", "listen")  # say/listen: for agents in call mode
OUTCOME_TEXT = ("title", "answer", "steps", "have_ready")
TEXT_PARTS = ("questions", "outcomes", "contacts", "blocks", "notes", "pages", "staff")
# Words a "have this ready" list must never ask for: no help desk needs them.
SECRET_WORDS = re.compile(r"(?i)\b(password|PIN|security answers?|passcode)\b")
DEFAULT_REVIEW_EVERY_DAYS = 180
UNKNOWN_HELP = "unknown"  # contacts.yaml language_help: nothing known about help in that language
# The kinds of problem a contact can fix (its `handles`), and an outcome resolves (its `resolves`).
KINDS = ("portal_fault", "sign_in_account", "deers_record", "id_card", "own_care", "va_care",
         "civilian_care", "piv_card")
# Contact channels that say who the contact is, not a fact shown (so they carry no `source`).
NOT_FACTS = ("desk", "handles", "language_help")  # language_help: checked per language (check_language_help)
UNPUBLISHED = "unpublished"  # `hours: unpublished`: the page says no official page gives them
# Outcome wording that sends a person back into the wizard: allowed only on an outcome whose
# `options` carry them on (a link that keeps their answers), never as an instruction to redo it.
SENDS_BACK = re.compile(r"(?i)\b(come back|go back|start again|start over|return to this (tool|page)|"
                        r"use this tool again|choose .{0,40}\bagain)\b")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the content, where a content editor can find it."""

    file: str
    node: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.node}" if self.node else self.file
        return f"{where}: {self.message}"


def check_content(raw: RawContent) -> list[Problem]:
    """Every problem in the content files, routing first, then wording."""
    shape = list(check_shape(raw))
    if shape:  # the other checks need the basic shape to be right
        return shape
    return [
        *check_nodes(raw),
        *check_graph(raw.flow),
        *check_contacts(raw.contacts, raw.sources),
        *check_sources(raw.sources),
        *check_notes(raw.flow, raw.sources),
        *check_allow_list(raw),
        *check_conditions(raw.flow),
        *check_texts(raw),
        *check_translations(raw),
    ]


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


def lookup(value: Any, *keys: Any) -> Any:
    """value[key][key]...; None where a level is not a mapping or lacks the key."""
    for key in keys:
        if not isinstance(value, dict) or not isinstance(key, Hashable):
            return None
        value = value.get(key)
    return value


def is_mapping_of_names(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(item, str) for item in value.values())


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


def check_contacts(contacts: dict, sources: dict) -> Iterator[Problem]:
    for contact_id, contact in contacts.items():
        if not isinstance(contact, dict) or not contact:
            yield Problem("contacts.yaml", contact_id, "needs at least one way to reach it")
            continue
        phone = contact.get("phone")
        if phone is not None and not (isinstance(phone, dict) and E164.match(str(phone.get("tel", "")))
                                      and phone.get("display")):
            yield Problem("contacts.yaml", contact_id, "phone needs `display` and `tel` in +E.164 form")
        for fact in contact_facts(contact):
            if not isinstance(fact, dict) or fact.get("source") not in sources:
                yield Problem("contacts.yaml", contact_id, f"fact {fact!r} needs a known `source`")
        handles = contact.get("handles")
        if not (isinstance(handles, list) and handles and set(handles) <= set(KINDS)):
            yield Problem("contacts.yaml", contact_id, f"needs `handles:` a list of what it fixes, from "
                          f"{', '.join(KINDS)}")
        opening = contact["hours"].get("open") if isinstance(contact.get("hours"), dict) else None
        if opening is not None and not is_opening(opening):
            yield Problem("contacts.yaml", contact_id, "hours `open` needs `days` (mon ... sun), `from` and `to` "
                          "(HH:MM, from before to) and a `zone` (like America/Los_Angeles)")
        if phone is not None and "hours" not in contact:
            yield Problem("contacts.yaml", contact_id, "a contact with a phone needs `hours: {source: ...}` "
                          "(worded in the text file) or `hours: unpublished`")


def is_opening(opening: Any) -> bool:
    """The hours as data: ``{days: [mon, ...], from: "05:00", to: "17:00", zone: America/Los_Angeles}``."""
    clock = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")
    if not (isinstance(opening, dict) and set(opening) == {"days", "from", "to", "zone"}
            and isinstance(opening["days"], list) and opening["days"]
            and set(opening["days"]) <= {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
            and all(isinstance(opening[end], str) and clock.fullmatch(opening[end]) for end in ("from", "to"))
            and opening["from"] < opening["to"] and isinstance(opening["zone"], str)):
        return False
    try:
        ZoneInfo(opening["zone"])
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def contact_facts(contact: dict) -> list[Any]:
    """Every fact of a contact: each channel, and each web address."""
    return [fact for channel, value in contact.items() if channel not in NOT_FACTS
            and not (channel == "hours" and value == UNPUBLISHED)
            for fact in (value if channel == "web" and isinstance(value, list) else [value])]


def check_sources(sources: dict) -> Iterator[Problem]:
    for source_id, source in sources.items():
        if not isinstance(source, dict):
            yield Problem("sources.yaml", source_id, "must be a mapping")
            continue
        if not isinstance(source.get("reviewed"), datetime.date):
            yield Problem("sources.yaml", source_id, "needs a `reviewed: YYYY-MM-DD` date")
        if not source.get("where"):
            yield Problem("sources.yaml", source_id, "needs `where` (how to find the source again)")
        if not isinstance(source.get("official"), bool):
            yield Problem("sources.yaml", source_id, "needs `official: true` or `official: false`")
        if not isinstance(source.get("public", True), bool):
            yield Problem("sources.yaml", source_id, "`public` must be true or false")
        if "review_every" in source and not is_positive_int(source["review_every"]):
            yield Problem("sources.yaml", source_id, "`review_every` must be a whole number of days above 0")


def is_positive_int(value: Any) -> bool:
    """A whole number above 0 (YAML's true and false are not numbers here)."""
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def review_due(source: dict) -> datetime.date:
    """The last day a checked source counts as fresh: `reviewed` plus `review_every` days."""
    reviewed = source["reviewed"]
    if isinstance(reviewed, datetime.datetime):  # YAML reads `2026-01-01 09:00` as a datetime
        reviewed = reviewed.date()
    return reviewed + datetime.timedelta(days=review_every(source))


def review_every(source: dict) -> int:
    """Days between reviews of a checked source: its `review_every`, or the default."""
    return source.get("review_every", DEFAULT_REVIEW_EVERY_DAYS)


def overdue_sources(sources: dict, today: datetime.date) -> list[Problem]:
    """Warnings for the checked sources past their review date on ``today`` (not errors)."""
    return [Problem("sources.yaml", source_id, f"review due since {review_due(source)} (reviewed "
                    f"{source['reviewed']}, every {review_every(source)} days)")
            for source_id, source in sources.items() if review_due(source) < today]


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


def allow_list(raw: RawContent) -> AllowList:
    return AllowList.from_entries(entry for entry in raw.addresses if isinstance(entry, dict)
                                  and isinstance(entry.get("url", entry.get("host")), str))


def check_allow_list(raw: RawContent) -> Iterator[Problem]:
    """Each allowed address names its source; each contact's web address is allowed."""
    for entry in raw.addresses:
        if not isinstance(entry.get("url", entry.get("host")), str) or entry.get("source") not in raw.sources:
            yield Problem("addresses.yaml", None, f"entry {entry!r} needs `url` or `host`, and a known `source`")
    allowed = allow_list(raw)
    for contact_id, contact in raw.contacts.items():
        for site in lookup(contact, "web") or []:
            if not allowed.allows(str(lookup(site, "url"))):
                yield Problem("contacts.yaml", contact_id, f"{lookup(site, 'url')} is not in addresses.yaml")
    for source_id, source in raw.sources.items():
        for address in unlisted_addresses(str(lookup(source, "where")), allowed):
            yield Problem("sources.yaml", source_id, f"names {address}, which is not in addresses.yaml")


def check_texts(raw: RawContent) -> Iterator[Problem]:
    """Each text file, checked as it reads with every sign-in setting (each problem once)."""
    for language, text in raw.texts.items():
        file = f"text/{language}.yaml"
        yield from check_by_sign_in(file, text, language)
        reported: set[Problem] = set()
        for sign_in in SIGN_IN_SETTINGS:
            for problem in check_text(file, for_sign_in(text, sign_in), raw):
                if problem not in reported:
                    reported.add(problem)
                    yield problem


def check_translations(raw: RawContent) -> Iterator[Problem]:
    """Every other language translates every public English string and says which English it translates.

    A translation whose English changed since is not a problem here (the app still starts): it is a
    warning in `flow check` (:func:`translations.stale`), and `--strict` fails on it.
    """
    english = raw.texts.get(DEFAULT_LANGUAGE)
    for language, text in raw.texts.items():
        if language == DEFAULT_LANGUAGE:
            continue
        file = f"text/{language}.yaml"
        if lookup(text, "language") != language:
            yield Problem(file, "language", f"must say `language: {language}` (the file's name)")
        if not isinstance(lookup(text, "language_name"), str):
            yield Problem(file, "language_name", "missing: the language's name in itself (`Español`)")
        for difference in compare(english, text):
            if not difference.is_stale:
                yield Problem(file, None, difference.describe())
        yield from check_language_help(raw, language, file, text)


def check_language_help(raw: RawContent, language: str, file: str, text: Any) -> Iterator[Problem]:
    """What each contact says about help in ``language``: `unknown` (the default), or a known source worded
    in that language's file."""
    unknown = False
    for contact_id, contact in raw.contacts.items():
        said = lookup(contact, "language_help", language) or UNKNOWN_HELP
        if said == UNKNOWN_HELP:
            unknown = True
        elif not (isinstance(said, dict) and set(said) == {"source"} and said["source"] in raw.sources):
            yield Problem("contacts.yaml", contact_id, f"`language_help: {{{language}: ...}}` must be `unknown` or "
                          "`{source: <a source id>}`")
        elif not isinstance(lookup(text, "contacts", contact_id, "language_help"), str):
            yield Problem(file, f"contacts.{contact_id}", "missing wording: `language_help` (what its source says)")
    if unknown and not isinstance(lookup(text, "pages", "language_help_unknown"), str):
        yield Problem(file, "pages.language_help_unknown", "missing wording: the line shown where nothing is known "
                      "about help in this language")


def check_by_sign_in(file: str, text: Any, where: str) -> Iterator[Problem]:
    """Every `by_sign_in` is alone in its mapping and words each setting."""
    if isinstance(text, dict):
        if BY_SIGN_IN in text and not (is_by_sign_in(text) and isinstance(text[BY_SIGN_IN], dict)
                                       and set(text[BY_SIGN_IN]) == set(SIGN_IN_SETTINGS)):
            yield Problem(file, where, f"`{BY_SIGN_IN}` must be the only key, with wording for exactly "
                          f"{', '.join(SIGN_IN_SETTINGS)}")
        for key, value in text.items():
            yield from check_by_sign_in(file, value, f"{where}.{key}")
    elif isinstance(text, list):
        for index, item in enumerate(text):
            yield from check_by_sign_in(file, item, f"{where}[{index}]")


def check_text(file: str, text: dict, raw: RawContent) -> Iterator[Problem]:
    nodes = raw.flow["nodes"]
    for section, kind in (("questions", "question"), ("outcomes", "outcome")):
        worded = text.get(section) or {}
        for node_id in worded:
            if nodes.get(node_id, {}).get("type") != kind:
                yield Problem(file, node_id, f"wording under `{section}` for a node that is not a {kind}")
        for node_id, node in nodes.items():
            if node["type"] == kind:
                yield from check_node_text(file, node_id, node, worded.get(node_id), text, raw)
    for contact_id, contact in raw.contacts.items():
        yield from check_contact_text(file, contact_id, contact, lookup(text, "contacts", contact_id), raw)
    if any(lookup(contact, "hours") == UNPUBLISHED for contact in raw.contacts.values()) \
            and not isinstance(lookup(text, "pages", "hours_unpublished"), str):
        yield Problem(file, "pages.hours_unpublished", "missing wording: the line shown for `hours: unpublished`")
    for note_id in raw.flow.get("notes") or {}:
        if not isinstance(lookup(text, "notes", note_id), str):
            yield Problem(file, f"notes.{note_id}", "missing wording")
    if file == f"text/{DEFAULT_LANGUAGE}.yaml":  # call mode is English: other languages need no staff wording
        yield from check_staff_text(file, text, raw)
    yield from check_text_addresses(file, text, allow_list(raw))


def check_staff_text(file: str, text: dict, raw: RawContent) -> Iterator[Problem]:
    """Each desk a contact belongs to has its escalation wording; outcomes' staff text has known parts."""
    desks = {lookup(contact, "desk") for contact in raw.contacts.values() if lookup(contact, "desk")}
    for desk in sorted(map(str, desks)):
        if desk not in DESKS:
            yield Problem("contacts.yaml", None, f"unknown desk `{desk}` (desks: {', '.join(DESKS)})")
        if not isinstance(lookup(text, "staff", "desks", desk, "escalate"), str):
            yield Problem(file, f"staff.desks.{desk}", "missing wording: `name` and `escalate`")
        if not is_mapping_of_names(lookup(text, "staff", "desks", desk, "escalate_when") or {}):
            yield Problem(file, f"staff.desks.{desk}.escalate_when", "must map reason keys to their wording")
    if desks and not isinstance(lookup(text, "staff", "sent_back"), str):
        yield Problem(file, "staff.sent_back", "missing wording")
    prompts = lookup(text, "staff", "prompts") or {}
    if desks and not (isinstance(prompts, dict) and all(
            isinstance(prompt, dict) and isinstance(prompt.get("label"), str) and isinstance(prompt.get("ticket"), str)
            for prompt in prompts.values())):
        yield Problem(file, "staff.prompts", "each ticket prompt needs a `label` and the `ticket` line's name")
    for node_id, words in (text.get("outcomes") or {}).items():
        staff = lookup(words, "staff")
        if not (isinstance(staff, dict) and isinstance(staff.get("cause"), str) and set(staff) <= {"cause", "escalate", "handover", "transfer"}
                and all(isinstance(value, str) for value in staff.values())):
            yield Problem(file, node_id, "needs `staff: {cause: ...}` for the ticket summary "
                          "(and optionally `escalate`, `handover` and `transfer`), nothing else")


def check_text_addresses(file: str, text: dict, allowed: AllowList) -> Iterator[Problem]:
    """No wording names an address that is not on the allow-list."""
    for part in TEXT_PARTS:
        for item_id, words in (text.get(part) or {}).items():
            for string in strings_in(words):
                for address in unlisted_addresses(string, allowed):
                    yield Problem(file, f"{part}.{item_id}", f"names {address}, which is not in addresses.yaml")


def check_node_text(file: str, node_id: str, node: dict, words: Any, text: dict,
                    raw: RawContent) -> Iterator[Problem]:
    if not isinstance(words, dict):
        yield Problem(file, node_id, "missing wording")
        return
    required = QUESTION_TEXT if node["type"] == "question" else OUTCOME_TEXT
    if file != f"text/{DEFAULT_LANGUAGE}.yaml":  # say/listen are call mode's, which is English
        required = tuple(name for name in required if name not in STAFF_ONLY_KEYS["questions"])
    for name in required:
        if not words.get(name):
            yield Problem(file, node_id, f"missing wording: `{name}`")
    labels = words.get("options") or {}
    for key in node.get("options") or {}:
        if not lookup(labels, key, "label"):
            yield Problem(file, node_id, f"missing wording: label for option `{key}`")
    for key in labels if isinstance(labels, dict) else ():
        if key not in (node.get("options") or {}):
            yield Problem(file, node_id, f"wording for option `{key}`, which the flow does not have")
    if node["type"] == "outcome":
        yield from check_outcome_text(file, node_id, node, words, text, raw)


def check_outcome_text(file: str, node_id: str, node: dict, words: dict, text: dict,
                       raw: RawContent) -> Iterator[Problem]:
    unofficial = [s for s in node.get("sources") or [] if lookup(raw.sources, s, "official") is False]
    if unofficial and not words.get("not_faq_note"):
        yield Problem(file, node_id, f"uses sources beyond the FAQ ({', '.join(unofficial)}) "
                      "but has no `not_faq_note` saying so")
    for block in (node.get("extra_when") or {}).values():
        if not lookup(text, "blocks", block, "steps"):
            yield Problem(file, node_id, f"missing wording: `blocks.{block}.steps`")
    for step in words.get("steps") or []:
        if not is_step(step):
            yield Problem(file, node_id, f"step {step!r} must be text, or {{text: ..., bullets: [...]}}")
    if not node.get("options"):
        for string in strings_in([words.get("answer"), words.get("steps"), *notes_of(node, text)]):
            if SENDS_BACK.search(string):
                yield Problem(file, node_id, f"sends people back without a link ({string!r}): give the outcome "
                              "`options` that carry their answers on, or say what to do instead")
    if file == f"text/{DEFAULT_LANGUAGE}.yaml":  # agents read the steps in English (call mode)
        yield from check_no_call_us(file, node_id, node, words, text, raw)
    for item in words.get("have_ready") or []:
        if SECRET_WORDS.search(str(item)):
            yield Problem(file, node_id, f"`have_ready` asks for a secret ({item!r}): no help desk needs it")


def notes_of(node: dict, text: dict) -> list[Any]:
    """The wording of the shared notes an outcome shows."""
    return [lookup(text, "notes", as_id(note)) for note in node.get("notes") or []]


def is_step(step: Any) -> bool:
    """A numbered step: text, or text that introduces a bullet list, optionally with its `at_desk` wording."""
    if isinstance(step, str):
        return bool(step)
    bullets = step.get("bullets", []) if isinstance(step, dict) else None
    return (isinstance(step, dict) and {"text"} <= set(step) <= {"text", "bullets", "at_desk"}
            and isinstance(step["text"], str) and bool(step["text"])
            and isinstance(step.get("at_desk", ""), (str, type(None)))
            and isinstance(bullets, list) and all(isinstance(b, str) and b for b in bullets))


def check_no_call_us(file: str, node_id: str, node: dict, words: dict, text: dict,
                     raw: RawContent) -> Iterator[Problem]:
    """Steps an agent of the outcome's own desk reads out never tell the caller to call that desk."""
    desk = lookup(raw.contacts, (node.get("contacts") or [None])[0], "desk")
    if not desk:
        return
    calls_desk = call_us_pattern(desk, text, raw)
    blocks = [lookup(text, "blocks", block, "steps") or [] for block in (node.get("extra_when") or {}).values()]
    for step in [*(words.get("steps") or []), *(step for block in blocks for step in block)]:
        read_at_desk = step.get("at_desk") if isinstance(step, dict) and "at_desk" in step else \
            step.get("text") if isinstance(step, dict) else step
        if isinstance(read_at_desk, str) and calls_desk.search(read_at_desk):
            yield Problem(file, node_id, f"step {read_at_desk!r} tells the caller to call the desk an agent reads it "
                          f"at ({desk}): give the step `at_desk` wording, or `at_desk: null` to leave it out there")


def call_us_pattern(desk: str, text: dict, raw: RawContent) -> re.Pattern:
    """"Call DMDC", "call the Global Service Center", or the desk's number."""
    names = {str(lookup(text, "staff", "desks", desk, "name") or desk)}
    phones = set()
    for contact_id, contact in raw.contacts.items():
        if lookup(contact, "desk") == desk:
            name = str(lookup(text, "contacts", contact_id, "name") or contact_id)
            names |= {name, name.split(" (")[0]}
            phones |= {str(lookup(contact, "phone", "display"))} - {"None"}
    alternatives = "|".join(map(re.escape, sorted(names, key=len, reverse=True)))
    numbers = "".join(f"|{re.escape(phone)}" for phone in phones)
    return re.compile(rf"(?i)\bcall\s+(?:the\s+)?(?:{alternatives})\b{numbers}")


def check_contact_text(file: str, contact_id: str, contact: Any, words: Any, raw: RawContent) -> Iterator[Problem]:
    if not isinstance(words, dict) or not words.get("name") or not words.get("for"):
        yield Problem(file, f"contacts.{contact_id}", "missing wording: `name` and `for`")
        return
    needed = [channel for channel in ("hours", "ask_clinic", "overseas", "reach") if channel in contact
              and contact[channel] != UNPUBLISHED]
    if "desk" in contact and file == f"text/{DEFAULT_LANGUAGE}.yaml":
        needed.append("transfer")  # what an agent of another desk says when passing the caller on
    needed += [site["label"] for site in contact.get("web") or [] if isinstance(site, dict) and "label" in site]
    if lookup(raw.sources, lookup(contact, "phone", "source"), "confidence") == "medium":
        needed.append("caution")  # a number we could not confirm says so beside it
    for name in needed:
        if not words.get(name):
            yield Problem(file, f"contacts.{contact_id}", f"missing wording: `{name}`")


def main(argv: list[str], today: datetime.date | None = None, strict: bool = False) -> int:
    """Check the content in argv[0] (default: the app's own), print the result; strict fails on overdue sources."""
    from wizard.core.flow import CONTENT_DIR, ContentError, read_content

    directory = argv[0] if argv else CONTENT_DIR
    try:
        raw = read_content(directory)
    except ContentError as error:
        print(error, file=sys.stderr)
        return 1
    problems = check_content(raw)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"Flow check failed: {len(problems)} problem(s) in {directory}", file=sys.stderr)
        return 1
    overdue = overdue_sources(raw.sources, today or datetime.date.today())
    for warning in overdue:
        print(f"warning: {warning}", file=sys.stderr)
    old_translations = stale_translations(raw.texts)
    for warning in old_translations:
        print(f"warning: {warning}", file=sys.stderr)
    if strict and (overdue or old_translations):
        print(f"Flow check failed (--strict): {len(overdue)} source(s) past their review date, "
              f"{len(old_translations)} translation(s) of English that has changed", file=sys.stderr)
        return 1
    print(passed_summary(raw, len(overdue), len(old_translations)))
    return 0


def passed_summary(raw: RawContent, overdue: int, old_translations: int = 0) -> str:
    """The one line printed for content that passes: its size, path lengths and sources due for review."""
    questions = sum(node["type"] == "question" for node in raw.flow["nodes"].values())
    return (f"Flow check passed: {questions} questions, {len(raw.flow['nodes']) - questions} outcomes, "
            f"{len(raw.contacts)} contacts, {len(raw.sources)} sources, languages: {', '.join(raw.texts)}; "
            f"longest path: {longest_path(raw.flow)} questions, "
            f"median path to an outcome: {median_path_to_outcomes(raw.flow):g} questions; "
            f"{overdue} source(s) due for review"
            + (f"; {old_translations} translation(s) to update" if len(raw.texts) > 1 else ""))


if __name__ == "__main__":
    sys.exit(main([arg for arg in sys.argv[1:] if arg != "--strict"], strict="--strict" in sys.argv[1:]))
