"""`flask --app app staff add|list|remove|reset-password`, run through Flask's CLI runner on the test app."""
from __future__ import annotations

import uuid

import pytest
from helpers import csrf_token, log_in

NEW_PASSWORD = "another-long-password"


@pytest.fixture
def staff(app):
    """staff(*args, input=None): run `flask staff ...` against the test app; the click Result."""
    runner = app.test_cli_runner()

    def run(*args: str, input: str | None = None):
        return runner.invoke(args=["staff", *args], input=input)

    return run


def unique(prefix: str = "cli") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def can_log_in(app, name: str, password: str) -> bool:
    response = log_in(app.test_client(), name, password)
    assert response.status_code in (303, 401), response.status_code
    return response.status_code == 303


def one_line_error(result) -> str:
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_add_asks_for_the_password_twice_without_showing_it(app, staff):
    name = unique()
    result = staff("add", name.upper(), "--desk", "gsc", input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "Password: " in result.output and "Repeat for confirmation: " in result.output
    assert NEW_PASSWORD not in result.output
    assert result.stdout.strip().endswith(f"Added {name} (gsc).")
    assert can_log_in(app, name, NEW_PASSWORD)


def test_add_makes_no_account_when_the_two_passwords_differ(app, staff):
    name = unique()
    result = staff("add", name, "--desk", "gsc", input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}-not\n")
    assert result.exit_code != 0
    assert "The two entered values do not match." in result.output
    assert name not in staff("list").output


def test_add_reads_one_line_of_standard_input_for_scripts(app, staff):
    name = unique()
    result = staff("add", name, "--desk", "dmdc", "--password-stdin", input=f"{NEW_PASSWORD}\n")
    assert result.exit_code == 0
    assert result.output == f"Added {name} (dmdc).\n"
    assert can_log_in(app, name, NEW_PASSWORD)


@pytest.mark.parametrize(("args", "message"), [
    (["--desk", "helpdesk"], "Error: The desk must be one of: gsc, dmdc."),
    (["--desk", "GSC"], "Error: The desk must be one of: gsc, dmdc."),
])
def test_add_refuses_an_unknown_desk_before_asking_for_a_password(staff, args, message):
    result = staff("add", unique(), *args)
    assert one_line_error(result) == message
    assert "Password" not in result.output


@pytest.mark.parametrize("name", ["two words", "", "x" * 41, "émile", "a/b"])
def test_add_refuses_a_name_that_is_not_a_plain_login_name(staff, name):
    result = staff("add", name, "--desk", "gsc", "--password-stdin", input=f"{NEW_PASSWORD}\n")
    assert one_line_error(result) == "Error: The name must be 1-40 letters, digits, dots, dashes or underscores."


@pytest.mark.parametrize("password", ["short", "x" * 11, "x" * 201, ""])
def test_add_refuses_a_password_too_short_or_too_long_to_use(staff, password):
    name = unique()
    result = staff("add", name, "--desk", "gsc", "--password-stdin", input=f"{password}\n")
    assert one_line_error(result) == "Error: The password must be 12 to 200 characters."
    assert name not in staff("list").output


def test_add_refuses_a_name_already_taken_before_asking_for_a_password(staff, make_staff):
    taken = make_staff()
    result = staff("add", taken.name.upper(), "--desk", "dmdc")
    assert one_line_error(result) == f"Error: There is already an account named {taken.name}."
    assert "Password" not in result.output


def test_list_shows_active_accounts_with_their_desk(staff, make_staff):
    first, second = make_staff(desk="gsc"), make_staff(desk="dmdc")
    rows = [line.split("\t") for line in staff("list").output.splitlines()]
    listed = {row[0]: row[1] for row in rows}
    assert listed[first.name] == "gsc" and listed[second.name] == "dmdc"
    assert all(len(row) == 3 and row[2].startswith("since ") for row in rows)
    assert "$argon2" not in staff("list").output


def test_remove_stops_logins_and_ends_the_accounts_session(app, staff, staff_client):
    client = staff_client()
    agent = client.agent
    result = staff("remove", agent.name)
    assert result.exit_code == 0
    assert result.output == f"Removed {agent.name}.\n"
    assert client.get("/staff/").status_code == 302
    assert not can_log_in(app, agent.name, agent.password)
    assert agent.name not in staff("list").output


def test_remove_of_an_unknown_account_is_a_one_line_error(staff):
    assert one_line_error(staff("remove", "nobody-here")) == "Error: There is no account named nobody-here."


def test_reset_password_ends_old_sessions_and_only_the_new_password_works(app, staff, staff_client):
    client = staff_client()
    agent = client.agent
    result = staff("reset-password", agent.name, "--password-stdin", input=f"{NEW_PASSWORD}\n")
    assert result.exit_code == 0
    assert result.output == f"New password set for {agent.name}.\n"
    assert client.get("/staff/").status_code == 302
    assert not can_log_in(app, agent.name, agent.password)
    assert can_log_in(app, agent.name, NEW_PASSWORD)


def test_reset_password_asks_twice_when_typed(app, staff, make_staff):
    agent = make_staff()
    result = staff("reset-password", agent.name, input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n")
    assert result.exit_code == 0
    assert can_log_in(app, agent.name, NEW_PASSWORD)


def test_reset_password_refuses_a_short_password_and_keeps_the_old_one(app, staff, make_staff):
    agent = make_staff()
    result = staff("reset-password", agent.name, "--password-stdin", input="short\n")
    assert one_line_error(result) == "Error: The password must be 12 to 200 characters."
    assert can_log_in(app, agent.name, agent.password)


def test_reset_password_of_an_unknown_account_fails_before_asking(staff):
    result = staff("reset-password", "nobody-here")
    assert one_line_error(result) == "Error: There is no account named nobody-here."
    assert "Password" not in result.output


def test_a_new_account_from_the_cli_can_use_the_console(app, staff):
    name = unique()
    staff("add", name, "--desk", "gsc", "--password-stdin", input=f"{NEW_PASSWORD}\n")
    client = app.test_client()
    assert log_in(client, name, NEW_PASSWORD).status_code == 303
    home = client.get("/staff/")
    assert home.status_code == 200 and csrf_token(home.text)
