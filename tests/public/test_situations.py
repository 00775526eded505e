"""Each situation of issue 12 and each person of the 2026-12-02 trials, end to end through HTTP.

These assert the advice a person gets (the desk at the top, the deciding step,
the fact that fixes it), not only which page appears. The people's stories
themselves are in tests/stories.yaml, for trials by fresh eyes.
"""
from __future__ import annotations

import html
import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from helpers import hidden_fields

DMDC = 'href="tel:+18003683665"'
GSC = 'href="tel:+18006009332"'
DEERS = 'href="tel:+18005389552"'
DMDC_HOURS = "Open Monday to Friday, 5 a.m. to 5 p.m. Pacific time"
SIGN_IN = ("topic", "cannot_sign_in")
DS_LOGON = (SIGN_IN, ("method", "ds_logon"))
NEW_ACCOUNT = (*DS_LOGON, ("dsl_status", "no_account"))
INSIDE = ("topic", "inside_portal")


def main_line(wizard) -> str:
    """The line under the answer: who handles this, and how to reach them."""
    page = wizard.html
    start = page.index('<p class="main-contact">')
    return html.unescape(re.sub(r"<[^>]+>", "", page[start:page.index("</p>", start)]))


def text(wizard) -> str:
    return html.unescape(wizard.text)


# ---------------------------------------------------------------- the deciding question first

def test_a_new_spouse_without_an_id_card_is_sent_to_be_enrolled_not_to_an_online_check(wizard):
    """Priya: married two weeks ago; not in DEERS until her sponsor enrols her."""
    wizard.walk(*NEW_ACCOUNT, ("new_who", "family"), ("family_status", "new_to_family"))
    assert wizard.path == "/q/deers_enroll_first"
    page = text(wizard)
    assert "Your sponsor enrolls you at an ID card office" in page
    assert "marriage or birth certificate" in page and DEERS in wizard.html
    assert "online" not in " ".join(wizard.steps)  # no online check or email sign-up before DEERS lists her
    assert "call your clinic to book a visit" in page
    wizard.answer("deers_enroll_first", "enrolled")  # the way on keeps her answers
    assert wizard.path == "/q/new_proof"
    assert wizard.page.request.args["family_status"] == "new_to_family"


def test_a_va_only_veteran_who_cannot_sign_in_learns_the_portal_will_be_empty_and_gets_va_gov(wizard):
    """Jim: all his care is at VA; no DS Logon needed for it."""
    wizard.walk(*NEW_ACCOUNT, ("new_who", "veteran"), ("new_care_where", "va_only"))
    assert wizard.path == "/q/va_records"
    assert main_line(wizard).startswith("VA (Veterans Affairs):")
    assert 'href="https://www.va.gov"' in wizard.html
    assert "You don't need a DS Logon account for your VA records." in text(wizard)
    assert "CREATE ACCOUNT" not in wizard.text


def test_a_veteran_with_military_care_goes_on_to_make_an_account(wizard):
    wizard.walk(*NEW_ACCOUNT, ("new_who", "veteran"), ("new_care_where", "military"))
    assert wizard.path == "/q/new_proof"


@pytest.mark.parametrize("answers", [
    (("topic", "helping_someone"), ("helping_whom", "adult_cannot")),
    (INSIDE, ("portal_issue", "no_record"), ("record_whose", "other_adult")),
])
def test_a_carer_for_an_adult_who_cannot_sign_in_gets_the_clinic_and_what_is_known(wizard, answers):
    """Beth: her mother has dementia; not a dead end."""
    wizard.walk(*answers)
    assert wizard.path == "/q/other_adult_record"
    page = text(wizard)
    assert main_line(wizard).startswith("The patient's military hospital or clinic: Call the appointment line of the patient's")
    assert "Call the appointment line of the patient's military hospital or clinic" in page
    assert "secure message" not in main_line(wizard)  # the person cared for cannot sign in
    assert "power of attorney" in page and "guardian" in page
    assert "Surrogate" in page
    assert "must sign in themselves" not in page
    assert DMDC in wizard.html


