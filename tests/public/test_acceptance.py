"""The acceptance scenarios of the spec, and the situations real callers hit, end to end through HTTP."""
from __future__ import annotations

import html
import re

import pytest

DMDC_PHONE = 'href="tel:+18003683665"'
GSC_PHONE = 'href="tel:+18006009332"'
DEERS_PHONE = 'href="tel:+18005389552"'
CREATE_ACCOUNT_URL = "https://www.dmdc.osd.mil/identitymanagement/app/login"
PORTAL = "https://my.mhsgenesis.health.mil"
NEW_ACCOUNT = (("topic", "cannot_sign_in"), ("method", "ds_logon"), ("dsl_status", "no_account"))
SIGN_IN_WITH = {method: (("topic", "cannot_sign_in"), ("method", method))
                for method in ("ds_logon", "myauth", "cac", "piv")}
OWN_RECORD = (("topic", "inside_portal"), ("portal_issue", "no_record"), ("record_whose", "own"))


def test_1_retired_service_member_without_account_is_told_how_to_create_one(wizard):
    wizard.walk(*NEW_ACCOUNT, ("new_who", "service_member"), ("new_proof", "none"))
    assert wizard.path == "/q/create_remote"
    assert CREATE_ACCOUNT_URL in wizard.text
    assert "CREATE ACCOUNT" in wizard.text
    assert "webct2" in wizard.text
    assert DMDC_PHONE in wizard.html and "1-800-368-3665" in wizard.text


def test_2_sixteen_year_old_is_not_eligible_and_not_sent_to_account_creation(wizard):
    wizard.walk(*NEW_ACCOUNT, ("new_who", "under_18"))
    assert wizard.path == "/q/inelig_under_18"
    assert "18 or older" in wizard.text
    assert CREATE_ACCOUNT_URL not in " ".join(wizard.steps)
    assert "CREATE ACCOUNT" not in wizard.text


def test_3_forgotten_password_goes_to_dmdc(wizard):
    wizard.walk(*SIGN_IN_WITH["ds_logon"], ("dsl_status", "forgot"))
    assert wizard.path == "/q/dsl_forgot"
    assert DMDC_PHONE in wizard.html and "1-800-368-3665" in wizard.text
    assert "https://myaccess.dmdc.osd.mil/identitymanagement" in wizard.text


def test_4_error_inside_portal_after_ds_logon_goes_to_global_service_center(wizard):
    wizard.walk(*SIGN_IN_WITH["ds_logon"], ("dsl_status", "portal_problem"))
    assert wizard.path == "/q/portal_technical"
    assert GSC_PHONE in wizard.html and "1-800-600-9332" in wizard.text
    assert "312-838-3000" not in wizard.text and "24 hours a day" not in wizard.text  # only in the .com copy
    assert "Opening hours: not published on any official page we found." in wizard.text
    assert "Patient Portal Champion" in wizard.text


def test_5_piv_holder_with_deactivated_account_creates_a_new_one_then_re_registers(wizard):
    wizard.walk(*SIGN_IN_WITH["piv"], ("piv_problem", "deactivated"))
    assert wizard.path == "/q/piv_dsl_deactivated"
    steps = " ".join(wizard.steps)
    assert CREATE_ACCOUNT_URL in steps and "webct2" in wizard.text
    assert steps.index("CREATE ACCOUNT") < steps.index("register your PIV card")
    assert DMDC_PHONE in wizard.html


def test_6_cac_at_home_without_reader_can_switch_to_ds_logon(wizard):
    wizard.walk(*SIGN_IN_WITH["cac"], ("cac_problem", "no_reader"))
    assert wizard.path == "/q/cac_no_reader"
    assert "CAC-enabled computer" in wizard.text
    assert "Use DS Logon instead" in wizard.text
    wizard.answer("cac_no_reader", "use_ds_logon")
    assert wizard.path == "/q/dsl_status"
    back = html.unescape(re.search(r'<a class="back-link" href="([^"]+)"', wizard.html).group(1))
    assert back.startswith("/q/cac_no_reader?")  # Back: the advice they carried on from
    assert "CAC-enabled computer" in wizard.client.get(back).text
    wizard.answer("dsl_status", "no_account")
    assert wizard.path == "/q/new_who"


