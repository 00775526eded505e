"""Call mode: an agent takes a caller through the same flow, with the answers kept server-side per call."""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from flask import Response, abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from wizard.answers.call import answers_of, find_call, set_answers, start_call
from wizard.code_lookup import look_up
from wizard.core.reference_codes import age_in_words, code_for, format_code, normalise
from wizard.core.engine import Engine, NotOnPath, Position, UnknownOption
from wizard.core.presenters import Presenter
from wizard.core.search import Search
from wizard.core.staff_view import DeskAdvice, another_desks_outcome, desk_advice, escalation_reasons, ticket_summary
from wizard.extensions import db, limiter
from wizard.models import Call, CallChange, utcnow
from wizard.staff import accounts, bp, minutes_unit, presenter, staff_message
from wizard.staff.lookup import LOOKUP_SCOPE, lookup_limit

log = logging.getLogger(__name__)
RECENT_CALLS = 10


def engine() -> Engine:
    return current_app.extensions["triage_engine"]


def search() -> Search:
    return current_app.extensions["triage_search"]


def flow_version() -> str:
    return getattr(engine().flow, "version", "unversioned")


def the_call(call_id: str) -> Call:
    """This agent's call, or 404 (another agent's call is not theirs to see)."""
    call = find_call(call_id, current_user.id)
    if call is None:
        abort(404)
    return call


def position_of(call: Call) -> Position:
    return engine().walk(answers_of(call))


@dataclass(frozen=True)
class CallView:
    """What a call's page and its ticket summary both read, worked out once per request (view_of)."""

    desk: str  # the agent's
    language: str  # the caller's
    code: str | None  # the reference code of the answers
    from_code: list[str]  # answers opened from a code and not yet confirmed
    escalated: str | None
    resolved: bool
    now: dt.datetime


def view_of(call: Call, position: Position) -> CallView:
    return CallView(current_user.desk, caller_language(call), answers_code(position), unconfirmed(call),
                    escalated(call), resolved(call), utcnow())


def summary_text(call: Call, position: Position, view: CallView, advice: DeskAdvice | None = None) -> str:
    """The ticket summary (``advice``: the desk's advice at ``position.current``, when already worked out)."""
    return ticket_summary(presenter(), position, call_id=call.id, desk=view.desk, assumed=call.assumed,
                          sent_back=call.sent_back, code=call.from_code, flow_version=flow_version(),
                          started=call.created_at, answers_code=view.code,
                          from_code=view.from_code, story=story(call), escalated=view.escalated,
                          resolved=view.resolved, caller_language=language_name(view.language),
                          now=view.now, advice=advice)


def caller_link(position: Position, language: str) -> str | None:
    """The saved result's address in the caller's language (/es/r/<code>), to give them."""
    if not engine().flow.nodes[position.current].is_outcome:
        return None
    code = code_for(flow_version(), position.answers_before(position.current))
    values = {} if language == "en" else {"lang": language}
    return url_for("public.saved", code=code, _external=True, **values)


def answers_code(position: Position) -> str | None:
    """The reference code of the answers that reach the outcome (codes are a pure function of the answers)."""
    if not engine().flow.nodes[position.current].is_outcome:
        return None
    return format_code(code_for(flow_version(), position.answers_before(position.current)))


def last_kind(call: Call) -> dict[str, str]:
    """For each node, the kind of the call's latest change to it."""
    return {change.node: change.kind for change in call.changes if change.node}


def unconfirmed(call: Call) -> list[str]:
    """Answers read out from a code (by whoever had it) that the agent has not yet confirmed on the call."""
    answers = answers_of(call)
    return [node for node, kind in last_kind(call).items() if kind == "from_code" and node in answers]


def opened_from_code(call: Call) -> bool:
    """The call took its answers from a reference code (read out by the caller, or by someone for them)."""
    return any(change.kind == "from_code" for change in call.changes)


def last_resolution(call: Call) -> CallChange | None:
    """The agent's latest "the steps worked" or "escalate" on the call: the latest one counts."""
    return next((change for change in reversed(call.changes) if change.kind in ("resolved", "escalate")), None)


def resolved(call: Call) -> bool:
    """The agent said the tier-1 steps worked."""
    action = last_resolution(call)
    return action is not None and action.kind == "resolved"


def escalated(call: Call) -> str | None:
    """The reason key of the call's escalation to tier 2, if that is the agent's latest action."""
    action = last_resolution(call)
    return (action.after or None) if action is not None and action.kind == "escalate" else None


