"""Call mode: an agent takes callers through the same flow, one call per id, desk-aware."""
from __future__ import annotations

import datetime as dt
import html
import itertools
import re

import pytest
from helpers import Wizard, csrf_token, first_question_url
from routes import OUTCOMES, TO

from wizard.staff import calls

PASSWORD = "a-long-password-for-tests"
_names = itertools.count()


DMDC_OPEN = dt.datetime(2026, 12, 7, 17, 0, tzinfo=dt.timezone.utc)  # a Monday, 9 a.m. Pacific
DMDC_CLOSED = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.timezone.utc)  # the same Monday, 2 a.m. Pacific


def log_in(app, desk: str):
    """A test client logged in through the real login form as a fresh agent of ``desk``."""
    from wizard.staff import accounts

    name = f"agent{next(_names)}-{desk}"
    with app.app_context():
        accounts.add(name, desk, PASSWORD)
    client = app.test_client()
    page = client.get("/staff/login")
    response = client.post("/staff/login", data={"name": name, "password": PASSWORD, "csrf_token": csrf_token(page.text)})
    assert response.status_code == 303
    return client


class Call:
    """Drives one call through HTTP the way an agent's browser would."""

    def __init__(self, client):
        self.client = client
        home = client.get("/staff/")
        response = client.post("/staff/calls", data={"csrf_token": csrf_token(home.text)})
        assert response.status_code == 303
        self.url = response.headers["Location"]
        self.page = client.get(self.url)

    def answer(self, node: str, key: str):
        response = self.client.post(f"{self.url}/q/{node}", data={"choice": key, "csrf_token": csrf_token(self.page.text)})
        assert response.status_code == 303, response.status_code
        self.page = self.client.get(response.headers["Location"])
        return self

    def walk(self, *answers: tuple[str, str]):
        for node, key in answers:
            self.answer(node, key)
        return self

    def post(self, path: str, **data):
        response = self.client.post(f"{self.url}{path}", data={**data, "csrf_token": csrf_token(self.page.text)})
        self.page = self.client.get(response.headers["Location"])
        return response

    @property
    def text(self) -> str:
        return " ".join(re.sub(r"<[^>]+>", " ", self.page.text).split())

    @property
    def summary(self) -> str:
        return self.client.get(f"{self.url}/summary.txt").text


@pytest.fixture
def gsc(app):
    return log_in(app, "gsc")


@pytest.fixture
def dmdc(app):
    return log_in(app, "dmdc")


def test_a_call_goes_from_the_first_question_to_an_outcome(gsc):
    call = Call(gsc)
    assert "Say:" in call.text and "Listen for:" in call.text
    call.walk(("topic", "cannot_sign_in"), ("method", "ds_logon"), ("dsl_status", "forgot"))
    assert "Recover your DS Logon username or password" in call.text


def test_a_new_call_starts_empty_whatever_the_last_caller_said(gsc):
    Call(gsc).walk(("topic", "cannot_sign_in"), ("method", "cac"))
    fresh = Call(gsc)
    assert "What do you need help with?" in fresh.text
    assert "Current answer" not in fresh.text and "None yet." in fresh.text


def test_two_calls_in_two_tabs_never_mix(gsc):
    first, second = Call(gsc), Call(gsc)
    first.answer("topic", "inside_portal")
    second.answer("topic", "cannot_sign_in")
    first.answer("portal_issue", "old_messages")
    second.answer("method", "piv")
    assert "Old TRICARE Online messages are gone" in gsc.get(first.url).text
    assert "What is the problem with your PIV card?" in gsc.get(second.url).text


def test_another_agents_call_is_not_found(gsc, dmdc):
    call = Call(gsc)
    assert dmdc.get(call.url).status_code == 404


@pytest.mark.parametrize(("desk", "sees"), [("dmdc", "DMDC handles this: tier 1"),
                                            ("gsc", "Transfer to DMDC")])
def test_the_desk_knows_who_it_is(app, desk, sees):
    call = Call(log_in(app, desk)).walk(("topic", "cannot_sign_in"), ("method", "ds_logon"), ("dsl_status", "locked"))
    assert sees in call.text
    if desk == "gsc":
        assert "one, eight hundred, three six eight, three six six five" in call.text
        assert "Say:" in call.text
    else:
        assert "Escalate when:" in call.text


def test_the_global_service_center_handles_portal_errors_itself(gsc):
    call = Call(gsc).walk(("topic", "inside_portal"), ("portal_issue", "error"))
    assert "Global Service Center handles this: tier 1" in call.text
    assert "Transfer to" not in call.text


def test_a_caller_sent_back_by_the_other_desk_is_escalated_not_sent_again(gsc):
    call = Call(gsc).walk(("topic", "cannot_sign_in"), ("method", "ds_logon"), ("dsl_status", "forgot"))
    assert 'data-prompt="other_desk"' not in call.page.text  # only for a caller sent back
    call.post("/sent-back")
    # tier 2 needs a callback ("press t": t lands on it), then what the other desk said
    assert re.findall(r'data-prompt="(\w+)"', call.page.text)[:2] == ["callback", "other_desk"]
    assert "The caller already contacted DMDC (Defense Manpower Data Center) and was sent back" in call.text
    assert "Escalate to tier 2" in call.text and "Transfer to" not in call.text
    summary = call.summary
    assert "Resolution: Escalated to tier 2 at Global Service Center (the caller was sent back by DMDC).\n" in summary
    assert "For tier 2: by these answers the fix is DMDC's (DS Logon username or password forgotten, rejected or expired)." in summary
    assert re.search(r"- \d\d:\d\d:\d\d caller says they were sent back by DMDC\n", summary)
    assert "Referred to" not in summary and "Transferred" not in summary  # one resolution, stated once


