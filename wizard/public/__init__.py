"""The public wizard: one blueprint that owns the HTTP side only."""
from flask import request

from wizard.extensions import limiter
from wizard.public import feedback, saved_results  # noqa: E402,F401  (/r/<code>, /feedback/<outcome> register on bp)
from wizard.public.views import bp

# Saved results are looked up by code, votes are counted: limited per address. The wizard's own pages are not.
RATE_LIMITED = {"public.saved", "public.feedback"}


@limiter.request_filter
def wizard_pages_are_not_rate_limited() -> bool:
    """Skip the rate limiter's work on the wizard's own pages (nginx limits every address anyway)."""
    return request.blueprint == "public" and request.endpoint not in RATE_LIMITED

__all__ = ["bp"]
