"""Named routing conditions that the flow data may refer to by name.

A branch in flow.yaml reads ``{if: uses_piv, go: some_node}``; the name is
looked up in CONDITIONS. Each condition looks only at the answers given so
far on the person's path (node id -> option key), and declares which answers
it reads so the flow checker can tell when a renamed node or key breaks it.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True, eq=False)
class AnsweredAny:
    """True when any of the given (node id, option key) answers was given."""

    name: str
    answers: frozenset[tuple[str, str]]
    description: str

    @property
    def __name__(self) -> str:  # transitions names a condition by it (diagrams, markup)
        return self.name

    def __call__(self, given: Mapping[str, str]) -> bool:
        return any(given.get(node) == key for node, key in self.answers)

    def reads(self) -> frozenset[tuple[str, str]]:
        """The (node id, option key) pairs this condition depends on."""
        return self.answers


CONDITIONS: dict[str, AnsweredAny] = {
    "uses_piv": AnsweredAny(
        "uses_piv",
        frozenset({("method", "piv"), ("which_card", "piv")}),
        "the person said they sign in with a PIV card",
    ),
    "cac_unusable_now": AnsweredAny(
        "cac_unusable_now",
        frozenset({("cac_problem", "no_reader"), ("cac_problem", "pin_locked"), ("cac_problem", "no_card"),
                   ("cac_expired_who", "left")}),
        "the person said their CAC can't be used now: no reader, a locked PIN, or no card any more",
    ),
}