def test_a_caller_sent_back_is_not_read_the_answer_that_sent_them_round(gsc):
    """Round 14: the public answer ("Call them to unlock it") opened the screen above the escalation."""
    call = Call(gsc).walk(("topic", "cannot_sign_in"), ("method", "ds_logon"), ("dsl_status", "locked"))
    assert "A locked DS Logon account needs DMDC. Call them to unlock it." in call.text
    call.post("/sent-back")
    assert "Call them to unlock it" not in call.text and "Do not send them round again" in call.text


def test_a_caller_cannot_be_sent_back_to_the_desk_that_has_them(dmdc):
    """A DMDC agent on a DMDC outcome: nobody else sent the caller back; the tool says to escalate (e)."""
    call = Call(dmdc).walk(("topic", "cannot_sign_in"), ("method", "ds_logon"), ("dsl_status", "forgot"))
    assert 'action="' + call.url + '/sent-back"' not in call.page.text
    response = call.client.post(f"{call.url}/sent-back", data={"csrf_token": csrf_token(call.page.text)})
    assert response.status_code == 409
    call.page = response
    assert "Only a caller another desk sent back can be marked sent back." in call.text
    call.page = call.client.get(call.url)
    assert "was sent back" not in call.text and "sent back" not in call.summary


def test_the_answer_line_at_its_own_desk_does_not_say_call_us(dmdc, gsc):
    """The outcome's one-line answer, as an agent of its own desk reads it (staff.answer_at_desk)."""
    locked = (("topic", "cannot_sign_in"), ("method", "ds_logon"), ("dsl_status", "locked"))
    at_dmdc, at_gsc = Call(dmdc).walk(*locked), Call(gsc).walk(*locked)
    assert "Call them to unlock it" not in at_dmdc.text and "unlocked by DMDC, on this call" in at_dmdc.text
    assert "A locked DS Logon account needs DMDC. Call them to unlock it." in at_gsc.text  # the other desk: as public


def test_a_way_on_from_an_outcome_comes_before_the_transfer(gsc):
    """"I'm under 18" at the password outcome is seen before the number to give."""
    call = Call(gsc).walk(("topic", "cannot_sign_in"), ("method", "ds_logon"), ("dsl_status", "forgot"))
    page = call.text
    assert page.index("Or go on, if one of these fits the caller better") < page.index("Read it as:")
    call.answer("dsl_forgot", "under_18")
    assert "Issue: You must be 18 to get DS Logon" in call.summary
    assert re.search(r'- \d\d:\d\d:\d\d went on from "Recover your DS Logon username or password": '
                     r"I'm under 18, so I can't have a DS Logon account\n", call.summary)


@pytest.mark.parametrize(("query", "outcome"), [("locked", "dsl_locked"), ("PIV deact", "piv_dsl_deactivated"),
                                                ("under 18", "inelig_under_18")])
def test_search_jumps_with_the_shortest_answers_marked_assumed(gsc, query, outcome):
    call = Call(gsc)
    results = gsc.get(f"{call.url}/search", query_string={"q": query})
    assert f'value="{outcome}"' in results.text
    call.page = results
    call.post("/jump", node=outcome)
    question, option = OUTCOMES[outcome]
    assert call.client.get(call.url).status_code == 200
    assert "Assumed" in call.text
    assert call.summary.count("(assumed)") == len(TO[question]) + 1


@pytest.mark.parametrize(("query", "outcome"), [
    ("16", "inelig_under_18"), ("16", "child_record"), ("teenager", "child_record"), ("daughter", "child_record"),
    ("lab results", "result_missing"), ("lapsed", "dsl_deactivated"), ("ds logon expired", "dsl_deactivated"),
    ("wife", "dsl_someone_else"), ("deleted app", "myauth_lost_phone"), ("username password wrong", "dsl_forgot"),
    ("cac not read", "cac_windows_setup"), ("spouse", "deers_enroll_first"),
])
def test_search_knows_the_words_callers_use(gsc, query, outcome):
    call = Call(gsc)
    results = gsc.get(f"{call.url}/search", query_string={"q": query})
    assert f'value="{outcome}"' in results.text, query
    assert "assumes: " in results.text  # each result says which answers it fills in


@pytest.mark.parametrize(("query", "first"), [("locked", "dsl_locked"), ("deact", "dsl_deactivated")])
def test_of_equally_short_paths_the_commoner_case_comes_first(gsc, query, first):
    """Enter takes the first result: "locked" is most often DS Logon (listed first), not a CAC PIN."""
    call = Call(gsc)
    results = gsc.get(f"{call.url}/search", query_string={"q": query})
    assert re.findall(r'name="node" value="(\w+)"', results.text)[0] == first


@pytest.mark.parametrize(("query", "tip"), [("sent back", "press s"), ("escalate", "press e"),
                                            ("Japan", "DSN callback"), ("DSN", "DSN callback")])
