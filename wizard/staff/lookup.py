"""Look up a reference code a caller reads out, and carry on from it as a call.

Endpoints:
- ``staff.lookup``          GET  /staff/lookup              the form; ``?code=`` (as typed: any case, with or
                                                             without the dash) goes to the code's own page
- ``staff.lookup_code``     GET  /staff/lookup/<code>       the path (each question and answer), the outcome
                                                             and the flow version the code was made on
- ``staff.lookup_continue`` POST /staff/lookup/<code>/continue  ``step=N``: a new call with the code's answers,
                                                             303 to step N (0 = the first question; N = the outcome)

Looking up is rate-limited per address (CODE_LOOKUP_LIMIT; ``?code=`` with text that is
not a code counts too) and each lookup is written to the audit log as the agent and
the code it found, or "unknown": never anything about the caller, and never what was
typed when it does not stand for a result.
"""
from __future__ import annotations

import logging

from flask import current_app, redirect, render_template, request, url_for
from flask_login import current_user

from wizard.answers.call import carry_on_from_code, find_call, start_call
from wizard.code_lookup import Lookup, look_up, near_codes
from wizard.core.reference_codes import MAX_TYPED, format_code, long_date, normalise, spoken
from wizard.core.engine import Engine, Position
from wizard.core.staff_view import another_desks_outcome
from wizard.extensions import limiter
from wizard.staff import accounts, bp, presenter, staff_message

log = logging.getLogger(__name__)

# state -> status; the message is staff.messages.lookup_<state> ({code}: the code, formatted).
PROBLEMS = {"empty": 400, "malformed": 400, "unknown": 404, "bad_step": 400}


UNKNOWN = "unknown"  # the audit target of a lookup that found nothing
LOOKUP_SCOPE = "staff-code-lookup"  # one CODE_LOOKUP_LIMIT budget for every staff lookup page


def engine() -> Engine:
    return current_app.extensions["triage_engine"]


def lookup_limit() -> str:
    return current_app.config["CODE_LOOKUP_LIMIT"]


def problem_page(state: str, code: str | None = None, typed: str = ""):
    """The lookup form again with what went wrong, and the status that says it."""
    status = PROBLEMS[state]
    typed = typed[:MAX_TYPED]  # shown back in the box to correct: never stored or logged
    message = staff_message(f"lookup_{state}", code=format_code(code) if code else "")
    near = near_codes(typed) if state in ("malformed", "unknown") else []
    return render_template("staff/lookup.html", error=message, typed=typed, found=None,
                           near=format_code(near[0]) if len(near) == 1 else None,
                           words=typed.strip() if state == "malformed" else None), status


def typed_lookup_cost() -> int:
    """``/staff/lookup?code=`` counts against the lookup limit when what was typed is not a code (it is
    audited here); a well-formed code costs nothing here, only on its own page, where it is looked up."""
    typed = request.args.get("code")
    return 1 if typed is not None and typed.strip() and normalise(typed) is None else 0


@bp.get("/lookup")
@limiter.shared_limit(lookup_limit, scope=LOOKUP_SCOPE, cost=typed_lookup_cost,
                      exempt_when=lambda: "code" not in request.args)  # the empty form is never refused
def lookup():
    if "code" not in request.args:
        return render_template("staff/lookup.html", error=None, typed="", found=None)
    typed = request.args["code"]
    if not typed.strip():
        return problem_page("empty")
    code = normalise(typed)
    if code is None:
        accounts.audit("lookup", current_user.id, UNKNOWN)  # the attempt, never what was typed
        return problem_page("malformed", typed=typed)
    return redirect(url_for("staff.lookup_code", code=code), code=303)


def found_code(typed: str) -> tuple[Lookup, object | None]:
    """Look the code up and audit it; the second item is the page to show instead when it is not usable."""
    found = look_up(typed)  # an earlier version's code with the database gone: the outage page (unavailable.py)
    # The code only when it stands for something: an unknown one is whatever the agent typed or misheard.
    accounts.audit("lookup", current_user.id, found.code if found.state == "found" else UNKNOWN)
    if found.state != "found":
        log.info("staff lookup: %s", found.state)
        return found, problem_page(found.state, found.code, typed=found.code or typed)
    return found, None


def path_of(found: Lookup) -> Position:
    """The saved answers replayed through today's flow: the answers it still follows, and where they lead."""
    return engine().walk(found.saved.answers)


@bp.get("/lookup/<code>")
@limiter.shared_limit(lookup_limit, scope=LOOKUP_SCOPE)
def lookup_code(code: str):
    found, problem = found_code(code)
    if problem:
        return problem
    saved, present = found.saved, presenter()
    position = path_of(found)
    nodes = engine().flow.nodes
    context = dict(
        code=found.code, formatted=format_code(found.code), spoken=spoken(found.code),
        rows=present.answer_rows(position),
        outcome_title=present.words(saved.outcome)["title"] if saved.outcome in nodes else None,
        outcome_id=saved.outcome,
        today_title=present.words(position.current)["title"] if position.current != saved.outcome else None,
        dropped=len(saved.answers) - len(position.answers),
        flow_version=saved.flow_version, running_version=engine().flow.version,
        kept_since=long_date(found.kept_since) if found.kept_since else None,
        sent_back_possible=another_desks_outcome(present, position.current, current_user.desk),
        sent_back_by=present.main_contact(position.current).staff_name if position.current in nodes
        and nodes[position.current].is_outcome else None,
        into=call_in_progress(),
    )
    return render_template("staff/lookup.html", error=None, typed=found.code, found=context)


@bp.post("/lookup/<code>/continue")
@limiter.shared_limit(lookup_limit, scope=LOOKUP_SCOPE)
def lookup_continue(code: str):
    """A new call carrying the caller's answers (from the code, to confirm); the call opens at the chosen step."""
    found, problem = found_code(code)
    if problem:
        return problem
    answers = list(path_of(found).answers.items())
    step = request.form.get("step", "")
    if not (step.isascii() and step.isdigit() and len(step) <= 3) or int(step) > len(answers):
        return problem_page("bad_step", found.code, typed=found.code)
    outcome = path_of(found).current
    sent_back = request.form.get("sent_back") == "yes" and int(step) == len(answers) \
        and another_desks_outcome(presenter(), outcome, current_user.desk)
    # Every answer of the code comes along, marked "from code" until the caller confirms it; the call opens at
    # the chosen step, its answer from the code shown there (choosing it again confirms it, another is a change).
    kept, sent_back_from = dict(answers), outcome if sent_back else None
    if call := find_call(request.form.get("into", ""), current_user.id):  # the code was read out during a call
        carry_on_from_code(call, kept, found.code, sent_back_from)
    else:
        call = start_call(current_user.id, kept, from_code=found.code, sent_back_from=sent_back_from)
        accounts.audit("call_start", current_user.id, call.id)
    if int(step) < len(answers):
        return redirect(url_for("staff.call_node", call_id=call.id, node_id=answers[int(step)][0]), code=303)
    return redirect(url_for("staff.call", call_id=call.id), code=303)


def call_in_progress() -> str | None:
    """The agent's own call this lookup was opened from (``?into=``: a code typed into the call's search)."""
    call = find_call(request.args.get("into", ""), current_user.id)
    return call.id if call else None
