"""The flow checker names the file and node of each kind of broken flow."""
from __future__ import annotations

import datetime
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app import create_app
from wizard.cli import check_flow
from wizard.core import check as flowcheck
from wizard.core.check import facts, problems, routing
from wizard.core.flow import CONTENT_DIR, ContentError, RawContent, load_flow, read_content
from wizard.core.graph import longest_path, median_path_to_outcomes

FLOWS = Path(__file__).parent / "flows"


def content_for(case: str, tmp_path: Path) -> Path:
    """The valid fixture flow with the files of ``case`` laid over it."""
    target = tmp_path / case
    shutil.copytree(FLOWS / "valid", target)
    shutil.copytree(FLOWS / case, target, dirs_exist_ok=True)
    return target


def problems_in(directory: Path) -> list[str]:
    return [str(problem) for problem in flowcheck.check_content(read_content(directory))]


def test_the_wizard_flow_is_clean():
    assert problems_in(CONTENT_DIR) == []


def test_the_valid_fixture_is_clean():
    assert problems_in(FLOWS / "valid") == []


@pytest.mark.parametrize(("case", "expected"), [
    ("bad_shape", "flow.yaml: ask: `options` must map option keys to next nodes"),
    ("bad_shape", "flow.yaml: done: needs `type: question` or `type: outcome`"),
    ("unreachable", "flow.yaml: orphan: unreachable from `ask`"),
    ("dead_end", "flow.yaml: stuck: dead end: a question with no options"),
    ("leads_nowhere", "flow.yaml: ask: option `b` leads nowhere: `missing_node` is not a node"),
    ("cycle", "flow.yaml: ask: cycle: ask -> again -> ask"),
    ("no_contact", "flow.yaml: done: outcome without a contact"),
    ("unknown_contact", "flow.yaml: done: unknown contact `ghost_desk`"),
    ("no_phone", "flow.yaml: done: outcome without a contact that has a phone number, or a first contact"),
    ("missing_wording", "text/en.yaml: ask: missing wording: label for option `b`"),
    ("missing_wording", "text/en.yaml: done: missing wording: `steps`"),
    ("missing_source", "flow.yaml: done: outcome without `sources`"),
    ("missing_source", "flow.yaml: other: unknown source `rumour`"),
    ("unreviewed_source", "sources.yaml: faq: needs a `reviewed: YYYY-MM-DD` date"),
    ("unsourced_phone", "contacts.yaml: desk: fact"),
    ("unknown_condition", "flow.yaml: ask: option `a` uses unknown condition `is_a_wizard`"),
    ("unknown_condition", "flow.yaml: ask: option `b` leads nowhere when no condition holds"),
    ("unknown_condition", "wizard/core/conditions.py: uses_piv: reads answer `method: piv`, not in the flow"),
    ("wrong_desk", "flow.yaml: done: resolves `sign_in_account`, but its first contact `desk` does not handle it"),
    ("sends_back", "text/en.yaml: done: sends people back without a link ('When it is fixed, come back here"),
    ("no_hours", "contacts.yaml: desk: a contact with a phone needs `hours: {source: ...}`"),
    ("bad_opening", "contacts.yaml: desk: hours `open` needs `days` (mon ... sun), `from` and `to`"),
    ("calls_own_desk", "text/en.yaml: done: step 'If it fails, call the desk.' tells the caller to call the desk an "
     "agent reads it at (gsc)"),
])
def test_checker_reports(case, expected, tmp_path):
    problems = problems_in(content_for(case, tmp_path))
    assert any(problem.startswith(expected) for problem in problems), problems


RESERVED = "node id must not be one of ['notice', 'v']: page addresses use those names"


def test_node_ids_that_page_addresses_use_are_refused(tmp_path):
    """`v` is the content version and `notice` a page's notice in every public address
    (/q/<node>?<node id>=<option key>&v=...): a node with either name could not be answered."""
    assert problems_in(content_for("reserved_names", tmp_path)) == [f"flow.yaml: v: {RESERVED}",
                                                                    f"flow.yaml: notice: {RESERVED}"]


