"""Every outcome reads at US school grade 8 or below (Flesch-Kincaid).

Measured with textstat 0.7.3, which counts syllables with pyphen's
dictionaries and needs no download (later releases fetch NLTK data at run
time, which fails offline). Web addresses are left out: a person does not
read them as words. Each list item counts as a sentence, as it reads.
"""
from __future__ import annotations

import re

import pytest
import textstat
from routes import OUTCOMES

from wizard.core.flow import CONTENT_DIR, load_flow
from wizard.core.presenters import Presenter
from wizard.core.sign_in import SIGN_IN_SETTINGS

MAX_GRADE = 8.0
ADDRESS = re.compile(r"https?://\S+")


def as_sentence(text: str) -> str:
    text = ADDRESS.sub("", text).strip().rstrip(":")
    return text if text.endswith((".", "?", "!")) else f"{text}."


def outcome_text(presenter: Presenter, outcome: str) -> str:
    """What a person reads on an outcome page, from the title to the have-ready list."""
    words = presenter.words(outcome)
    parts = [words["title"], words["answer"]]
    for step in presenter.steps(outcome, {}):
        parts += [step.text, *step.bullets]
    parts += [*presenter.notes(outcome), *words["have_ready"]]
    return " ".join(as_sentence(part) for part in parts if ADDRESS.sub("", part).strip())


@pytest.fixture(scope="module", params=SIGN_IN_SETTINGS)
def presenter(request) -> Presenter:
    return Presenter(load_flow(CONTENT_DIR, sign_in=request.param))


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_outcome_reads_at_grade_8_or_below(presenter, outcome):
    text = outcome_text(presenter, outcome)
    grade = textstat.flesch_kincaid_grade(text)
    assert grade <= MAX_GRADE, f"{outcome} reads at grade {grade}: {text}"


def test_the_measure_tells_plain_from_dense_text():
    plain = "Call DMDC. They can help you get back in. Have your ID card ready."
    dense = ("Beneficiaries experiencing authentication difficulties should contact the Defense Manpower "
             "Data Center, which administers identity verification for Department of Defense applications.")
    assert textstat.flesch_kincaid_grade(plain) <= MAX_GRADE < textstat.flesch_kincaid_grade(dense)


# ---------------------------------------------------------------- each part on its own
# A page average hides one dense sentence, so each part a person reads is measured alone: the
# headline, the answer, each step and bullet, each note, each have-ready item, and on questions the
# title, hint, each option and its hint, and the summary (the Change link's label).
MAX_PART_GRADE = 10.0  # one sentence may be a little denser than a page; grade 25 may not
MIN_WORDS_TO_GRADE = 8  # below this Flesch-Kincaid swings on one long word ("Veteran." is grade 20)
MAX_SENTENCE_WORDS = 25
SENTENCE = re.compile(r"(?<=[.?!])\s+")


def parts_of(text: dict) -> list[tuple[str, str]]:
    """(where, words) for every part of the wording a person reads on its own."""
    parts = []
    for outcome, words in text["outcomes"].items():
        parts += [(f"{outcome}.title", words["title"]), (f"{outcome}.answer", words["answer"])]
        for index, step in enumerate(words["steps"]):
            step_text, bullets = (step, []) if isinstance(step, str) else (step["text"], step.get("bullets", []))
            at_desk = step.get("at_desk") if isinstance(step, dict) else None  # read aloud by an agent
            parts += [(f"{outcome}.steps[{index}]", step_text),
                      *((f"{outcome}.steps[{index}].at_desk", text) for text in [at_desk] if text),
                      *((f"{outcome}.steps[{index}].bullets", bullet) for bullet in bullets)]
        parts += [(f"{outcome}.have_ready", item) for item in words["have_ready"]]
        parts += [(f"{outcome}.not_faq_note", words["not_faq_note"])] if words.get("not_faq_note") else []
        parts += [(f"{outcome}.options.{key}", option["label"]) for key, option in (words.get("options") or {}).items()]
    parts += [(f"notes.{note}", words) for note, words in text["notes"].items()]
    parts += [(f"blocks.{block}.steps", step) for block, words in text["blocks"].items() for step in words["steps"]]
    for question, words in text["questions"].items():
        parts += [(f"{question}.{name}", words[name]) for name in ("title", "hint", "summary") if words.get(name)]
        for key, option in words["options"].items():
            parts += [(f"{question}.{key}.{name}", option[name]) for name in ("label", "hint") if option.get(name)]
    return parts


def part_problems(parts: list[tuple[str, str]]) -> list[str]:
    problems = []
    for where, words in parts:
        plain = as_sentence(words)
        if len(plain.split()) >= MIN_WORDS_TO_GRADE and (grade := textstat.flesch_kincaid_grade(plain)) > MAX_PART_GRADE:
            problems.append(f"{where} reads at grade {grade}: {words}")
        problems += [f"{where} has a sentence of {len(s.split())} words: {s}" for s in SENTENCE.split(plain)
                     if len(s.split()) > MAX_SENTENCE_WORDS]
    return problems


def test_every_part_reads_plainly_on_its_own(presenter):
    assert part_problems(parts_of(presenter.text)) == []


def test_one_dense_step_fails_even_when_the_page_is_plain():
    dense = ("Beneficiaries experiencing authentication difficulties should contact the Defense Manpower "
             "Data Center, which administers identity verification for Department of Defense applications.")
    assert part_problems([("x.steps[0]", "Call DMDC.")]) == []
    assert [p.split(" reads")[0] for p in part_problems([("x.steps[1]", dense)])] == ["x.steps[1]"]


# Words people do not know, explained on every outcome that uses them.
JARGON = {
    "person identifier": "DoD ID number or your Social Security number",
    "RAPIDS": "ID card office",
    "I-9": "such as a passport",
}


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_jargon_is_explained_where_it_is_used(presenter, outcome):
    text = outcome_text(presenter, outcome)
    for word, explained in JARGON.items():
        if word in text:
            assert explained in text, f"{outcome} uses {word!r} without explaining it"
