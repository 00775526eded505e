"""Jinja filters for content text."""
from __future__ import annotations

import re

from markupsafe import Markup, escape

URL = re.compile(r"https://[^\s<>\"']+[^\s<>\"'.,;:!?)]")


def linkify(text: str) -> Markup:
    """Escape ``text`` and turn the https addresses in it into links."""
    escaped = str(escape(text))
    return Markup(URL.sub(lambda match: f'<a href="{match.group(0)}">{match.group(0)}</a>', escaped))
