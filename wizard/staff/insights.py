"""The insights page for content owners: what works, from counts only (docs/insights.md).

- ``staff.insights``      GET /staff/insights?days=30      the figures, bars and trends
- ``staff.insights_csv``  GET /staff/insights.csv?days=30  the same figures, one row per outcome and version
- ``staff.insights_changes`` GET /staff/insights/changes?from=&to=  what changed between two content versions

Open to every staff account: the page shows counts only (no agent, caller or
call is named), the agents are the ones who hear when a page is wrong, and the
service has no roles to give (an account is a name, a desk and a password).
"""
from __future__ import annotations

import csv
import datetime as dt
import io

from flask import Response, current_app, render_template, request

from wizard import insights
from wizard.core import insights as figures
from wizard.counts import today
from wizard.staff import bp, presenter

PERIODS = (7, 30, 90, 365)
DEFAULT_DAYS = 30


def period() -> tuple[int, dt.date, dt.date]:
    """The days asked for (one of PERIODS, else the default), and the first and last of them (UTC)."""
    asked = request.args.get("days", "")
    count = int(asked) if asked in {str(days) for days in PERIODS} else DEFAULT_DAYS
    until = today()
    return count, until - dt.timedelta(days=count - 1), until


def title_of(node_id: str) -> str | None:
    """Today's title of a node, or None for one that is not in today's content."""
    nodes = current_app.extensions["triage_engine"].flow.nodes
    return presenter().words(node_id)["title"] if node_id in nodes else None


def desk_of(outcome: str) -> str | None:
    return presenter().main_contact(outcome).desk


def gather(since: dt.date, until: dt.date) -> dict:
    engine = current_app.extensions["triage_engine"]
    current_app.extensions["triage_page_counts"].flush()  # this process's latest counts too
    nodes, pages = engine.flow.nodes, insights.pages(since, until)
    views = [(day, version, node, count) for day, version, node, kind, count in pages
             if kind == "view" and node in nodes and nodes[node].is_outcome]
    return dict(
        outcomes=figures.fix_first(figures.outcome_figures(insights.votes(since, until),
                                                           insights.came_back(since, until), views)),
        calls=figures.resolutions_by_outcome(insights.call_resolutions(since, until, engine, desk_of)),
        questions=figures.question_figures(pages, [node for node in nodes if not nodes[node].is_outcome]),
    )


@bp.get("/insights", endpoint="insights")
def insights_page():
    count, since, until = period()
    found = gather(since, until)
    shown = figures.days(until, count)
    return render_template(
        "staff/insights.html", t=presenter().text["staff"]["insights"], days=count, since=since, until=until,
        periods=PERIODS, title_of=title_of, shown=shown, trend=lambda row: figures.trend(row.by_day, shown),
        reason_words=presenter().page_text("feedback")["reasons"], resolutions=figures.RESOLUTIONS,
        running_version=current_app.extensions["triage_engine"].flow.version,
        overdue=figures.overdue_sources(current_app.extensions["triage_engine"].flow, today()), **found)


CSV_COLUMNS = ("outcome", "flow_version", "yes", "no", "helpful_rate", "helpful_low_95", "helpful_high_95",
               "came_back", "views")  # then one column per reason given with No: no_<reason key>, no_without_reason


def fraction(value: float | None) -> str:
    return "" if value is None else f"{value:.4f}"


@bp.get("/insights.csv")
def insights_csv():
    count, since, until = period()
    found = gather(since, until)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    reasons = list(presenter().page_text("feedback")["reasons"])
    writer.writerow([*CSV_COLUMNS, *(f"no_{reason}" for reason in reasons), "no_without_reason"])
    for row in found["outcomes"]:
        low, high = row.interval
        writer.writerow([row.outcome, row.version, row.yes, row.no, fraction(row.rate), fraction(low), fraction(high),
                         row.came_back, row.views, *(row.reasons[reason] for reason in [*reasons, ""])])
    name = f"insights-{since.isoformat()}-to-{until.isoformat()}.csv"
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename={name}"})


@bp.get("/insights/changes")
def insights_changes():
    """Two content versions (by default the one before the running one, and the running one): the outcomes
    whose answer sets moved and the pages whose wording changed. A version not run here is refused in place."""
    known = [version for version, _ in insights.versions()]
    running = current_app.extensions["triage_engine"].flow.version
    default_from = known[-2] if len(known) > 1 and known[-1] == running else (known[0] if known else running)
    before, after = request.args.get("from", default_from), request.args.get("to", running)
    t = presenter().text["staff"]["insights"]
    context = dict(t=t, known=known, before=before, after=after, running_version=running, title_of=title_of,
                   moved=None, reworded=None, no_words=[])
    if before not in known or after not in known:
        return render_template("staff/insights_changes.html", error=t["unknown_version"], **context), 400
    if before != after:
        words = {version: insights.wording(version) for version in (before, after)}
        context.update(moved=figures.answer_set_changes(insights.answer_sets(before), insights.answer_sets(after)),
                       no_words=[version for version, digests in words.items() if not digests],
                       reworded=figures.wording_changes(words[before], words[after])
                       if all(words.values()) else None)
    return render_template("staff/insights_changes.html", error=None, **context)