def caller_language(call: Call) -> str:
    """The language the agent reads the call's questions in: the latest one set (`language` actions), else English."""
    chosen = next((change.after for change in reversed(call.changes) if change.kind == "language"), None)
    return chosen if chosen in current_app.extensions["triage_presenters"] else "en"


def language_name(code: str) -> str:
    """A language's name in English, for agents and the ticket (staff.languages), else its own name."""
    names = presenter().text["staff"].get("languages") or {}
    return names.get(code) or current_app.extensions["triage_presenters"][code].text.get("language_name", code)


def story(call: Call) -> list[str]:
    """The call's story for the ticket: each answer, change, assumption and action, with its clock time (UTC).

    An answer assumed by a search (or read from a code) and then confirmed as it was is one line, which says
    when it was confirmed: the ticket reads each fact once (the call's answers page keeps both lines)."""
    def clock(item: dict) -> str:
        return f"{item['at'].astimezone(dt.timezone.utc):%H:%M:%S}"
    lines, open_line = [], {}  # open_line: question -> index of its assumed line not yet changed or confirmed
    for item in history(call):
        question = item["question"]
        if item["kind"] == "confirmed" and question in open_line:
            at = open_line.pop(question)
            lines[at] += story_words()["then_confirmed"].format(time=clock(item))
            continue
        if item["kind"] in ("assumed", "from_code") and question:
            open_line[question] = len(lines)
        elif question:
            open_line.pop(question, None)
        lines.append(f"{clock(item)} {story_line(item)}")
    return lines


def story_words() -> dict[str, str]:
    return presenter().text["staff"]["ticket"]["story_lines"]


def story_line(item: dict) -> str:
    """One line of the Story, worded in content (staff.ticket.story_lines)."""
    said = story_words()
    kind, words = item["kind"], {"question": item["question"], "answer": item["answer"], "before": item["before"]}
    if kind == "answer" and item["at_outcome"]:  # a way on from an outcome ("Use DS Logon instead")
        return said["went_on"].format(**words)
    if kind in ("answer", "change", "assumed", "confirmed") or (kind == "from_code" and item["question"]):
        return said[kind].format(**words)
    if kind == "from_code":
        return said["opened_from_code"].format(code=format_code(item["target"]))
    if kind == "sent_back":
        by = said["sent_back_by"].format(desk=item["desk"]) if item.get("desk") else ""
        return said["sent_back"].format(by=by) if item["target"] == "yes" else said["sent_back_removed"]
    if kind == "resumed":
        minutes = int(item["target"])
        return said["resumed"].format(minutes=minutes, unit=minutes_unit(minutes))
    if kind == "language":
        return said["language"].format(language=language_name(item["target"]))
    if kind == "jump" and item["target"] in engine().flow.nodes:
        return said["jump"].format(title=presenter().words(item["target"])["title"])
    return said.get(kind, kind)


def skipped_titles() -> list[str]:
    """Questions the last answer skipped over because earlier answers already settled them."""
    nodes = engine().flow.nodes
    return [presenter().words(node)["title"] for node in request.args.get("skipped", "").split(",") if node in nodes]


@bp.get("/")
def home():
    calls = db.session.scalars(select(Call).where(Call.staff_id == current_user.id)
                               .order_by(Call.created_at.desc()).limit(RECENT_CALLS))
    recent = [(call, presenter().words(position_of(call).current)["title"]) for call in calls]
    return render_template("staff/home.html", recent=recent)


@bp.post("/calls")
def new_call():
    call = start_call(current_user.id)
    accounts.audit("call_start", current_user.id, call.id)
    if words := request.form.get("q", "")[:80].strip():  # "start a call and search these words"
        return redirect(url_for("staff.call_search", call_id=call.id, q=words), code=303)
    return redirect(url_for("staff.call", call_id=call.id), code=303)


@bp.post("/map/<node_id>/call")
def call_from_map(node_id: str):
    """"Start a call here" on a flow map page: a new call at that node, the answers on the way assumed."""
    path = search().paths.get(node_id)
    if path is None:
        abort(404)
    answers = dict(path)
    call = start_call(current_user.id, answers, assumed=list(answers))
    call.changes.append(CallChange(kind="jump", after=node_id))
    db.session.commit()
    accounts.audit("call_start", current_user.id, call.id)
    return redirect(url_for("staff.call", call_id=call.id), code=303)




@bp.get("/calls/<call_id>")
def call(call_id: str):
    the = the_call(call_id)
    position = position_of(the)
    notice = staff_message("answer_expired") if request.args.get("expired") else None
    return render_call(the, position, position.current, notice=notice, offer=offered(position))