def test_app_refuses_to_start_on_a_node_named_like_an_address_parameter(tmp_path):
    with pytest.raises(ContentError, match=r"v: node id must not be one of \['notice', 'v'\]"):
        create_app({"SECRET_KEY": "x", "CONTENT_DIR": content_for("reserved_names", tmp_path)})


def test_yes_and_no_stay_option_keys_not_booleans(tmp_path):
    directory = content_for("valid", tmp_path)
    flow_file = directory / "flow.yaml"
    flow_file.write_text(flow_file.read_text().replace("a: done", "yes: done").replace("b: done", "no: done"))
    text_file = directory / "text" / "en.yaml"
    text_file.write_text(text_file.read_text().replace("a: {label", "yes: {label").replace("b: {label", "no: {label"))
    assert problems_in(directory) == []
    assert set(load_flow(directory).nodes["ask"].options) == {"yes", "no"}


def test_invalid_yaml_is_reported_with_its_file(tmp_path):
    with pytest.raises(ContentError, match="flow.yaml: is not valid YAML"):
        read_content(content_for("not_yaml", tmp_path))


def test_command_reports_problems_and_fails(tmp_path, capsys):
    assert check_flow(str(content_for("leads_nowhere", tmp_path))) == 1
    assert "ask: option `b` leads nowhere" in capsys.readouterr().err


def test_command_passes_the_wizard_flow(capsys):
    assert check_flow() == 0
    assert "Flow check passed" in capsys.readouterr().out


def test_flask_flow_check_command(app):
    result = app.test_cli_runner().invoke(args=["flow", "check"])
    assert result.exit_code == 0, result.output
    assert "Flow check passed" in result.output


def test_app_refuses_to_start_on_a_broken_flow(tmp_path):
    with pytest.raises(ContentError, match="leads nowhere: `missing_node` is not a node"):
        create_app({"SECRET_KEY": "x", "CONTENT_DIR": content_for("leads_nowhere", tmp_path)})


BEFORE_FAQ_IS_DUE = datetime.date(2026, 2, 1)  # tests/flows/stale_source: only `old_notes` is past due
OLD_NOTES_DUE = "sources.yaml: old_notes: review due since 2020-01-31 (reviewed 2020-01-01, every 30 days)"


def test_overdue_source_is_a_warning_not_a_failure(tmp_path, capsys):
    assert check_flow(str(content_for("stale_source", tmp_path)), today=BEFORE_FAQ_IS_DUE) == 0
    out, err = capsys.readouterr()
    assert err.splitlines() == [f"warning: {OLD_NOTES_DUE}"]
    assert "Flow check passed" in out
    assert "longest path: 1 questions, median path to an outcome: 1 questions; 1 source(s) due for review" in out


def test_strict_check_fails_on_an_overdue_source(tmp_path, capsys):
    assert check_flow(str(content_for("stale_source", tmp_path)), today=BEFORE_FAQ_IS_DUE, strict=True) == 1
    out, err = capsys.readouterr()
    assert f"warning: {OLD_NOTES_DUE}" in err
    assert "Flow check failed (--strict): 1 source(s) past their review date" in err
    assert "Flow check passed" not in out


def test_flask_flow_check_strict_fails_on_an_overdue_source(app, tmp_path):
    directory = content_for("stale_source", tmp_path)
    result = app.test_cli_runner().invoke(args=["flow", "check", "--strict", "--content", str(directory)])
    assert result.exit_code == 1, result.output
    assert "sources.yaml: old_notes: review due since 2020-01-31" in result.stderr
    assert "Flow check failed (--strict)" in result.stderr


