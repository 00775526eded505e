"""The insights arithmetic (wizard/core/insights.py), with no Flask and no database."""
from __future__ import annotations

import datetime as dt

import pytest

from wizard.core.insights import (answer_set_changes, days, outcome_figures, question_figures, resolution_of,
                                  resolutions_by_outcome, trend, wilson, wording_changes)

DAY = dt.date(2026, 12, 1)


@pytest.mark.parametrize("yes, votes, low, high", [
    (0, 0, 0.0, 1.0),  # nothing to go on: anything is possible
    (1, 1, 0.2065, 1.0), (2, 2, 0.3424, 1.0), (0, 2, 0.0, 0.6576),
    (1, 3, 0.0615, 0.7923), (9, 12, 0.4677, 0.9111), (50, 100, 0.4038, 0.5962), (950, 1000, 0.9347, 0.9619),
])
def test_the_wilson_interval_matches_published_values(yes, votes, low, high):
    found = wilson(yes, votes)
    assert found == pytest.approx((low, high), abs=5e-5)


def test_few_votes_never_look_like_certainty():
    low, high = wilson(3, 3)
    assert low < 0.5 and high == 1.0
    assert wilson(300, 300)[0] > 0.98


def test_votes_add_up_per_outcome_and_version_with_reasons_and_days():
    rows = [(DAY, "v1", "a", "yes", "", 3), (DAY, "v1", "a", "no", "steps_failed", 1),
            (DAY + dt.timedelta(days=1), "v1", "a", "no", "", 2), (DAY, "v2", "a", "yes", "", 1),
            (DAY, "v1", "b", "no", "hard_to_follow", 4)]
    found = outcome_figures(rows, came_back=[(DAY, "v1", "a", 1), (DAY, "v1", "a", 1)],
                            views=[(DAY, "v1", "a", 40)])
    assert [(f.outcome, f.version, f.yes, f.no) for f in found] == [
        ("a", "v1", 3, 3), ("a", "v2", 1, 0), ("b", "v1", 0, 4)]
    first = found[0]
    assert first.rate == 0.5 and dict(first.reasons) == {"steps_failed": 1, "": 2}
    assert first.came_back == 2 and first.views == 40 and first.came_back_rate == 0.05
    assert first.by_day == {DAY: (3, 1), DAY + dt.timedelta(days=1): (0, 2)}
    assert found[2].came_back_rate is None and found[2].rate == 0.0


@pytest.mark.parametrize("kinds, sent_back, own, expected", [
    ([], False, True, "open"), ([], False, False, "transferred"), ([], True, False, "sent_back"),
    (["resolved"], False, True, "resolved"), (["resolved", "escalate"], True, True, "escalated"),
    (["escalate", "resolved"], False, True, "resolved"), (["escalate"], True, False, "escalated"),
])
def test_a_call_ends_one_way_the_latest_action_first(kinds, sent_back, own, expected):
    assert resolution_of(kinds, sent_back, own) == expected


def test_resolutions_are_counted_per_outcome():
    found = resolutions_by_outcome([("b", "open"), ("a", "resolved"), ("a", "resolved"), ("a", "escalated")])
    assert list(found) == ["a", "b"] and found["a"] == {"resolved": 2, "escalated": 1}


def test_per_question_arrivals_went_on_and_stopped():
    pages = [(DAY, "v", "topic", "view", 10), (DAY, "v", "topic", "answer", 8), (DAY, "v", "method", "arrive", 7),
             (DAY, "v", "method", "view", 9), (DAY, "v", "method", "answer", 5), (DAY, "v", "odd", "answer", 3)]
    found = {q.node: q for q in question_figures(pages, ["topic", "method", "odd"])}
    assert (found["topic"].reached, found["topic"].went_on, found["topic"].stopped) == (10, 8, 2)  # first: views
    assert (found["method"].reached, found["method"].went_on, found["method"].stopped) == (7, 5, 2)
    assert found["odd"].stopped == 0  # never below zero


def test_answer_sets_that_moved_between_versions():
    before = [("a", (("q", "1"),)), ("a", (("q", "2"),)), ("b", (("q", "3"),)), ("gone", (("q", "4"),))]
    after = [("a", (("q", "1"),)), ("b", (("q", "3"),)), ("b", (("q", "2"),)), ("new", (("q", "5"),))]
    found = {change.outcome: change for change in answer_set_changes(before, after)}
    assert set(found) == {"a", "b", "gone", "new"}
    assert (found["a"].before, found["a"].after, found["a"].gained, found["a"].lost) == (2, 1, 0, 1)
    assert (found["b"].gained, found["b"].lost) == (1, 0) and (found["new"].before, found["gone"].after) == (0, 0)
    assert answer_set_changes(before, before) == []


def test_wording_changes_by_digest():
    assert wording_changes({"a": "1", "b": "2", "c": "3"}, {"a": "1", "b": "9", "d": "4"}) == ["b", "c", "d"]


def test_the_trend_scales_the_busiest_day_to_the_full_height():
    shown = days(DAY, 3)
    assert shown == [DAY - dt.timedelta(days=2), DAY - dt.timedelta(days=1), DAY]
    bars = trend({DAY: (3, 1), shown[0]: (1, 1)}, shown, height=20)
    assert [(bar.x, bar.yes, bar.no) for bar in bars] == [(0, 5.0, 5.0), (3, 0.0, 0.0), (6, 15.0, 5.0)]
    assert [(bar.yes, bar.no) for bar in trend({}, shown)] == [(0.0, 0.0)] * 3


def test_the_outcomes_come_in_the_order_a_content_owner_fixes_them():
    """Surely unhelpful (low top of the range) before maybe unhelpful; one No is not worse than 20 No of 30;
    then codes that came back; then nothing to go on."""
    import datetime as dt

    from wizard.core.insights import fix_first, outcome_figures

    day = dt.date(2026, 12, 1)
    votes = [(day, "v1", "many_no", "no", "", 20), (day, "v1", "many_no", "yes", "", 10),
             (day, "v1", "one_no", "no", "", 1), (day, "v1", "all_yes", "yes", "", 5)]
    came_back = [(day, "v1", "came_back_only", 3), (day, "v1", "came_back_once", 1)]
    rows = outcome_figures(votes, came_back, [(day, "v1", "nothing", 4)])
    assert [row.outcome for row in fix_first(rows)] == [
        "many_no", "one_no", "all_yes", "came_back_only", "came_back_once", "nothing"]