def offered(position: Position) -> dict | None:
    """After a login that the idle limit made: the answer the agent's key chose, to apply with one key."""
    node_id, _, key = request.args.get("offer", "").partition(".")
    nodes = engine().flow.nodes
    if node_id == "jump":  # a search result: "jump.<node>"
        return {"jump": key, "label": presenter().words(key)["title"]} if key in search().paths else None
    if node_id not in nodes or key not in nodes[node_id].options or not position.is_on_path(node_id):
        return None
    return {"node_id": node_id, "key": key, "question": presenter().words(node_id)["title"],
            "label": presenter().option_label(node_id, key)}


@bp.get("/calls/<call_id>/q/<node_id>")
def call_node(call_id: str, node_id: str):
    the = the_call(call_id)
    position = position_of(the)
    if node_id not in engine().flow.nodes or not position.is_on_path(node_id):
        return redirect(url_for("staff.call", call_id=call_id))
    return render_call(the, position, node_id)


@bp.post("/calls/<call_id>/q/<node_id>")
def call_answer(call_id: str, node_id: str):
    the = the_call(call_id)
    before = position_of(the)
    key = request.form.get("choice", "")
    try:
        after = engine().answer(answers_of(the), node_id, key)  # the same engine call as the public pages
    except (NotOnPath, UnknownOption):
        log.info("call answer refused at node=%s", node_id)
        return render_call(the, before, before.current, status=409 if node_id != before.current else 400,
                           notice="That answer was not for the question this call is on, so it was not used.")
    was_unconfirmed = node_id in the.assumed or node_id in unconfirmed(the)
    same = answers_of(the).get(node_id) == key
    set_answers(the, after.answers)
    if same and was_unconfirmed:  # the agent chose it with the caller: no longer assumed or only from a code
        the.assumed = [node for node in the.assumed if node != node_id]
        the.changes.append(CallChange(kind="confirmed", node=node_id, after=key))
    db.session.commit()
    return redirect(url_for("staff.call", call_id=call_id, skipped=",".join(skipped_ahead(after, node_id)) or None),
                    code=303)


@bp.get("/calls/<call_id>/escalate")
def call_escalate_reasons(call_id: str):
    """The desk's tier-2 reasons as numbered buttons: `e` then one digit escalates."""
    the = the_call(call_id)
    position = position_of(the)
    present = presenter()
    if not engine().flow.nodes[position.current].is_outcome \
            or present.main_contact(position.current).desk != current_user.desk:
        return redirect(url_for("staff.call", call_id=call_id), code=303)
    return render_template("staff/call_escalate.html", call=the, title=present.words(position.current)["title"],
                           reasons=escalation_reasons(present, current_user.desk))


@bp.post("/calls/<call_id>/escalate")
def call_escalate(call_id: str):
    """Escalate an own-desk outcome to tier 2, for one of the desk's reasons (content: escalate_when)."""
    the = the_call(call_id)
    reason = request.form.get("reason", "")
    if reason not in escalation_reasons(presenter(), current_user.desk):
        abort(400)
    the.changes.append(CallChange(kind="escalate", after=reason))
    return saved_and_back(call_id)


@bp.post("/calls/<call_id>/language")
def call_language(call_id: str):
    """Read this call's questions in the caller's language (a bilingual agent); the ticket stays English."""
    the = the_call(call_id)
    language = request.form.get("language", "")
    if language not in current_app.extensions["triage_presenters"]:
        abort(400)
    the.changes.append(CallChange(kind="language", after=language))
    return saved_and_back(call_id)


@bp.post("/calls/<call_id>/resolved")
def call_resolved(call_id: str):
    """The tier-1 steps worked: the ticket says "Resolved at tier 1" only after the agent says so."""
    the = the_call(call_id)
    the.changes.append(CallChange(kind="resolved"))
    return saved_and_back(call_id)


@bp.post("/calls/<call_id>/confirm")
def call_confirm(call_id: str):
    """The agent read the assumed answers (and those from a code) back, and the caller said yes to each."""
    the = the_call(call_id)
    answers = answers_of(the)
    for node in [*the.assumed, *(node for node in unconfirmed(the) if node not in the.assumed)]:
        if node in answers:
            the.changes.append(CallChange(kind="confirmed", node=node, after=answers[node]))
    the.assumed = []
    return saved_and_back(call_id)


def saved_and_back(call_id: str):
    """Commit what an action changed and show the call again (303: a reload never repeats the action)."""
    db.session.commit()
    return redirect(url_for("staff.call", call_id=call_id), code=303)


def skipped_ahead(after: Position, node_id: str) -> list[str]:
    """Questions after ``node_id`` that the replay answered from the call's earlier answers."""
    path = list(after.answers)
    return path[path.index(node_id) + 1:] if node_id in path else []


