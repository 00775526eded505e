"""The facts people read: phone numbers, addresses, sources, outcome pages, sign-in settings."""
from __future__ import annotations

import html
import re
import shutil

import pytest
import yaml
from helpers import TEST_CONFIG
from page_addresses import canonical_query, open_page, version_of
from routes import OUTCOMES, TO

from app import create_app
from wizard.core.addresses import AllowList, unlisted_addresses
from wizard.core.reference_codes import code_for
from wizard.core.flow import CONTENT_DIR, ContentLoader, load_flow
from wizard.core.sign_in import SIGN_IN_SETTINGS

# Every number a person may be shown, checked by hand against shared/sources.
CONTACT_NUMBERS = {
    # GSC: the DSN and "24/7" were only in the third-party FAQ copy (audit C3, C4), so no DSN and no hours.
    "global_service_center": {"phone": ("1-800-600-9332", "+18006009332"), "tty": None, "hours": "unpublished"},
    "dmdc": {"phone": ("1-800-368-3665", "+18003683665"), "tty": None, "hours": {
        "source": "dmdc_hours",  # Monday to Friday, 5 a.m. to 5 p.m. Pacific (the TRICARE newsroom)
        "open": {"days": ["mon", "tue", "wed", "thu", "fri"], "from": "05:00", "to": "17:00",
                 "zone": "America/Los_Angeles"}}},
    "deers_support": {"phone": ("1-800-538-9552", "+18005389552"), "tty": ("1-866-363-2883", "+18663632883"),
                      "hours": "unpublished"},
}
PORTAL = "https://my.mhsgenesis.health.mil"
PHONE_LIKE = re.compile(r"\(?\b\d{3}\)?[-. ]\d{3}[-. ]\d{4}\b")
HREF = re.compile(r'href="([^"]+)"')
CREATE_OUTCOMES = ["create_with_cac", "create_with_email", "create_remote", "create_in_person",
                   "create_choose_route", "dsl_deactivated", "piv_dsl_deactivated"]
INELIGIBLE_OUTCOMES = ["inelig_under_18", "inelig_not_affiliated", "deers_data", "deers_enroll_first",
                       "former_spouse"]


def content_text() -> str:
    return "\n".join(path.read_text() for path in sorted(CONTENT_DIR.rglob("*.yaml")))


def load(name: str):
    return yaml.load((CONTENT_DIR / name).read_text(), Loader=ContentLoader)


@pytest.fixture(scope="module")
def allowed() -> AllowList:
    return AllowList.from_entries(load("addresses.yaml"))


@pytest.mark.parametrize("contact_id", CONTACT_NUMBERS)
def test_contact_numbers_are_the_published_ones(contact_id):
    contact = load("contacts.yaml")[contact_id]
    expected = CONTACT_NUMBERS[contact_id]
    assert (contact["phone"]["display"], contact["phone"]["tel"]) == expected["phone"]
    assert "dsn" not in contact
    assert ((contact["tty"]["display"], contact["tty"]["tel"]) if "tty" in contact else None) == expected["tty"]
    assert contact["hours"] == expected["hours"]


def test_dmdc_hours_are_on_every_dmdc_outcome_beside_its_number(client, every_outcome, engine):
    hours = "Open Monday to Friday, 5 a.m. to 5 p.m. Pacific time"
    for outcome, node in engine.flow.nodes.items():
        if node.is_outcome and "dmdc" in node.contacts:
            page = html.unescape(render(client, every_outcome[outcome], outcome))
            assert hours in page, outcome
            if node.contacts[0] == "dmdc":
                main = page[page.index('<p class="main-contact">'):]
                assert main[:main.index("</p>")].count(hours) == 1, outcome


def test_a_number_that_may_not_connect_from_abroad_links_to_what_to_do_instead(client, every_outcome, engine):
    """Kenji, Heike: the tappable 1-800 number was on the first screen, and "Outside the US ... may not
    connect" screens below it. Under the main number, a link goes to the desk's overseas note."""
    linked = 0
    for outcome, node in engine.flow.nodes.items():
        if not node.is_outcome:
            continue
        page = render(client, every_outcome[outcome], outcome)
        for target in re.findall(r'<p class="outside-us"><a href="#([^"]+)">', page):
            linked += 1
            assert re.search(rf'<li id="{target}">[^<]*1-800 number may not connect', page), (outcome, target)
    assert linked >= 30  # every outcome whose main desk is DMDC or the GSC


