"""A desk's published hours by the reader's own clock: wizard.js turns the hours on the page (DMDC: Monday to
Friday, 5 a.m. to 5 p.m. Pacific time) into the time zone the browser keeps, for a reader in Puerto Rico,
Japan or New Zealand. The page itself is the same for everyone; without the script the line stays hidden."""
from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from .walking import OUTCOMES, TO

pytestmark = pytest.mark.browser
DESK_ZONE = ZoneInfo("America/Los_Angeles")  # wizard/content/contacts.yaml: dmdc hours.open


def dsl_locked() -> str:
    question, option = OUTCOMES["dsl_locked"]
    return f"/q/dsl_locked?{urlencode({**dict(TO[question]), question: option})}"


def clock(hour: int, minute: int, zone: str) -> tuple[str, dt.datetime]:
    """DMDC's opening time today, as a US-English clock shows it in ``zone``, and that moment there."""
    today = dt.datetime.now(DESK_ZONE).date()
    there = dt.datetime(today.year, today.month, today.day, hour, minute, tzinfo=DESK_ZONE).astimezone(ZoneInfo(zone))
    minutes = f":{there.minute:02d}" if there.minute else ""  # Nepal is 45 minutes off the hour
    return f"{there.hour % 12 or 12}{minutes} {'a.m.' if there.hour < 12 else 'p.m.'}", there


@pytest.mark.parametrize("zone", ["America/Puerto_Rico", "Asia/Tokyo", "Pacific/Auckland", "Asia/Kathmandu"])
def test_the_hours_are_also_given_by_the_readers_clock(new_context, zone):
    page = new_context(timezone_id=zone, locale="en-US").new_page()
    page.goto(dsl_locked())
    opens, opening_there = clock(5, 0, zone)
    closes, closing_there = clock(17, 0, zone)
    if closing_there.date() != opening_there.date():  # Japan: 10 p.m. to 10 a.m.
        closes += " the next day"
    line = page.locator(".main-contact + .js-local-hours")
    expect(line).to_be_visible()
    expected = f"on those days it opens from {opens} to {closes}.".replace("..", ".")
    if opening_there.date() != dt.datetime.now(DESK_ZONE).date():  # New Zealand: already the next day there
        expected += " The days may be different where you are."
    text = line.inner_text()
    assert re.fullmatch(r"By your phone or computer's clock \(([^()]+)\), (.*)", text), text  # the zone by name
    assert text.endswith(expected), text
    expect(page.locator("#contact-dmdc").locator("xpath=..").locator(".js-local-hours")).to_have_text(text)
    if zone == "America/Puerto_Rico":
        assert "(Atlantic Standard Time)" in text


def test_a_reader_on_the_desks_own_clock_sees_no_second_line(new_context):
    page = new_context(timezone_id="America/Los_Angeles", locale="en-US").new_page()
    page.goto(dsl_locked())
    expect(page.locator(".js-local-hours").first).to_be_hidden()
    expect(page.locator(".main-contact")).to_contain_text("5 a.m. to 5 p.m. Pacific time")


def test_without_the_script_the_line_stays_hidden(new_context):
    page = new_context(timezone_id="Asia/Tokyo", java_script_enabled=False).new_page()
    page.goto(dsl_locked())
    expect(page.locator(".js-local-hours").first).to_be_hidden()


def test_spanish_pages_give_the_readers_clock_in_spanish(new_context):
    page = new_context(timezone_id="America/Puerto_Rico", locale="es-PR").new_page()
    page.goto("/es" + dsl_locked())
    _, opening_there = clock(5, 0, "America/Puerto_Rico")
    expect(page.locator(".main-contact + .js-local-hours")).to_contain_text(
        f"esos días abre de {opening_there.hour} a. m. a {opening_there.hour} p. m.")
    expect(page.locator(".main-contact + .js-local-hours")).to_contain_text("Según la hora de su teléfono o computadora (hora")