def test_search_for_an_action_says_which_key_does_it(gsc, query, tip):
    call = Call(gsc)
    assert tip in gsc.get(f"{call.url}/search", query_string={"q": query}).text


def test_words_typed_into_the_code_box_offer_a_call_that_searches_them(gsc):
    page = gsc.get("/staff/lookup", query_string={"code": "lapsed"})
    assert page.status_code == 400 and "Or start a call and search for “lapsed”" in page.text
    response = gsc.post("/staff/calls", data={"q": "lapsed", "csrf_token": csrf_token(page.text)})
    assert "/search?q=lapsed" in response.headers["Location"]
    assert 'value="dsl_deactivated"' in gsc.get(response.headers["Location"]).text


def test_a_reference_code_typed_into_the_call_search_opens_it(gsc, engine):
    from wizard.core.reference_codes import code_for, format_code

    code = code_for(engine.flow.version, {"topic": "cannot_sign_in", "method": "ds_logon", "dsl_status": "locked"})
    call = Call(gsc)
    response = gsc.get(f"{call.url}/search", query_string={"q": format_code(code).lower()})
    call_id = call.url.rsplit("/", 1)[1]
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/staff/lookup/{code}?into={call_id}")
    words = gsc.get(f"{call.url}/search", query_string={"q": "teenager"})  # 8 letters, a word and not a code
    assert words.status_code == 200 and 'value="child_record"' in words.text


def test_a_code_read_out_during_a_call_carries_on_that_call(gsc, engine):
    """The caller gave a callback number (typed into this call's ticket box), then reads out a code: the
    lookup carries on the same call, so nothing typed for it is lost, and marks the code's answers."""
    from wizard.core.reference_codes import code_for

    code = code_for(engine.flow.version, {"topic": "cannot_sign_in", "method": "ds_logon", "dsl_status": "locked"})
    call = Call(gsc).walk(("topic", "cannot_sign_in"))
    lookup = gsc.get(gsc.get(f"{call.url}/search", query_string={"q": code}).headers["Location"])
    assert "carries on the call you are on" in lookup.text
    response = gsc.post(f"/staff/lookup/{code}/continue", data={
        "step": "3", "into": call.url.rsplit("/", 1)[1], "csrf_token": csrf_token(lookup.text)})
    assert response.headers["Location"] == call.url  # the same call, not a new one
    call.page = gsc.get(call.url)
    summary = call.summary
    assert "- What you need help with: I can't sign in to the patient portal\n" in summary  # the caller said it
    assert "- Your DS Logon problem: It says my account is locked (from code, not confirmed on the call)\n" in summary


def test_a_code_cannot_carry_on_another_agents_call(app, gsc, engine):
    from wizard.core.reference_codes import code_for

    code = code_for(engine.flow.version, {"topic": "cannot_sign_in", "method": "ds_logon", "dsl_status": "locked"})
    theirs = Call(log_in(app, "gsc"))
    lookup = gsc.get(f"/staff/lookup/{code}", query_string={"into": theirs.url.rsplit("/", 1)[1]})
    assert 'name="into"' not in lookup.text
    response = gsc.post(f"/staff/lookup/{code}/continue", data={
        "step": "3", "into": theirs.url.rsplit("/", 1)[1], "csrf_token": csrf_token(lookup.text)})
    assert response.headers["Location"] != theirs.url  # a new call of this agent's own


def test_assumed_answers_can_be_changed_and_the_history_says_so(gsc):
    call = Call(gsc)
    call.page = gsc.get(f"{call.url}/search", query_string={"q": "locked"})
    call.post("/jump", node="dsl_locked")
    call.answer("dsl_status", "forgot")
    history = html.unescape(gsc.get(f"{call.url}/answers").text)
    # the jump, then what it assumed, then the change
    assert history.index('jumped ahead to "Unlock your DS Logon account"') < history.index(
        "assumed by search What do you need help with?") < history.index("changed What happens")
    assert "changed What happens when you try to use DS Logon?" in history


def test_changing_an_early_answer_says_which_questions_it_skipped(gsc):
    call = Call(gsc).walk(("topic", "cannot_sign_in"), ("method", "ds_logon"), ("dsl_status", "no_account"),
                          ("new_who", "service_member"))
    call.answer("new_who", "family")  # the next question keeps its earlier answer... none yet: no skip
    call.answer("method", "ds_logon")  # same answer again: the rest of the path is replayed
    assert "Skipped ahead using earlier answers" in call.text
    assert "Which of these describes you?" in call.text


def test_the_ticket_summary_for_a_known_path(gsc):
    call = Call(gsc).walk(("topic", "inside_portal"), ("portal_issue", "error"))
    summary = call.summary
    assert summary.startswith("Issue: Get help with an error in the portal\nEnvironment:\n")
    assert "- What you need help with: I can sign in, but something inside the portal is wrong\n" in summary
    assert "- Problem inside the portal: I see an error, or a page won't work\n" in summary
    assert "Resolution: Open at tier 1 (DHA Global Service Center): steps given, not yet confirmed to work.\n" in summary
    assert "Cause: Error inside the patient portal after sign-in\n" in summary
    assert re.search(r"Call: [\w-]{16} \| started \d{4}-\d\d-\d\d \d\d:\d\d UTC \| flow version \w+", summary)
    assert re.search(r"Reference code: [A-Z2-9]{4}-[A-Z2-9]{4}\n", summary)  # the code of these answers, to read out