def test_the_gsc_shows_no_dsn_and_no_hours_we_cannot_source(client, every_outcome):
    page = html.unescape(render(client, every_outcome["portal_technical"], "portal_technical"))
    assert "312-838" not in page and "24 hours" not in page and "every day" not in page
    assert "Opening hours: not published on any official page we found." in page


def test_no_other_phone_number_appears_anywhere_in_the_content():
    # 1-800-698-2411: VA's MyVA411, only in the Spanish VA card (a Spanish interpreter; source va_spanish)
    allowed = {"1-800-600-9332", "1-800-368-3665", "1-800-538-9552", "1-866-363-2883", "1-800-698-2411"}
    found = {match.group(0) for match in PHONE_LIKE.finditer(content_text())}
    assert {number for number in found if not any(number in a for a in allowed)} == set()


def test_the_look_alike_com_site_and_the_old_address_are_nowhere_in_the_content():
    text = content_text().lower()
    assert "mymhsgenesis" + ".com" not in text  # the look-alike the FAQ copy named (split so a search finds no use of it)
    assert "patientportal.mhsgenesis.health.mil" not in text


def test_the_allow_list_holds_only_addresses_public_facts_names(allowed):
    assert PORTAL in allowed.urls
    assert not any(host.endswith(".com") for host in allowed.hosts)
    assert all(host.endswith((".mil", ".gov", ".me")) for host in allowed.hosts)


# ---------------------------------------------------------------- every rendered page

def pages_of_the_flow(client, every_outcome) -> dict[str, str]:
    """The HTML of every page a person can reach, each at its own address: start, each question and outcome,
    the answers page, a saved result, and the pages that refuse something."""
    app = client.application
    longest = max(every_outcome.values(), key=len)
    pages = {"start": client.get("/").text}
    for node, answers in [*TO.items(), *every_outcome.items()]:
        pages[node] = open_page(client, node, answers).text
    for name, address, status in [
        ("answers", f"/answers?{canonical_query(app, longest)}", 200),
        ("no answers yet", f"/answers?{canonical_query(app, {})}", 200),
        ("saved result", f"/r/{code_for(version_of(app), every_outcome['dsl_forgot'])}", 200),
        ("unknown code", "/r/K7PM4QX2", 404),
        ("nothing chosen", f"/a/method?{canonical_query(app, TO['method'])}", 400),
        ("not on that question", f"/a/new_who?{canonical_query(app, {**TO['method'], 'new_who': 'veteran'})}", 409),
        ("not found", "/q/nowhere", 404),
    ]:
        page = client.get(address)
        assert page.status_code == status, name
        pages[name] = page.text
    return pages


def test_the_pages_checked_are_every_node_of_the_flow(engine, every_outcome):
    assert {*TO, *every_outcome} == set(engine.flow.nodes)


def test_no_page_links_or_names_an_address_off_the_allow_list(client, every_outcome, allowed):
    problems = []
    for name, page in pages_of_the_flow(client, every_outcome).items():
        links = [url for url in map(html.unescape, HREF.findall(page)) if url.startswith("http")]
        problems += [f"{name}: links {url}" for url in links if not allowed.allows(url)]
        text = html.unescape(re.sub(r"<[^>]+>", " ", page))
        problems += [f"{name}: names {address}" for address in unlisted_addresses(text, allowed)]
    assert problems == []


def test_the_footer_of_every_page_links_the_official_portal(client, every_outcome):
    for name, page in pages_of_the_flow(client, every_outcome).items():
        assert f'The official portal is at <a href="{PORTAL}">' in page, name


# ---------------------------------------------------------------- outcome pages

