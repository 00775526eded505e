"""Application factory: `flask --app app run`, or gunicorn 'app:create_app()'."""
from __future__ import annotations

import logging

from flask import Flask, request
from flask_wtf.csrf import CSRFProtect

from wizard.cli import flow_cli
from wizard.core.engine import Engine
from wizard.web.errors import register_error_pages
from wizard.core.flow import load_flow
from wizard.core.presenters import Presenter
from wizard.public import bp as public_pages
from wizard.web.security import init_security
from wizard.settings import configure
from wizard.web.templating import linkify

csrf = CSRFProtect()
log = logging.getLogger("wizard.requests")


def create_app(config: dict | None = None) -> Flask:
    """Build the app; refuses to start when the flow content has problems."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("transitions").setLevel(logging.WARNING)  # it logs every state change
    app = Flask(__name__)
    configure(app, config)
    flow = load_flow(app.config["CONTENT_DIR"])
    app.extensions["triage_engine"] = Engine(flow)
    app.extensions["triage_presenter"] = Presenter(flow, app.config["LANGUAGE"])
    csrf.init_app(app)
    init_security(app)
    register_error_pages(app)
    app.register_blueprint(public_pages)
    app.cli.add_command(flow_cli)
    app.add_template_filter(linkify)
    app.after_request(log_request)
    presenter = app.extensions["triage_presenter"]
    everywhere = {"fallback_contact": presenter.contact(flow.fallback_contact), "portal": presenter.portal()}
    app.context_processor(lambda: everywhere)
    return app


def log_request(response):
    """One line per request naming the route pattern, never the URL a person typed."""
    rule = request.url_rule.rule if request.url_rule else "-"
    log.info("%s %s %s", request.method, rule, response.status_code)
    return response
