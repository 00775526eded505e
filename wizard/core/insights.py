"""The insights page's figures, from counts only (docs/insights.md): no Flask, no database.

wizard/insights.py reads the count tables, the audit log and the calls, and hands
this module plain tuples; everything here is arithmetic on them, so the figures
for a given set of rows are exact and can be tested without a server.

- the helpful rate of an outcome on one content version: Yes / (Yes + No), with a
  Wilson score interval (95 %), so that 2 votes out of 2 reads as "somewhere
  between 34 % and 100 %", not as certainty;
- the reasons given with No;
- "came back": staff lookups of the outcome's reference codes (a person who saw
  the page and still called the desk), and that per page view;
- call resolutions per outcome: resolved at tier 1, transferred, escalated, sent back;
- per question: how many arrived, went on (answered) and stopped;
- the outcomes whose answer sets moved between two content versions, and those
  whose wording changed.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from wizard.core.check.facts import review_due

Z_95 = 1.959964  # the normal quantile for a two-sided 95 % interval
RESOLUTIONS = ("resolved", "transferred", "escalated", "sent_back", "open")


def wilson(successes: int, total: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval for ``successes`` out of ``total`` (0 to 1 when there is nothing to go on)."""
    if total <= 0:
        return 0.0, 1.0
    p = successes / total
    centre = p + z * z / (2 * total)
    spread = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total))
    denominator = 1 + z * z / total
    return max(0.0, (centre - spread) / denominator), min(1.0, (centre + spread) / denominator)


@dataclass
class OutcomeFigures:
    """One outcome on one content version, over the period asked for."""

    outcome: str
    version: str
    yes: int = 0
    no: int = 0
    reasons: Counter = field(default_factory=Counter)  # reason key -> No votes giving it ("" = none given)
    came_back: int = 0  # staff lookups of this outcome's codes of this version
    views: int = 0  # outcome page views counted in the app (docs/insights.md: what they miss)
    by_day: dict[dt.date, tuple[int, int]] = field(default_factory=dict)  # day -> (yes, no)

    @property
    def votes(self) -> int:
        return self.yes + self.no

    @property
    def rate(self) -> float | None:
        return self.yes / self.votes if self.votes else None

    @property
    def interval(self) -> tuple[float, float]:
        return wilson(self.yes, self.votes)

    @property
    def came_back_rate(self) -> float | None:
        """Lookups per outcome page view (None without views)."""
        return self.came_back / self.views if self.views else None


def outcome_figures(votes: Iterable[tuple], came_back: Iterable[tuple], views: Iterable[tuple] = ()
                    ) -> list[OutcomeFigures]:
    """Figures per (outcome, version) from

    - ``votes``: (day, version, outcome, vote, reason, count) rows of feedback_count;
    - ``came_back``: (day, version, outcome, count), one per looked-up code and day;
    - ``views``: (day, version, outcome, count) outcome page views.

    Sorted by outcome, then version.
    """
    found: dict[tuple[str, str], OutcomeFigures] = {}

    def of(outcome: str, version: str) -> OutcomeFigures:
        return found.setdefault((outcome, version), OutcomeFigures(outcome, version))

    for day, version, outcome, vote, reason, count in votes:
        figures = of(outcome, version)
        yes, no = figures.by_day.get(day, (0, 0))
        if vote == "yes":
            figures.yes += count
            figures.by_day[day] = (yes + count, no)
        elif vote == "no":
            figures.no += count
            figures.reasons[reason] += count
            figures.by_day[day] = (yes, no + count)
    for _day, version, outcome, count in came_back:
        of(outcome, version).came_back += count
    for _day, version, outcome, count in views:
        of(outcome, version).views += count
    return [found[key] for key in sorted(found)]


def fix_first(rows: Iterable[OutcomeFigures]) -> list[OutcomeFigures]:
    """The rows in the order a content owner fixes them: those with votes first, the surely unhelpful before
    the maybe unhelpful (by the top of the 95% range, lowest first: few votes do not jump the queue), then
    rows with only codes that came back (most first), then rows with nothing to go on."""
    def order(row: OutcomeFigures) -> tuple:
        if row.votes:
            return (0, row.interval[1], -row.no, -row.came_back, row.outcome, row.version)
        if row.came_back:
            return (1, 0.0, 0, -row.came_back, row.outcome, row.version)
        return (2, 0.0, 0, 0, row.outcome, row.version)
    return sorted(rows, key=order)


def resolution_of(kinds: list[str], sent_back: bool, own_desk: bool) -> str:
    """How a call at an outcome ended: the agent's latest "resolved" or "escalate" if any; else sent back
    (the caller had already tried the other desk); else transferred (another desk's outcome); else open."""
    latest = next((kind for kind in reversed(kinds) if kind in ("resolved", "escalate")), None)
    if latest == "resolved":
        return "resolved"
    if latest == "escalate":
        return "escalated"
    if sent_back:
        return "sent_back"
    return "open" if own_desk else "transferred"


