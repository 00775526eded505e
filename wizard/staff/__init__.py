"""The staff console: one blueprint under /staff that owns the HTTP side only.

Every page needs a logged-in agent except the login page itself.
"""
from flask import Blueprint, request
from flask_login import current_user

from wizard.extensions import login

bp = Blueprint("staff", __name__, url_prefix="/staff")
OPEN_ENDPOINTS = {"staff.login"}


@bp.before_request
def require_login():
    """Everything under /staff needs login (the login page excepted)."""
    if request.endpoint not in OPEN_ENDPOINTS and not current_user.is_authenticated:
        return login.unauthorized()
    return None


from wizard.staff import auth, calls, lookup, map, unavailable  # noqa: E402,F401  (routes, handlers register on bp)
