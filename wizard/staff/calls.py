"""Placeholder."""
from wizard.staff import bp


@bp.get("/")
def home():
    return "staff"
