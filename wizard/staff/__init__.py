"""The staff console: one blueprint under /staff that owns the HTTP side only.

Every page needs a logged-in agent except the login page itself.
"""
import hashlib

from flask import Blueprint, current_app, g, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from wizard.core.presenters import Presenter
from wizard.extensions import login
from wizard.settings import STAFF_SESSION_KEY

bp = Blueprint("staff", __name__, url_prefix="/staff")
OPEN_ENDPOINTS = {"staff.login"}


def presenter() -> Presenter:
    """The console's wording (English: text/en.yaml)."""
    return current_app.extensions["triage_presenter"]


def staff_message(key: str, **values) -> str:
    """One of the console's messages, worded in content (text/en.yaml staff.messages), filled in."""
    return presenter().text["staff"]["messages"][key].format(**values)


def minutes_unit(minutes: int) -> str:
    """'minute' or 'minutes', for the idle-limit wording (the login notice and the call's Story)."""
    return "minute" if minutes == 1 else "minutes"


@bp.before_request
def require_login():
    """Everything under /staff needs login (the login page excepted)."""
    if session_moved():
        session.clear()
    if request.endpoint not in OPEN_ENDPOINTS and not current_user.is_authenticated:
        return login.unauthorized()
    return None


@bp.context_processor
def agent() -> dict:
    """Staff templates know the agent; public pages never look them up. (The agent itself, looked up once,
    not the proxy: a template reads it several times.)"""
    return {"current_user": current_user._get_current_object()}


@bp.app_template_global()
def csrf_input() -> Markup:
    """The hidden CSRF field of every staff form, built once per request:
    every form of a page carries the same token (Flask-WTF keeps it for the request in ``g``)."""
    field = g.get("staff_csrf_input")
    if field is None:
        field = g.staff_csrf_input = Markup('<input type="hidden" name="csrf_token" value="{}">').format(generate_csrf())
    return field


def session_moved() -> bool:
    """An agent's session sent from another address or browser than the one that logged in.

    Flask-Login's own "strong" protection is off (see app.py): it ran on every
    public page too, through its template context processor, writing a
    cookie for every caller, and for a permanent session it only marks the
    login stale. The same check, for staff sessions only: login records
    where the session comes from (``STAFF_SESSION_KEY``), and a session that
    comes from anywhere else is ended.
    """
    return STAFF_SESSION_KEY in session and session[STAFF_SESSION_KEY] != session_origin()


def session_origin() -> str:
    """The address and browser a request comes from, as one digest (never stored as they are)."""
    return hashlib.sha256(f"{request.remote_addr}|{request.user_agent.string}".encode()).hexdigest()


from wizard.staff import auth, calls, insights, lookup, map, unavailable  # noqa: E402,F401  (routes, handlers register on bp)