@bp.post("/calls/<call_id>/sent-back")
def call_sent_back(call_id: str):
    the = the_call(call_id)
    position = position_of(the)
    if not the.sent_back and not another_desks_outcome(presenter(), position.current, current_user.desk):
        return render_call(the, position, position.current, status=409,
                           notice=presenter().text["staff"]["sent_back_refused"])
    the.sent_back = not the.sent_back
    the.changes.append(CallChange(kind="sent_back", node=position.current, after="yes" if the.sent_back else "no"))
    return saved_and_back(call_id)


@bp.get("/calls/<call_id>/answers")
def call_answers(call_id: str):
    the = the_call(call_id)
    position = position_of(the)
    return render_template("staff/call_answers.html", call=the, position=position,
                           rows=presenter().answer_rows(position), history=history(the),
                           change_url=lambda node: url_for("staff.call_node", call_id=call_id, node_id=node))


@bp.get("/calls/<call_id>/search")
@limiter.shared_limit(lookup_limit, scope=LOOKUP_SCOPE, cost=lambda: 1 if normalise(request.args.get("q", "")) else 0)
def call_search(call_id: str):
    the = the_call(call_id)
    query = request.args.get("q", "")[:80]
    if is_a_known_code(query):  # a reference code the caller read out: its own page, looked up and audited there
        return redirect(url_for("staff.lookup_code", code=normalise(query), into=call_id), code=303)
    return render_template("staff/call_search.html", call=the, query=query, results=search().find(query),
                           tips=search().tips(query))


def is_a_known_code(typed: str) -> bool:
    """Typed text that is a code somebody was given (8 letters could also be a word, like "teenager")."""
    return normalise(typed) is not None and look_up(typed).state == "found"


@bp.post("/calls/<call_id>/jump")
def call_jump(call_id: str):
    """Fill in the shortest path's answers to the chosen node, marked as assumed."""
    the = the_call(call_id)
    target = request.form.get("node", "")
    path = search().paths.get(target)
    if path is None:
        abort(400)
    answers, given = dict(path), answers_of(the)
    # Only what the jump fills in is assumed: an answer the caller already gave, and the jump keeps, stays theirs.
    the.changes.append(CallChange(kind="jump", after=target))  # the Story: the jump, then what it assumed
    set_answers(the, answers, assumed=[node for node in answers if given.get(node) != answers[node]], kind="assumed")
    return saved_and_back(call_id)


@bp.get("/calls/<call_id>/summary.txt")
def call_summary(call_id: str):
    the = the_call(call_id)
    position = position_of(the)
    return Response(summary_text(the, position, view_of(the, position)) + "\n", mimetype="text/plain")


def history(call: Call) -> list[dict]:
    """The call's story in words: what was answered, changed or assumed, and when."""
    words = []
    for change in call.changes:
        question = presenter().words(change.node)["title"] if change.node in engine().flow.nodes else None
        label = option_label(change.node, change.after)
        at_outcome = change.node in engine().flow.nodes and engine().flow.nodes[change.node].is_outcome
        words.append({"at": change.at, "kind": change.kind, "question": question, "answer": label,
                      "at_outcome": at_outcome,
                      "before": option_label(change.node, change.before), "target": change.after,
                      "desk": sent_back_by(change)})
        words[-1]["line"] = story_line(words[-1])
    return words


def sent_back_by(change: CallChange) -> str | None:
    """For a "sent back" change: the desk of the outcome it was marked at (the one that sent the caller back)."""
    if change.kind != "sent_back" or change.node not in engine().flow.nodes \
            or not engine().flow.nodes[change.node].is_outcome:
        return None
    return presenter().main_contact(change.node).staff_name


def option_label(node_id: str | None, key: str | None) -> str | None:
    nodes = engine().flow.nodes
    if node_id in nodes and key in nodes[node_id].options:
        return presenter().ticket_label(node_id, key)
    return key


def ticket_prompts(present: Presenter, node_id: str, sent_back: bool = False, for_tier2: bool = False,
                   from_code: bool = False) -> list[tuple[str, dict]]:
    """The ticket boxes in order (`t` goes to the first): on a call for tier 2 (escalated or sent back) the box
    tier 2 needs (`tier2`: the callback); then those this call puts first (`first_at`: the age, where the exact
    age decides what the caller is told; `sent_back`: what the other desk said, only for a caller it sent
    back; `from_code`: who is calling, on a call opened from a code); then the rest as the content lists them."""
    prompts = [(key, prompt) for key, prompt in present.text["staff"]["prompts"].items()
               if sent_back or not prompt.get("sent_back")]

    def place(item: tuple[str, dict]) -> int:
        prompt = item[1]
        if for_tier2 and prompt.get("tier2"):
            return 0
        first = node_id in prompt.get("first_at", ()) or prompt.get("sent_back") or (from_code and prompt.get("from_code"))
        return 1 if first else 2
    return sorted(prompts, key=place)