def test_a_parent_helping_a_child_reaches_the_childs_clinic(wizard):
    wizard.walk(("topic", "helping_someone"), ("helping_whom", "child"))
    assert wizard.path == "/q/child_record"
    assert main_line(wizard).startswith("The patient's military hospital or clinic:")


def test_a_teen_in_the_military_is_told_the_parents_rules_do_not_apply(wizard):
    """A 17-year-old sailor with a CAC is not a minor for these rules."""
    wizard.walk(*NEW_ACCOUNT)
    assert "In the military? Choose Service member" in text(wizard)
    wizard.walk(*NEW_ACCOUNT, ("new_who", "under_18"))
    assert "In the military? Then you are not under these rules. Sign in with your CAC" in text(wizard)


def test_someone_with_a_cac_who_is_not_sure_what_is_wrong_gets_computer_steps(wizard):
    """Ana: 'something else' on the CAC question still ends in specific steps."""
    wizard.walk(SIGN_IN, ("method", "cac"), ("cac_problem", "other"))
    assert wizard.path == "/q/cac_other_computer"
    wizard.walk(SIGN_IN, ("method", "cac"), ("cac_problem", "other"), ("cac_other_computer", "not_tried"),
                ("cac_computer_type", "windows"))
    assert wizard.path == "/q/cac_windows_setup"
    assert "InstallRoot" in wizard.text and "If the card fails on every computer" in wizard.text


# ---------------------------------------------------------------- the words people use

@pytest.mark.parametrize("option", ["forgot", "password_expired"])
def test_a_wrong_or_expired_password_is_reset_on_the_ds_logon_site(wizard, option):
    """Ray ('it says my password is wrong') and Carmen ('my password expired')."""
    wizard.walk(*DS_LOGON)
    assert {"It says my username or password is wrong, or I forgot them",
            "It says my password has expired"} <= set(re.findall(r"It says my [^<]+", html.unescape(wizard.html)))
    wizard.walk(*DS_LOGON, ("dsl_status", option))
    assert wizard.path == "/q/dsl_forgot"
    steps = " ".join(wizard.steps)
    assert "Then choose the link for a forgotten password. Use it for an expired password too." in steps
    assert main_line(wizard).startswith("If you get stuck, call DMDC") and DMDC_HOURS in main_line(wizard)
    assert "Too many wrong tries suspend your account" in steps


def test_an_expired_or_lapsed_account_is_the_deactivated_one_and_is_made_again(wizard):
    """Gene: not used for years."""
    wizard.walk(*DS_LOGON)
    assert "My account has expired, lapsed or been deactivated" in text(wizard)
    wizard.walk(*DS_LOGON, ("dsl_status", "deactivated"))
    assert "can't be used again. Make a new one." in text(wizard)
    assert "Once your new DS Logon works, use it to set up myAuth too" in text(wizard)


def test_an_account_someone_else_set_up_is_recovered_or_replaced_by_your_own(wizard):
    """Hector: his wife set it up with her email."""
    wizard.walk(*DS_LOGON, ("dsl_status", "someone_else"))
    assert wizard.path == "/q/dsl_someone_else"
    page = text(wizard)
    assert "Each adult needs their own DS Logon, with their own email." in page
    assert "If that email is not yours, call DMDC" in page
    assert "Do not use another person's account or password." in page


def test_a_text_with_a_sign_in_link_is_not_followed_even_if_it_ends_in_mil(wizard):
    """Kevin: a webct2 link in a text message."""
    wizard.walk(("topic", "check_address"))
    page = text(wizard)
    assert page.index("may be fake, even if it ends in .mil. Never use one that starts with webct2") \
        < page.index("What to do")
    assert 'starts with "webct2", even if it ends in .mil' in page
    assert "Type https://my.mhsgenesis.health.mil into your browser yourself" in page


def test_the_portal_saying_it_has_no_record_goes_to_the_portal_desk(wizard):
    """Dave: 'the portal says it has no record for me'."""
    wizard.walk(INSIDE, ("portal_issue", "no_record_found"))
    assert wizard.path == "/q/portal_no_record"
    assert main_line(wizard).startswith("Call DHA Global Service Center")
    assert "Never seen at one, or only by civilian doctors?" in text(wizard)


