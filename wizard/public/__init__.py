"""The public wizard: one blueprint that owns the HTTP side only."""
from flask import request

from wizard.extensions import limiter
from wizard.public import saved_results  # noqa: E402,F401  (/r/<code> registers on bp)
from wizard.public.views import bp

RATE_LIMITED = {"public.saved"}  # saved results are looked up by code; the wizard's own pages are not limited


@limiter.request_filter
def wizard_pages_are_not_rate_limited() -> bool:
    """Skip the rate limiter's work on the wizard's own pages (nginx limits every address anyway)."""
    return request.blueprint == "public" and request.endpoint not in RATE_LIMITED

__all__ = ["bp"]