def test_the_summary_is_the_ticket_for_a_call_with_story_changes_a_search_and_a_transfer(gsc, engine, monkeypatch):
    """Exact text: every answer in order with its clock time, each change, a search jump re-chosen (no longer
    assumed), one resolution with the desk's hours, the code of the answers."""
    from wizard.core.reference_codes import code_for, format_code

    monkeypatch.setattr(calls, "utcnow", lambda: DMDC_OPEN)

    call = Call(gsc).walk(("topic", "inside_portal"), ("portal_issue", "error"))
    call.answer("topic", "cannot_sign_in")  # first story change
    call.walk(("method", "cac"), ("cac_problem", "no_reader"))
    call.answer("method", "ds_logon")  # second story change
    call.answer("dsl_status", "locked")
    call.answer("dsl_status", "locked")  # re-chosen: nothing assumed, nothing changes
    summary = call.summary
    lines = summary.splitlines()
    story = [re.sub(r"^- \d\d:\d\d:\d\d ", "- HH:MM ", line) for line in lines[lines.index("Story:") + 1:]
             if line.startswith("- ")][:7]
    assert story == [
        "- HH:MM answered What do you need help with?: I can sign in, but something inside the portal is wrong",
        "- HH:MM answered What is wrong inside the portal?: I see an error, or a page won't work",
        '- HH:MM changed What do you need help with?: from "I can sign in, but something inside the portal is wrong" '
        "to \"I can't sign in to the patient portal\"",
        "- HH:MM answered How are you trying to sign in?: CAC (Common Access Card)",
        "- HH:MM answered What goes wrong when you use your CAC?: I don't have a card reader",
        '- HH:MM changed How are you trying to sign in?: from "CAC (Common Access Card)" to '
        '"DS Logon (a username and password)"',
        "- HH:MM answered What happens when you try to use DS Logon?: It says my account is locked",
    ]
    version = engine.flow.version
    code = code_for(version, {"topic": "cannot_sign_in", "method": "ds_logon", "dsl_status": "locked"})
    assert ("Resolution: Transferred to DMDC: gave the caller the number, 1-800-368-3665; open Monday to Friday, 5 a.m. to 5 p.m. Pacific time "
            "(8 a.m. to 8 p.m. Eastern).\n"
            "Handover to DMDC: the caller says the screen reads locked.\n"
            "Cause: DS Logon account locked\n") in summary
    assert f"Reference code: {format_code(code)}\n" in summary
    assert summary.count("Resolution:") == 1 and "(assumed)" not in summary


def test_the_summary_of_a_call_from_someone_elses_code_confirmed_in_part_then_escalated(dmdc, engine):
    """Exact text: a son reads out his father's code; the agent confirms one answer with the father, the
    others stay marked; the DMDC agent escalates its own outcome; one resolution."""
    from wizard.core.reference_codes import code_for, format_code

    answers = {"topic": "cannot_sign_in", "method": "ds_logon", "dsl_status": "locked"}
    code = code_for(engine.flow.version, answers)
    lookup = dmdc.get(f"/staff/lookup/{code}")
    response = dmdc.post(f"/staff/lookup/{code}/continue", data={"step": "3", "csrf_token": csrf_token(lookup.text)})
    call = Call.__new__(Call)
    call.client, call.url = dmdc, response.headers["Location"]
    call.page = dmdc.get(f"{call.url}/q/method")
    call.answer("method", "ds_logon")  # confirmed with the father
    call.post("/escalate", reason="identity_not_verified")
    summary = re.sub(r"\d\d:\d\d(:\d\d)?", "HH:MM", call.summary)
    summary = re.sub(r"Call: [\w-]{16} \| started \d{4}-\d\d-\d\d HH:MM UTC \| flow version \w+", "Call: ID", summary)
    assert summary == f"""Issue: Unlock your DS Logon account
Environment:
- What you need help with: I can't sign in to the patient portal (from code, not confirmed on the call)
- How you are trying to sign in: DS Logon (a username and password)
- Your DS Logon problem: It says my account is locked (from code, not confirmed on the call)
Story:
- HH:MM opened from code {format_code(code)}
- HH:MM from the code What do you need help with?: I can't sign in to the patient portal
- HH:MM from the code How are you trying to sign in?: DS Logon (a username and password) (confirmed on the call at HH:MM)
- HH:MM from the code What happens when you try to use DS Logon?: It says my account is locked
- HH:MM escalated to tier 2
Resolution: Escalated to tier 2 at DMDC (the caller could not be verified on the phone).
Cause (if the unconfirmed answers above hold): DS Logon account locked
Reference code: {format_code(code)}
Call: ID
"""


def test_an_own_desk_call_is_resolved_only_when_the_agent_says_the_steps_worked(dmdc):
    call = Call(dmdc).walk(("topic", "cannot_sign_in"), ("method", "ds_logon"), ("dsl_status", "suspended"))
    assert "Open at tier 1 (DMDC)" in call.summary and 'data-shortcut="r"' in call.page.text
    call.post("/resolved")
    summary = call.summary
    assert "Resolution: Resolved at tier 1 (DMDC).\n" in summary
    assert re.search(r"- \d\d:\d\d:\d\d the caller says the steps worked\n", summary)
    call.post("/escalate", reason="steps_failed")  # then it came back: the latest action counts
    assert "Resolution: Escalated to tier 2 at DMDC (the account could not be fixed on this call).\n" in call.summary
    assert "Escalated to tier 2 (DMDC)" in call.text and "handles this: tier 1" not in call.text
    code = re.search(r"Reference code: ([A-Z2-9]{4}-[A-Z2-9]{4})\n", call.summary).group(1)
    assert f"Your reference code is {code}. Please keep it." in call.text  # the call's own code, read out now


