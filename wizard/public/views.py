"""The public wizard pages: start, one question per page, outcome, answers.

Every page is a GET whose address holds the answers (wizard/answers/address.py):
no cookie, no CSRF token, nothing stored. A page is a pure function of its
address, so it goes out with Cache-Control that lets nginx (and the browser)
keep it; an address that is not the canonical one (answers off the path, an
old content version, another order) is redirected to the one that is, so each
page is cached once.

- ``GET /``                the start page
- ``GET /q/<node>?...``    a question or an outcome, at the answers given
- ``GET /a/<node>?...``    answer ``<node>`` (a question form's target): 303 to the next page
- ``GET /answers?...``     the answers so far, each with a Change link

Each page is also at ``/<lang>/...`` (``/es/q/<node>?...``) in every other
language the content has (wizard/web/languages.py): the same answers, the
same query string, one cached page per address.
"""
from __future__ import annotations

import logging

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, url_for
from markupsafe import Markup


from wizard.answers import address
from wizard.core.reference_codes import code_for, format_code, spoken
from wizard.core.engine import Engine, NotOnPath, Position, UnknownOption
from wizard.core.presenters import Presenter
from wizard.extensions import per_app
from wizard.page_counts import page_counts
from wizard.public.fragments import kept
from wizard.public.page_cache import COUNT_KEY, cacheable, request_target
from wizard.web.languages import DEFAULT_LANGUAGE, alternates, prefix, request_language, show_address

log = logging.getLogger(__name__)
bp = Blueprint("public", __name__)
bp.add_app_template_global(kept, "kept")

# Notices a page may show above its content (worded in text/<lang>.yaml, pages.notices); addresses carry
# the key, never the text.
NOTICES = ("not_reached", "not_on_question")


def page(rule: str, methods: tuple[str, ...] = ("GET",), **options):
    """Route a view at ``rule`` (English) and at ``/<lang><rule>`` (every other language)."""
    def register(view):
        bp.add_url_rule(rule, view_func=view, defaults={"lang": DEFAULT_LANGUAGE}, methods=list(methods), **options)
        bp.add_url_rule(f"/<lang:lang>{rule}", view_func=view, methods=list(methods), **options)
        return view
    return register


@bp.url_value_preprocessor
def take_language(endpoint, values) -> None:
    """The language from the address, for the whole request (the views take no `lang` argument)."""
    if values is not None:
        g.language = values.pop("lang", DEFAULT_LANGUAGE)


@bp.url_defaults
def keep_language(endpoint, values) -> None:
    """Every public address a page builds stays in the page's language."""
    language = request_language()
    if language != DEFAULT_LANGUAGE:
        values.setdefault("lang", language)


def engine() -> Engine:
    return current_app.extensions["triage_engine"]


def presenter() -> Presenter:
    """The wording of this request's language."""
    return current_app.extensions["triage_presenters"][request_language()]


def version() -> str:
    return engine().flow.version


class Links:
    """The addresses a page links to, all carrying the same answers."""

    def __init__(self, answers: dict[str, str]):
        self.answers = answers
        self.query = address.query(answers, version())
        self.root = request.script_root + prefix(request_language())

    def question(self, node_id: str, notice: str | None = None) -> str:
        query = address.query(self.answers, version(), notice) if notice else self.query
        return f"{self.root}/q/{node_id}?{query}"

    def answers_page(self) -> str:
        return f"{self.root}/answers?{self.query}"

    def form_action(self, node_id: str) -> str:
        return f"{self.root}/a/{node_id}"

    def hidden_fields(self, node_id: str) -> list[tuple[str, str]]:
        return address.hidden_fields(self.answers, version(), leave_out=node_id)

    def feedback_action(self, node_id: str) -> str:
        return f"{self.root}/feedback/{node_id}"

    def feedback_fields(self) -> list[tuple[str, str]]:
        """Every answer and the version: the vote's form names the outcome address it was sent from."""
        return address.hidden_fields(self.answers, version(), leave_out="")


def position_from_address() -> Position:
    return engine().walk(address.answers_from(request.args, engine().flow.nodes))


def notice_from_address() -> str | None:
    notice = request.args.get(address.NOTICE)
    return notice if notice in NOTICES else None


def is_at(target: str) -> bool:
    """The request came to exactly ``target``: path and query as sent (``/q/%74opic``, ``/q//topic`` or
    ``/?x`` are not ``/q/topic`` or ``/``). Only a page at its canonical address is marked cacheable."""
    return request_target(request.environ) == target


def see(url: str):
    return redirect(url, code=303)


def require_node(node_id: str) -> None:
    if node_id not in engine().flow.nodes:
        abort(404)


def reference_for(position: Position, outcome: str) -> dict:
    """The outcome's reference code: the answers that lead to it (not those carrying on past it)."""
    code = code_for(version(), position.answers_before(outcome))
    return dict(code=code, formatted=format_code(code), spoken=spoken(code))


