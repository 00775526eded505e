"""How to reach each question and each outcome: written out by hand.

Shared by the routing tests and the browser tests. Not generated from
flow.yaml, so a wrong route in the data shows up as a failing test. These are
the routes with the content's own sign-in setting (`portal_sign_in: both`).
"""
from __future__ import annotations

# The answers that lead to each question, from the start.
TO = {
    "topic": {},
    "method": {"topic": "cannot_sign_in"},
    "which_card": {"topic": "cannot_sign_in", "method": "not_sure"},
    "dsl_status": {"topic": "cannot_sign_in", "method": "ds_logon"},
    "myauth_status": {"topic": "cannot_sign_in", "method": "myauth"},
    "cac_problem": {"topic": "cannot_sign_in", "method": "cac"},
    "piv_problem": {"topic": "cannot_sign_in", "method": "piv"},
    "portal_issue": {"topic": "inside_portal"},
    "helping_whom": {"topic": "helping_someone"},
}
TO["new_who"] = {**TO["dsl_status"], "dsl_status": "no_account"}
TO["new_proof"] = {**TO["new_who"], "new_who": "service_member"}
TO["new_care_where"] = {**TO["new_who"], "new_who": "veteran"}
TO["family_status"] = {**TO["new_who"], "new_who": "family"}
TO["create_stuck"] = {**TO["dsl_status"], "dsl_status": "stuck_creating"}
TO["myauth_security"] = {**TO["myauth_status"], "myauth_status": "security_method"}
TO["cac_expired_who"] = {**TO["cac_problem"], "cac_problem": "expired"}
TO["cac_other_computer"] = {**TO["cac_problem"], "cac_problem": "not_read"}
TO["cac_computer_type"] = {**TO["cac_other_computer"], "cac_other_computer": "yes"}
TO["piv_has_dsl"] = {**TO["piv_problem"], "piv_problem": "not_registered"}
TO["record_whose"] = {**TO["portal_issue"], "portal_issue": "no_record"}
TO["record_care_where"] = {**TO["record_whose"], "record_whose": "own"}
TO["record_account_level"] = {**TO["record_care_where"], "record_care_where": "military"}

# outcome -> the question and option that lead to it (after TO[question]).
OUTCOMES = {
    "official_addresses": ("topic", "check_address"),
    "myauth_prepare": ("topic", "myauth_change"),
    "portal_outage": ("topic", "portal_down"),
    "portal_technical": ("portal_issue", "error"),
    "old_messages": ("portal_issue", "old_messages"),
    "result_missing": ("portal_issue", "missing_result"),
    "portal_no_record": ("portal_issue", "no_record_found"),
    "record_empty": ("record_account_level", "premium"),
    "upgrade_premium": ("record_account_level", "basic"),
    "child_record": ("record_whose", "child"),
    "other_adult_record": ("helping_whom", "adult_cannot"),
    "va_records": ("topic", "va_care"),
    "civilian_records": ("record_care_where", "civilian_only"),
    "dsl_forgot": ("dsl_status", "forgot"),
    "dsl_locked": ("dsl_status", "locked"),
    "dsl_suspended": ("dsl_status", "suspended"),
    "dsl_deactivated": ("dsl_status", "deactivated"),
    "dsl_someone_else": ("dsl_status", "someone_else"),
    "dsl_outage": ("dsl_status", "site_down"),
    "dsl_support": ("dsl_status", "not_sure"),
    "inelig_under_18": ("new_who", "under_18"),
    "inelig_not_affiliated": ("new_who", "none"),
    "deers_data": ("new_who", "not_sure"),
    "deers_enroll_first": ("family_status", "new_to_family"),
    "former_spouse": ("family_status", "former_spouse"),
    "create_with_cac": ("new_proof", "cac"),
    "create_with_email": ("new_proof", "id_card_email"),
    "create_remote": ("new_proof", "none"),
    "create_in_person": ("new_proof", "new_card_soon"),
    "create_choose_route": ("new_proof", "not_sure"),
    "deers_add_email": ("new_proof", "id_card_no_email"),
    "remote_failed": ("create_stuck", "identity_check_failed"),
    "email_activation": ("create_stuck", "activation_email"),
    "myauth_create": ("myauth_status", "no_account"),
    "myauth_locked": ("myauth_status", "forgot_or_locked"),
    "myauth_piv": ("myauth_status", "piv"),
    "myauth_support": ("myauth_status", "not_sure"),
    "myauth_email_code": ("myauth_security", "email_code"),
    "myauth_okta": ("myauth_security", "okta"),
    "myauth_lost_phone": ("myauth_security", "lost_phone"),
    "cac_no_reader": ("cac_problem", "no_reader"),
    "cac_pin_locked": ("cac_problem", "pin_locked"),
    "cac_expired": ("cac_expired_who", "still_eligible"),
    "cac_expired_left": ("cac_expired_who", "left"),
    "cac_windows_setup": ("cac_computer_type", "windows"),
    "cac_mac": ("cac_computer_type", "mac"),
    "cac_card_problem": ("cac_other_computer", "no"),
    "piv_register": ("piv_has_dsl", "yes"),
    "piv_reregister": ("piv_problem", "new_card"),
    "piv_dsl_deactivated": ("piv_problem", "deactivated"),
    "piv_not_working": ("piv_problem", "stopped_working"),
    "piv_card_issuer": ("piv_problem", "card_error"),
}
