"""Staff pages while the database cannot be reached: a clear 503 in the staff layout, never a 500.

Every staff page needs the database (the agent's account is read on each
request), so any database failure on a staff route ends here: "The database
is unavailable", with Retry-After. The page is drawn for nobody in particular
(no menu, no name): the agent's account cannot be read. Nothing the agent saved
is lost, and pages work again by themselves when the database is back (the
pool checks each connection before use: pool_pre_ping). The failure is logged
at most once a minute per process, by the error's class only (its text can
hold SQL and parameters).
"""
from __future__ import annotations

import logging

from flask import g, render_template

from wizard.code_lookup import DATABASE_DOWN, forget_failed_work
from wizard.extensions import login, per_app
from wizard.staff import bp, staff_message
from wizard.web.quiet_log import QuietLog

log = logging.getLogger(__name__)
LOG_EVERY = 60.0  # seconds between log lines about it
RETRY_AFTER = 30  # seconds


def database_unavailable(error: Exception):
    forget_failed_work()
    per_app("triage_staff_outage_log", lambda: QuietLog(
        log, "staff pages unavailable: the database cannot be reached", LOG_EVERY)).report(error)
    g._login_user = login.anonymous_user()  # Flask-Login's request user: the account cannot be read now
    page = render_template("staff/error.html", title=staff_message("unavailable_title"),
                           message=staff_message("unavailable"), status=503)
    return page, 503, {"Retry-After": str(RETRY_AFTER)}


for kind in DATABASE_DOWN:
    bp.register_error_handler(kind, database_unavailable)
