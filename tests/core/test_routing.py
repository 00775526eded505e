"""Every option of every question leads to the node we expect.

The expected tables are written out by hand from the spec, not generated from
flow.yaml: they are what catches a wrong `next` in the data.
"""
from __future__ import annotations

import re

import pytest
from routes import TO

EXPECTED = {
    "topic": {"cannot_sign_in": "method", "inside_portal": "portal_issue", "helping_someone": "helping_whom",
              "va_care": "va_records", "myauth_change": "myauth_prepare", "portal_down": "portal_outage",
              "check_address": "official_addresses"},
    "helping_whom": {"child": "child_record", "adult_cannot": "other_adult_record"},
    "method": {"ds_logon": "dsl_status", "myauth": "myauth_status", "cac": "cac_problem", "piv": "piv_problem",
               "not_sure": "which_card"},
    "which_card": {"cac": "cac_problem", "piv": "piv_problem", "neither": "dsl_status", "not_sure": "dsl_status"},
    "dsl_status": {
        "no_account": "new_who", "forgot": "dsl_forgot", "password_expired": "dsl_forgot", "suspended": "dsl_suspended",
        "locked": "dsl_locked",
        "deactivated": "dsl_deactivated", "someone_else": "dsl_someone_else", "stuck_creating": "create_stuck",
        "site_down": "dsl_outage",
        "wrong_site": "official_addresses", "portal_problem": "portal_technical", "not_sure": "dsl_support",
    },
    "new_who": {
        "service_member": "new_proof", "veteran": "new_care_where", "family": "family_status", "civilian": "new_proof",
        "contractor": "new_proof", "under_18": "inelig_under_18", "none": "inelig_not_affiliated",
        "not_sure": "deers_data",
    },
    "new_care_where": {"military": "new_proof", "mix": "new_proof", "va_only": "va_records",
                       "civilian_only": "civilian_records"},
    "family_status": {"has_id_card": "new_proof", "new_to_family": "deers_enroll_first",
                      "former_spouse": "former_spouse", "sponsor_died": "deers_data", "not_sure": "deers_data"},
    "new_proof": {
        "cac": "create_with_cac", "id_card_email": "create_with_email", "id_card_no_email": "deers_add_email", "id_card_unsure_email": "deers_add_email",
        "online": "create_remote",  # Bill: an ID card, and rather the online check than an email he can't confirm
        "new_card_soon": "create_in_person", "none": "create_remote", "not_sure": "create_choose_route",
    },
    "create_stuck": {
        "identity_check_failed": "remote_failed", "no_email": "deers_add_email",
        "activation_email": "email_activation", "deers_wrong": "deers_data", "other": "dsl_support",
    },
    "myauth_status": {
        "no_account": "myauth_create", "forgot_or_locked": "myauth_locked", "security_method": "myauth_security",
        "piv": "myauth_piv", "portal_problem": "portal_technical", "not_sure": "myauth_support",
    },
    "myauth_security": {"email_code": "myauth_email_code", "okta": "myauth_okta", "lost_phone": "myauth_lost_phone"},
    "cac_problem": {
        "no_reader": "cac_no_reader", "pin_locked": "cac_pin_locked", "expired": "cac_expired_who",
        "no_card": "cac_expired_left",  # retired or left and handed the card in: no new CAC, sign in without one
        "not_read": "cac_other_computer", "certificate": "cac_other_computer", "portal_problem": "portal_technical",
        "other": "cac_other_computer",
    },
    "cac_expired_who": {"still_eligible": "cac_expired", "left": "cac_expired_left", "not_sure": "cac_expired"},
    "cac_other_computer": {"yes": "cac_computer_type", "no": "cac_card_problem", "not_tried": "cac_computer_type"},
    "cac_computer_type": {"windows": "cac_windows_setup", "mac": "cac_mac", "other": "cac_no_reader"},
    "piv_problem": {
        "not_registered": "piv_has_dsl", "new_card": "piv_reregister", "deactivated": "piv_dsl_deactivated",
        "card_error": "piv_card_issuer", "stopped_working": "piv_not_working", "portal_problem": "portal_technical",
        "other": "piv_not_working",
    },
    "piv_has_dsl": {"yes": "piv_register", "no": "new_who", "cannot_sign_in": "dsl_status"},
    "portal_issue": {
        "no_record": "record_whose", "missing_result": "result_missing", "no_record_found": "portal_no_record",
        "old_messages": "old_messages", "keeps_loading": "portal_outage",  # spins after sign-in: maybe down
        "error": "portal_technical", "other": "portal_technical",
    },
    "record_whose": {"own": "record_care_where", "child": "child_record", "other_adult": "other_adult_record"},
    "record_care_where": {
        "military": "record_account_level", "va_only": "va_records", "civilian_only": "civilian_records",
        "mix": "record_account_level",
    },
    "record_account_level": {
        "premium": "record_empty", "cac": "record_empty", "basic": "upgrade_premium", "piv": "upgrade_premium",
        "not_sure": "upgrade_premium",
    },
}

