"""Staff login and logout (Flask-Login), rate-limited per account and per address (Flask-Limiter)."""
from __future__ import annotations

import hashlib
import hmac
import logging
import re

from flask import current_app, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError
from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired, Length

from wizard.extensions import db, limiter
from wizard.models import StaffUser
from wizard.staff import accounts, bp
from wizard.web.errors import error_page

log = logging.getLogger(__name__)
LOGIN_FAILED = "That name and password do not match an active account."
FORM_EXPIRED = "The login page was open too long. Log in again."
# After login, only a page of the console: letters, digits and - _ . / in the path, a plain query.
# Nothing else (no scheme, no host, no backslash, no tab: browsers drop tabs, so "/\t/evil" is "//evil").
STAFF_PAGE = re.compile(r"/staff(?:/[A-Za-z0-9_.\-/]*)?(?:\?[A-Za-z0-9_.\-=&%]*)?")


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
    return current_app.config["STAFF_LOGIN_LIMIT"]


def account_key() -> str:
    """Rate-limit key for the account being tried (whatever address it comes from).

    A keyed digest of the name, never the name: Flask-Limiter logs the key when
    a limit is hit, and what was typed in the name box (a password, sometimes)
    must not reach the logs.
    """
    name = request.form.get("name", "").strip().lower()[:40]
    key = current_app.secret_key
    digest = hmac.new(key.encode() if isinstance(key, str) else key, name.encode(), hashlib.sha256).hexdigest()
    return "staff-login-account:" + digest[:32]


def failed_login(response) -> bool:
    """Only failed tries count against the limits."""
    return response.status_code in (400, 401)


def local_target(target: str | None) -> str:
    """Where to go after login: a page of the staff console on this site, never another host."""
    if target and STAFF_PAGE.fullmatch(target) and ".." not in target and "//" not in target:
        return target
    return url_for("staff.home")


def refused_form(error: CSRFError):
    """A staff form sent without its token or after WTF_CSRF_TIME_LIMIT: the login page asks
    again; a call's page opens again with nothing lost (its answers are in the database);
    any other staff form gets the staff error page."""
    if request.endpoint == "staff.login":
        return render_template("staff/login.html", form=LoginForm(), failed=True, failed_message=FORM_EXPIRED), 400
    call_id = (request.view_args or {}).get("call_id")
    if call_id and current_user.is_authenticated:
        return redirect(url_for("staff.call", call_id=call_id, expired="yes"), code=303)
    return error_page(400)


bp.expired_form = refused_form  # wizard/web/errors.py asks the blueprint how to ask again


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"], deduct_when=failed_login)
@limiter.limit(login_limit, key_func=account_key, methods=["POST"], deduct_when=failed_login)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("staff.home"))
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("staff/login.html", form=form, failed=False), 400 if request.method == "POST" else 200
    user = accounts.authenticate(form.name.data, form.password.data)
    if user is None:
        tried = accounts.find(form.name.data)  # the account tried, by id: never the name typed
        accounts.audit("login_failed", tried.id if tried else None)
        log.info("staff login refused")
        return render_template("staff/login.html", form=form, failed=True, failed_message=LOGIN_FAILED), 401
    target = local_target(request.args.get("next"))
    session.clear()  # a new session at login: nothing from before carries over
    login_user(user)
    session.permanent = True  # ends after STAFF_IDLE_MINUTES without a request
    accounts.audit("login", user.id)
    return redirect(target, code=303)


@bp.post("/logout")
def logout():
    """Log out. The session lives in a signed cookie, so deleting it would not stop a copy taken
    earlier: the account's session epoch moves on, which ends its sessions everywhere."""
    user = current_user._get_current_object()
    accounts.end_sessions(user)
    accounts.audit("logout", user.id)
    logout_user()
    session.clear()
    return redirect(url_for("staff.login"), code=303)