def render_node(node_id: str, position: Position, *, error: str | None = None, notice: str | None = None,
                status: int = 200):
    """The page for a question or an outcome, at the person's position (``error``: a refused answer)."""
    present = presenter()
    links = Links(position.answers)
    show_address(f"/q/{node_id}?{links.query}")
    previous = position.previous(node_id)
    if status == 200:  # a page seen (KeptPages counts it again each time it sends it: COUNT_KEY)
        request.environ[COUNT_KEY] = (version(), node_id)
        page_counts(current_app).note(version(), node_id, "view")
    context = dict(
        node_id=node_id,
        words=present.words(node_id),
        options=present.offered_options(node_id),
        error=error,
        selected=position.answers.get(node_id),
        back_url=links.question(previous) if previous else url_for(".start"),
        notice=notice,
        has_answers=bool(position.answers),
        links=links,
        change_url=links.question,
    )
    if engine().flow.nodes[node_id].is_outcome:
        template = "public/outcome.html"
        context.update(present.outcome_page(node_id, position.answers), rows=present.answer_rows(position),
                       reference=reference_for(position, node_id), **feedback_form())
    else:
        template = "public/question.html"
    return render_template(template, **context), status


def feedback_form() -> dict:
    """What "Did this solve your problem?" needs on an outcome page (nothing with FEEDBACK_FORM off). Its reasons
    are the same on every page of a language: rendered once per process and language, so the form adds little to a
    rendered page."""
    if not current_app.config["FEEDBACK_FORM"]:
        return dict(feedback=None)
    words = presenter().page_text("feedback")
    reasons = per_app(f"triage_feedback_reasons_{request_language()}",  # one per language
                      lambda: Markup(render_template("public/feedback_reasons.html", feedback=words)))
    return dict(feedback=words, feedback_reasons=reasons)


@bp.app_context_processor
def notice_text() -> dict:
    """`notice_text(key)` in templates: the wording of a notice, or None; the pages' meta description."""
    notices = presenter().page_text("notices")
    return {"notice_text": lambda key: notices.get(key) if key in NOTICES else None,
            "description": presenter().page_text("description"), "alternates": alternates,
            "screen_names_in": presenter().screen_names_in}


@page("/")
@cacheable
def start():
    if not is_at(url_for(".start")):  # any query, any other spelling of "/"
        return see(url_for(".start"))
    show_address("/")
    return render_template("public/start.html", first_url=Links({}).question(engine().flow.start),
                           start_ways=presenter().page_text("start_ways"))


# Only the start pages are for search engines: staff pages and answer addresses (every /q/, /a/, /r/ page is a
# person's own situation, spelled out in its address) are not to be indexed.
def robots_txt(languages: tuple[str, ...]) -> str:
    starts = "".join(f"Allow: {prefix(language)}/$\n" for language in languages)
    return f"User-agent: *\n{starts}Disallow: /\n"


@bp.get("/robots.txt")
@cacheable
def robots():
    return current_app.response_class(robots_txt(current_app.config["LANGUAGES"]), mimetype="text/plain")


@page("/q/<node_id>")
@cacheable
def show(node_id: str):
    require_node(node_id)
    position = position_from_address()
    if not position.is_on_path(node_id):
        log.info("page for node=%s not reached: person is at node=%s", node_id, position.current)
        return see(Links(position.answers).question(position.current, notice="not_reached"))
    notice = notice_from_address()
    canonical = Links(position.answers).question(node_id, notice)
    if not is_at(canonical):
        return see(canonical)
    return render_node(node_id, position, notice=notice)


@page("/a/<node_id>")
def answer(node_id: str):
    """A question's form lands here with every answer so far and the new one; 303 to where it leads."""
    require_node(node_id)
    given = address.answers_from(request.args, engine().flow.nodes)
    chosen = given.pop(node_id, None)
    try:
        moved = engine().answer(given, node_id, chosen)  # the same engine call as call mode's
    except NotOnPath:
        position = engine().walk(given)
        log.info("answer for node=%s refused: person is at node=%s", node_id, position.current)
        return render_node(position.current, position, notice="not_on_question", status=409)
    except UnknownOption:
        log.info("answer at node=%s refused: no valid option chosen", node_id)
        return render_node(node_id, engine().walk(given),
                           error=presenter().words(node_id).get("error") or presenter().page_text("select_an_option"),
                           status=400)
    page_counts(current_app).note(version(), node_id, "answer")  # went on from here
    page_counts(current_app).note(version(), moved.current, "arrive")
    log.info("answer node=%s option=%s next=%s", node_id, chosen, moved.current)
    return see(Links(moved.answers).question(moved.current))


@page("/answers")
@cacheable
def answers():
    position = position_from_address()
    links = Links(position.answers)
    if not is_at(links.answers_page()):
        return see(links.answers_page())
    show_address(f"/answers?{links.query}")
    return render_template("public/answers.html", rows=presenter().answer_rows(position),
                           continue_url=links.question(position.current), change_url=links.question,
                           start_url=url_for(".start"))
