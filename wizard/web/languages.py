"""Addresses carry the language: English at today's paths, every other language under ``/<code>/``.

``/q/method?...`` is English and ``/es/q/method?...`` the same page in Spanish,
with the same answers in the same query string. Each address is one page, so
caches (nginx, KeptPages) keep one copy per address and nothing varies on
``Accept-Language``; the browser's language is only ever used by the start
page's script to *suggest* another language, never to redirect.

A language is one content file, ``text/<code>.yaml``: the ``lang`` URL
converter is made from the languages the content has when the app starts, so
a new file needs no code change.
"""
from __future__ import annotations

import re
from flask import Flask, current_app, g, request
from werkzeug.routing import BaseConverter

from wizard.core.translations import DEFAULT_LANGUAGE

LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")


def init_languages(app: Flask, languages: tuple[str, ...]) -> None:
    """The `lang` converter, matching only the content's languages other than English (before any route)."""
    others = [language for language in languages if language != DEFAULT_LANGUAGE]
    pattern = "|".join(map(re.escape, others)) or "(?!)"  # no other language: matches nothing

    class LanguageConverter(BaseConverter):
        regex = f"(?:{pattern})"

    app.url_map.converters["lang"] = LanguageConverter
    app.config["LANGUAGES"] = tuple(languages)


def languages() -> tuple[str, ...]:
    return current_app.config.get("LANGUAGES", (DEFAULT_LANGUAGE,))


def request_language() -> str:
    """The language of this request: its route's `lang`, else the address's first segment, else English.

    (A 404 for ``/es/nothing`` has no route, but is still a Spanish page.)"""
    chosen = g.get("language")
    if chosen:
        return chosen
    first = request.path.lstrip("/").split("/", 1)[0]
    return first if first in languages() and first != DEFAULT_LANGUAGE else DEFAULT_LANGUAGE


def prefix(language: str) -> str:
    """The path prefix of a language: "" for English, "/es" for Spanish."""
    return "" if language == DEFAULT_LANGUAGE else f"/{language}"


def show_address(neutral: str) -> None:
    """Say which page this is, without its language (``/q/method?topic=...&v=...``): the language links
    then go to that page in each language. Pages that do not say (error pages, a code not found) link
    each language's start page: nothing a client sent is echoed back."""
    g.page_address = neutral


def same_page_in(language: str) -> str:
    """This page's address in another language: the same path and the same answers (else the start page)."""
    return request.script_root + prefix(language) + g.get("page_address", "/")


def alternates() -> list[dict]:
    """Every language of this page: code, address (and which one is this one), for links and hreflang."""
    current = request_language()
    return [{"code": language, "url": same_page_in(language), "current": language == current}
            for language in languages()]
