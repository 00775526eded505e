"""The public wizard: one blueprint that owns the HTTP side only."""
from wizard.public import codes  # noqa: E402,F401  (/r/<code> registers on bp)
from wizard.public.views import bp

__all__ = ["bp"]
