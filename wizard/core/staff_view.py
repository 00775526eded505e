"""What call mode shows an agent: their own desk's actions or a transfer line, and the ticket summary.

Pure functions of the flow, a position and the agent's desk; the staff
blueprint only fetches the call and renders what these return.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from wizard.core.engine import Position
from wizard.core.presenters import Contact, Presenter, Step

DIGITS = "zero one two three four five six seven eight nine".split()


@dataclass(frozen=True)
class DeskAdvice:
    """How the agent handles an outcome: fix it here (own desk) or pass the caller on."""

    contact: Contact
    own_desk: bool
    steps: list[Step]  # the tier-1 steps the agent walks the caller through (own desk)
    escalate: str  # when to escalate to tier 2 (own desk, or always when sent back)
    transfer: str | None  # what to say when passing the caller on (another desk)
    spelled: str | None  # the number spelled for reading aloud
    sent_back: str | None  # the caller was already sent back by that desk


def spell_number(display: str) -> str:
    """'1-800-368-3665' -> 'one, eight hundred, three six eight, three six six five'."""
    groups = [group for group in display.replace(" ", "-").split("-") if group]
    return ", ".join("eight hundred" if group == "800" else " ".join(DIGITS[int(d)] for d in group if d.isdigit())
                     for group in groups)


def contact_desk(presenter: Presenter, contact_id: str) -> str | None:
    return presenter.flow.contacts[contact_id].get("desk")


def desk_advice(presenter: Presenter, outcome: str, answers: dict[str, str], desk: str,
                sent_back: bool) -> DeskAdvice:
    """The outcome as the agent of ``desk`` handles it."""
    contact = presenter.main_contact(outcome)
    own = contact_desk(presenter, contact.id) == desk
    staff = presenter.text["staff"]
    words = presenter.words(outcome)
    escalate = (words.get("staff") or {}).get("escalate") or staff["desks"][desk]["escalate"]
    return DeskAdvice(
        contact=contact,
        own_desk=own,
        steps=presenter.steps(outcome, answers),
        escalate=escalate,
        transfer=None if own else presenter.text["contacts"][contact.id].get("transfer"),
        spelled=spell_number(contact.phone["display"]) if contact.phone else None,
        sent_back=staff["sent_back"].format(contact=contact.name) if sent_back else None,
    )


def cause(presenter: Presenter, outcome: str) -> str:
    words = presenter.words(outcome)
    return (words.get("staff") or {}).get("cause") or words["answer"]


def ticket_summary(presenter: Presenter, position: Position, *, call_id: str, desk: str, assumed: list[str],
                   sent_back: bool, code: str | None, flow_version: str, when: dt.datetime) -> str:
    """Plain text in the help-desk shape: Issue / Environment / Resolution / Cause, then ids and times."""
    node = presenter.flow.nodes[position.current]
    title = presenter.words(position.current)["title"]
    lines = [f"Issue: {title if node.is_outcome else 'not finished, at: ' + title}", "Environment:"]
    lines += [f"- {row.question}: {row.answer}{' (assumed)' if row.node_id in assumed else ''}"
              for row in presenter.answer_rows(position)] or ["- no answers yet"]
    if node.is_outcome:
        advice = desk_advice(presenter, position.current, position.answers, desk, sent_back)
        contact = advice.contact
        handled = (f"Handled here at tier 1 ({contact.name})." if advice.own_desk
                   else f"Referred to {contact.name}"
                   + (f", {contact.phone['display']}." if contact.phone else "."))
        lines += [f"Resolution: {title}. {handled}", f"Cause: {cause(presenter, position.current)}"]
        if sent_back:
            lines.append("Escalation: caller was sent back by the other desk; escalated to tier 2")
    lines += [f"Reference code: {code or 'none'}",
              f"Call: {call_id} | {when.astimezone(dt.timezone.utc):%Y-%m-%d %H:%M} UTC | flow version {flow_version}"]
    return "\n".join(lines)
