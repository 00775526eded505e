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
