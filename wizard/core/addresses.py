"""The web addresses the wizard may name: finding them in text, checking them.

`addresses.yaml` in the content folder is the allow-list: full addresses that
pages may link to (`url`) and sites that may be named in text (`host`). The
flow checker runs every piece of wording through :func:`unlisted_addresses`,
and the tests run every rendered page through it, so an address that no
official page names (a `.com` look-alike above all) never reaches a person.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

# A web address with or without https://, in the top-level domains people meet
# here; a trailing full stop or bracket is the sentence's, not the address's.
ADDRESS = re.compile(
    r"(?i)\b(?:https?://)?(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:mil|gov|com|org|net|info|me|io|us|edu)\b"
    r"(?:/[^\s\"'<>)]*[^\s\"'<>).,;:!?])?/?"
)


@dataclass(frozen=True)
class AllowList:
    """Addresses pages may link to, and sites they may name."""

    urls: frozenset[str]
    hosts: frozenset[str]

    @classmethod
    def from_entries(cls, entries: Iterable[dict]) -> AllowList:
        entries = list(entries)
        urls = {entry["url"].rstrip("/") for entry in entries if "url" in entry}
        hosts = {entry["host"].lower() for entry in entries if "host" in entry}
        return cls(frozenset(urls), frozenset(hosts | {urlsplit(url).hostname for url in urls}))

    def allows(self, address: str) -> bool:
        """True for a listed full address, or a listed site named without a path."""
        if "://" in address:
            return address.rstrip("/") in self.urls
        host, _, path = address.partition("/")
        return not path and host.lower() in self.hosts


def addresses_in(text: str) -> list[str]:
    return ADDRESS.findall(text)


def unlisted_addresses(text: str, allowed: AllowList) -> list[str]:
    """The addresses named in ``text`` that the allow-list does not hold."""
    return [address for address in addresses_in(text) if not allowed.allows(address)]


def strings_in(value: Any) -> Iterable[str]:
    """Every string inside nested mappings and lists (wording files)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)
