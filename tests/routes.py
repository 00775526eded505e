"""How to reach each question and each outcome: written out by hand.

Shared by the routing tests and the browser tests. Not generated from
flow.yaml, so a wrong route in the data shows up as a failing test.
"""
from __future__ import annotations

# The answers that lead to each question, from the start.
TO = {
    "topic": {},
    "method": {"topic": "cannot_sign_in"},
    "which_card": {"topic": "cannot_sign_in", "method": "not_sure"},
    "dsl_status": {"topic": "cannot_sign_in", "method": "ds_logon"},
    "elig_age": {"topic": "cannot_sign_in", "method": "ds_logon", "dsl_status": "no_account"},
    "cac_problem": {"topic": "cannot_sign_in", "method": "cac"},
    "piv_problem": {"topic": "cannot_sign_in", "method": "piv"},
    "portal_issue": {"topic": "inside_portal"},
}
TO["elig_affiliation"] = {**TO["elig_age"], "elig_age": "yes"}
TO["elig_category"] = {**TO["elig_affiliation"], "elig_affiliation": "yes"}
TO["elig_in_deers"] = {**TO["elig_category"], "elig_category": "veteran"}
TO["identity_route"] = {**TO["elig_in_deers"], "elig_in_deers": "yes"}
TO["piv_has_dsl"] = {**TO["piv_problem"], "piv_problem": "not_registered"}
TO["record_account_level"] = {**TO["portal_issue"], "portal_issue": "no_record"}
TO["record_care_site"] = {**TO["record_account_level"], "record_account_level": "premium"}

# outcome -> the question and option that lead to it (after TO[question]).
OUTCOMES = {
    "official_addresses": ("topic", "check_address"),
    "portal_technical": ("portal_issue", "error"),
    "old_messages": ("portal_issue", "old_messages"),
    "no_record_yet": ("record_care_site", "no"),
    "record_missing_after_care": ("record_care_site", "yes"),
    "upgrade_premium": ("record_account_level", "basic"),
    "sign_in_other": ("cac_problem", "other"),
    "dsl_forgot": ("dsl_status", "forgot"),
    "dsl_locked": ("dsl_status", "locked"),
    "dsl_deactivated": ("dsl_status", "deactivated"),
    "dsl_outage": ("dsl_status", "site_down"),
    "dsl_support": ("dsl_status", "not_sure"),
    "inelig_under_18": ("elig_age", "no"),
    "inelig_no_affiliation": ("elig_affiliation", "no"),
    "inelig_category": ("elig_category", "none"),
    "inelig_not_in_deers": ("elig_in_deers", "no"),
    "deers_check": ("elig_in_deers", "not_sure"),
    "create_with_cac": ("identity_route", "cac"),
    "create_with_email": ("identity_route", "email"),
    "create_remote": ("identity_route", "remote"),
    "create_in_person": ("identity_route", "in_person"),
    "create_choose_route": ("identity_route", "not_sure"),
    "cac_no_reader": ("cac_problem", "no_reader"),
    "cac_pin_locked": ("cac_problem", "pin_locked"),
    "cac_expired": ("cac_problem", "expired"),
    "cac_certificates": ("cac_problem", "certificate"),
    "cac_not_read": ("cac_problem", "not_read"),
    "piv_register": ("piv_has_dsl", "yes"),
    "piv_dsl_deactivated": ("piv_problem", "deactivated"),
    "piv_not_working": ("piv_problem", "stopped_working"),
}