def test_a_teenager_is_not_told_to_message_the_care_team_in_a_portal_they_cannot_use(gsc):
    call = Call(gsc).walk(*TO["new_who"].items(), ("new_who", "under_18"))
    assert "Refer the caller to their military hospital or clinic" in call.text
    panel = call.text.split("Refer the caller to")[1].split("All contacts for this outcome")[0]
    assert "Call your military hospital or clinic" in panel and "secure message" not in panel


def test_reading_the_answers_back_confirms_every_assumed_one(gsc):
    call = Call(gsc)
    call.page = gsc.get(f"{call.url}/search", query_string={"q": "lapsed"})
    call.post("/jump", node="dsl_deactivated")
    assert call.summary.count("(assumed)") == 3 and 'data-shortcut="y"' in call.page.text
    call.post("/confirm")
    summary = call.summary
    assert "(assumed)" not in summary and summary.count("confirmed on the call") == 3
    assert 'data-shortcut="y"' not in call.page.text


def test_a_search_jump_does_not_mark_answers_the_caller_already_gave_as_assumed(gsc):
    call = Call(gsc).walk(("topic", "cannot_sign_in"), ("method", "ds_logon"))
    call.page = gsc.get(f"{call.url}/search", query_string={"q": "locked"})
    call.post("/jump", node="dsl_locked")
    summary = call.summary
    assert "- How you are trying to sign in: DS Logon (a username and password)\n" in summary  # given, not assumed
    assert "- Your DS Logon problem: It says my account is locked (assumed)\n" in summary


def test_a_search_jump_is_assumed_until_the_agent_chooses_it_again(gsc):
    call = Call(gsc)
    call.page = gsc.get(f"{call.url}/search", query_string={"q": "locked"})
    call.post("/jump", node="dsl_locked")
    assert "(assumed)" in call.summary
    for node, key in [("topic", "cannot_sign_in"), ("method", "ds_logon"), ("dsl_status", "locked")]:
        call.page = gsc.get(f"{call.url}/q/{node}")
        call.answer(node, key)
    summary = call.summary
    assert "(assumed)" not in summary
    # one line per fact: the assumed answer, and when it was confirmed
    assert re.search(r"\n- [\d:]{8} assumed by search What happens when you try to use DS Logon\?: It says my account is "
                     r"locked \(confirmed on the call at [\d:]{8}\)\n", summary)
    assert not re.search(r"\n- [\d:]{8} confirmed on the call", summary)  # not a second line


def test_an_own_desk_outcome_can_be_escalated_with_a_reason_from_content(dmdc):
    call = Call(dmdc).walk(("topic", "cannot_sign_in"), ("method", "ds_logon"), ("dsl_status", "locked"))
    assert "Escalate to tier 2" in call.text and 'data-shortcut="e"' in call.page.text
    assert "Resolution: Open at tier 1 (DMDC): steps given, not yet confirmed to work.\n" in call.summary
    told = re.search(r"\nTold the caller: (.+)\n", call.summary).group(1)  # handled here: the advice, in a line
    assert told == "Only DMDC can unlock a locked DS Logon, and DMDC is unlocking it on this call."
    reasons = call.client.get(f"{call.url}/escalate")  # `e`: the reasons as numbered buttons
    assert 'data-shortcut="3"' in reasons.text and "The caller could not be verified on the phone" in reasons.text
    call.page = reasons
    call.post("/escalate", reason="identity_not_verified")
    assert re.findall(r'data-prompt="(\w+)"', call.page.text)[0] == "callback"  # what tier 2 needs: t lands on it
    summary = call.summary
    assert "Resolution: Escalated to tier 2 at DMDC (the caller could not be verified on the phone).\n" in summary
    assert "at tier 1" not in summary.split("Story:")[0] and "escalated to tier 2" in summary  # the story says when
    assert "Told the caller" not in summary  # tier 2 takes it from here
    assert "Escalated to tier 2: the caller could not be verified on the phone." in call.text
    response = call.client.post(f"{call.url}/escalate", data={"reason": "because", "csrf_token": csrf_token(call.page.text)})
    assert response.status_code == 400


def test_steps_read_at_the_outcomes_own_desk_never_tell_the_caller_to_call_that_desk(app):
    """Every own-desk outcome, as its desk's agent reads it: the `at_desk` wording, never "call DMDC"."""
    from wizard.core.staff_view import desk_advice

    presenter = app.extensions["triage_presenter"]
    calls_us = {"dmdc": re.compile(r"(?i)\bcall (the )?DMDC|1-800-368-3665"),
                "gsc": re.compile(r"(?i)\bcall (the )?(DHA )?Global Service Center|1-800-600-9332")}
    own = [(outcome, presenter.main_contact(outcome).desk) for outcome in OUTCOMES
           if presenter.main_contact(outcome).desk]
    assert len(own) > 30
    for outcome, desk in own:
        advice = desk_advice(presenter, outcome, {}, desk, sent_back=False)
        assert advice.own_desk
        read_out = " ".join(step.text for step in advice.steps)
        assert not calls_us[desk].search(read_out), (outcome, read_out)
    public = " ".join(step.text for step in presenter.steps("dsl_locked", {}))
    assert "Call DMDC. Say the screen says your account is locked." in public  # the public page still says it


