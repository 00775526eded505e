"""The public wizard: one blueprint that owns the HTTP side only."""
from wizard.public.views import bp

__all__ = ["bp"]