def render(client, answers: dict[str, str], node: str) -> str:
    """The page a person with these answers sees, at its own address."""
    return open_page(client, node, answers).text


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_every_outcome_page_has_everything_a_caller_needs(client, engine, every_outcome, outcome):
    page = render(client, every_outcome[outcome], outcome)
    opening = page[page.index("<h1"):page.index("<h2>What to do</h2>")]
    assert '<p class="answer">' in opening
    main = engine.flow.contacts[engine.flow.nodes[outcome].contacts[0]]
    if "phone" in main:  # the desk that handles it, by phone when it has one, else how to reach it
        call = "If you get stuck, call" if engine.flow.nodes[outcome].self_service else "Call"
        assert re.search(rf'<p class="main-contact">{call} [^<]+: <a class="phone" href="tel:\+\d+">', opening)
    else:
        assert re.search(r'<p class="main-contact">[^<]+: ', opening)
    assert '<ol class="steps">' in page
    assert "<h2>Have this ready</h2>" in page
    assert "No help desk will ever ask for your password, PIN or security answers" in page
    assert re.search(r"Last checked \d{4}-\d{2}-\d{2}", page)


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_have_ready_never_asks_for_a_secret(engine, outcome):
    have_ready = " ".join(engine.flow.text()["outcomes"][outcome]["have_ready"]).lower()
    assert not re.search(r"\b(password|pin|security answer|passcode)", have_ready)


@pytest.mark.parametrize("outcome", CREATE_OUTCOMES)
def test_account_creation_outcomes_give_the_address_and_warn_about_webct2(client, every_outcome, outcome):
    page = html.unescape(render(client, every_outcome[outcome], outcome))
    assert "https://www.dmdc.osd.mil/identitymanagement/app/login" in page
    assert "CREATE ACCOUNT" in page
    assert 'Never use a web address that starts with "webct2", even if it ends in .mil' in page


def test_the_webct2_warning_is_written_once(engine):
    outcomes = engine.flow.text()["outcomes"]
    # the one page about doubtful links answers in its first line; every other page shows the shared note
    assert "webct2" not in yaml.safe_dump({k: v for k, v in outcomes.items() if k != "official_addresses"})
    assert "webct2" in engine.flow.text()["notes"]["webct2"]


@pytest.mark.parametrize("outcome", INELIGIBLE_OUTCOMES)
def test_ineligible_outcomes_never_send_people_to_account_creation(engine, outcome):
    steps = yaml.safe_dump(engine.flow.text()["outcomes"][outcome]["steps"])
    assert "CREATE ACCOUNT" not in steps
    assert "identitymanagement/app/login" not in steps
    for option in engine.flow.nodes[outcome].options.values():  # a way on goes back through "what you hold"
        assert [branch.target for branch in option] == ["new_proof"]


def test_outcomes_beyond_the_faq_say_so_on_the_page(wizard):
    wizard.walk(("topic", "cannot_sign_in"), ("method", "cac"), ("cac_problem", "pin_locked"))
    assert "Not all of this is in the official FAQ." in wizard.text
    assert "RAPIDS ID card office" in wizard.text
    wizard.walk(("topic", "cannot_sign_in"), ("method", "ds_logon"), ("dsl_status", "forgot"))
    assert "Not all of this is in the official FAQ." not in wizard.text


def test_pages_list_only_sources_a_person_can_check(client, every_outcome):
    page = render(client, every_outcome["dsl_outage"], "dsl_outage")
    assert "VA developer discussion" not in page  # an editors' note, not a page to trust
    assert "Official: MHS GENESIS Frequently Asked Questions" in page


def test_the_deers_line_is_shown_with_its_tty_and_no_hedge(client, every_outcome):
    page = html.unescape(render(client, every_outcome["deers_data"], "deers_data"))
    assert "1-800-538-9552" in page and 'href="tel:+18663632883"' in page
    assert "older military hospital pages" not in page  # tricare.mil lists it (audit C14)
    assert "1-800-368-3665" not in page  # DMDC's support center does not handle DEERS data (audit C15)


# ---------------------------------------------------------------- sources

def test_every_source_has_a_review_date_and_myauth_sources_are_reviewed_monthly():
    sources = load("sources.yaml")
    for source_id, source in sources.items():
        assert re.match(r"\d{4}-\d{2}-\d{2}$", str(source["reviewed"])), source_id
    assert sources["myauth_help"]["review_every"] == 30
    assert sources["myauth_rollout"]["review_every"] == 30