def test_7_old_tricare_online_messages_are_gone(wizard):
    wizard.walk(("topic", "inside_portal"), ("portal_issue", "old_messages"))
    assert wizard.path == "/q/old_messages"
    assert "no longer available" in wizard.text
    assert "TRICARE Online" in wizard.text
    assert GSC_PHONE in wizard.html


def test_a_family_helper_sent_the_address_of_a_result_sees_the_same_page(wizard):
    wizard.walk(*SIGN_IN_WITH["ds_logon"], ("dsl_status", "forgot"))
    address = wizard.page.request.full_path
    assert "dsl_status=forgot" in address and "method=ds_logon" in address
    helper = wizard.client.application.test_client().get(address)  # another browser: no cookie, no history
    assert helper.status_code == 200
    assert helper.text == wizard.html


# ---------------------------------------------------------------- the portal's real address

def test_official_addresses_lists_the_real_ones_and_what_to_do_after_a_doubtful_site(wizard):
    wizard.walk(("topic", "check_address"))
    assert wizard.path == "/q/official_addresses"
    for address in (PORTAL, CREATE_ACCOUNT_URL, "https://myaccess.dmdc.osd.mil/identitymanagement/help/myauth.htm",
                    "https://idco.dmdc.osd.mil/idco/"):
        assert f'href="{address}"' in wizard.html, address
    assert "Do not tap sign-in links in texts or emails" in wizard.text and ".com" in wizard.text
    assert 'starts with "webct2", even if it ends in .mil' in html.unescape(wizard.text)
    assert "Change it now at https://myaccess.dmdc.osd.mil/identitymanagement" in wizard.text
    assert DMDC_PHONE in wizard.html


def test_every_page_footer_links_the_real_portal(wizard):
    wizard.walk(*SIGN_IN_WITH["cac"])
    assert f'The official portal is at <a href="{PORTAL}">' in wizard.html


# ---------------------------------------------------------------- first-time sign-up is short

@pytest.mark.parametrize(("proof", "outcome"), [
    ("cac", "create_with_cac"), ("id_card_email", "create_with_email"), ("none", "create_remote"),
])
def test_first_time_sign_up_takes_six_questions_and_ends_with_the_full_steps(wizard, proof, outcome):
    wizard.walk(*NEW_ACCOUNT, ("new_who", "family"), ("family_status", "has_id_card"), ("new_proof", proof))
    assert wizard.path == f"/q/{outcome}"
    steps = " ".join(wizard.steps)
    assert CREATE_ACCOUNT_URL in steps and "CREATE ACCOUNT" in steps and PORTAL in steps


def test_an_id_card_means_deers_lists_you(wizard):
    wizard.walk(*NEW_ACCOUNT, ("new_who", "service_member"))
    assert "A military or dependent ID card means DEERS lists you" in wizard.text


# ---------------------------------------------------------------- myAuth

@pytest.mark.parametrize(("answers", "outcome", "says"), [
    ((("myauth_status", "no_account"),), "myauth_create", "Welcome to myAuth"),
    ((("myauth_status", "forgot_or_locked"),), "myauth_locked", "how to unlock"),
    ((("myauth_status", "security_method"), ("myauth_security", "email_code")), "myauth_email_code", "spam"),
    ((("myauth_status", "security_method"), ("myauth_security", "okta")), "myauth_okta", "Okta Verify"),
    ((("myauth_status", "security_method"), ("myauth_security", "lost_phone")), "myauth_lost_phone",
     "Sign in with CAC"),
    ((("myauth_status", "piv"),), "myauth_piv", "not other PIV cards"),
])
def test_myauth_cases_reach_their_own_answer_with_dmdc(wizard, answers, outcome, says):
    wizard.walk(*SIGN_IN_WITH["myauth"], *answers)
    assert wizard.path == f"/q/{outcome}"
    assert says in wizard.text and DMDC_PHONE in wizard.html


