"""Turn flow data and a person's position into what a page shows.

Nothing here knows about requests or templates, so the public pages and the
planned staff console can show the same question, outcome and answers.
"""
from __future__ import annotations

from dataclasses import dataclass

from wizard.conditions import CONDITIONS
from wizard.engine import Position
from wizard.flow import Flow


@dataclass(frozen=True)
class AnswerRow:
    """One line of the 'your answers' list."""

    node_id: str
    question: str
    answer: str


@dataclass(frozen=True)
class Contact:
    """A support contact as shown on an outcome page."""

    id: str
    name: str
    purpose: str
    phone: dict | None
    dsn: dict | None
    hours: str | None
    ask_clinic: str | None
    web: list[dict]


@dataclass(frozen=True)
class Source:
    id: str
    where: str
    reviewed: str
    official: bool


class Presenter:
    """Wording and facts for one language, looked up by node id."""

    def __init__(self, flow: Flow, language: str = "en"):
        self.flow = flow
        self.text = flow.text(language)

    def words(self, node_id: str) -> dict:
        """The wording of a question or outcome."""
        node = self.flow.nodes[node_id]
        return self.text["outcomes" if node.is_outcome else "questions"][node_id]

    def option_label(self, node_id: str, key: str) -> str:
        return self.words(node_id)["options"][key]["label"]

    def answer_rows(self, position: Position) -> list[AnswerRow]:
        """The person's answers on their current path, in the order given."""
        return [AnswerRow(node_id, self.row_question(node_id), self.option_label(node_id, key))
                for node_id, key in position.answers.items()]

    def row_question(self, node_id: str) -> str:
        words = self.words(node_id)
        return words.get("summary") or words["title"]

    def steps(self, node_id: str, answers: dict[str, str]) -> list[str]:
        """An outcome's steps, plus the extra blocks whose condition holds."""
        node = self.flow.nodes[node_id]
        extra = [step for condition, block in node.extra_when.items() if CONDITIONS[condition](answers)
                 for step in self.text["blocks"][block]["steps"]]
        return [*self.words(node_id)["steps"], *extra]

    def contacts(self, node_id: str) -> list[Contact]:
        return [self.contact(contact_id) for contact_id in self.flow.nodes[node_id].contacts]

    def contact(self, contact_id: str) -> Contact:
        facts = self.flow.contacts[contact_id]
        words = self.text["contacts"][contact_id]
        return Contact(
            id=contact_id,
            name=words["name"],
            purpose=words["for"],
            phone=facts.get("phone"),
            dsn=facts.get("dsn"),
            hours=words.get("hours") if "hours" in facts else None,
            ask_clinic=words.get("ask_clinic") if "ask_clinic" in facts else None,
            web=[{"url": site["url"], "label": words.get(site.get("label"), site["url"])}
                 for site in facts.get("web") or []],
        )

    def sources(self, node_id: str) -> list[Source]:
        return [Source(source_id, data["where"], data["reviewed"].isoformat(), data["official"])
                for source_id in self.flow.nodes[node_id].sources
                for data in [self.flow.sources[source_id]]]
