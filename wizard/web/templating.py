"""Jinja filters for content text."""
from __future__ import annotations

import re

from flask import request, url_for
from markupsafe import Markup, escape

from wizard.extensions import per_app

URL = re.compile(r"https://[^\s<>\"']+[^\s<>\"'.,;:!?)]")
# A US number written as content writes them (1-800-698-2411): a tap calls it on a phone.
PHONE = re.compile(r"(?<![\w/-])1-(\d{3})-(\d{3})-(\d{4})(?![\w-])")


def linkify(text: str) -> Markup:
    """Escape ``text`` and turn the https addresses and the phone numbers in it into links."""
    escaped = str(escape(text))
    linked = URL.sub(lambda match: f'<a href="{match.group(0)}">{match.group(0)}</a>', escaped)
    return Markup(PHONE.sub(lambda match: f'<a class="phone" href="tel:+1{"".join(match.groups())}">'
                                          f'{match.group(0)}</a>', linked))


PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def fill(text: str, **values) -> Markup:
    """Escape ``text`` and put each ``{name}`` in it: ``values`` that are Markup (a link) go in as they are,
    anything else escaped. Wording keeps its sentence whole around a link or a name."""
    escaped = str(escape(text))
    return Markup(PLACEHOLDER.sub(lambda match: str(escape(values[match.group(1)])) if match.group(1) in values
                                  else match.group(0), escaped))


FIXED_URLS_KEPT = 256  # (mount point, endpoint, values) keys: a few dozen in practice


def fixed_url(endpoint: str, **values: str) -> str:
    """``url_for(endpoint, **values)`` for an address that is the same on every request (a page with no
    variable part, a static file under its hashed name): built once per mount point, then reused.
    Templates pass literals only, so the keys are few."""
    key = (request.script_root, endpoint, *sorted(values.items()))
    urls = per_app("triage_fixed_urls", dict)
    url = urls.get(key)
    if url is None:
        url = url_for(endpoint, **values)
        if len(urls) < FIXED_URLS_KEPT:
            urls[key] = url
    return url