# Outcomes that offer a way to carry on into another part of the flow.
CARRY_ON = {
    "cac_no_reader": {"windows_with_reader": "cac_windows_setup", "mac_with_reader": "cac_mac",
                      "use_ds_logon": "dsl_status"},
    "cac_expired_left": {"use_ds_logon": "dsl_status", "use_myauth": "myauth_status"},
    "cac_pin_locked": {"use_ds_logon": "dsl_status", "use_myauth": "myauth_status"},  # a way in until the visit
    "deers_add_email": {"email_added": "create_with_email", "online_check": "create_remote"},
    "deers_data": {"deers_fixed": "new_proof"},
    "deers_enroll_first": {"enrolled": "new_proof"},
    # "wrong password" from a teenager, who cannot have one; a username recovery that finds the account deactivated
    "dsl_forgot": {"under_18": "inelig_under_18", "deactivated": "dsl_deactivated"},
    "former_spouse": {"still_covered": "new_proof"},
    "myauth_create": {"need_ds_logon": "new_who", "ds_logon_fails": "dsl_status"},
    "myauth_piv": {"piv_with_ds_logon": "piv_problem"},
}

CASES = [(node, option, target) for node, table in EXPECTED.items() for option, target in table.items()]
CARRY_ON_CASES = [(outcome, option, target) for outcome, table in CARRY_ON.items() for option, target in table.items()]


def test_every_question_has_a_table(engine):
    questions = {node_id for node_id, node in engine.flow.nodes.items() if not node.is_outcome}
    assert questions == set(EXPECTED) == set(TO)


@pytest.mark.parametrize("node", EXPECTED)
def test_table_lists_every_option(engine, node):
    assert set(engine.flow.nodes[node].options) == set(EXPECTED[node])


@pytest.mark.parametrize("node", TO)
def test_prefix_reaches_the_question(engine, node):
    assert engine.walk(TO[node]).current == node


@pytest.mark.parametrize(("node", "option", "target"), CASES, ids=[f"{n}.{o}" for n, o, _ in CASES])
def test_option_leads_to(engine, node, option, target):
    assert engine.walk({**TO[node], node: option}).current == target


# Routes that depend on earlier answers (named conditions).
@pytest.mark.parametrize(("answers", "target"), [
    ({"topic": "cannot_sign_in", "method": "ds_logon", "dsl_status": "deactivated"}, "dsl_deactivated"),
    ({"topic": "cannot_sign_in", "method": "piv", "piv_problem": "not_registered",
      "piv_has_dsl": "cannot_sign_in", "dsl_status": "deactivated"}, "piv_dsl_deactivated"),
    ({"topic": "cannot_sign_in", "method": "not_sure", "which_card": "piv", "piv_problem": "not_registered",
      "piv_has_dsl": "cannot_sign_in", "dsl_status": "deactivated"}, "piv_dsl_deactivated"),
])
def test_deactivated_account_route_depends_on_piv(engine, answers, target):
    assert engine.walk(answers).current == target