def test_overdue_source_does_not_stop_the_app(tmp_path):
    directory = content_for("stale_source", tmp_path)
    assert problems_in(directory) == []
    assert "old_notes" in load_flow(directory).sources


@pytest.mark.parametrize("review_every", [0, -30, "x", 1.5, True, None])
def test_review_every_must_be_a_positive_whole_number(review_every):
    sources = {"faq": {**valid_sources["faq"], "review_every": review_every}}
    assert [str(problem) for problem in facts.check_sources(sources)] == [
        "sources.yaml: faq: `review_every` must be a whole number of days above 0"]


def test_source_is_due_the_day_after_reviewed_plus_review_every():
    sources = {"myauth_help": {**valid_sources["faq"], "reviewed": datetime.date(2026, 11, 26), "review_every": 30}}
    assert facts.overdue_sources(sources, today=datetime.date(2026, 12, 26)) == []
    assert [str(problem) for problem in facts.overdue_sources(sources, today=datetime.date(2026, 12, 27))] == [
        "sources.yaml: myauth_help: review due since 2026-12-26 (reviewed 2026-11-26, every 30 days)"]


def test_review_every_defaults_to_180_days():
    reviewed = datetime.date(2026, 1, 1)
    sources = {"faq": {**valid_sources["faq"], "reviewed": reviewed}}
    due = reviewed + datetime.timedelta(days=problems.DEFAULT_REVIEW_EVERY_DAYS)
    assert problems.DEFAULT_REVIEW_EVERY_DAYS == 180
    assert facts.overdue_sources(sources, today=due) == []
    assert len(facts.overdue_sources(sources, today=due + datetime.timedelta(days=1))) == 1


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.sampled_from(["ask", "done", "desk", "faq", "question", "outcome"]),
    lambda children: st.lists(children, max_size=3)
    | st.dictionaries(st.sampled_from(["ask", "done", "type", "options", "contacts", "sources", "start", "nodes",
                                       "phone", "if", "go", "questions", "outcomes", "a", "b"]), children, max_size=4),
    max_leaves=12,
)


node_values = st.fixed_dictionaries(
    {"type": st.sampled_from(["question", "outcome"])},
    optional={"options": yaml_values, "contacts": yaml_values, "sources": yaml_values, "extra_when": yaml_values},
)
valid_contacts = {"desk": {"phone": {"display": "1", "tel": "+18005550100", "source": "faq"}},
                  "portal": {"web": [{"url": "https://my.mhsgenesis.health.mil", "source": "faq"}]}}
valid_addresses = [{"url": "https://my.mhsgenesis.health.mil", "source": "faq"}]
valid_sources = {"faq": {"official": True, "where": "here", "reviewed": datetime.date(2026, 1, 1)}}


@settings(max_examples=300, deadline=None)
@given(flow=yaml_values, contacts=yaml_values, sources=yaml_values, addresses=yaml_values, text=yaml_values)
def test_checker_reports_rather_than_crashes_on_any_content(flow, contacts, sources, addresses, text):
    raw = RawContent(Path("."), flow, contacts, sources, addresses, {"en": text})
    assert isinstance(flowcheck.check_content(raw), list)


@settings(max_examples=300, deadline=None)
@given(nodes=st.dictionaries(st.sampled_from(["ask", "done", "other"]), node_values, min_size=1),
       text=st.fixed_dictionaries({}, optional={part: yaml_values for part in problems.TEXT_PARTS}))
def test_checker_reports_rather_than_crashes_on_odd_nodes(nodes, text):
    flow = {"start": "ask", "fallback_contact": "desk", "portal_contact": "portal", "portal_sign_in": "both",
            "nodes": nodes}
    raw = RawContent(Path("."), flow, valid_contacts, valid_sources, valid_addresses, {"en": text})
    assert isinstance(flowcheck.check_content(raw), list)


