"""Every option of every question leads to the node we expect.

The expected tables are written out by hand from the spec, not generated from
flow.yaml: they are what catches a wrong `next` in the data.
"""
from __future__ import annotations

import pytest

from routes import TO

EXPECTED = {
    "topic": {"cannot_sign_in": "method", "inside_portal": "portal_issue", "check_address": "official_addresses"},
    "method": {"ds_logon": "dsl_status", "cac": "cac_problem", "piv": "piv_problem", "not_sure": "which_card"},
    "which_card": {"cac": "cac_problem", "piv": "piv_problem", "neither": "dsl_status", "not_sure": "dsl_status"},
    "dsl_status": {
        "no_account": "elig_age", "forgot": "dsl_forgot", "locked": "dsl_locked",
        "deactivated": "dsl_deactivated", "site_down": "dsl_outage", "wrong_site": "official_addresses",
        "portal_problem": "portal_issue", "not_sure": "dsl_support",
    },
    "elig_age": {"yes": "elig_affiliation", "no": "inelig_under_18"},
    "elig_affiliation": {"yes": "elig_category", "no": "inelig_no_affiliation", "not_sure": "elig_category"},
    "elig_category": {
        "service_member": "elig_in_deers", "veteran": "elig_in_deers", "family": "elig_in_deers",
        "civilian": "elig_in_deers", "contractor": "elig_in_deers", "none": "inelig_category",
        "not_sure": "deers_check",
    },
    "elig_in_deers": {"yes": "identity_route", "no": "inelig_not_in_deers", "not_sure": "deers_check"},
    "identity_route": {
        "cac": "create_with_cac", "email": "create_with_email", "remote": "create_remote",
        "in_person": "create_in_person", "not_sure": "create_choose_route",
    },
    "cac_problem": {
        "no_reader": "cac_no_reader", "pin_locked": "cac_pin_locked", "expired": "cac_expired",
        "certificate": "cac_certificates", "not_read": "cac_not_read", "portal_problem": "portal_issue",
        "other": "sign_in_other",
    },
    "piv_problem": {
        "not_registered": "piv_has_dsl", "deactivated": "piv_dsl_deactivated",
        "stopped_working": "piv_not_working", "portal_problem": "portal_issue", "other": "piv_not_working",
    },
    "piv_has_dsl": {"yes": "piv_register", "no": "elig_age", "cannot_sign_in": "dsl_status"},
    "portal_issue": {
        "no_record": "record_account_level", "old_messages": "old_messages", "error": "portal_technical",
        "other": "portal_technical",
    },
    "record_account_level": {
        "premium": "record_care_site", "cac": "record_care_site", "basic": "upgrade_premium",
        "not_sure": "upgrade_premium",
    },
    "record_care_site": {"yes": "record_missing_after_care", "no": "no_record_yet", "not_sure": "no_record_yet"},
}

CASES = [(node, option, target) for node, table in EXPECTED.items() for option, target in table.items()]


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


def test_cac_without_reader_can_carry_on_into_ds_logon(engine):
    answers = {"topic": "cannot_sign_in", "method": "cac", "cac_problem": "no_reader", "cac_no_reader": "use_ds_logon"}
    assert engine.walk(answers).current == "dsl_status"


def test_piv_without_ds_logon_goes_through_eligibility_first(engine):
    answers = {**TO["piv_has_dsl"], "piv_has_dsl": "no"}
    assert engine.walk(answers).current == "elig_age"