@pytest.mark.parametrize(("outcome", "option", "target"), CARRY_ON_CASES,
                         ids=[f"{o}.{k}" for o, k, _ in CARRY_ON_CASES])
def test_outcome_carries_on_to(engine, every_outcome, outcome, option, target):
    assert engine.walk({**every_outcome[outcome], outcome: option}).current == target


def test_only_these_outcomes_offer_a_way_on(engine):
    offering = {node_id: set(node.options) for node_id, node in engine.flow.nodes.items()
                if node.is_outcome and node.options}
    assert offering == {outcome: set(table) for outcome, table in CARRY_ON.items()}


def test_piv_without_ds_logon_goes_through_eligibility_first(engine):
    answers = {**TO["piv_has_dsl"], "piv_has_dsl": "no"}
    assert engine.walk(answers).current == "new_who"


# ---------------------------------------------------------------- the Machine is the router

def test_the_machine_decides_which_answers_exist_at_a_state(engine):
    """The options accepted at a node are the machine's own triggers there, not a list kept beside it."""
    for node_id, node in engine.flow.nodes.items():
        assert engine.options_at(node_id) == list(node.options)
        assert engine.accepts[node_id] == frozenset(engine.machine.get_triggers(node_id))


def test_an_answer_the_machine_has_no_trigger_for_is_refused(engine):
    from wizard.core.engine import UnknownOption

    with pytest.raises(UnknownOption):
        engine.answer(TO["method"], "method", "carrier_pigeon")
    with pytest.raises(UnknownOption):  # a trigger that exists, but at another state
        engine.answer(TO["method"], "method", "locked")
    assert engine.walk({**TO["method"], "method": "locked"}).current == "method"  # the walk stops there


def test_a_trigger_removed_from_the_machine_is_refused_by_both_doors(app, engine, client):
    """Take one transition out of the machine itself: the public page and call mode both refuse the answer,
    though the flow data (and the wording) still list it."""
    from wizard.core.engine import UnknownOption

    accepted = engine.accepts["method"]
    engine.accepts["method"] = accepted - {"choose_cac"}
    try:
        with pytest.raises(UnknownOption):
            engine.answer(TO["method"], "method", "cac")
        page = client.get("/a/method", query_string={**TO["method"], "method": "cac", "v": engine.flow.version})
        assert page.status_code == 400
    finally:
        engine.accepts["method"] = accepted


def test_answering_keeps_the_later_answers_still_on_the_path(engine):
    given = {**TO["dsl_status"], "dsl_status": "locked"}
    assert engine.answer(given, "method", "ds_logon").current == "dsl_locked"  # same answer: the story stays
    assert engine.answer(given, "method", "cac").current == "cac_problem"  # another branch: its answers go


def test_an_answer_for_a_question_not_reached_is_refused(engine):
    from wizard.core.engine import NotOnPath

    with pytest.raises(NotOnPath):
        engine.answer({}, "dsl_status", "locked")
    with pytest.raises(NotOnPath):
        engine.answer({}, "no_such_node", "locked")


def test_the_diagram_draws_the_routers_own_transitions(engine):
    """Built from the same definition (transitions_of): every trigger of the routing machine is an edge."""
    from wizard.core.diagram import mermaid

    drawn = set()
    for line in mermaid(engine.flow).splitlines():  # "  a --> b: choose_x | choose_y [condition]"
        if match := re.fullmatch(r"\s*(\w+) --> (\w+): (.+)", line):
            drawn |= {(match[1], match[2], label.split(" [")[0]) for label in match[3].split(" | ")}
    routed = {(source, transition.dest, name) for name, event in engine.machine.events.items()
              for source, transitions in event.transitions.items() for transition in transitions}
    assert drawn == routed
