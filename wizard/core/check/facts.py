"""Checks on the facts: contacts.yaml (numbers, hours, what each desk handles), sources.yaml (review
dates) and the address allow-list."""
from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from typing import Any, TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from wizard.core.addresses import AllowList, unlisted_addresses
from wizard.core.check.problems import DEFAULT_REVIEW_EVERY_DAYS, E164, KINDS, NOT_FACTS, Problem, UNPUBLISHED, lookup

if TYPE_CHECKING:
    from wizard.core.flow import RawContent


def check_contacts(contacts: dict, sources: dict) -> Iterator[Problem]:
    for contact_id, contact in contacts.items():
        if not isinstance(contact, dict) or not contact:
            yield Problem("contacts.yaml", contact_id, "needs at least one way to reach it")
            continue
        phone = contact.get("phone")
        if phone is not None and not (isinstance(phone, dict) and E164.match(str(phone.get("tel", "")))
                                      and phone.get("display")):
            yield Problem("contacts.yaml", contact_id, "phone needs `display` and `tel` in +E.164 form")
        for fact in contact_facts(contact):
            ids = fact_sources(fact) if isinstance(fact, dict) else []
            if not (ids and all(isinstance(source, str) and source in sources for source in ids)):
                yield Problem("contacts.yaml", contact_id, f"fact {fact!r} needs a known `source`")
        handles = contact.get("handles")
        if not (isinstance(handles, list) and handles and set(handles) <= set(KINDS)):
            yield Problem("contacts.yaml", contact_id, f"needs `handles:` a list of what it fixes, from "
                          f"{', '.join(KINDS)}")
        opening = contact["hours"].get("open") if isinstance(contact.get("hours"), dict) else None
        if opening is not None and not is_opening(opening):
            yield Problem("contacts.yaml", contact_id, "hours `open` needs `days` (mon ... sun), `from` and `to` "
                          "(HH:MM, from before to) and a `zone` (like America/Los_Angeles)")
        if phone is not None and "hours" not in contact:
            yield Problem("contacts.yaml", contact_id, "a contact with a phone needs `hours: {source: ...}` "
                          "(worded in the text file) or `hours: unpublished`")


def is_opening(opening: Any) -> bool:
    """The hours as data: ``{days: [mon, ...], from: "05:00", to: "17:00", zone: America/Los_Angeles}``."""
    clock = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")
    if not (isinstance(opening, dict) and set(opening) == {"days", "from", "to", "zone"}
            and isinstance(opening["days"], list) and opening["days"]
            and set(opening["days"]) <= {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
            and all(isinstance(opening[end], str) and clock.fullmatch(opening[end]) for end in ("from", "to"))
            and opening["from"] < opening["to"] and isinstance(opening["zone"], str)):
        return False
    try:
        ZoneInfo(opening["zone"])
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def contact_facts(contact: dict) -> list[Any]:
    """Every fact of a contact: each channel, and each web address."""
    return [fact for channel, value in contact.items() if channel not in NOT_FACTS
            and not (channel == "hours" and value == UNPUBLISHED)
            for fact in (value if channel == "web" and isinstance(value, list) else [value])]


def fact_sources(fact: dict) -> list[Any]:
    """A contact fact's source ids: one (`source: faq`), or one for each part of its wording
    (`source: [dsn_rule, appointments]`)."""
    source = fact.get("source")
    return list(source) if isinstance(source, list) else [source]


def check_sources(sources: dict) -> Iterator[Problem]:
    for source_id, source in sources.items():
        if not isinstance(source, dict):
            yield Problem("sources.yaml", source_id, "must be a mapping")
            continue
        if not isinstance(source.get("reviewed"), datetime.date):
            yield Problem("sources.yaml", source_id, "needs a `reviewed: YYYY-MM-DD` date")
        if not source.get("where"):
            yield Problem("sources.yaml", source_id, "needs `where` (how to find the source again)")
        if not isinstance(source.get("official"), bool):
            yield Problem("sources.yaml", source_id, "needs `official: true` or `official: false`")
        if not isinstance(source.get("public", True), bool):
            yield Problem("sources.yaml", source_id, "`public` must be true or false")
        if "review_every" in source and not is_positive_int(source["review_every"]):
            yield Problem("sources.yaml", source_id, "`review_every` must be a whole number of days above 0")


def is_positive_int(value: Any) -> bool:
    """A whole number above 0 (YAML's true and false are not numbers here)."""
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def review_due(source: dict) -> datetime.date:
    """The last day a checked source counts as fresh: `reviewed` plus `review_every` days."""
    reviewed = source["reviewed"]
    if isinstance(reviewed, datetime.datetime):  # YAML reads `2026-01-01 09:00` as a datetime
        reviewed = reviewed.date()
    return reviewed + datetime.timedelta(days=review_every(source))


def review_every(source: dict) -> int:
    """Days between reviews of a checked source: its `review_every`, or the default."""
    return source.get("review_every", DEFAULT_REVIEW_EVERY_DAYS)


def overdue_sources(sources: dict, today: datetime.date) -> list[Problem]:
    """Warnings for the checked sources past their review date on ``today`` (not errors)."""
    return [Problem("sources.yaml", source_id, f"review due since {review_due(source)} (reviewed "
                    f"{source['reviewed']}, every {review_every(source)} days)")
            for source_id, source in sources.items() if review_due(source) < today]


def allow_list(raw: RawContent) -> AllowList:
    return AllowList.from_entries(entry for entry in raw.addresses if isinstance(entry, dict)
                                  and isinstance(entry.get("url", entry.get("host")), str))


def check_allow_list(raw: RawContent) -> Iterator[Problem]:
    """Each allowed address names its source; each contact's web address is allowed."""
    for entry in raw.addresses:
        if not isinstance(entry.get("url", entry.get("host")), str) or entry.get("source") not in raw.sources:
            yield Problem("addresses.yaml", None, f"entry {entry!r} needs `url` or `host`, and a known `source`")
    allowed = allow_list(raw)
    for contact_id, contact in raw.contacts.items():
        for site in lookup(contact, "web") or []:
            if not allowed.allows(str(lookup(site, "url"))):
                yield Problem("contacts.yaml", contact_id, f"{lookup(site, 'url')} is not in addresses.yaml")
    for source_id, source in raw.sources.items():
        for address in unlisted_addresses(str(lookup(source, "where")), allowed):
            yield Problem("sources.yaml", source_id, f"names {address}, which is not in addresses.yaml")