CALL_PAGES = {  # the call's addresses the call page links, under its own: url_for of each endpoint is the same
    "staff.call_jump": "/jump", "staff.call_language": "/language", "staff.call_resolved": "/resolved",
    "staff.call_escalate_reasons": "/escalate", "staff.call_sent_back": "/sent-back", "staff.call_confirm": "/confirm",
    "staff.call_answers": "/answers", "staff.call_search": "/search", "staff.call_summary": "/summary.txt",
    "staff.call_node": "/q/", "staff.call_answer": "/q/",  # then the node id
}  # (tests/staff/test_call_page.py checks that each is url_for's own address)


def call_address(call_id: str) -> str:
    """The call page's address; its other pages' are this plus CALL_PAGES (node ids and keys need no quoting)."""
    return url_for("staff.call", call_id=call_id)


def call_links(call_id: str) -> dict[str, str]:
    """Endpoint -> the address of that page of the call, as url_for builds it (for a node's page, the node id
    follows), for the cost of one url_for a page (CALL_PAGES)."""
    address = call_address(call_id)
    return {endpoint: address + under for endpoint, under in CALL_PAGES.items()}


def render_call(the: Call, position: Position, node_id: str, *, status: int = 200, notice: str | None = None,
                offer: dict | None = None):
    """A question of the call (with what to say and listen for) or its outcome (with the desk's view).

    Each value the page and its ticket summary share (CallView, the desk's advice) is worked out once here."""
    present = presenter()
    presenters = current_app.extensions["triage_presenters"]
    view = view_of(the, position)
    desk, language, code, now = view.desk, view.language, view.code, view.now
    links = call_links(the.id)
    nodes = engine().flow.nodes
    node = nodes[node_id]
    previous = position.previous(node_id)
    spoken = presenters[language]
    words = present.words(node_id)
    caller_words = spoken.words(node_id) if language != "en" else words
    advice = desk_advice(present, node_id, position.answers, desk, the.sent_back, now=now) if node.is_outcome else None
    current_advice = advice if node_id == position.current else \
        desk_advice(present, position.current, position.answers, desk, the.sent_back, now=now) \
        if nodes[position.current].is_outcome else None
    for_tier2 = bool(node.is_outcome and (the.sent_back or view.escalated))
    opened = opened_from_code(the)
    tier2_empty = bool(node.is_outcome and (view.escalated or advice.sent_back))  # a tier-2 prompt says it is needed
    context = dict(
        caller_language=language, languages=presenters,
        language_name=language_name,
        say=caller_words.get("say") or words.get("say"), listen=caller_words.get("listen") or words.get("listen"),
        said_in=language if caller_words.get("say") else "en",
        call=the, node_id=node_id, node=node, words=words, options=present.offered_options(node_id),
        selected=position.answers.get(node_id), rows=present.answer_rows(position), notice=notice, offer=offer,
        skipped=skipped_titles(),
        summary=summary_text(the, position, view, current_advice),
        position=position,
        prompts=ticket_prompts(present, node_id, the.sent_back, for_tier2, opened),
        # What the kept parts of the page (wizard/public/fragments.py kept) read, besides node_id and selected.
        prompts_key=(node_id, the.sent_back, for_tier2, opened, tier2_empty),
        steps_key=tuple(advice.steps) if advice else None,
        from_code=view.from_code,
        links=links,
        back_url=links["staff.call_node"] + previous if previous else None,
        change_url=lambda node: links["staff.call_node"] + node,
    )
    if node.is_outcome:
        staff = present.text["staff"]
        desk_name = staff["desks"][desk]["name"]
        context.update(advice=advice,
                       open_words=staff["open_now"],
                       escalated_say=staff["escalated_say"].format(code=code),
                       reasons=escalation_reasons(present, desk), escalated=view.escalated,
                       resolved=view.resolved,
                       answers_code=code,
                       caller_link=caller_link(position, language),
                       desks=staff["desks"],
                       desk_name=desk_name,
                       escalated_heading=staff["escalated_heading"].format(desk=desk_name),
                       contacts=present.contacts(node_id), notes=present.notes(node_id))
    return render_template("staff/call.html", **context), status


@bp.app_template_filter("age")
def age(moment: dt.datetime) -> str:
    """'3 minutes ago', for times shown to agents."""
    return age_in_words(moment, utcnow())
