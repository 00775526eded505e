"""Application factory: `flask --app app run`, or gunicorn 'app:create_app()'."""
from __future__ import annotations

import logging

from alembic.util.exc import CommandError as AlembicError
from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

from wizard.cli import flow_cli, staff_cli
from wizard.code_lookup import keep_codes
from wizard.core.codebook import CodeClash
from wizard.core.engine import Engine
from wizard.core.flow import ContentError, load_flow
from wizard.core.presenters import Presenter
from wizard.core.search import Search
from wizard.extensions import csrf, db, limiter, login, migrate
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
from wizard.web.templating import linkify


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
    except (SQLAlchemyError, AlembicError, OSError) as error:
        raise DatabaseUnavailable(database_problem(app, error)) from None
    except CodeClash as clash:  # about 1 in 860,000 per content version today
        raise ContentProblems([f"{clash}; any change to a content file (a review date) gives new codes"]) from None
    init_security(app)
    if app.config["PAGES_KEPT"]:
        app.wsgi_app = KeptPages(app.wsgi_app, app.config["PAGES_KEPT"])  # inside WhiteNoise: static files skip it
    init_static(app)
    # Outermost: a malformed or untrusted Host is a plain 400 before anything builds a URL from it.
    app.wsgi_app = HostCheck(app.wsgi_app, app.config.get("TRUSTED_HOSTS"))
    register_error_pages(app)
    app.register_blueprint(public_pages)
    app.register_blueprint(staff_pages)
    app.cli.add_command(flow_cli)
    app.cli.add_command(staff_cli)
    app.add_template_filter(linkify)
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
    """The checked flow, its state machine, its presenter and the staff search, built once per process."""
    flow = load_flow(app.config["CONTENT_DIR"])
    engine, presenter = Engine(flow), Presenter(flow, app.config["LANGUAGE"])
    app.extensions.update(triage_engine=engine, triage_presenter=presenter, triage_search=Search(engine, presenter))
    everywhere = {"fallback_contact": presenter.contact(flow.fallback_contact), "portal": presenter.portal()}
    app.context_processor(lambda: everywhere)


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
