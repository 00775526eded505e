"""Commands: `flask --app app flow check|diagram` and `flask --app app staff add|remove|list|reset-password`."""
from __future__ import annotations

import datetime
import sys

import click
from flask.cli import AppGroup

from wizard.core.check import check_content
from wizard.core.check.facts import overdue_sources
from wizard.core.desks import DESKS
from wizard.core.flow import CONTENT_DIR, ContentError, RawContent, read_content
from wizard.core.graph import longest_path, median_path_to_outcomes
from wizard.core.translations import stale as stale_translations

flow_cli = AppGroup("flow", help="Work with the triage flow content.")
staff_cli = AppGroup("staff", help="Manage help-desk staff accounts.")


@flow_cli.command("check")
@click.option("--content", type=click.Path(exists=True, file_okay=False),
              help="Content directory to check (default: the wizard's own).")
@click.option("--strict", is_flag=True, help="Also fail when a source is past its review date.")
def check(content: str | None, strict: bool) -> None:
    """Report unreachable nodes, dead ends, unknown contacts, missing wording..."""
    sys.exit(check_flow(content, strict=strict))


def check_flow(content: str | None = None, today: datetime.date | None = None, strict: bool = False) -> int:
    """Check the content in ``content`` (default: the app's own) and print the result: 0 when it passes, 1 when
    it has problems (or, with ``strict``, sources past their review date or translations of changed English)."""
    directory = content or CONTENT_DIR
    try:
        raw = read_content(directory)
    except ContentError as error:
        print(error, file=sys.stderr)
        return 1
    problems = check_content(raw)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"Flow check failed: {len(problems)} problem(s) in {directory}", file=sys.stderr)
        return 1
    overdue = overdue_sources(raw.sources, today or datetime.date.today())
    for warning in overdue:
        print(f"warning: {warning}", file=sys.stderr)
    old_translations = stale_translations(raw.texts, raw.sources)
    for warning in old_translations:
        print(f"warning: {warning}", file=sys.stderr)
    if strict and (overdue or old_translations):
        print(f"Flow check failed (--strict): {len(overdue)} source(s) past their review date, "
              f"{len(old_translations)} translation(s) of English that has changed", file=sys.stderr)
        return 1
    print(passed_summary(raw, len(overdue), len(old_translations)))
    return 0


def passed_summary(raw: RawContent, overdue: int, old_translations: int = 0) -> str:
    """The one line printed for content that passes: its size, path lengths and sources due for review."""
    questions = sum(node["type"] == "question" for node in raw.flow["nodes"].values())
    return (f"Flow check passed: {questions} questions, {len(raw.flow['nodes']) - questions} outcomes, "
            f"{len(raw.contacts)} contacts, {len(raw.sources)} sources, languages: {', '.join(raw.texts)}; "
            f"longest path: {longest_path(raw.flow)} questions, "
            f"median path to an outcome: {median_path_to_outcomes(raw.flow):g} questions; "
            f"{overdue} source(s) due for review"
            + (f"; {old_translations} translation(s) to update" if len(raw.texts) > 1 else ""))


@flow_cli.command("diagram")
@click.option("--output", type=click.Path(dir_okay=False, writable=True), help="Write to this file (default: print).")
def diagram(output: str | None) -> None:
    """Print the flow's state machine as a mermaid diagram (paste into any mermaid viewer)."""
    from flask import current_app

    from wizard.core.diagram import mermaid

    text = mermaid(current_app.extensions["triage_engine"].flow)
    if output:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
        click.echo(f"Wrote {output}.")
    else:
        click.echo(text)


def read_password(from_stdin: bool) -> str:
    """The new password: one line of standard input for scripts, else asked twice without echo."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


def fail(error: Exception) -> None:
    click.echo(f"Error: {error}", err=True)
    sys.exit(1)


@staff_cli.command("add")
@click.argument("name")
# The desk is checked by accounts (not click.Choice): a wrong one is a one-line error and exit 1, before any prompt.
@click.option("--desk", required=True, help=f"The agent's desk: {' or '.join(DESKS)}.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def add(name: str, desk: str, password_stdin: bool) -> None:
    """Create a staff account."""
    from wizard.staff import accounts

    try:
        accounts.check_new(name, desk)  # before asking for a password
        user = accounts.add(name, desk, read_password(password_stdin))
    except accounts.AccountError as error:
        fail(error)
    click.echo(f"Added {user.name} ({user.desk}).")


@staff_cli.command("remove")
@click.argument("name")
def remove(name: str) -> None:
    """Deactivate a staff account and end its sessions."""
    from wizard.staff import accounts

    try:
        accounts.remove(name)
    except accounts.AccountError as error:
        fail(error)
    click.echo(f"Removed {name.strip().lower()}.")


@staff_cli.command("list")
def list_accounts() -> None:
    """List active staff accounts."""
    from wizard.staff import accounts

    for user in accounts.active_accounts():
        click.echo(f"{user.name}\t{user.desk}\tsince {user.created_at:%Y-%m-%d}")


@staff_cli.command("reset-password")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def reset_password(name: str, password_stdin: bool) -> None:
    """Set a new password; the account's sessions end."""
    from wizard.staff import accounts

    try:
        accounts.existing(name)  # before asking for a password
        accounts.reset_password(name, read_password(password_stdin))
    except accounts.AccountError as error:
        fail(error)
    click.echo(f"New password set for {name.strip().lower()}.")
