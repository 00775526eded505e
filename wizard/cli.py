"""Commands: `flask --app app flow check|diagram` and `flask --app app staff add|remove|list|reset-password`."""
from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from wizard.core import check as flowcheck
from wizard.core.desks import DESKS

flow_cli = AppGroup("flow", help="Work with the triage flow content.")
staff_cli = AppGroup("staff", help="Manage help-desk staff accounts.")


@flow_cli.command("check")
@click.option("--content", type=click.Path(exists=True, file_okay=False),
              help="Content directory to check (default: the wizard's own).")
@click.option("--strict", is_flag=True, help="Also fail when a source is past its review date.")
def check(content: str | None, strict: bool) -> None:
    """Report unreachable nodes, dead ends, unknown contacts, missing wording..."""
    sys.exit(flowcheck.main([content] if content else [], strict=strict))


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