def test_myauth_signed_in_but_portal_fails_goes_to_the_global_service_center(wizard):
    wizard.walk(*SIGN_IN_WITH["myauth"], ("myauth_status", "portal_problem"))
    assert wizard.path == "/q/portal_technical" and GSC_PHONE in wizard.html


def test_myauth_without_cac_or_ds_logon_is_sent_to_make_a_ds_logon_first(wizard):
    wizard.walk(*SIGN_IN_WITH["myauth"], ("myauth_status", "no_account"))
    assert "your own email" in wizard.text
    wizard.answer("myauth_create", "need_ds_logon")
    assert wizard.path == "/q/new_who"


def test_ds_logon_outcomes_carry_the_note_on_the_change(wizard):
    wizard.walk(*SIGN_IN_WITH["ds_logon"], ("dsl_status", "locked"))
    assert "moving its websites from DS Logon to a new sign-in called myAuth" in wizard.text


# ---------------------------------------------------------------- situations real callers hit

@pytest.mark.parametrize(("answers", "outcome", "says", "phone"), [
    (OWN_RECORD[:2] + (("record_whose", "child"),), "child_record", "Age 13 to 17: only some parts", GSC_PHONE),
    (NEW_ACCOUNT + (("new_who", "family"), ("family_status", "has_id_card"), ("new_proof", "id_card_no_email")),
     "deers_add_email", "Visit a RAPIDS ID card office", DEERS_PHONE),
    (SIGN_IN_WITH["ds_logon"] + (("dsl_status", "stuck_creating"), ("create_stuck", "identity_check_failed")),
     "remote_failed", "your sponsor can ask for an account for you", DMDC_PHONE),
    (SIGN_IN_WITH["cac"] + (("cac_problem", "expired"), ("cac_expired_who", "left")), "cac_expired_left",
     "don't get a new CAC", DMDC_PHONE),
    ((("topic", "portal_down"),), "portal_outage", "down for everyone", GSC_PHONE),
    (SIGN_IN_WITH["cac"] + (("cac_problem", "certificate"), ("cac_other_computer", "yes"),
                            ("cac_computer_type", "mac")), "cac_mac", "Follow its steps for macOS", GSC_PHONE),
    (SIGN_IN_WITH["piv"] + (("piv_problem", "card_error"),), "piv_card_issuer", "office that gave you", DMDC_PHONE),
    (SIGN_IN_WITH["piv"] + (("piv_problem", "new_card"),), "piv_reregister", "registered again", DMDC_PHONE),
    (SIGN_IN_WITH["ds_logon"] + (("dsl_status", "stuck_creating"), ("create_stuck", "deers_wrong")),
     "deers_data", "your sponsor adds you to DEERS", DEERS_PHONE),
    (OWN_RECORD + (("record_care_where", "military"), ("record_account_level", "premium")), "record_empty",
     "civilian (network) doctor", GSC_PHONE),
    (OWN_RECORD + (("record_care_where", "va_only"),), "va_records", "Go to https://www.va.gov",
     'href="https://www.va.gov"'),
])
def test_situation_reaches_an_answer_that_solves_it(wizard, answers, outcome, says, phone):
    wizard.walk(*answers)
    assert wizard.path == f"/q/{outcome}"
    assert says in wizard.text
    assert phone in wizard.html


def test_an_empty_record_is_not_blamed_on_the_clinic_not_using_mhs_genesis(wizard):
    wizard.walk(*OWN_RECORD, ("record_care_where", "military"), ("record_account_level", "cac"))
    assert "switched" in wizard.text and "Results show as soon as they are ready" in wizard.text
    assert "uses MHS GENESIS" not in wizard.text


def test_no_dsn_is_shown_and_overseas_callers_are_told_what_to_do(wizard):
    wizard.walk(("topic", "portal_down"))
    assert "DSN" not in wizard.text  # the only DSN we had came from the third-party copy
    assert "Outside the US on an ordinary phone" in wizard.text