def test_a_suspended_account_overseas_gets_the_online_route_and_dmdc_hours(wizard):
    """Kenji, in Okinawa in the evening: suspended (reopened online) is not locked (DMDC)."""
    wizard.walk(*DS_LOGON, ("dsl_status", "suspended"))
    assert wizard.path == "/q/dsl_suspended"
    page = text(wizard)
    assert "reopened online, at any time. Use Unsuspend My Account" in page
    assert DMDC_HOURS in main_line(wizard)
    assert "a 1-800 number may not connect" in page and "In Japan or Korea" in page
    wizard.walk(*DS_LOGON, ("dsl_status", "locked"))
    assert "A locked DS Logon account needs DMDC." in text(wizard)


def test_someone_who_heard_ds_logon_is_going_away_is_told_to_set_up_myauth_now(wizard):
    """Olga: she can sign in; her question is the change."""
    wizard.walk(("topic", "myauth_change"))
    assert wizard.path == "/q/myauth_prepare"
    page = text(wizard)
    assert "Make a myAuth account now, while your DS Logon still works" in page
    assert "Under Family ID Cards, select Continue. On the New Login Requirement page, select Create Account." in page
    assert "This portal now uses myAuth" not in page  # no public page says so (audit M2)


def test_a_va_only_veteran_finds_va_on_the_first_question(wizard):
    wizard.walk(("topic", "va_care"))
    assert wizard.path == "/q/va_records"
    assert "read them this code" not in wizard.text  # VA does not use this tool


# ---------------------------------------------------------------- the desk that can act

def test_a_missing_lab_result_goes_to_the_care_team_with_the_release_rule(wizard):
    """Sgt. Lee: blood drawn a week ago."""
    wizard.walk(INSIDE, ("portal_issue", "missing_result"))
    assert wizard.path == "/q/result_missing"
    assert main_line(wizard).startswith("Your care team or clinic: Send a secure message")
    assert "Since January 20, 2026" in text(wizard) and "before your doctor has looked at them" in text(wizard)


def test_a_parent_of_a_teen_is_told_parts_are_limited_and_to_ask_the_teens_clinic(wizard):
    """Maria: her daughter is 14."""
    wizard.walk(INSIDE, ("portal_issue", "no_record"), ("record_whose", "child"))
    page = text(wizard)
    assert "Age 13 to 17: only some parts. The teen's clinic can tell you which." in page
    assert "These rules apply in the US." in page
    assert main_line(wizard).startswith("The patient's military hospital or clinic:")


def test_a_cac_on_a_mac_gets_the_dod_page_and_steps(wizard):
    """Marcus: CAC works at work, not on his MacBook."""
    wizard.walk(SIGN_IN, ("method", "cac"), ("cac_problem", "not_read"), ("cac_other_computer", "yes"),
                ("cac_computer_type", "mac"))
    assert 'href="https://public.cyber.mil/pki-pke/end-users/getting-started/"' in wizard.html
    assert "You download DoD's certificate files and add them to your Mac." in text(wizard)


def test_a_surviving_spouse_with_a_deactivated_account_is_told_deers_comes_first(wizard):
    """Rosa: her sponsor died; her account was deactivated."""
    wizard.walk(*DS_LOGON, ("dsl_status", "deactivated"))
    page = text(wizard)
    assert "your sponsor died" in page and "DEERS must show that first" in page
    assert "an email in DEERS that is yours alone" in page and DEERS in wizard.html


def test_no_email_in_deers_leads_with_what_works_without_an_account(wizard):
    """Linda and Nora: DEERS has no email of their own (audit E1)."""
    wizard.walk(*NEW_ACCOUNT, ("new_who", "family"), ("family_status", "has_id_card"),
                ("new_proof", "id_card_no_email"))
    steps = wizard.steps
    assert steps[0].startswith("Ways that work without an account:")
    assert "Call the DEERS Support Office" in steps[0] and "Visit a RAPIDS ID card office" in steps[0]
    assert "may not work for you yet" in " ".join(steps)  # the online routes need a myAuth sign-in
    assert main_line(wizard).startswith("Call DEERS Support Office (DMDC)")
    wizard.answer("deers_add_email", "online_check")
    assert wizard.path == "/q/create_remote"


