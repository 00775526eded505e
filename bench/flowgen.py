"""Generate valid content directories of any size, shaped like wizard/content.

The shape copies the real flow's proportions so that load time per node is
comparable across sizes:

- nodes are numbered breadth first; node i asks a question whose options lead
  to its children 3i+1..3i+3, so a third of the nodes are questions and the
  rest outcomes (the real flow: 19 questions and 46 outcomes);
- like the real "not sure" answers, each question also has a shared way out to
  an outcome outside its own subtree, so the graph is a DAG, not a plain tree;
- every 7th question has a conditional branch (``uses_piv``), every 3rd outcome
  an ``extra_when`` block and every 5th a way to carry on, as in the real flow;
- contacts and sources are the real ones, and outcome wording has steps and
  web addresses of the real length, so parsing costs the same per node.

Every generated directory passes the flow checker (load_flow raises if not).
"""
from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from wizard.core.flow import CONTENT_DIR, parse_yaml

BRANCHING = 3
# The condition in wizard/core/conditions.py reads these answers, so the flow must
# have them (the checker verifies it); the generator names two nodes this way.
CONDITION_NODES = ("method", "which_card")
# Contacts of the generated outcomes, each with the kind of problem its first contact handles (`resolves`).
CONTACT_SETS = ((["global_service_center", "portal_champion"], "portal_fault"), (["dmdc"], "sign_in_account"),
                (["id_card_office", "dmdc"], "id_card"), (["dmdc", "global_service_center"], "sign_in_account"))
UNOFFICIAL_SOURCES = ("tricare_dslogon", "idco_locator", "tricare_deers")


def node_ids(count: int) -> list[str]:
    names = [f"n{i}" for i in range(count)]
    for position, name in zip((1, 2), CONDITION_NODES):
        if position < count:
            names[position] = name
    return names


def children(index: int, count: int) -> list[int]:
    first = BRANCHING * index + 1
    return list(range(first, min(first + BRANCHING, count)))


def option_keys(node_id: str, how_many: int) -> list[str]:
    keys = [f"o{k}" for k in range(how_many)]
    if node_id in CONDITION_NODES:
        keys[0] = "piv"
    return keys


def question_routing(index: int, count: int, ids: list[str], first_outcome: int) -> dict:
    kids = children(index, count)
    keys = option_keys(ids[index], len(kids))
    options: dict = {key: ids[kid] for key, kid in zip(keys, kids)}
    # A shared outcome after this node's own children: acyclic, reachable by many.
    shared = max(first_outcome, kids[-1] + 1)
    if shared < count:
        options["not_sure"] = ids[shared]
        if index % 7 == 3:
            options[keys[0]] = [{"if": "uses_piv", "go": ids[shared]}, {"go": ids[kids[0]]}]
    return {"type": "question", "options": options}


def outcome_routing(index: int, count: int, ids: list[str]) -> dict:
    contacts, resolves = CONTACT_SETS[index % len(CONTACT_SETS)]
    node: dict = {"type": "outcome", "resolves": resolves, "contacts": contacts, "sources": ["faq"]}
    if index % 4 == 1:
        node["sources"].append(UNOFFICIAL_SOURCES[index % len(UNOFFICIAL_SOURCES)])
    if index % 3 == 0:
        node["extra_when"] = {"uses_piv": "register_piv_after"}
    if index % 5 == 0 and index + 1 < count:  # "carry on" to a later node keeps the graph acyclic
        node["options"] = {"carry_on": ids[index + 1]}
    return node


def question_words(node_id: str, routing: dict) -> dict:
    return {
        "title": f"Question {node_id}: what happens when you try to sign in?",
        "hint": "This is generated text of about the length of a real hint, to make parsing cost realistic.",
        "summary": f"Answer to {node_id}",
        "error": f"Select an answer for {node_id}",
        "say": f"Ask the caller question {node_id}, in words of about the length of a real line to read aloud.",
        "listen": "What the answers sound like, of about the length of a real listen-for line.",
        "options": {key: {"label": f"Option {key} of {node_id}", "hint": "A hint of typical length"}
                    for key in routing["options"]},
    }


def outcome_words(node_id: str, routing: dict) -> dict:
    words = {
        "title": f"Outcome {node_id}: contact the right office",
        "answer": "You can't sign in because of a problem that this generated outcome describes.",
        "staff": {"cause": f"The cause of generated outcome {node_id}"},
        "steps": [
            "Go to https://myaccess.dmdc.osd.mil/identitymanagement (the DMDC site for DS Logon accounts).",
            "Look there for help with a forgotten username or password.",
            {"text": "If that does not work, call DMDC (details below), or use the Need Support button.",
             "at_desk": "If that does not work, look the account up with the caller."},
            "Once you can sign in, go to https://my.mhsgenesis.health.mil and sign in with DS Logon.",
        ],
        "have_ready": ["The exact message you see, or a screenshot", "When the problem started"],
    }
    if len(routing["sources"]) > 1:
        words["not_faq_note"] = "Some of this guidance comes from public pages beyond the official FAQ."
    if "options" in routing:
        words["options"] = {"carry_on": {"label": "Carry on with another question"}}
    return words


def generated_staff(real: dict) -> dict:
    """The real staff wording without what names real nodes (the ticket boxes' `first_at`)."""
    prompts = {key: {name: value for name, value in prompt.items() if name != "first_at"}
               for key, prompt in real["prompts"].items()}
    return {**real, "prompts": prompts}


def generate_content(directory: Path, count: int) -> Path:
    """Write flow.yaml, contacts.yaml, sources.yaml and text/en.yaml for ``count`` nodes."""
    ids = node_ids(count)
    first_outcome = next(i for i in range(count) if not children(i, count))
    routing = {ids[i]: question_routing(i, count, ids, first_outcome) if i < first_outcome
               else outcome_routing(i, count, ids) for i in range(count)}
    real_text = parse_yaml(CONTENT_DIR / "text" / "en.yaml")
    text = {
        "language": "en",
        "questions": {n: question_words(n, r) for n, r in routing.items() if r["type"] == "question"},
        "outcomes": {n: outcome_words(n, r) for n, r in routing.items() if r["type"] == "outcome"},
        "blocks": real_text["blocks"],
        "contacts": real_text["contacts"],
        "notes": real_text["notes"],
        "pages": real_text["pages"],
        "staff": generated_staff(real_text["staff"]),
    }
    (directory / "text").mkdir(parents=True, exist_ok=True)
    for name in ("contacts.yaml", "sources.yaml", "addresses.yaml"):
        shutil.copy(CONTENT_DIR / name, directory / name)
    real_flow = parse_yaml(CONTENT_DIR / "flow.yaml")
    flow = {"start": ids[0], "fallback_contact": "global_service_center", "portal_contact": "patient_portal",
            "portal_sign_in": "both", "notes": real_flow["notes"], "nodes": routing}
    write_yaml(directory / "flow.yaml", flow)
    write_yaml(directory / "text" / "en.yaml", text)
    return directory


def write_yaml(path: Path, data: dict) -> None:
    with path.open("w", encoding="utf-8") as handle:
        # libyaml's dumper when PyYAML has it: writing 10,000 nodes is not what we time.
        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        yaml.dump(data, handle, Dumper=dumper, sort_keys=False, allow_unicode=True, width=120)
