"""`flask --app app flow check`: report problems in the flow content."""
from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from wizard.core import check as flowcheck

flow_cli = AppGroup("flow", help="Work with the triage flow content.")


@flow_cli.command("check")
@click.option("--content", type=click.Path(exists=True, file_okay=False),
              help="Content directory to check (default: the wizard's own).")
@click.option("--strict", is_flag=True, help="Also fail when a source is past its review date.")
def check(content: str | None, strict: bool) -> None:
    """Report unreachable nodes, dead ends, unknown contacts, missing wording..."""
    sys.exit(flowcheck.main([content] if content else [], strict=strict))