def test_graph_checks_handle_deep_flows_without_recursion():
    depth = 5_000
    nodes = {f"q{i}": {"type": "question", "options": {"next": f"q{i + 1}"}} for i in range(depth)}
    nodes[f"q{depth}"] = {"type": "outcome"}
    flow = {"start": "q0", "nodes": nodes}
    assert list(routing.check_graph(flow)) == []
    assert longest_path(flow) == depth
    nodes[f"q{depth}"] = {"type": "question", "options": {"loop": "q0"}}
    assert any("cycle: q0 -> q1" in str(problem) for problem in routing.check_graph(flow))


def test_median_path_counts_the_fewest_questions_to_each_outcome():
    flow = {"start": "q1", "nodes": {
        "q1": {"type": "question", "options": {"a": "o1", "b": "q2"}},
        "q2": {"type": "question", "options": {"a": "o2", "b": "q3"}},
        "q3": {"type": "question", "options": {"a": "o3", "b": "o2"}},
        "o1": {"type": "outcome", "options": {"more": "o5"}},  # o5 only through o1: 1 question
        "o2": {"type": "outcome"},  # 2 questions (q1, q2), though 3 via q3
        "o3": {"type": "outcome"},  # 3 questions
        "o5": {"type": "outcome"},
    }}
    assert longest_path(flow) == 3
    assert median_path_to_outcomes(flow) == 1.5  # median of 1, 1, 2, 3


def test_a_come_back_is_allowed_where_the_outcome_carries_the_answers_on(tmp_path):
    """The same wording passes once the outcome offers an option that leads on (a link that keeps the answers)."""
    directory = content_for("sends_back", tmp_path)
    flow = (directory / "flow.yaml").read_text()
    (directory / "flow.yaml").write_text(flow.replace("    sources: [faq]\n", "    sources: [faq]\n    options:\n      fixed: ask2\n")
                                         .replace("nodes:\n", "nodes:\n  ask2: {type: question, options: {c: done2}}\n"
                                                  "  done2: {type: outcome, resolves: portal_fault, contacts: [desk], "
                                                  "sources: [faq]}\n"))
    text = (directory / "text" / "en.yaml").read_text()
    (directory / "text" / "en.yaml").write_text(text.replace("outcomes:\n", """outcomes:
  done2: {title: "Done 2", answer: "Fine.", staff: {cause: "None"}, steps: ["Nothing."], have_ready: ["Nothing."]}
""").replace("questions:\n", """questions:
  ask2: {title: "C?", summary: "C", error: "Select C", say: "C?", listen: "C", options: {c: {label: "C"}}}
""").replace('have_ready: ["Nothing."]}\ncontacts', 'have_ready: ["Nothing."], options: {fixed: {label: "Fixed"}}}\ncontacts'))
    problems = problems_in(directory)
    assert not [p for p in problems if "sends people back" in p], problems


def test_every_contact_of_the_wizard_says_what_it_handles_and_its_hours():
    raw = read_content(CONTENT_DIR)
    for contact_id, contact in raw.contacts.items():
        assert set(contact["handles"]) <= set(problems.KINDS), contact_id
        if "phone" in contact:
            assert contact["hours"] == "unpublished" or contact["hours"]["source"] in raw.sources, contact_id


def test_every_outcome_of_the_wizard_goes_first_to_a_desk_that_handles_it():
    raw = read_content(CONTENT_DIR)
    for outcome_id, node in raw.flow["nodes"].items():
        if node["type"] == "outcome":
            assert node["resolves"] in raw.contacts[node["contacts"][0]]["handles"], outcome_id


def test_a_step_with_its_at_desk_wording_passes_the_call_us_rule(tmp_path):
    """Only the step with no `at_desk` wording is reported; `at_desk` text and `null` are accepted."""
    problems = [p for p in problems_in(content_for("calls_own_desk", tmp_path)) if "tells the caller to call" in p]
    assert len(problems) == 1, problems