def test_a_transfer_says_what_to_tell_the_next_desk_and_the_code_to_read_out(gsc, engine):
    from wizard.core.reference_codes import code_for, format_code

    call = Call(gsc).walk(("topic", "cannot_sign_in"), ("method", "ds_logon"), ("dsl_status", "locked"))
    code = code_for(engine.flow.version, {"topic": "cannot_sign_in", "method": "ds_logon", "dsl_status": "locked"})
    assert (f"Tell DMDC: the caller says the screen reads locked. Reference code "
            f"{format_code(code)}." in call.text)
    assert "Code for the caller to read out:" in call.text and "Open Monday to Friday" in call.text


def test_a_referral_to_a_contact_with_no_number_is_not_called_a_transfer(dmdc):
    call = Call(dmdc).walk(("topic", "inside_portal"), ("portal_issue", "missing_result"))
    assert "Refer the caller to their care team or clinic" in call.text and "Tell " not in call.text
    assert ("Resolution: Referred the caller to their care team or clinic (no number to transfer to): not something "
            "DMDC can change.\n"
            "Told the caller: ") in call.summary  # what a referral leaves the caller with, for the next person
    assert "was sent back" not in call.text  # only another help desk can send a caller back


CALL_ROUTES = [("get", ""), ("get", "/q/topic"), ("post", "/q/topic"), ("post", "/sent-back"), ("get", "/answers"),
               ("get", "/search"), ("post", "/jump"), ("get", "/summary.txt"), ("get", "/escalate"), ("post", "/escalate"), ("post", "/resolved"), ("post", "/confirm"),
               ("post", "/language")]