def test_the_faq_source_names_health_mil_and_the_portal_address_its_own_source():
    sources, contacts = load("sources.yaml"), load("contacts.yaml")
    assert "health.mil" in sources["faq"]["where"]
    assert contacts["patient_portal"]["web"][0] == {"url": PORTAL, "label": "portal", "source": "portal_address"}


# ---------------------------------------------------------------- which sign-in the portal uses

def test_the_portal_sign_in_setting_is_both_today():
    assert load("flow.yaml")["portal_sign_in"] == "both"


@pytest.mark.parametrize(("sign_in", "offered", "piv_goes_to"), [
    ("ds_logon", {"ds_logon", "cac", "piv", "not_sure"}, "piv_problem"),
    ("both", {"ds_logon", "myauth", "cac", "piv", "not_sure"}, "piv_problem"),
    ("myauth", {"myauth", "cac", "piv", "not_sure"}, "myauth_piv"),
])
def test_each_sign_in_setting_builds_a_checked_flow(sign_in, offered, piv_goes_to):
    flow = load_flow(CONTENT_DIR, sign_in=sign_in)
    assert set(flow.nodes["method"].options) == offered
    assert [branch.target for branch in flow.nodes["method"].options["piv"]] == [piv_goes_to]
    assert all(node.options for node in flow.nodes.values() if not node.is_outcome)


@pytest.fixture(scope="module", params=SIGN_IN_SETTINGS)
def app_with_sign_in(request, tmp_path_factory):
    """The app on a copy of the content with only `portal_sign_in` changed: no code change."""
    content = tmp_path_factory.mktemp(request.param) / "content"
    shutil.copytree(CONTENT_DIR, content)
    flow = content / "flow.yaml"
    flow.write_text(flow.read_text().replace("portal_sign_in: both", f"portal_sign_in: {request.param}"))
    return request.param, create_app({**TEST_CONFIG, "CONTENT_DIR": content})


START_PAGE_SAYS = {"ds_logon": "in 3 ways: a DS Logon account", "both": "DoD is moving its sites from DS Logon",
                   "myauth": "myAuth has replaced DS Logon here"}
NOTE_SAYS = {"ds_logon": "This portal still uses DS Logon", "both": "Set up myAuth while your DS Logon still works",
             "myauth": "This portal now uses myAuth, not DS Logon"}


# The way to a DS Logon outcome with each setting: with myAuth only, through myAuth's "DS Logon fails".
TO_DSL_FORGOT = {
    "ds_logon": {**TO["dsl_status"], "dsl_status": "forgot"},
    "both": {**TO["dsl_status"], "dsl_status": "forgot"},
    "myauth": {**TO["myauth_status"], "myauth_status": "no_account", "myauth_create": "ds_logon_fails",
               "dsl_status": "forgot"},
}


def test_start_page_question_and_outcomes_follow_the_setting(app_with_sign_in):
    sign_in, app = app_with_sign_in
    client = app.test_client()
    assert START_PAGE_SAYS[sign_in] in html.unescape(client.get("/").text)
    method = render(client, {"topic": "cannot_sign_in"}, "method")
    assert ('value="myauth"' in method) == (sign_in != "ds_logon")
    assert ('value="ds_logon"' in method) == (sign_in != "myauth")
    assert NOTE_SAYS[sign_in] in html.unescape(render(client, TO_DSL_FORGOT[sign_in], "dsl_forgot"))


def test_a_phone_number_in_content_text_is_a_link_that_calls_it():
    """linkify: MyVA411 in the Spanish line on language help was plain text (Spanish trial, 2026-12-03)."""
    from wizard.web.templating import linkify

    assert str(linkify("Llame al 1-800-698-2411 (TTY: 711).")) == (
        'Llame al <a class="phone" href="tel:+18006982411">1-800-698-2411</a> (TTY: 711).')
    assert str(linkify("https://example.mil/1-800-698-2411")).count("tel:") == 0
