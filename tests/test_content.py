"""The facts people read: phone numbers, addresses, sources, outcome pages."""
from __future__ import annotations

import re
import pytest
import yaml

from routes import OUTCOMES, TO
from wizard.flow import CONTENT_DIR, ContentLoader

# Every number and address a person may be shown, checked by hand against
# shared/sources (the official FAQ unless marked).
CONTACT_NUMBERS = {
    "global_service_center": {"phone": ("1-800-600-9332", "+18006009332"), "dsn": "312-838-3000"},
    "dmdc": {"phone": ("1-800-368-3665", "+18003683665"), "dsn": None},
}
KNOWN_ADDRESSES = {
    "https://mymhsgenesis.com/ds-login/",
    "https://patientportal.mhsgenesis.health.mil",
    "https://www.dmdc.osd.mil/identitymanagement/app/login",
    "https://myaccess.dmdc.osd.mil/identitymanagement",
    "https://idco.dmdc.osd.mil/idco/locator",  # public-facts.md: ID Card Office locator
}
PHONE_LIKE = re.compile(r"\(?\b\d{3}\)?[-. ]\d{3}[-. ]\d{4}\b")
URL = re.compile(r"https://[^\s\"'<>)]+[^\s\"'<>).,;:]")
CREATE_OUTCOMES = ["create_with_cac", "create_with_email", "create_remote", "create_in_person",
                   "create_choose_route", "dsl_deactivated", "piv_dsl_deactivated"]


def content_text() -> str:
    return "\n".join(path.read_text() for path in sorted(CONTENT_DIR.rglob("*.yaml")))


def load(name: str):
    return yaml.load((CONTENT_DIR / name).read_text(), Loader=ContentLoader)


@pytest.mark.parametrize("contact_id", CONTACT_NUMBERS)
def test_contact_numbers_are_the_published_ones(contact_id):
    contact = load("contacts.yaml")[contact_id]
    expected = CONTACT_NUMBERS[contact_id]
    assert (contact["phone"]["display"], contact["phone"]["tel"]) == expected["phone"]
    assert (contact.get("dsn") or {}).get("display") == expected["dsn"]


def test_no_other_phone_number_appears_anywhere_in_the_content():
    allowed = {"1-800-600-9332", "312-838-3000", "1-800-368-3665"}
    found = {match.group(0) for match in PHONE_LIKE.finditer(content_text())}
    assert {number for number in found if not any(number in a for a in allowed)} == set()


def test_every_web_address_is_a_known_official_one():
    assert set(URL.findall(content_text())) <= KNOWN_ADDRESSES


def test_every_source_has_a_review_date():
    for source_id, source in load("sources.yaml").items():
        assert re.match(r"\d{4}-\d{2}-\d{2}$", str(source["reviewed"])), source_id


@pytest.fixture(scope="module")
def every_outcome() -> dict[str, dict[str, str]]:
    """For each outcome, the answers that lead to it (tests/routes.py)."""
    return {outcome: {**TO[question], question: option} for outcome, (question, option) in OUTCOMES.items()}


def test_every_outcome_has_a_route_that_reaches_it(engine, every_outcome):
    outcomes = {node_id for node_id, node in engine.flow.nodes.items() if node.is_outcome}
    assert set(every_outcome) == outcomes
    for outcome, answers in every_outcome.items():
        assert engine.walk(answers).current == outcome


def render(client, engine, answers: dict[str, str]) -> str:
    """The page a person with these saved answers sees."""
    with client.session_transaction() as session:
        session.update({"v": 1, "a": [[node, key] for node, key in answers.items()]})
    page = client.get(f"/q/{engine.walk(answers).current}")
    assert page.status_code == 200
    return page.text


def test_every_outcome_page_has_everything_a_caller_needs(client, engine, every_outcome):
    for outcome, answers in every_outcome.items():
        html = render(client, engine, answers)
        assert re.search(r'<a class="phone" href="tel:\+\d+">', html), outcome
        assert "<h2>What to do</h2>" in html and '<ol class="steps">' in html, outcome
        assert "<h2>Have this ready before you call</h2>" in html, outcome
        assert re.search(r"Last checked \d{4}-\d{2}-\d{2}", html), outcome


@pytest.mark.parametrize("outcome", CREATE_OUTCOMES)
def test_account_creation_outcomes_warn_about_webct2(engine, outcome):
    steps = " ".join(engine.flow.text()["outcomes"][outcome]["steps"])
    assert "https://www.dmdc.osd.mil/identitymanagement/app/login" in steps
    assert "CREATE ACCOUNT" in steps
    assert '"webct2"' in steps and "not DS Logon" in steps


@pytest.mark.parametrize("outcome", ["inelig_under_18", "inelig_no_affiliation", "inelig_category",
                                     "inelig_not_in_deers", "deers_check"])
def test_ineligible_outcomes_never_send_people_to_account_creation(engine, outcome):
    words = engine.flow.text()["outcomes"][outcome]
    assert "CREATE ACCOUNT" not in " ".join(words["steps"])
    assert "identitymanagement/app/login" not in " ".join(words["steps"])


def test_outcomes_beyond_the_faq_say_so_on_the_page(wizard):
    wizard.walk(("topic", "cannot_sign_in"), ("method", "cac"), ("cac_problem", "pin_locked"))
    assert "Not from the official FAQ." in wizard.text
    assert "RAPIDS ID card office" in wizard.text
    wizard.walk(("topic", "cannot_sign_in"), ("method", "ds_logon"), ("dsl_status", "forgot"))
    assert "Not from the official FAQ." not in wizard.text
