"""What call mode shows an agent: their own desk's actions or a transfer line, and the ticket summary.

Pure functions of the flow, a position and the agent's desk; the staff
blueprint only fetches the call and renders what these return.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from wizard.core.reference_codes import format_code
from wizard.core.engine import Position
from wizard.core.presenters import Contact, Presenter, Step

DIGITS = "zero one two three four five six seven eight nine".split()


@dataclass(frozen=True)
class DeskAdvice:
    """How the agent handles an outcome: fix it here (own desk) or pass the caller on."""

    contact: Contact
    own_desk: bool
    answer: str  # the outcome's one-line answer as this desk reads it (`staff.answer_at_desk` at its own desk)
    steps: list[Step]  # the tier-1 steps the agent walks the caller through (own desk)
    escalate: str  # when to escalate to tier 2 (own desk, or always when sent back)
    transfer: str | None  # what to say to the caller when passing them on (another desk)
    handover: str | None  # what to tell the desk the caller is transferred to (this outcome's case in one line)
    reach: str | None  # how the caller reaches that contact (none when the outcome's own transfer line says it)
    spelled: str | None  # the number spelled for reading aloud
    sent_back: str | None  # the caller was already sent back by that desk
    open_now: bool | None  # by the desk's published hours, now (None: no hours as data)


def spell_number(display: str) -> str:
    """'1-800-368-3665' -> 'one, eight hundred, three six eight, three six six five'."""
    groups = [group for group in display.replace(" ", "-").split("-") if group]
    return ", ".join("eight hundred" if group == "800" else " ".join(DIGITS[int(d)] for d in group if d.isdigit())
                     for group in groups)


def desk_advice(presenter: Presenter, outcome: str, answers: dict[str, str], desk: str,
                sent_back: bool, now: dt.datetime | None = None) -> DeskAdvice:
    """The outcome as the agent of ``desk`` handles it (``now``: to say whether a transfer's desk is open)."""
    contact = presenter.main_contact(outcome)
    own = contact.desk == desk
    staff = presenter.text["staff"]
    words = presenter.words(outcome)
    escalate = (words.get("staff") or {}).get("escalate") or staff["desks"][desk]["escalate"]
    said = words.get("staff") or {}
    own_transfer = said.get("transfer")
    return DeskAdvice(
        contact=contact,
        own_desk=own,
        answer=(own and said.get("answer_at_desk")) or words["answer"],
        steps=presenter.steps(outcome, answers, at_desk=own),
        escalate=escalate,
        # the contact's usual line, unless this outcome says it differently (a 16-year-old cannot message in the portal)
        transfer=None if own else own_transfer or presenter.text["contacts"][contact.id].get("transfer"),
        reach=None if own_transfer else contact.reach,
        handover=None if own or not contact.desk else (words.get("staff") or {}).get("handover") or cause(presenter, outcome),
        spelled=spell_number(contact.phone["display"]) if contact.phone else None,
        # "Sent back" is about another desk; at the agent's own desk the call escalates (e) instead.
        sent_back=staff["sent_back"].format(contact=contact.name) if sent_back and not own and contact.desk else None,
        open_now=None if own or now is None else open_now(presenter.flow.contacts[contact.id].get("hours"), now),
    )


WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def open_now(hours: object, now: dt.datetime) -> bool | None:
    """Whether ``now`` falls in a contact's published hours (``hours.open`` in contacts.yaml), else None."""
    opening = hours.get("open") if isinstance(hours, dict) else None
    if not opening:
        return None
    local = now.astimezone(ZoneInfo(opening["zone"]))
    return WEEKDAYS[local.weekday()] in opening["days"] and opening["from"] <= f"{local:%H:%M}" < opening["to"]


def another_desks_outcome(presenter: Presenter, node_id: str, desk: str) -> bool:
    """An outcome some other help desk handles: the only kind a caller can be "sent back" from."""
    other = presenter.main_contact(node_id).desk if presenter.flow.nodes[node_id].is_outcome else None
    return bool(other) and other != desk


def cause(presenter: Presenter, outcome: str) -> str:
    words = presenter.words(outcome)
    return (words.get("staff") or {}).get("cause") or words["answer"]


def escalation_reasons(presenter: Presenter, desk: str) -> dict[str, str]:
    """The desk's tier-2 criteria, by key (content: staff.desks.<desk>.escalate_when)."""
    return presenter.text["staff"]["desks"][desk].get("escalate_when") or {}


def resolution(presenter: Presenter, advice: DeskAdvice, desk: str, escalated: str | None,
               resolved: bool = False) -> str:
    """The call's one resolution: resolved here (once the agent says the steps worked), still open at tier 1,
    transferred, or escalated (and why)."""
    contact, here = advice.contact, presenter.text["staff"]["desks"][desk]["name"]
    said = presenter.text["staff"]["ticket"]["resolutions"]
    if escalated:
        return said["escalated"].format(here=here, reason=escalation_reasons(presenter, desk).get(escalated, escalated))
    if advice.sent_back:
        return said["sent_back"].format(here=here, contact=contact.staff_name)
    if advice.own_desk:
        return said["resolved" if resolved else "open"].format(contact=contact.staff_name)
    if not contact.phone:
        return said["referred"].format(contact=contact.staff_name, here=here)
    hours = f"; {lower_first(contact.hours.rstrip('.'))}" if contact.hours_published else ""
    closed = advice.open_now is False
    return said["closed" if closed else "transferred"].format(contact=contact.staff_name,
                                                              number=contact.phone["display"], hours=hours)


def ticket_summary(presenter: Presenter, position: Position, *, call_id: str, desk: str, assumed: list[str],
                   sent_back: bool, code: str | None, flow_version: str, started: dt.datetime,
                   answers_code: str | None = None, from_code: list[str] = (), story: list[str] = (),
                   escalated: str | None = None, resolved: bool = False, caller_language: str = "English",
                   now: dt.datetime | None = None, advice: DeskAdvice | None = None) -> str:
    """Plain text in the help-desk shape: Issue / Environment / Story / Resolution / Cause, then ids and times.

    ``advice``: the outcome's desk_advice for this desk, sent_back and ``now``, when the caller already has it.

    ``answers_code`` is the reference code of the answers that reach the outcome; ``code`` the code the call
    was opened from (if any); ``from_code`` the answers read out from a code and not yet confirmed.
    """
    node = presenter.flow.nodes[position.current]
    title = presenter.words(position.current)["title"]
    said = presenter.text["staff"]["ticket"]
    lines = [said["issue"].format(title=title if node.is_outcome else said["not_finished"].format(title=title))]
    if caller_language != "English":  # the ticket stays English; it says what language the call was in
        lines.append(said["caller_language"].format(language=caller_language))
    lines.append(said["environment"])
    rows = presenter.answer_rows(position)
    lines += [f"- {environment_row(presenter, row, position.answers[row.node_id])}"
              f"{marks(presenter, row.node_id, assumed, from_code)}" for row in rows] or [f"- {said['no_answers']}"]
    # The cause follows from the answers: only as far as they are confirmed.
    unconfirmed = any(marks(presenter, row.node_id, assumed, from_code) for row in rows)
    if story:
        lines += [said["story"], *(f"- {line}" for line in story)]
    if node.is_outcome:
        if advice is None:
            advice = desk_advice(presenter, position.current, position.answers, desk, sent_back, now=now)
        lines.append(said["resolution"].format(resolution=resolution(presenter, advice, desk, escalated, resolved)))
        if advice.handover and not (escalated or advice.sent_back):  # what the next desk was told, in one line
            lines.append(said["handover"].format(desk=advice.contact.staff_name, handover=advice.handover.rstrip(".")))
        elif advice.handover and advice.sent_back:  # tier 2 takes it up with the desk that sent the caller back
            lines.append(said["sent_back_fix"].format(desk=advice.contact.staff_name,
                                                      cause=cause(presenter, position.current)))
        # What the caller was told, in a line: the outcome's `staff.told` where it has one, else its answer.
        told = (presenter.words(position.current).get("staff") or {}).get("told")
        if not advice.contact.desk and not escalated:  # a referral (a clinic, VA)
            lines.append(said["told"].format(told=told or presenter.words(position.current)["answer"]))
        elif advice.own_desk and not (escalated or advice.sent_back):  # handled here (the answer as this desk reads it)
            lines.append(said["told"].format(told=told or advice.answer))
        lines.append(said["cause_unconfirmed" if unconfirmed else "cause"].format(
            cause=cause(presenter, position.current)))
    code = format_code(code) if code else None
    shown = answers_code or code
    opened = said["opened_from"].format(code=code) if code and code != shown else ""
    lines += [said["code"].format(code=shown or said["no_code"]) + opened,
              said["call"].format(call_id=call_id, started=f"{started.astimezone(dt.timezone.utc):%Y-%m-%d %H:%M}",
                                  version=flow_version)]
    return "\n".join(lines)


def environment_row(presenter: Presenter, row, key: str) -> str:
    """An answer as the ticket's Environment lists it (in its ticket wording); a way on from an outcome says so."""
    answer = presenter.ticket_label(row.node_id, key)
    if presenter.flow.nodes[row.node_id].is_outcome:
        return presenter.text["staff"]["ticket"]["went_on"].format(question=row.question, answer=answer)
    return f"{row.question}: {answer}"


def lower_first(words: str) -> str:
    """'Open Monday to Friday' -> 'open Monday to Friday', to follow a semicolon."""
    return words[:1].lower() + words[1:]


def marks(presenter: Presenter, node_id: str, assumed: list[str], from_code: list[str]) -> str:
    said = presenter.text["staff"]["ticket"]
    if node_id in from_code:
        return said["from_code_mark"]
    return said["assumed_mark"] if node_id in assumed else ""