def test_a_former_spouse_is_told_the_rule_that_decides(wizard):
    """Frank: divorced after 12 years."""
    wizard.walk(*NEW_ACCOUNT, ("new_who", "family"), ("family_status", "former_spouse"))
    page = text(wizard)
    assert "20/20/20" in page and "20/20/15" in page and "Benefits last 1 year" in page
    assert DEERS in wizard.html


def test_ds_logon_users_are_told_to_set_up_myauth_while_ds_logon_works(wizard):
    """Olga: no CAC, DS Logon works; DoD's advice is to act now."""
    wizard.walk(*DS_LOGON, ("dsl_status", "forgot"))
    page = text(wizard)
    assert "Have DS Logon but no CAC? Set up myAuth while your DS Logon still works" in page
    assert 'href="https://idco.dmdc.osd.mil/idco/"' in wizard.html


def test_myauth_is_made_at_id_card_office_online_with_the_real_screens(wizard):
    wizard.walk(SIGN_IN, ("method", "myauth"), ("myauth_status", "no_account"))
    steps = " ".join(wizard.steps)
    assert steps.index("https://idco.dmdc.osd.mil/idco/") < steps.index("New Login Requirement") \
        < steps.index("Create Account")
    assert "Department of War" in steps


def test_a_piv_card_keeps_working_through_ds_logon(wizard):
    """Tom: a VA PIV card, and a myAuth screen."""
    wizard.walk(SIGN_IN, ("method", "myauth"), ("myauth_status", "piv"))
    assert "not other PIV cards yet. Keep using your PIV card with DS Logon." in text(wizard)


def test_activation_comes_after_the_email_on_the_sign_in_page(wizard):
    """Audit D6: Activate My Account, check details, then the emailed code."""
    wizard.walk(*DS_LOGON, ("dsl_status", "stuck_creating"), ("create_stuck", "activation_email"))
    steps = " ".join(wizard.steps)
    assert steps.index("Select Activate My Account") < steps.index("enter the code from the email")


# ---------------------------------------------------------------- no loops

def test_every_way_on_from_an_outcome_lands_on_its_question_with_the_answers_kept(client, engine, every_outcome):
    """Each outcome option is a GET form: following it keeps every answer and lands where the flow says."""
    followed = 0
    for outcome, node in engine.flow.nodes.items():
        for key, branches in node.options.items() if node.is_outcome else ():
            page = client.get(f"/q/{outcome}", query_string=every_outcome[outcome], follow_redirects=True)
            fields = {**hidden_fields(page.text, outcome), outcome: key}
            landed = client.get(f"/a/{outcome}", query_string=fields)
            assert landed.status_code == 303, (outcome, key)
            target = urlsplit(landed.headers["Location"])
            assert target.path == f"/q/{branches[-1].target}", (outcome, key)
            kept = dict(parse_qsl(target.query))
            assert {k: v for k, v in every_outcome[outcome].items()}.items() <= kept.items(), (outcome, key)
            followed += 1
    assert followed >= 10


def test_an_outcome_the_person_fixes_themselves_offers_its_desk_for_when_they_get_stuck(wizard):
    """Carmen, Olga, Kenji (trials of 2026-12-04): 'Call DMDC' in bold at the top read as a call they must
    make, where the fix is online. A self-service outcome says "If you get stuck, call"; one only the desk
    can fix still says "Call"."""
    wizard.walk(*DS_LOGON, ("dsl_status", "suspended"))
    assert wizard.path == "/q/dsl_suspended"
    assert main_line(wizard).startswith("If you get stuck, call DMDC")
    wizard.walk(*DS_LOGON, ("dsl_status", "locked"))
    assert wizard.path == "/q/dsl_locked"
    assert main_line(wizard).startswith("Call DMDC")


# ---------------------------------------------------------------- the round of 2026-12-04 (tests/stories.yaml)

