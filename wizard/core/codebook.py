"""Every reference code one version of the flow can show, and what each stands for.

The flow is finite: each question offers a few options and no path repeats a
node, so the answer sets that end at an outcome can be listed (5,442 for the
content today, in about 1.4 s). The codebook lists them once per content
version, so a code read out to the desk is opened without any stored record
of the person who saw it: codes are pure functions (wizard/core/reference_codes.py), and
this is their inverse.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from wizard.core.reference_codes import code_for
from wizard.core.engine import Engine


class CodeClash(Exception):
    """Two answer sets of one flow version got the same code (about 1 in 860,000 per version today)."""


@dataclass(frozen=True)
class SavedAnswers:
    """What a code stands for: the answers (in path order) and the outcome they led to, on one version."""

    answers: dict[str, str]
    outcome: str
    flow_version: str


def outcome_paths(engine: Engine) -> Iterator[tuple[dict[str, str], str]]:
    """Each set of answers (in path order) that ends at an outcome, and that outcome.

    An outcome that offers a way on is listed with the answers that reach it,
    and the answers that carry on from it are followed too.
    """
    nodes = engine.flow.nodes
    waiting: list[dict[str, str]] = [{}]
    while waiting:
        position = engine.walk(waiting.pop())
        node = nodes[position.current]
        if node.is_outcome:
            yield position.answers, position.current
        for key in engine.options_at(position.current):  # what the Machine accepts here
            longer = {**position.answers, position.current: key}
            if engine.walk(longer).current != position.current:  # the option leads somewhere from here
                waiting.append(longer)


class Codebook:
    """code -> SavedAnswers for one flow version."""

    def __init__(self, engine: Engine):
        self.flow_version = engine.flow.version
        self.entries: dict[str, SavedAnswers] = {}
        for answers, outcome in outcome_paths(engine):
            code = code_for(self.flow_version, answers)
            if code in self.entries:
                raise CodeClash(f"flow version {self.flow_version}: two answer sets share the code {code}")
            self.entries[code] = SavedAnswers(answers, outcome, self.flow_version)

    def get(self, code: str) -> SavedAnswers | None:
        return self.entries.get(code)

    def __len__(self) -> int:
        return len(self.entries)
