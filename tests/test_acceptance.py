"""The acceptance scenarios of the spec, end to end through HTTP."""
from __future__ import annotations

DMDC_PHONE = 'href="tel:+18003683665"'
GSC_PHONE = 'href="tel:+18006009332"'
CREATE_ACCOUNT_URL = "https://www.dmdc.osd.mil/identitymanagement/app/login"

ELIGIBLE_VETERAN_PREFIX = (
    ("topic", "cannot_sign_in"), ("method", "ds_logon"), ("dsl_status", "no_account"),
    ("elig_age", "yes"), ("elig_affiliation", "yes"),
)


def test_1_retired_service_member_without_account_is_told_how_to_create_one(wizard):
    wizard.walk(*ELIGIBLE_VETERAN_PREFIX, ("elig_category", "service_member"), ("elig_in_deers", "yes"),
                ("identity_route", "remote"))
    assert wizard.path == "/q/create_remote"
    assert CREATE_ACCOUNT_URL in wizard.text
    assert "CREATE ACCOUNT" in wizard.text
    assert "webct2" in wizard.text
    assert DMDC_PHONE in wizard.html and "1-800-368-3665" in wizard.text


def test_2_sixteen_year_old_is_not_eligible_and_not_sent_to_account_creation(wizard):
    wizard.walk(("topic", "cannot_sign_in"), ("method", "ds_logon"), ("dsl_status", "no_account"),
                ("elig_age", "no"))
    assert wizard.path == "/q/inelig_under_18"
    assert "18 or older" in wizard.text
    steps = " ".join(wizard.steps)
    assert CREATE_ACCOUNT_URL not in steps
    assert "CREATE ACCOUNT" not in wizard.text


def test_3_forgotten_password_goes_to_dmdc(wizard):
    wizard.walk(("topic", "cannot_sign_in"), ("method", "ds_logon"), ("dsl_status", "forgot"))
    assert wizard.path == "/q/dsl_forgot"
    assert DMDC_PHONE in wizard.html and "1-800-368-3665" in wizard.text
    assert "https://myaccess.dmdc.osd.mil/identitymanagement" in wizard.text


def test_4_error_inside_portal_after_ds_logon_goes_to_global_service_center(wizard):
    wizard.walk(("topic", "cannot_sign_in"), ("method", "ds_logon"), ("dsl_status", "portal_problem"),
                ("portal_issue", "error"))
    assert wizard.path == "/q/portal_technical"
    assert GSC_PHONE in wizard.html and "1-800-600-9332" in wizard.text
    assert "312-838-3000" in wizard.text
    assert "24 hours a day, 7 days a week" in wizard.text
    assert "Patient Portal Champion" in wizard.text


def test_5_piv_holder_with_deactivated_account_creates_a_new_one_then_re_registers(wizard):
    wizard.walk(("topic", "cannot_sign_in"), ("method", "piv"), ("piv_problem", "deactivated"))
    assert wizard.path == "/q/piv_dsl_deactivated"
    steps = " ".join(wizard.steps)
    assert CREATE_ACCOUNT_URL in steps and "webct2" in steps
    assert steps.index("CREATE ACCOUNT") < steps.index("register your PIV card")
    assert DMDC_PHONE in wizard.html


def test_6_cac_at_home_without_reader_can_switch_to_ds_logon(wizard):
    wizard.walk(("topic", "cannot_sign_in"), ("method", "cac"), ("cac_problem", "no_reader"))
    assert wizard.path == "/q/cac_no_reader"
    assert "CAC-enabled computer" in wizard.text
    assert "Use DS Logon instead" in wizard.text
    wizard.answer("cac_no_reader", "use_ds_logon")
    assert wizard.path == "/q/dsl_status"
    wizard.answer("dsl_status", "no_account")
    assert wizard.path == "/q/elig_age"


def test_7_old_tricare_online_messages_are_gone(wizard):
    wizard.walk(("topic", "inside_portal"), ("portal_issue", "old_messages"))
    assert wizard.path == "/q/old_messages"
    assert "no longer available" in wizard.text
    assert "TRICARE Online" in wizard.text
    assert GSC_PHONE in wizard.html
