"""The floor under a staff page: the libraries a logged-in page runs on, and no page logic.

A staff call page must open and sign again a session cookie, load the agent
through Flask-Login and check its session epoch, read the call from the
database with the ORM and put a CSRF token in its forms. This app does exactly
that and nothing else: one agent, one call row, and the staff call page as the
wizard served it (bench.py saves it as a template, with ``csrf_token()`` where
the served page had its token, and names it in BENCH_FLOOR_TEMPLATE). Same libraries as the wizard
(Flask-Login, Flask-SQLAlchemy on SQLite, Flask-WTF), same gunicorn settings.

So `make bench` shows, in one run, how much of the bare view's speed a
logged-in page can keep at best with these libraries, and how close the
staff call page is to that (docs/decisions/0007).

bench.py makes the template with :func:`save_template`, then runs: gunicorn --config gunicorn.conf.py --pythonpath bench 'login_floor_app:create_app()'
``GET /login`` logs the one agent in (the benchmark's only way in); ``GET /`` is the measured page.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from flask import Flask, abort, render_template, session
from flask_login import LoginManager, UserMixin, current_user, login_required, login_user
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from client import CSRF_FIELD

CALL_ID = "floor-call"

db = SQLAlchemy()


class Agent(db.Model, UserMixin):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str]
    active: Mapped[bool]
    session_epoch: Mapped[int]

    def get_id(self) -> str:
        return f"{self.id}:{self.session_epoch}"  # as the wizard's StaffUser: the epoch ends old sessions


class Call(db.Model):
    id: Mapped[str] = mapped_column(primary_key=True)
    agent_id: Mapped[int]
    desk: Mapped[str]


def save_template(served: bytes, folder: Path) -> Path:
    """The staff call page as served, as a template that renders the same bytes with a fresh CSRF token
    (Flask-WTF's ``csrf_token()``) wherever the served page had its own."""
    page = served.decode()
    tokens = {match.group(1) for match in CSRF_FIELD.finditer(page)}
    if len(tokens) != 1:
        raise ValueError(f"the staff call page has {len(tokens)} different CSRF tokens, not one")
    folder.mkdir(parents=True, exist_ok=True)
    template = folder / "call.html"
    template.write_text("{% raw %}" + page.replace(tokens.pop(), "{% endraw %}{{ csrf_token() }}{% raw %}")
                        + "{% endraw %}", encoding="utf-8")
    return template


def create_app() -> Flask:
    page = Path(os.environ["BENCH_FLOOR_TEMPLATE"])
    app = Flask(__name__, template_folder=str(page.parent))
    app.config.update(SECRET_KEY=os.environ["SECRET_KEY"],
                      SQLALCHEMY_DATABASE_URI=os.environ["BENCH_FLOOR_DATABASE_URL"],
                      PERMANENT_SESSION_LIFETIME=dt.timedelta(minutes=30))
    db.init_app(app)
    CSRFProtect(app)
    logins = LoginManager(app)

    @logins.user_loader
    def load(user_id: str) -> Agent | None:
        account, _, epoch = user_id.partition(":")
        agent = db.session.get(Agent, int(account))
        return agent if agent and agent.active and agent.session_epoch == int(epoch) else None

    with app.app_context():
        db.create_all()
        try:
            db.session.add_all([Agent(id=1, name="floor-agent", active=True, session_epoch=0),
                                Call(id=CALL_ID, agent_id=1, desk="gsc")])
            db.session.commit()
        except IntegrityError:  # another worker made them first
            db.session.rollback()

    @app.get("/login")
    def log_in():
        login_user(db.session.get(Agent, 1))
        session.permanent = True
        return "logged in"

    @app.get("/")
    @login_required
    def call_page():
        call = db.session.get(Call, CALL_ID)
        if call is None or call.agent_id != current_user.id:
            abort(404)
        return render_template(page.name)

    return app