def test_the_cross_agent_test_covers_every_call_route_the_app_has(app):
    """Built from the app's url_map: a new /staff/calls/<call_id>/... route must join CALL_ROUTES."""
    rules = {(method.lower(), rule.rule.split("<call_id>", 1)[1].replace("<node_id>", "topic"))
             for rule in app.url_map.iter_rules() if rule.rule.startswith("/staff/calls/<call_id>")
             for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert rules == set(CALL_ROUTES)


@pytest.mark.parametrize(("method", "path"), CALL_ROUTES)
def test_every_call_route_refuses_another_agents_call(gsc, dmdc, method, path):
    call = Call(gsc).walk(("topic", "inside_portal"))
    before = call.summary
    token = csrf_token(dmdc.get("/staff/").text)
    data = {"choice": "portal_down", "node": "dsl_locked", "reason": "steps_failed", "csrf_token": token}
    response = dmdc.get(call.url + path) if method == "get" else dmdc.post(call.url + path, data=data)
    assert response.status_code == 404
    assert call.summary == before  # nothing about the call changed


def test_the_summary_is_visible_on_the_page_and_notes_are_never_a_form_field(gsc):
    call = Call(gsc).walk(("topic", "inside_portal"))
    assert '<pre class="summary" id="summary"' in call.page.text
    assert re.search(r'<textarea[^>]*id="notes"', call.page.text)
    assert not re.search(r'<textarea[^>]*name=', call.page.text)


def test_the_flow_map_covers_every_node(gsc, engine):
    listing = gsc.get("/staff/map").text
    for node_id in engine.flow.nodes:
        assert f'href="/staff/map/{node_id}"' in listing, node_id
        assert gsc.get(f"/staff/map/{node_id}").status_code == 200


def test_a_call_can_start_from_any_node_of_the_flow_map(gsc):
    page = gsc.get("/staff/map/dsl_status")
    assert "Start a call here" in page.text
    response = gsc.post("/staff/map/dsl_status/call", data={"csrf_token": csrf_token(page.text)})
    assert response.status_code == 303
    call = gsc.get(response.headers["Location"])
    assert "What happens when you try to use DS Logon?" in call.text and "Assumed" in call.text
    assert gsc.post("/staff/map/nowhere/call", data={"csrf_token": csrf_token(page.text)}).status_code == 404


def test_flow_diagram_command_prints_mermaid_with_named_conditions(app):
    result = app.test_cli_runner().invoke(args=["flow", "diagram"])
    assert result.exit_code == 0
    assert "stateDiagram-v2" in result.output and "uses_piv" in result.output


def test_an_answer_for_another_question_is_refused_without_a_500(gsc):
    call = Call(gsc)
    response = gsc.post(f"{call.url}/q/dsl_status", data={"choice": "forgot", "csrf_token": csrf_token(call.page.text)})
    assert response.status_code == 409
    response = gsc.post(f"{call.url}/q/topic", data={"choice": "teleport", "csrf_token": csrf_token(call.page.text)})
    assert response.status_code == 400


def test_starting_the_public_wizard_again_in_the_same_browser_keeps_the_agent_logged_in(app, gsc):
    """Walking the public pages and pressing "Start again" (a link to the start page) leave the agent logged in."""
    wizard = Wizard(gsc).walk(("topic", "cannot_sign_in"), ("method", "ds_logon"), ("dsl_status", "forgot"))
    start_again = re.search(r'<a class="button button--secondary" href="([^"]+)">Start again</a>', wizard.html)
    assert start_again, "the outcome page has no Start again link"
    start = gsc.get(start_again.group(1))
    assert start.status_code == 200 and "button--start" in start.text
    first = gsc.get(first_question_url(gsc))
    assert first.status_code == 200
    # Public pages may be kept and sent to anyone: never with the agent's session cookie on them.
    assert "Set-Cookie" not in wizard.page.headers and "Set-Cookie" not in start.headers
    assert "Set-Cookie" not in first.headers
    assert gsc.get("/staff/").status_code == 200


def test_after_the_idle_logout_the_next_key_says_so_and_comes_back_to_the_call_with_its_choice(app):
    """The idle limit ends the session (the browser drops the cookie: PERMANENT_SESSION_LIFETIME); the agent's
    next key is an answer with the page's old token. They are told why, log in, and are back on the call,
    with the answer their key chose offered, not applied behind their back."""
    client = log_in(app, "gsc")
    name = client.get("/staff/").text.split('class="staff-who">')[1].split(" ")[0]
    call = Call(client).walk(("topic", "cannot_sign_in"))
    client.delete_cookie(app.config["SESSION_COOKIE_NAME"])  # what the browser does after STAFF_IDLE_MINUTES
    response = client.post(f"{call.url}/q/method", data={"choice": "cac", "csrf_token": csrf_token(call.page.text)})
    assert response.status_code == 303
    login_page = client.get(response.headers["Location"])
    assert "You were logged out after 30 idle minutes: log in to continue where you were." in login_page.text
    back = client.post(response.headers["Location"], data={"name": name, "password": PASSWORD,
                                                           "csrf_token": csrf_token(login_page.text)})
    assert back.status_code == 303 and back.headers["Location"].startswith(call.url + "?offer=method.cac")
    call.page = client.get(back.headers["Location"])
    assert "you chose “CAC (Common Access Card)” for “How are you trying to sign in?”" in call.text
    assert "Use that answer" in call.text and "CAC (Common Access Card)" not in call.summary  # offered only
    call.answer("method", "cac")
    story = [line.split(" ", 2)[2] for line in call.summary.splitlines() if re.match(r"- \d\d:\d\d:\d\d ", line)]
    assert story[-2:] == ["the agent was logged out after 30 idle minutes and logged back in",
                          "answered How are you trying to sign in?: CAC (Common Access Card)"]


def test_after_the_idle_logout_a_search_result_chosen_by_its_key_is_offered(app):
    """On the results page the agent's key chooses a result (a jump, POST with the page's old token): after
    login the call offers that result with Enter, not the call's first question."""
    client = log_in(app, "gsc")
    name = client.get("/staff/").text.split('class="staff-who">')[1].split(" ")[0]
    call = Call(client)
    results = client.get(f"{call.url}/search", query_string={"q": "lost phone"})
    client.delete_cookie(app.config["SESSION_COOKIE_NAME"])
    response = client.post(f"{call.url}/jump", data={"node": "myauth_lost_phone", "csrf_token": csrf_token(results.text)})
    login_page = client.get(response.headers["Location"])
    back = client.post(response.headers["Location"], data={"name": name, "password": PASSWORD,
                                                           "csrf_token": csrf_token(login_page.text)})
    assert back.headers["Location"] == f"{call.url}?offer=jump.myauth_lost_phone"
    call.page = client.get(back.headers["Location"])
    assert "you chose the search result “You lost or changed your Okta Verify phone”" in call.text and "Go there" in call.text
    call.post("/jump", node="myauth_lost_phone")
    assert "Issue: You lost or changed your Okta Verify phone" in call.summary


def test_after_the_idle_logout_a_search_says_so_and_comes_back_with_its_words(app):
    """A search is a GET: Flask-Login sends it to the login page with next=, words and all ("locked+out").
    The login page says why, and after login the agent is on the same search of the same call."""
    client = log_in(app, "gsc")
    name = client.get("/staff/").text.split('class="staff-who">')[1].split(" ")[0]
    call = Call(client).walk(("topic", "cannot_sign_in"))
    client.delete_cookie(app.config["SESSION_COOKIE_NAME"])
    sent = client.get(f"{call.url}/search", query_string={"q": "locked out"})
    assert sent.status_code == 302
    login_page = client.get(sent.headers["Location"])
    assert "If you were logged in: you were logged out after 30 idle minutes: log in to continue where you were." \
        in login_page.text
    back = client.post(sent.headers["Location"], data={"name": name, "password": PASSWORD,
                                                       "csrf_token": csrf_token(login_page.text)})
    assert back.status_code == 303 and back.headers["Location"] == f"{call.url}/search?q=locked+out"
    assert "locked out" in client.get(back.headers["Location"]).text
    assert "logged out" not in call.summary  # maybe a new browser, not an idle logout: the ticket does not guess


def test_a_call_page_open_too_long_asks_again_with_nothing_lost(gsc):
    call = Call(gsc).walk(("topic", "cannot_sign_in"))
    response = gsc.post(f"{call.url}/q/method", data={"choice": "cac", "csrf_token": "expired-or-missing"})
    assert response.status_code == 303
    page = gsc.get(response.headers["Location"])
    assert "Nothing is lost: answer again." in page.text
    assert "How are you trying to sign in?" in page.text


@pytest.mark.parametrize(("utc", "is_open"), [
    ("2026-12-07 13:00", True),   # Monday 5:00 a.m. Pacific: opens
    ("2026-12-07 12:59", False),  # Monday 4:59 a.m. Pacific
    ("2026-12-08 00:59", True),   # Monday 4:59 p.m. Pacific
    ("2026-12-08 01:00", False),  # Monday 5:00 p.m. Pacific: closed
    ("2026-12-05 18:00", False),  # Saturday
    ("2026-07-06 12:00", True),   # Monday 5:00 a.m. Pacific daylight time
])
def test_a_transfer_says_whether_the_desk_is_open_now_by_its_hours(engine, utc, is_open):
    import datetime as dt

    from wizard.core.staff_view import open_now

    hours = engine.flow.contacts["dmdc"]["hours"]
    now = dt.datetime.strptime(utc, "%Y-%m-%d %H:%M").replace(tzinfo=dt.timezone.utc)
    assert open_now(hours, now) is is_open


@pytest.mark.parametrize(("now", "panel", "resolution"), [
    (DMDC_OPEN, "Open now, going by these hours.", "Resolution: Transferred to DMDC: gave the caller the number, 1-800-368-3665; open Monday"),
    (DMDC_CLOSED, "Closed now, going by these hours",
     "Resolution: Not transferred: DMDC was closed, by its published hours. Gave the caller the number to call "
     "back, 1-800-368-3665; open Monday"),
])
def test_a_transfer_says_open_or_closed_and_a_closed_desk_is_not_called_a_transfer(gsc, monkeypatch, now, panel,
                                                                                   resolution):
    monkeypatch.setattr(calls, "utcnow", lambda: now)
    call = Call(gsc).walk(("topic", "cannot_sign_in"), ("method", "ds_logon"), ("dsl_status", "locked"))
    assert panel in call.text and resolution in call.summary
    say = call.text.index("Say: “DMDC runs DS Logon")
    assert (call.text.index(panel) < say) is (now == DMDC_CLOSED)  # closed: said before the line read out


def test_the_age_box_comes_first_where_the_exact_age_decides_what_the_caller_is_told(gsc):
    """At the under-18 outcome `t` lands on the age (the first box); elsewhere the age box comes last."""
    under_18 = Call(gsc).walk(*TO["new_who"].items(), ("new_who", "under_18"))
    boxes = re.findall(r'data-prompt="(\w+)"', under_18.page.text)
    assert boxes[0] == "age" and 'data-prompt="age" data-ticket="Patient&#39;s age" autocomplete="off" data-shortcut-focus="t"' \
        in under_18.page.text
    locked = Call(gsc).walk(("topic", "cannot_sign_in"), ("method", "ds_logon"), ("dsl_status", "locked"))
    assert re.findall(r'data-prompt="(\w+)"', locked.page.text)[:3] == ["words", "callback", "location"]
    assert re.findall(r'data-prompt="(\w+)"', locked.page.text)[-2:] == ["age", "caller"]


def test_a_referral_for_a_child_tells_the_next_person_the_age_rule_the_caller_was_given(dmdc):
    call = Call(dmdc).walk(("topic", "helping_someone"), ("helping_whom", "child"))
    assert ("Told the caller: A parent sees a child's record with their own account: all of it at 12 or under, "
            "only some parts at 13 to 17") in call.summary
    boxes = re.findall(r'data-prompt="(\w+)"', call.page.text)
    assert boxes[:2] == ["age", "caller"]  # the child's age, then who is calling: t, then one Tab


def test_a_call_handled_at_its_own_desk_says_what_the_caller_was_told(dmdc):
    """The outcome's `staff.told` line where it has one (said of the caller, not to them), else its answer."""
    call = Call(dmdc).walk(*TO["myauth_security"].items(), ("myauth_security", "lost_phone"))
    assert ("Told the caller: Sign in with a code by email if the screen offers it (or with a CAC, if they have "
            "one); once in, set up Okta Verify on the phone they will use, and change the myAuth password if someone "
            "may have the old phone.\n") in call.summary
    suspended = Call(dmdc).walk(("topic", "cannot_sign_in"), ("method", "ds_logon"), ("dsl_status", "suspended"))
    assert ("Told the caller: A suspended DS Logon can be reopened online, at any time. Use Unsuspend My Account on "
            "the DS Logon help site.\n") in suspended.summary  # no staff.told: the outcome's answer


def test_an_option_with_ticket_wording_reads_so_in_the_ticket_and_as_on_screen_elsewhere(gsc, client):
    """`ticket` (call mode only): "DS Logon" then "no account yet" would contradict each other in a ticket."""
    call = Call(gsc).walk(("topic", "cannot_sign_in"), ("method", "ds_logon"), ("dsl_status", "no_account"))
    wording = "No DS Logon account yet: DS Logon is the account they want to make, not one they have"
    assert f"- Your DS Logon problem: {wording}\n" in call.summary
    assert re.search(rf"- [\d:]{{8}} answered What happens when you try to use DS Logon\?: {wording}\n", call.summary)
    public = client.get("/answers", query_string={"topic": "cannot_sign_in", "method": "ds_logon",
                                                  "dsl_status": "no_account"}, follow_redirects=True)
    assert "I don&#39;t have a DS Logon account yet" in public.text and wording not in public.text
