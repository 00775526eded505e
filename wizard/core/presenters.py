"""Turn flow data and a person's position into what a page shows.

Nothing here knows about requests or templates, so the public pages and the
planned staff console can show the same question, outcome and answers.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

from wizard.core.conditions import CONDITIONS
from wizard.core.engine import Position
from wizard.core.flow import Flow


TAGS = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class AnswerRow:
    """One line of the 'your answers' list."""

    node_id: str
    question: str
    answer: str


@dataclass(frozen=True)
class Step:
    """One numbered step, with the bullet list it introduces (if any)."""

    text: str
    bullets: tuple[str, ...] = ()

    @property
    def links_out(self) -> bool:
        """Whether the step or its bullets give a web address (on other languages' pages, said to be in English)."""
        return any("://" in line for line in (self.text, *self.bullets))


@dataclass(frozen=True)
class Contact:
    """A support contact as shown on an outcome page."""

    id: str
    name: str
    staff_name: str  # the name as an agent says it about the caller ("their care team"), in call mode
    purpose: str
    phone: dict | None
    tty: dict | None
    hours: str | None  # opening hours, or the line saying no official page gives them
    hours_published: bool
    reach: str | None  # how to reach a contact that has no single number
    desk: str | None  # the help desk this contact is, when it uses this tool (gsc, dmdc)
    ask_clinic: str | None
    overseas: str | None
    caution: str | None  # beside a number we could only find on weaker sources
    web: list[dict]
    language_help: str | None = None  # what is known about help in the page's language (not on English pages)
    called: str = ""  # the name as it reads after "call" in the page's language ("al DMDC"); the name in English
    opening: dict | None = None  # the published hours as data (contacts.yaml hours.open): the page's script
    #                              also shows them by the reader's own clock


@dataclass(frozen=True)
class Source:
    id: str
    where: str
    reviewed: str
    official: bool
    checked: str = ""  # the review date as the page's language writes it
    in_english: bool = False  # a description another language's page shows in English (not translated)


def as_step(step: str | dict, at_desk: bool = False) -> Step | None:
    """A step as the person reads it, or as an agent of the outcome's own desk reads it to them.

    A step that tells the person to call the desk has an ``at_desk`` wording (the agent is that desk
    already); ``at_desk: null`` leaves the step out there.
    """
    if isinstance(step, str):
        return Step(step)
    if at_desk and "at_desk" in step:
        return Step(step["at_desk"]) if step["at_desk"] else None
    return Step(step["text"], tuple(step.get("bullets") or ()))


class Presenter:
    """Wording and facts for one language, looked up by node id."""

    def __init__(self, flow: Flow, language: str = "en"):
        self.flow = flow
        self.language = language
        self.text = flow.text(language)

    def words(self, node_id: str) -> dict:
        """The wording of a question or outcome."""
        node = self.flow.nodes[node_id]
        return self.text["outcomes" if node.is_outcome else "questions"][node_id]

    def page_text(self, key: str) -> str:
        """Wording of the pages around the flow (start page, fixed lines)."""
        return self.text["pages"][key]

    def option_label(self, node_id: str, key: str) -> str:
        return self.words(node_id)["options"][key]["label"]

    def ticket_label(self, node_id: str, key: str) -> str:
        """An option as a help-desk ticket words it: its `ticket` wording where the label alone misleads there."""
        option = self.words(node_id)["options"][key]
        return option.get("ticket") or option["label"]

    def offered_options(self, node_id: str) -> dict[str, dict]:
        """The wording of the options the flow offers here, with today's sign-in setting."""
        offered = self.flow.nodes[node_id].options
        return {key: words for key, words in (self.words(node_id).get("options") or {}).items() if key in offered}

    def answer_rows(self, position: Position) -> list[AnswerRow]:
        """The person's answers on their current path, in the order given."""
        return [AnswerRow(node_id, self.row_question(node_id), self.option_label(node_id, key))
                for node_id, key in position.answers.items()]

    def row_question(self, node_id: str) -> str:
        words = self.words(node_id)
        return words.get("summary") or words["title"]

    def outcome_page(self, outcome: str, answers: dict[str, str]) -> dict:
        """What an outcome shows, built once for the outcome page and the saved result page (/r/<code>)."""
        extras = self.extras(outcome, answers)  # what the page's kept steps part is keyed by, worked out once
        return dict(words=self.words(outcome), steps=self.steps_with(outcome, extras), notes=self.notes(outcome),
                    extras=extras,
                    contacts=self.contacts(outcome), main_contact=self.main_contact(outcome),
                    self_service=self.flow.nodes[outcome].self_service,
                    code_desks=self.desks_on_page(outcome), sources=self.sources(outcome),
                    no_secrets=self.page_text("no_secrets"))

    def steps(self, node_id: str, answers: dict[str, str], at_desk: bool = False) -> list[Step]:
        """An outcome's steps, plus the extra blocks whose condition holds.

        ``at_desk``: as an agent of the outcome's own desk reads them (no "call us").
        """
        return self.steps_with(node_id, self.extras(node_id, answers), at_desk)

    def steps_with(self, node_id: str, extras: tuple[str, ...], at_desk: bool = False) -> list[Step]:
        """An outcome's steps with the extra blocks of these conditions (``extras``: what held)."""
        blocks = self.flow.nodes[node_id].extra_when
        extra = [step for condition in extras for step in self.text["blocks"][blocks[condition]]["steps"]]
        steps = (as_step(step, at_desk) for step in [*self.words(node_id)["steps"], *extra])
        return [step for step in steps if step]

    def extras(self, node_id: str, answers: dict[str, str]) -> tuple[str, ...]:
        """The conditions of an outcome's extra step blocks (``extra_when``) that hold for these answers."""
        return tuple(condition for condition in self.flow.nodes[node_id].extra_when if CONDITIONS[condition](answers))

    def notes(self, node_id: str) -> list[str]:
        """The shared warnings an outcome shows."""
        return [self.text["notes"][note] for note in self.flow.nodes[node_id].notes]

    def contacts(self, node_id: str) -> list[Contact]:
        return [self.contact(contact_id) for contact_id in self.flow.nodes[node_id].contacts]

    def main_contact(self, node_id: str) -> Contact:
        """The first contact: the one that handles what the outcome resolves, shown at the top of the page."""
        return self.contacts(node_id)[0]

    def desks_on_page(self, node_id: str) -> list[Contact]:
        """The contacts on an outcome that are help desks using this tool: only they can read a reference code."""
        return [contact for contact in self.contacts(node_id) if contact.desk]

    def contact(self, contact_id: str) -> Contact:
        facts = self.flow.contacts[contact_id]
        words = self.text["contacts"][contact_id]
        return Contact(
            id=contact_id,
            name=words["name"],
            staff_name=words.get("staff_name") or words["name"],
            called=words.get("called") or words["name"],
            purpose=words["for"],
            phone=facts.get("phone"),
            tty=facts.get("tty"),
            hours=(self.text["pages"]["hours_unpublished"] if facts.get("hours") == "unpublished"
                   else words.get("hours") if "hours" in facts else None),
            hours_published=isinstance(facts.get("hours"), dict),
            opening=facts["hours"].get("open") if isinstance(facts.get("hours"), dict) else None,
            reach=words.get("reach") if "reach" in facts else None,
            desk=facts.get("desk"),
            ask_clinic=words.get("ask_clinic") if "ask_clinic" in facts else None,
            overseas=words.get("overseas") if "overseas" in facts else None,
            caution=words.get("caution"),
            web=[{"url": site["url"], "label": words.get(site.get("label"), site["url"])}
                 for site in facts.get("web") or []],
            language_help=self.language_help(facts, words),
        )

    def language_help(self, facts: dict, words: dict) -> str | None:
        """What is known about help in this presenter's language at a contact (None in English)."""
        if self.language == "en":
            return None
        said = (facts.get("language_help") or {}).get(self.language, "unknown")
        return self.text["pages"]["language_help_unknown"] if said == "unknown" else words["language_help"]

    def date(self, day) -> str:
        """A date as this language writes it: ``pages.date_format`` with ``pages.months``, or ISO."""
        pages = self.text["pages"]
        if not pages.get("months") or not pages.get("date_format"):
            return day.isoformat()
        return str(pages["date_format"]).format(day=day.day, month=pages["months"][day.month - 1], year=day.year)

    def screen_names_in(self, page: str) -> list[tuple[str, str]]:
        """The English screen names (``screen_names`` of a non-English text file) that ``page`` uses, each with
        what it means, in the order the page first uses them."""
        names = self.text.get("screen_names") or {}
        text = html.unescape(TAGS.sub(" ", str(page)))
        found = [(match.start(), term) for term in names
                 for match in [re.search(rf"(?<![\w-]){re.escape(term)}(?![\w-])", text)] if match]
        return [(term, names[term]) for _, term in sorted(found)]

    def portal(self) -> dict:
        """The official portal's address and name, for every page's footer."""
        return self.contact(self.flow.portal_contact).web[0]

    def sources(self, node_id: str) -> list[Source]:
        """The sources of an outcome and of its notes that a person can check themselves."""
        node = self.flow.nodes[node_id]
        help_sources = [said["source"] for contact in node.contacts if self.language != "en"
                        for said in [(self.flow.contacts[contact].get("language_help") or {}).get(self.language)]
                        if isinstance(said, dict)]
        ids = dict.fromkeys([*node.sources, *(s for note in node.notes for s in self.flow.note_sources[note]),
                             *help_sources])
        described = (self.text.get("sources") or {}) if self.language != "en" else {}
        return [Source(source_id, described.get(source_id) or data["where"], data["reviewed"].isoformat(),
                       data["official"], self.date(data["reviewed"]),
                       in_english=self.language != "en" and not described.get(source_id))
                for source_id in ids for data in [self.flow.sources[source_id]] if data.get("public", True)]
