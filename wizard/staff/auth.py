"""Staff login and logout (Flask-Login), rate-limited per account and per address (Flask-Limiter)."""
from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import current_app, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired, Length

from wizard.extensions import db, limiter
from wizard.models import StaffUser
from wizard.staff import accounts, bp

log = logging.getLogger(__name__)
LOGIN_FAILED = "That name and password do not match an active account."


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
    """Rate-limit key for the account being tried (whatever address it comes from)."""
    return "staff-login-account:" + request.form.get("name", "").strip().lower()[:40]


def failed_login(response) -> bool:
    """Only failed tries count against the limits."""
    return response.status_code in (400, 401)


def local_target(target: str | None) -> str:
    """Where to go after login: only a path on this site, never another host."""
    parts = urlsplit(target or "")
    if target and not parts.scheme and not parts.netloc and target.startswith("/") \
            and not target.startswith(("//", "/\\")):
        return target
    return url_for("staff.home")


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
        accounts.audit("login_failed")
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
    accounts.audit("logout", current_user.id)
    logout_user()
    session.clear()
    return redirect(url_for("staff.login"), code=303)