@pytest.mark.parametrize("opening", [
    {"days": ["mon"], "from": "05:00", "to": "17:00"},  # no zone
    {"days": ["monday"], "from": "05:00", "to": "17:00", "zone": "America/Los_Angeles"},
    {"days": ["mon"], "from": "17:00", "to": "05:00", "zone": "America/Los_Angeles"},
    {"days": ["mon"], "from": "5am", "to": "17:00", "zone": "America/Los_Angeles"},
    {"days": ["mon"], "from": "05:00", "to": "17:00", "zone": "Pacific/Nowhere"},
])
def test_hours_as_data_must_say_days_times_and_zone(opening):
    from wizard.core.check.facts import is_opening

    assert not is_opening(opening)
    assert is_opening({"days": ["mon", "fri"], "from": "05:00", "to": "17:00", "zone": "America/Los_Angeles"})


def test_a_ticket_box_put_first_at_a_node_that_does_not_exist_is_reported():
    raw = read_content(CONTENT_DIR)
    raw.texts["en"]["staff"]["prompts"]["age"]["first_at"] = ["inelig_under_18", "no_such_node"]
    problems = [str(problem) for problem in flowcheck.check_content(raw)]
    assert "text/en.yaml: staff.prompts.age: `first_at` must list node ids of the flow" in problems


def test_an_answer_line_that_says_call_us_needs_its_at_desk_wording(tmp_path):
    """The outcome's one-line answer is read at its own desk too: "Call the desk" there needs
    `staff.answer_at_desk`, which the rule then checks instead."""
    directory = content_for("calls_own_desk", tmp_path)
    text = directory / "text" / "en.yaml"
    text.write_text(text.read_text().replace('answer: "The desk fixes it."', 'answer: "Call the desk to fix it."'))
    problems = [p for p in problems_in(directory) if "tells the caller to call" in p]
    assert any(p.startswith("text/en.yaml: done: answer 'Call the desk to fix it.'") for p in problems), problems
    text.write_text(text.read_text().replace('staff: {cause: "Nothing"}',
                                             'staff: {cause: "Nothing", answer_at_desk: "We fix it now."}'))
    assert len([p for p in problems_in(directory) if "tells the caller to call" in p]) == 1  # only the step's


@pytest.mark.parametrize(("written", "problems_found", "self_service"), [
    ("true", [], True), ("false", [], False), ('"yes"', ["flow.yaml: done: `self_service` must be true or false"], None)])
def test_self_service_is_true_or_false(tmp_path, written, problems_found, self_service):
    """`self_service: true` on an outcome the person fixes themselves (its top line: "If you get stuck, call")."""
    directory = content_for("valid", tmp_path)
    flow_file = directory / "flow.yaml"
    flow_file.write_text(flow_file.read_text().replace("    resolves: portal_fault\n",
                                                       f"    resolves: portal_fault\n    self_service: {written}\n", 1))
    assert problems_in(directory) == problems_found
    if self_service is not None:
        assert load_flow(directory).nodes["done"].self_service is self_service


def test_a_contact_fact_may_rest_on_several_sources_each_of_them_known(tmp_path):
    """`source: [a, b]` for wording that rests on two pages (the GSC's overseas note: 1-800 from abroad, and
    the clinic's page that lists its numbers); an unknown id in the list is refused like a lone one."""
    directory = content_for("valid", tmp_path)
    contacts = directory / "contacts.yaml"
    listed = contacts.read_text().replace('tel: "+18005550100", source: faq}', 'tel: "+18005550100", source: [faq]}')
    contacts.write_text(listed)
    assert problems_in(directory) == []
    contacts.write_text(listed.replace("source: [faq]", "source: [faq, rumour]"))
    assert any(problem.startswith("contacts.yaml: desk: fact") for problem in problems_in(directory))
    contacts.write_text(listed.replace("source: [faq]", "source: []"))
    assert any(problem.startswith("contacts.yaml: desk: fact") for problem in problems_in(directory))