def test_a_retiree_who_handed_in_the_cac_is_told_to_sign_in_without_one_not_to_fix_the_card(wizard):
    """Bill: retired, turned in his CAC. The CAC question had no answer for him, and "Something else" led
    to card repairs at an ID card office."""
    wizard.walk(SIGN_IN, ("method", "cac"))
    assert "I don't have a CAC any more" in text(wizard)
    wizard.answer("cac_problem", "no_card")
    assert wizard.path == "/q/cac_expired_left"
    page = text(wizard)
    assert "You don't get a new CAC once you retire or leave." in page
    assert "You may already have a DS Logon from when you served or worked for DoD." in page
    assert "RAPIDS" not in " ".join(wizard.steps)
    wizard.answer("cac_expired_left", "use_ds_logon")  # the way on keeps his answers
    assert wizard.path == "/q/dsl_status"
    assert wizard.page.request.args["cac_problem"] == "no_card"
    # round 2: not knowing whether DEERS has his email, he can go straight to the online check
    wizard.answer("dsl_status", "no_account").answer("new_who", "service_member")
    assert "I'd rather prove who I am online" in text(wizard)
    wizard.answer("new_proof", "online")
    assert wizard.path == "/q/create_remote"


def test_a_portal_that_keeps_loading_after_sign_in_is_treated_as_maybe_down(wizard):
    """Heike, in Germany: signs in, then the portal spins; a friend has the same problem today."""
    wizard.walk(INSIDE)
    assert "It keeps loading, or a page stays blank" in text(wizard)
    wizard.answer("portal_issue", "keeps_loading")
    assert wizard.path == "/q/portal_outage"
    assert main_line(wizard).startswith("Call DHA Global Service Center") and GSC in wizard.html
    assert "Wait an hour or two, then try again." in wizard.steps
    wizard.walk(INSIDE, ("portal_issue", "error"))  # the error page says so too, for whoever picks "an error"
    assert any("Do other people have the same problem today? Then the portal may be down." in step
               for step in wizard.steps)


def test_a_locked_cac_pin_gets_a_way_in_until_the_visit_and_no_other_desk(wizard):
    """Sgt. Ortiz: wants a lab result tonight; the ID card office resets the PIN, in its hours."""
    wizard.walk(SIGN_IN, ("method", "cac"), ("cac_problem", "pin_locked"))
    assert wizard.path == "/q/cac_pin_locked"
    assert "Until then, sign in with DS Logon instead" in text(wizard)
    assert GSC not in wizard.html and DMDC not in wizard.html  # the card is the ID office's: no desk to call
    wizard.answer("cac_pin_locked", "use_ds_logon")
    assert wizard.path == "/q/dsl_status"
    # round 2: making the DS Logon "with my CAC" can't work with the PIN locked; he gets every other way
    wizard.answer("dsl_status", "no_account").answer("new_who", "service_member").answer("new_proof", "cac")
    assert wizard.path == "/q/create_choose_route"
    assert "A locked PIN or no reader means not yet." in text(wizard)
    wizard.walk(*NEW_ACCOUNT, ("new_who", "service_member"), ("new_proof", "cac"))  # a CAC that works
    assert wizard.path == "/q/create_with_cac"


def test_a_forgotten_username_is_recovered_and_a_deactivated_account_has_a_way_on(wizard):
    """Denise: forgot her username and her password, made the account years ago."""
    wizard.walk(*DS_LOGON, ("dsl_status", "forgot"))
    assert wizard.path == "/q/dsl_forgot"
    assert "Recover your DS Logon username or password" in text(wizard)
    assert any(step.startswith("Forgot your username? Choose the link for a forgotten username first.")
               for step in wizard.steps)
    # a way on looks like a second choice, not like the Continue button (Denise, round 2)
    assert ('<button class="button button--secondary" type="submit">The site says my account is deactivated or '
            'expired</button>') in wizard.html
    wizard.answer("dsl_forgot", "deactivated")
    assert wizard.path == "/q/dsl_deactivated"
    assert "can't be used again. Make a new one." in text(wizard)


def test_the_start_page_sends_only_portal_faults_to_the_global_service_center(client):
    """Denise, Tasha: "If you cannot sign in ... call the Global Service Center" sent DS Logon problems to a
    desk that cannot fix them."""
    page = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", client.get("/").text)).split())
    assert "If the portal itself is not working, you can call the" in page
    assert "A sign-in problem often needs another desk: the questions find it." in page
    assert "If you cannot sign in" not in page
