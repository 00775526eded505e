"""Application factory: `flask --app app run`, or gunicorn 'app:create_app()'."""
from __future__ import annotations

import logging

from alembic.util.exc import CommandError as AlembicError
from flask import Flask, request
from sqlalchemy.exc import SQLAlchemyError

from wizard.cli import flow_cli, staff_cli
from wizard.code_lookup import keep_codes, keep_words
from wizard.core.codebook import CodeClash
from wizard.core.engine import Engine
from wizard.core.flow import ContentError, load_flow
from wizard.core.presenters import Presenter
from wizard.core.search import Search
from wizard.extensions import csrf, db, limiter, login, migrate
from wizard.page_counts import init_page_counts
from wizard.public import bp as public_pages
from wizard.public.page_cache import KeptPages
from wizard.settings import ContentProblems, DatabaseUnavailable, configure
from wizard.staff import bp as staff_pages
from wizard.staff.auth import load_staff_user
from wizard.schema_upgrade import MIGRATIONS, upgrade_schema
from wizard.web.errors import WizardFlask, register_error_pages
from wizard.web.hosts import HostCheck
from wizard.web.log_filters import NoLimiterKeys
from wizard.web.log_filters import install as install_log_filter
from wizard.web.request_log import log_request
from wizard.web.security import init_security
from wizard.web.static import init_static
from wizard.web.languages import init_languages, request_language
from wizard.web.templating import fill, fixed_url, linkify


def create_app(config: dict | None = None) -> Flask:
    """Build the app.

    Anything that stops it starting (a bad setting or secret key, invalid flow content, a database
    that cannot be reached or upgraded) is a ConfigError whose message says what and where, with
    no traceback needed: gunicorn.conf.py prints just that message and exits non-zero.
    """
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("transitions").setLevel(logging.WARNING)  # it logs every state change
    install_log_filter("flask-limiter", NoLimiterKeys())  # a refusal's key is the client's address
    app = WizardFlask(__name__)
    configure(app, config)
    try:
        add_core_services(app)
    except ContentError as error:
        raise ContentProblems(error.problems) from None
    init_extensions(app)
    try:
        upgrade_schema(app)
        keep_codes(app)  # this content version's reference codes, kept for after the next change
        keep_words(app)  # and a digest of each page's wording, to say what the next change reworded
    except (SQLAlchemyError, AlembicError, OSError) as error:
        raise DatabaseUnavailable(database_problem(app, error)) from None
    except CodeClash as clash:  # about 1 in 860,000 per content version today
        raise ContentProblems([f"{clash}; any change to a content file (a review date) gives new codes"]) from None
    init_security(app)
    counts = init_page_counts(app)  # where people stop: counted in memory, added in batches
    if app.config["PAGES_KEPT"]:  # inside WhiteNoise: static files skip it; a page it sends again still counts
        app.wsgi_app = KeptPages(app.wsgi_app, app.config["PAGES_KEPT"], on_hit=lambda key: counts.note(*key, "view"))
    init_static(app)
    # Outermost: a malformed or untrusted Host is a plain 400 before anything builds a URL from it.
    app.wsgi_app = HostCheck(app.wsgi_app, app.config.get("TRUSTED_HOSTS"))
    register_error_pages(app)
    init_languages(app, app.extensions["triage_engine"].flow.languages)  # the `lang` converter, before any route
    app.register_blueprint(public_pages)
    app.register_blueprint(staff_pages)
    app.cli.add_command(flow_cli)
    app.cli.add_command(staff_cli)
    app.add_template_filter(linkify)
    app.add_template_filter(fill)
    app.add_template_global(fixed_url)
    app.after_request(log_request)
    return app


def database_problem(app: Flask, error: Exception) -> str:
    """One line: which database (password hidden) and the first line of what went wrong."""
    with app.app_context():
        where = db.engine.url.render_as_string(hide_password=True)
    reason = str(getattr(error, "orig", None) or error).strip().splitlines()
    return (f"cannot open or upgrade the database {where}: {reason[0] if reason else type(error).__name__}; "
            "refusing to start.")


def add_core_services(app: Flask) -> None:
    """The checked flow, its state machine, a presenter per language and the staff search, built once per process.

    Staff pages (call mode) use `triage_presenter`, in app.config["LANGUAGE"] (English); public pages the
    presenter of the address's language (`triage_presenters`).
    """
    flow = load_flow(app.config["CONTENT_DIR"])
    presenters = {language: Presenter(flow, language) for language in flow.languages}
    engine, presenter = Engine(flow), presenters.get(app.config["LANGUAGE"]) or Presenter(flow, app.config["LANGUAGE"])
    app.extensions.update(triage_engine=engine, triage_presenter=presenter, triage_presenters=presenters,
                          triage_search=Search(engine, presenter))
    # What every page shows, in each language: the fallback desk, the portal's address, the page furniture,
    # and each language's own name and "read this page in ..." line for the language links.
    everywhere = {language: {"fallback_contact": present.contact(flow.fallback_contact), "portal": present.portal(),
                             "page": present.text["pages"], "html_lang": language}
                  for language, present in presenters.items()}
    in_itself = {language: {"name": present.text.get("language_name", language),
                            "read_in": present.text["pages"].get("read_in_this_language"),
                            "suggest": present.text["pages"].get("suggest_this_language")}
                 for language, present in presenters.items()}
    app.context_processor(lambda: {**everywhere[page_language(presenters)], "language_words": in_itself})


def page_language(presenters: dict) -> str:
    """The language a page is in: the address's for public pages, English for staff pages (call mode)."""
    language = request_language() if request.blueprint != "staff" else "en"
    return language if language in presenters else "en"


def init_extensions(app: Flask) -> None:
    csrf.init_app(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS))
    login.init_app(app, add_context_processor=False)  # current_user reaches staff templates only (wizard/staff)
    login.user_loader(load_staff_user)
    login.login_view = "staff.login"
    login.login_message = None  # the login page explains itself
    login.session_protection = None  # checked for staff sessions only: wizard/staff/__init__.py session_moved
    limiter.init_app(app)
