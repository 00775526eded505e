"""Staff login and logout (Flask-Login), rate-limited (Flask-Limiter) per account and address (strict), per
account (looser, for guessing spread over many addresses) and per address (many names from one place)."""
from __future__ import annotations

import hashlib
import hmac
import logging
import re

from flask import current_app, redirect, render_template, request, session, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError
from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired, Length

from wizard.answers.call import find_call, note_resumed
from wizard.extensions import db, limiter
from wizard.models import StaffUser
from wizard.settings import STAFF_SESSION_KEY
from wizard.staff import accounts, bp, minutes_unit, session_origin, staff_message
from wizard.web.errors import error_page

log = logging.getLogger(__name__)
# After login, only a page of the console: letters, digits and - _ . / in the path, a plain query (a search's
# words come as "q=locked+out" or "%20"). Nothing else (no scheme, no host, no backslash, no tab: browsers
# drop tabs, so "/\t/evil" is "//evil").
OPTION_KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")  # node ids and option keys (wizard/core/check/problems.py IDENTIFIER)
STAFF_PAGE = re.compile(r"/staff(?:/[A-Za-z0-9_.\-/]*)?(?:\?[A-Za-z0-9_.\-=&%+]*)?")


class LoginForm(FlaskForm):
    name = StringField("Name", validators=[InputRequired(message="Enter your name"), Length(max=40)])
    password = PasswordField("Password", validators=[InputRequired(message="Enter your password"),
                                                     Length(max=200)])


def load_staff_user(user_id: str) -> StaffUser | None:
    """Flask-Login's loader: the id carries the account's session epoch, so a reset ends old sessions."""
    account, _, epoch = user_id.partition(":")
    if not (account.isdigit() and epoch.isdigit()):
        return None
    user = db.session.get(StaffUser, int(account))
    return user if user and user.active and user.session_epoch == int(epoch) else None


def login_limit() -> str:
    """The strict limit: tries on one account from one address (STAFF_LOGIN_LIMIT)."""
    return current_app.config["STAFF_LOGIN_LIMIT"]


def account_login_limit() -> str:
    """The looser limit: tries on one account from anywhere, against guessing spread over many addresses."""
    return current_app.config["STAFF_ACCOUNT_LOGIN_LIMIT"]


def address_login_limit() -> str:
    """Tries from one address on any account (many names guessed from one place)."""
    return current_app.config["STAFF_ADDRESS_LOGIN_LIMIT"]


def keyed(kind: str, *parts: str) -> str:
    """A rate-limit key: a keyed digest of the name typed and/or the address, never either one.

    Flask-Limiter logs the key when a limit is hit, and what was typed in the name box (a
    password, sometimes) and the client's address must not reach the logs.
    """
    key = current_app.secret_key
    message = "\0".join(parts).encode()
    digest = hmac.new(key.encode() if isinstance(key, str) else key, message, hashlib.sha256).hexdigest()
    return f"staff-login-{kind}:{digest[:32]}"


def typed_name() -> str:
    return request.form.get("name", "").strip().lower()[:40]


def account_key() -> str:
    """The account being tried, whatever address it comes from."""
    return keyed("account", typed_name())


def account_address_key() -> str:
    """The account being tried from this address: the strict limit, so that someone else's failures on an
    account (from their address) never lock its agent out."""
    return keyed("account-address", typed_name(), get_remote_address())


def address_key() -> str:
    return keyed("address", get_remote_address())


def forget_failures_here() -> None:
    """After a right password: this account's failures from this address no longer count (the agent's own
    typos). The per-account and per-address counts stay: a login never clears someone else's guesses."""
    strict = account_address_key()
    for counted in limiter.current_limits:
        if strict in counted.request_args:
            try:
                counted.limiter.clear(counted.limit, *counted.request_args)
            except Exception as error:  # noqa: BLE001  the limit store (Redis) went away meanwhile: it expires anyway
                log.warning("could not reset the login count after a login: %s", type(error).__name__)


def local_target(target: str | None) -> str:
    """Where to go after login: a page of the staff console on this site, never another host."""
    if target and STAFF_PAGE.fullmatch(target) and ".." not in target and "//" not in target:
        return target
    return url_for("staff.home")


