"""Check the flow content and report every problem, naming file and node.

Run it with ``flask --app app flow check [--content DIR] [--strict]`` (wizard/cli.py). The app runs the
same checks at start-up and refuses to start on any problem. The checks work on the raw parsed files, so
they report broken content instead of crashing on it. Sources past their review date are only warnings of
the command (the app still starts); ``--strict`` fails on them.

The checks are in four modules: ``problems`` (what they share), ``routing`` (flow.yaml), ``facts``
(contacts, sources, the address allow-list) and ``wording`` (the text files and their translations).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from wizard.core.check.facts import check_allow_list, check_contacts, check_sources
from wizard.core.check.problems import Problem
from wizard.core.check.routing import check_conditions, check_graph, check_nodes, check_notes, check_shape
from wizard.core.check.wording import check_texts, check_translations

if TYPE_CHECKING:
    from wizard.core.flow import RawContent


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


__all__ = ["Problem", "check_content"]
