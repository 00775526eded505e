"""The public wizard pages: start, one question per page, outcome, answers."""
from __future__ import annotations

import logging

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError

from wizard.answers import cookie as saved
from wizard.codes import code_for_outcome
from wizard.core.engine import Engine, NotOnPath, Position, UnknownOption
from wizard.core.presenters import Presenter
from wizard.public.forms import AnswerForm

log = logging.getLogger(__name__)
bp = Blueprint("public", __name__)

# Notices a page may show above its content; pages pass the key, never the text.
NOTICES = {
    "reset": "We could not read your saved answers, so you are starting again. Nothing personal was stored.",
    "not_reached": "You have not reached that question yet. Here is the question you are on.",
    "not_on_question": "That answer was for a question you are not on, so we did not use it. "
                       "Here is the question you are on.",
    "expired": "This page was open for a long time, so for your security we could not accept it. "
               "Your earlier answers are kept: answer this question again.",
    "expired_no_answers": "We could not accept that page: it was open for a long time, or your browser did not "
                          "keep this tool's cookie. Please answer from this question.",
    "restarted": "Your answers have been cleared. You are starting again.",
}


def engine() -> Engine:
    return current_app.extensions["triage_engine"]


def presenter() -> Presenter:
    return current_app.extensions["triage_presenter"]


def current_position() -> tuple[Position, str | None]:
    """The person's position, and a notice when their saved answers were unusable."""
    answers, unusable = saved.load_answers()
    if unusable:
        log.info("discarded an unreadable session")
        saved.clear_answers()
    return engine().walk(answers), "reset" if unusable else None


def change_url(node_id: str) -> str:
    return url_for("public.show", node_id=node_id)


def notice_from_query() -> str | None:
    notice = request.args.get("notice")
    return notice if notice in NOTICES else None


def require_node(node_id: str) -> None:
    if node_id not in engine().flow.nodes:
        abort(404)


def answer_form(node_id: str) -> AnswerForm:
    words = presenter().words(node_id)
    return AnswerForm.for_options(presenter().offered_options(node_id), words.get("error", "Select an option"))


def render_node(node_id: str, position: Position, *, error: str | None = None, chosen: str | None = None,
                notice: str | None = None, status: int = 200):
    """The page for a question or an outcome, at the person's position.

    ``error`` and ``chosen`` come from a refused answer. No form object is built
    here: the page needs only the CSRF token, and building a WTForms form costs
    more than the rest of the page (measured with cProfile).
    """
    present = presenter()
    node = engine().flow.nodes[node_id]
    previous = position.previous(node_id)
    context = dict(
        node_id=node_id,
        words=present.words(node_id),
        options=present.offered_options(node_id),
        error=error,
        selected=chosen or position.answers.get(node_id),
        back_url=url_for(".show", node_id=previous) if previous else url_for(".start"),
        notice=notice,
        has_answers=bool(position.answers),
        change_url=change_url,
    )
    if node.is_outcome:
        template = "public/outcome.html"
        context.update(steps=present.steps(node_id, position.answers), notes=present.notes(node_id),
                       contacts=present.contacts(node_id), main_contact=present.main_contact(node_id),
                       sources=present.sources(node_id), rows=present.answer_rows(position),
                       no_secrets=present.page_text("no_secrets"),
                       reference=code_for_outcome(position, node_id))  # None when the database is down
    else:
        template = "public/question.html"
    return render_template(template, **context), status


@bp.app_context_processor
def notice_text() -> dict:
    """`notice_text(key)` in templates: the wording of a notice, or None."""
    return {"notice_text": NOTICES.get}


@bp.get("/")
def start():
    position, notice = current_position()
    first = engine().flow.start
    return render_template("public/start.html", in_progress=position.current != first, notice=notice,
                           start_ways=presenter().page_text("start_ways"))


@bp.post("/start")
def begin():
    """Start now: a fresh start, so a shared phone never shows the last person's answers."""
    saved.clear_answers()
    return redirect(url_for(".show", node_id=engine().flow.start), code=303)


@bp.get("/q/<node_id>")
def show(node_id: str):
    require_node(node_id)
    position, notice = current_position()
    if not position.is_on_path(node_id):
        return redirect(url_for(".show", node_id=position.current, notice=notice or "not_reached"))
    return render_node(node_id, position, notice=notice or notice_from_query())


@bp.post("/q/<node_id>")
def answer(node_id: str):
    require_node(node_id)
    position, notice = current_position()
    form = answer_form(node_id)
    if not form.validate_on_submit():
        log.info("answer at node=%s refused: no valid option chosen", node_id)
        return render_node(node_id, position, error=form.chosen_error(), chosen=form.choice.data, status=400)
    try:
        position = engine().answer(position, node_id, form.choice.data)
    except NotOnPath:
        log.info("answer for node=%s refused: person is at node=%s", node_id, position.current)
        return render_node(position.current, position, notice=notice or "not_on_question", status=409)
    except UnknownOption:
        return render_node(node_id, position, error=presenter().words(node_id).get("error"), status=400)
    saved.save_answers(position.answers)
    log.info("answer node=%s option=%s next=%s", node_id, form.choice.data, position.current)
    return redirect(url_for(".show", node_id=position.current), code=303)


@bp.get("/answers")
def answers():
    position, notice = current_position()
    rows = presenter().answer_rows(position)
    return render_template("public/answers.html", rows=rows, current=position.current, notice=notice,
                           change_url=change_url)


@bp.post("/restart")
def restart():
    saved.clear_answers()
    log.info("start again")
    return redirect(url_for(".show", node_id=engine().flow.start, notice="restarted"), code=303)


def expired_form(error: CSRFError):
    """A form older than its token (say, a caller on hold for an hour): ask again, in place."""
    position, _ = current_position()
    notice = "expired" if position.answers else "expired_no_answers"
    return render_node(position.current, position, notice=notice, status=400)


bp.expired_form = expired_form  # wizard/web/errors.py asks the blueprint how to ask again
