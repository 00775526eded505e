"""Checks on the wording in text/<language>.yaml: every node and contact worded, nothing that sends
people round in circles, no "call us" at the desk that reads it, translations up to date."""
from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, TYPE_CHECKING

from wizard.core.addresses import AllowList, strings_in, unlisted_addresses
from wizard.core.desks import DESKS
from wizard.core.graph import as_id
from wizard.core.sign_in import BY_SIGN_IN, SIGN_IN_SETTINGS, for_sign_in, is_by_sign_in
from wizard.core.translations import DEFAULT_LANGUAGE, STAFF_ONLY_KEYS, compare, with_sources
from wizard.core.check.facts import allow_list
from wizard.core.check.problems import (
    OUTCOME_TEXT,
    Problem,
    QUESTION_TEXT,
    SECRET_WORDS,
    SENDS_BACK,
    TEXT_PARTS,
    UNKNOWN_HELP,
    UNPUBLISHED,
    is_mapping_of_names,
    lookup,
)

if TYPE_CHECKING:
    from wizard.core.flow import RawContent


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
    english = with_sources(raw.texts.get(DEFAULT_LANGUAGE), raw.sources)
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
    for key, prompt in prompts.items() if isinstance(prompts, dict) else ():
        first_at = prompt.get("first_at", []) if isinstance(prompt, dict) else []
        if not (isinstance(first_at, list) and set(first_at) <= set(raw.flow["nodes"])):
            yield Problem(file, f"staff.prompts.{key}", "`first_at` must list node ids of the flow")
        if isinstance(prompt, dict) and not isinstance(prompt.get("sent_back", False), bool):
            yield Problem(file, f"staff.prompts.{key}", "`sent_back` is true (only for a caller sent back) or absent")
    for node_id, words in (text.get("outcomes") or {}).items():
        staff = lookup(words, "staff")
        if not (isinstance(staff, dict) and isinstance(staff.get("cause"), str)
                and set(staff) <= {"cause", "escalate", "handover", "transfer", "told", "answer_at_desk"}
                and all(isinstance(value, str) for value in staff.values())):
            yield Problem(file, node_id, "needs `staff: {cause: ...}` for the ticket summary "
                          "(and optionally `escalate`, `handover`, `transfer`, `told` and `answer_at_desk`), nothing else")


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
    """The answer line and steps an agent of the outcome's own desk reads out never tell the caller to call
    that desk."""
    desk = lookup(raw.contacts, (node.get("contacts") or [None])[0], "desk")
    if not desk:
        return
    calls_desk = call_us_pattern(desk, text, raw)
    blocks = [lookup(text, "blocks", block, "steps") or [] for block in (node.get("extra_when") or {}).values()]
    answer = (words.get("staff") or {}).get("answer_at_desk") if isinstance(words.get("staff"), dict) else None
    answers = [answer] if answer else list(words["answer"].values()) if isinstance(words.get("answer"), dict) \
        else [words.get("answer")]
    for line in answers:
        if isinstance(line, str) and calls_desk.search(line):
            yield Problem(file, node_id, f"answer {line!r} tells the caller to call the desk an agent reads it at "
                          f"({desk}): give the outcome `staff.answer_at_desk` wording")
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