@bp.errorhandler(CSRFError)
def refused_form(error: CSRFError):
    """A staff form sent without its token or after WTF_CSRF_TIME_LIMIT: the login page asks
    again; a call's page opens again with nothing lost (its answers are in the database);
    any other staff form gets the staff error page."""
    log.info("form token refused on %s", request.url_rule or "unknown route")
    if request.endpoint == "staff.login":
        return render_template("staff/login.html", form=LoginForm(), failed=True,
                               failed_message=staff_message("login_expired")), 400
    call_id = (request.view_args or {}).get("call_id")
    if not current_user.is_authenticated:  # logged out after the idle limit: log in, then back where they were
        return redirect(url_for("staff.login", next=after_idle_login(call_id), idle="yes"), code=303)
    if call_id:
        return redirect(url_for("staff.call", call_id=call_id, expired="yes"), code=303)
    return error_page(400)


def after_idle_login(call_id: str | None) -> str:
    """The call the agent was on, offering the answer their key chose (applied only when they confirm it)."""
    if not call_id:
        return url_for("staff.home")
    if request.endpoint == "staff.call_jump":  # a search result chosen by its key
        target = request.form.get("node", "")
        return url_for("staff.call", call_id=call_id, offer=f"jump.{target}" if OPTION_KEY.fullmatch(target) else None)
    node, choice = (request.view_args or {}).get("node_id", ""), request.form.get("choice", "")
    offer = f"{node}.{choice}" if OPTION_KEY.fullmatch(node) and OPTION_KEY.fullmatch(choice) else None
    return url_for("staff.call", call_id=call_id, offer=offer)


# Every POST is counted before the password is checked (Flask-Limiter hits each limit before the view runs:
# an atomic increment in the limit store, Redis shared by every instance), so tries sent at once cannot
# all get through before any is counted. No deduct_when: that tests first and counts after the response.
@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_limit, key_func=account_address_key, methods=["POST"])
@limiter.limit(account_login_limit, key_func=account_key, methods=["POST"])
@limiter.limit(address_login_limit, key_func=address_key, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("staff.home"))
    form = LoginForm()
    if not form.validate_on_submit():
        minutes = int(current_app.config["STAFF_IDLE_MINUTES"])
        unit = minutes_unit(minutes)
        # idle=yes: a key press after the idle limit (we know); a page opened with next=: maybe a new browser
        notice = staff_message("idle_logout", minutes=minutes, unit=unit) if request.args.get("idle") else \
            staff_message("maybe_idle", minutes=minutes, unit=unit) if sent_from_a_staff_page() else None
        return (render_template("staff/login.html", form=form, failed=False, notice=notice),
                400 if request.method == "POST" else 200)
    user = accounts.authenticate(form.name.data, form.password.data)
    if user is None:
        tried = accounts.find(form.name.data)  # the account tried, by id: never the name typed
        accounts.audit("login_failed", tried.id if tried else None)
        log.info("staff login refused")
        return render_template("staff/login.html", form=form, failed=True,
                               failed_message=staff_message("login_failed")), 401
    forget_failures_here()
    target = local_target(request.args.get("next"))
    session.clear()  # a new session at login: nothing from before carries over
    login_user(user)
    session[STAFF_SESSION_KEY] = session_origin()  # where it may be used from (wizard/staff/__init__.py)
    session.permanent = True  # ends after STAFF_IDLE_MINUTES without a request
    accounts.audit("login", user.id)
    if request.args.get("idle"):  # a key pressed after the idle limit (not a page opened in a new browser)
        back_on_call(target, user.id)
    return redirect(target, code=303)


def back_on_call(target: str, staff_id: int) -> None:
    """After an idle logout, the call the agent logs back in to records it (its story says so)."""
    calls = url_for("staff.call", call_id="CALL").removesuffix("CALL")  # /staff/calls/<id>, or a page under it
    path = target.split("?", 1)[0]
    call_id = path.removeprefix(calls).split("/")[0] if path.startswith(calls) else ""
    if call_id and (call := find_call(call_id, staff_id)) is not None:
        note_resumed(call, int(current_app.config["STAFF_IDLE_MINUTES"]))


def sent_from_a_staff_page() -> bool:
    """A page of the console opened without a session (Flask-Login's redirect adds next=): after the idle
    limit the browser has dropped the cookie, so the agent is told why, as after a key press."""
    target = request.args.get("next")
    return bool(target) and local_target(target) == target and target.rstrip("/") != url_for("staff.home").rstrip("/")


@bp.post("/logout")
def logout():
    """Log out. The session lives in a signed cookie, so deleting it would not stop a copy taken
    earlier: the account's session epoch moves on, which ends its sessions everywhere."""
    user = db.session.get(StaffUser, current_user.id)
    accounts.end_sessions(user)
    accounts.audit("logout", user.id)
    logout_user()
    session.clear()
    return redirect(url_for("staff.login"), code=303)
