"""The codebook: every set of answers that ends at an outcome, and the code each gets (code_for's inverse).

The desk opens a code read out to them through it, with no stored record of the person who saw it, so it
must list every outcome page a person can reach, each under the code that page shows.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from wizard.core import codebook
from wizard.core.codebook import Codebook, CodeClash, SavedAnswers, outcome_paths
from wizard.core.reference_codes import code_for
from wizard.core.engine import Engine
from wizard.core.flow import load_flow

FLOWS = Path(__file__).parent / "flows"
# tests/core/flows/carry_on: ask -a-> done; ask -b-> first_stop (an outcome that offers "more") -> then -x-> done,
# -y-> end. Every answer set that ends at an outcome, in path order, written out by hand:
CARRY_ON_PATHS = [
    ([("ask", "a")], "done"),
    ([("ask", "b")], "first_stop"),
    ([("ask", "b"), ("first_stop", "more"), ("then", "x")], "done"),
    ([("ask", "b"), ("first_stop", "more"), ("then", "y")], "end"),
]


def carry_on_content(target: Path) -> Path:
    """The valid fixture flow with tests/core/flows/carry_on laid over it."""
    shutil.copytree(FLOWS / "valid", target)
    shutil.copytree(FLOWS / "carry_on", target, dirs_exist_ok=True)
    return target


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Engine:
    return Engine(load_flow(carry_on_content(tmp_path_factory.mktemp("flow") / "content")))


@pytest.fixture(scope="module")
def book(engine) -> Codebook:
    """The codebook of the wizard's own content."""
    return Codebook(engine)


def as_pairs(answers: dict[str, str]) -> list[tuple[str, str]]:
    return list(answers.items())  # keeps the order: a code depends on it


# ---------------------------------------------------------------- a small flow, listed by hand

def test_outcome_paths_lists_each_way_to_each_outcome_in_path_order(small):
    listed = [(as_pairs(answers), outcome) for answers, outcome in outcome_paths(small)]
    assert sorted(listed) == sorted(CARRY_ON_PATHS)


def test_each_answer_set_has_its_own_code_and_the_code_maps_back_to_exactly_it(small):
    found = Codebook(small)
    version = small.flow.version
    assert found.flow_version == version
    assert len(found) == len(CARRY_ON_PATHS) == len(set(found.entries))
    for pairs, outcome in CARRY_ON_PATHS:
        saved = found.get(code_for(version, dict(pairs)))
        assert saved == SavedAnswers(dict(pairs), outcome, version)
        assert as_pairs(saved.answers) == pairs


def test_an_outcome_reached_two_ways_has_two_codes(small):
    found = Codebook(small)
    done = [code for code, saved in found.entries.items() if saved.outcome == "done"]
    assert len(done) == 2


def test_a_code_of_no_answer_set_is_not_in_the_codebook(small):
    found = Codebook(small)
    version = small.flow.version
    for answers in ({}, {"ask": "b", "first_stop": "more"}, {"ask": "c"}):  # no outcome, or no such option
        assert found.get(code_for(version, answers)) is None
    assert found.get(code_for("000000000000", {"ask": "a"})) is None  # the right answers on another version


def test_another_content_version_has_other_codes_for_the_same_answers(small, tmp_path):
    content = carry_on_content(tmp_path / "content")
    wording = content / "text" / "en.yaml"
    wording.write_text(wording.read_text() + "\n# an editor's comment\n")
    changed = Engine(load_flow(content))
    before, after = Codebook(small), Codebook(changed)
    assert after.flow_version != before.flow_version
    assert set(after.entries).isdisjoint(before.entries)
    assert sorted(as_pairs(saved.answers) for saved in after.entries.values()) == \
        sorted(as_pairs(saved.answers) for saved in before.entries.values())


def test_two_answer_sets_with_one_code_are_refused(small, monkeypatch):
    monkeypatch.setattr(codebook, "code_for", lambda version, answers: "K7PM4QX2")
    with pytest.raises(CodeClash, match="K7PM4QX2"):
        Codebook(small)


# ---------------------------------------------------------------- the wizard's own content

def test_the_content_has_a_code_for_each_of_its_answer_sets_and_every_outcome(book, engine):
    assert len(book) >= 1597  # 1,597 with the content as written
    assert len(book) == sum(1 for _ in outcome_paths(engine))
    outcomes = {node_id for node_id, node in engine.flow.nodes.items() if node.is_outcome}
    assert {saved.outcome for saved in book.entries.values()} == outcomes


def test_every_entry_replays_to_its_outcome_with_nothing_dropped(book, engine):
    version = engine.flow.version
    wrong = []
    for code, saved in book.entries.items():
        position = engine.walk(saved.answers)
        if (position.current, as_pairs(position.answers)) != (saved.outcome, as_pairs(saved.answers)):
            wrong.append(f"{code}: {saved.answers} leads to {position.current}, not {saved.outcome}")
        if code_for(version, saved.answers) != code or saved.flow_version != version:
            wrong.append(f"{code}: not the code of {saved.answers}")
    assert wrong == []


def test_every_hand_written_route_is_in_the_codebook(book, engine, every_outcome):
    """tests/routes.py, written from the spec: each outcome by its first route."""
    for outcome, answers in every_outcome.items():
        saved = book.get(code_for(engine.flow.version, answers))
        assert saved == SavedAnswers(answers, outcome, engine.flow.version), outcome


def test_an_outcome_that_offers_a_way_on_is_listed_and_so_is_each_path_past_it(book, engine):
    no_reader = {"topic": "cannot_sign_in", "method": "cac", "cac_problem": "no_reader"}
    assert book.get(code_for(engine.flow.version, no_reader)).outcome == "cac_no_reader"
    past = {**no_reader, "cac_no_reader": "use_ds_logon", "dsl_status": "forgot"}
    assert book.get(code_for(engine.flow.version, past)) == SavedAnswers(past, "dsl_forgot", engine.flow.version)
    assert sum(saved.answers.get("cac_no_reader") == "use_ds_logon" for saved in book.entries.values()) > 10
