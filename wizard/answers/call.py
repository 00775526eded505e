"""A staff call's answers, kept in the database under the call's random id.

Each change is recorded as a CallChange (what was answered, changed or
assumed, and when), so the agent sees the call's story. Only node ids and
option keys are stored, never anything the caller said in their own words.
"""
from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping

from sqlalchemy.orm import joinedload

from wizard.extensions import db
from wizard.models import Call, CallChange

CALL_ID_BYTES = 12  # 16 url-safe characters: ids cannot be guessed or enumerated


def start_call(staff_id: int, answers: Mapping[str, str] | None = None, assumed: Iterable[str] = (),
               from_code: str | None = None, sent_back_from: str | None = None) -> Call:
    """A new call for this agent, empty or carrying answers (from a code, or a search jump); ``sent_back_from``:
    the outcome whose desk sent the caller back."""
    call = Call(id=secrets.token_urlsafe(CALL_ID_BYTES), staff_id=staff_id, answers=[],
                assumed=[], sent_back=bool(sent_back_from), from_code=from_code)
    db.session.add(call)
    if from_code:
        call.changes.append(CallChange(kind="from_code", after=from_code))
    if sent_back_from:
        call.changes.append(CallChange(kind="sent_back", node=sent_back_from, after="yes"))
    set_answers(call, answers or {}, assumed=assumed, kind="from_code" if from_code else "assumed")
    db.session.commit()
    return call


def carry_on_from_code(call: Call, answers: Mapping[str, str], code: str, sent_back_from: str | None) -> None:
    """A code read out during a call: its answers replace the call's, marked as from the code (the agent
    confirms them with the caller); the call, and what the agent typed for its ticket, stay."""
    call.from_code = code
    call.changes.append(CallChange(kind="from_code", after=code))
    if sent_back_from and not call.sent_back:
        call.sent_back = True
        call.changes.append(CallChange(kind="sent_back", node=sent_back_from, after="yes"))
    set_answers(call, answers, kind="from_code")
    db.session.commit()


def note_resumed(call: Call, idle_minutes: int) -> None:
    """The agent was logged out after the idle limit during this call and logged back in to it."""
    call.changes.append(CallChange(kind="resumed", after=str(idle_minutes)))
    db.session.commit()


def answers_of(call: Call) -> dict[str, str]:
    return {node: key for node, key in call.answers}


def find_call(call_id: str, staff_id: int) -> Call | None:
    """The call, if it exists and belongs to this agent, with its changes (one query: every call page reads them)."""
    call = db.session.get(Call, call_id, options=[joinedload(Call.changes)])
    return call if call is not None and call.staff_id == staff_id else None


def set_answers(call: Call, answers: Mapping[str, str], assumed: Iterable[str] = (), kind: str = "answer") -> None:
    """Replace the call's answers, recording each difference as a change of this kind."""
    before = answers_of(call)
    for node, key in answers.items():
        if before.get(node) != key:
            change_kind = kind if node not in before or kind != "answer" else "change"
            call.changes.append(CallChange(kind=change_kind, node=node, before=before.get(node), after=key))
    call.answers = [[node, key] for node, key in answers.items()]
    still_assumed = [node for node in call.assumed if answers.get(node) == before.get(node) and node in answers]
    call.assumed = list(dict.fromkeys([*still_assumed, *(node for node in assumed if node in answers)]))