def resolutions_by_outcome(calls: Iterable[tuple[str, str]]) -> dict[str, Counter]:
    """outcome -> Counter of resolutions, from (outcome, resolution) per call."""
    found: dict[str, Counter] = {}
    for outcome, resolution in calls:
        found.setdefault(outcome, Counter())[resolution] += 1
    return dict(sorted(found.items()))


@dataclass(frozen=True)
class QuestionFigures:
    """One question over the period: arrivals by an answer, views, answers given (went on), stopped."""

    node: str
    arrived: int
    views: int
    went_on: int

    @property
    def reached(self) -> int:
        """Arrivals by an answer; for a question nobody answers their way to (the first), its page views."""
        return self.arrived or self.views

    @property
    def stopped(self) -> int:
        return max(0, self.reached - self.went_on)


def question_figures(pages: Iterable[tuple], questions: Iterable[str]) -> list[QuestionFigures]:
    """Per question, in the order given, from (day, version, node, kind, count) page_count rows."""
    totals: Counter = Counter()
    for _day, _version, node, kind, count in pages:
        totals[node, kind] += count
    return [QuestionFigures(node, totals[node, "arrive"], totals[node, "view"], totals[node, "answer"])
            for node in questions]


@dataclass(frozen=True)
class VersionChange:
    """An outcome whose answer sets differ between two content versions."""

    outcome: str
    before: int  # answer sets that end at it on the earlier version
    after: int
    gained: int  # answer sets that end here now and did not before
    lost: int


def answer_set_changes(before: Iterable[tuple[str, tuple]], after: Iterable[tuple[str, tuple]]
                       ) -> list[VersionChange]:
    """Outcomes whose answer sets moved, from (outcome, answers) of each version (answers: a tuple of pairs)."""
    def sets(rows: Iterable[tuple[str, tuple]]) -> dict[str, set]:
        found: dict[str, set] = {}
        for outcome, answers in rows:
            found.setdefault(outcome, set()).add(tuple(tuple(pair) for pair in answers))
        return found

    old, new = sets(before), sets(after)
    changes = []
    for outcome in sorted(old.keys() | new.keys()):
        was, now = old.get(outcome, set()), new.get(outcome, set())
        if was != now:
            changes.append(VersionChange(outcome, len(was), len(now), len(now - was), len(was - now)))
    return changes


def wording_changes(before: Mapping[str, str], after: Mapping[str, str]) -> list[str]:
    """Nodes whose wording digest differs (or that are only on one side), from node -> digest of each."""
    return sorted(node for node in before.keys() | after.keys() if before.get(node) != after.get(node))


def days(until: dt.date, count: int) -> list[dt.date]:
    """The ``count`` days up to and including ``until``, oldest first."""
    return [until - dt.timedelta(days=back) for back in range(count - 1, -1, -1)]


@dataclass(frozen=True)
class TrendBar:
    """One day of an outcome's small trend: where its bar is and how tall its Yes and No parts are."""

    x: int
    yes: float
    no: float


def trend(by_day: Mapping[dt.date, tuple[int, int]], shown: list[dt.date], height: float = 20.0,
          width: int = 3) -> list[TrendBar]:
    """Bars for each day shown (oldest first), scaled so the busiest day fills ``height``."""
    most = max((sum(by_day.get(day, (0, 0))) for day in shown), default=0) or 1
    return [TrendBar(index * width, by_day.get(day, (0, 0))[0] * height / most,
                     by_day.get(day, (0, 0))[1] * height / most) for index, day in enumerate(shown)]


def wording_digests(nodes: Mapping[str, object], text: Mapping[str, Mapping]) -> dict[str, str]:
    """node id -> a short digest of what its page says: its own entry in the text file (every variant), the
    extra blocks, notes and contacts it shows. Kept per content version, so two versions can say which
    pages were reworded (a number changed in contacts.yaml is a change of content version, not of wording)."""
    digests = {}
    for node_id, node in nodes.items():
        shown = [text["outcomes" if node.is_outcome else "questions"].get(node_id),
                 [text["blocks"].get(block) for block in node.extra_when.values()],
                 [text["notes"].get(note) for note in node.notes],
                 [text["contacts"].get(contact) for contact in node.contacts]]
        digests[node_id] = hashlib.sha256(json.dumps(shown, sort_keys=True, default=str).encode()).hexdigest()[:16]
    return digests


@dataclass(frozen=True)
class OverdueSource:
    """A checked source past its review date, and the pages whose facts rest on it."""

    source: str
    where: str
    reviewed: dt.date
    due: dt.date
    nodes: tuple[str, ...]


def overdue_sources(flow, on: dt.date) -> list[OverdueSource]:
    """The sources past their review date on ``on`` (wizard/core/check.py review_due), oldest due first."""
    found = []
    for source_id, data in flow.sources.items():
        due = review_due(data)
        if due < on:
            nodes = tuple(node_id for node_id, node in flow.nodes.items()
                          if source_id in node.sources
                          or any(source_id in flow.note_sources.get(note, ()) for note in node.notes))
            reviewed = data["reviewed"].date() if isinstance(data["reviewed"], dt.datetime) else data["reviewed"]
            found.append(OverdueSource(source_id, data.get("where", ""), reviewed, due, nodes))
    return sorted(found, key=lambda source: (source.due, source.source))
