"""The Spanish pages read easily too: the Fernández-Huerta index (textstat's, with `set_lang("es")`, the
same offline library and Spanish syllables from pyphen as the English test), on each outcome page and on
each part alone.

The bounds, on Fernández-Huerta's scale (1959; 0-100, higher is easier: 60-70 "normal", school grades
7-8; 70-80 "bastante fácil", grade 6; 50-60 "algo difícil"):

- an outcome page reads at 70 or above. The English bar is US grade 8 (tests/core/test_readability.py);
  grade 8 is the top of Fernández-Huerta's "normal" band (60), so 70 is one band easier than the English
  bar: a translation of a text at grade 8 should not need to be harder, and the Spanish pages measured
  77.6 at the least when the bound was set;
- each part on its own (a step, a hint, an option, a note) of 8 words or more reads at 50 or above, one
  band below the page, as the English allows grade 10 for a part against 8 for a page: one short
  sentence swings on one long word ("Departamento de Defensa" is 9 syllables);
- no sentence over 25 words, as in English.

The figures at the time of writing (docs/content-facts.md has the list) are printed by
``test_the_figures`` with -s.
"""
from __future__ import annotations

import re
import statistics

import pytest
import textstat
from routes import OUTCOMES
from test_readability import ADDRESS, MAX_SENTENCE_WORDS, MIN_WORDS_TO_GRADE, as_sentence, outcome_text, parts_of

from wizard.core.flow import CONTENT_DIR, load_flow
from wizard.core.presenters import Presenter
from wizard.core.sign_in import SIGN_IN_SETTINGS

MIN_PAGE_INDEX = 70.0
MIN_PART_INDEX = 50.0
SENTENCE = re.compile(r"(?<=[.?!])\s+")


@pytest.fixture(autouse=True)
def spanish():
    """textstat counts Spanish syllables while a test here runs, English again after."""
    textstat.set_lang("es")
    yield
    textstat.set_lang("en_US")


@pytest.fixture(scope="module", params=SIGN_IN_SETTINGS)
def presenter(request) -> Presenter:
    return Presenter(load_flow(CONTENT_DIR, sign_in=request.param), "es")


def index(text: str) -> float:
    return textstat.fernandez_huerta(text)


@pytest.mark.parametrize("outcome", OUTCOMES)
def test_spanish_outcome_reads_easily(presenter, outcome):
    text = outcome_text(presenter, outcome)
    assert index(text) >= MIN_PAGE_INDEX, f"{outcome} reads at {index(text)}: {text}"


def graded_parts(presenter: Presenter) -> list[tuple[str, str]]:
    return [(where, words) for where, words in parts_of(presenter.text)
            if len(ADDRESS.sub("", words).split()) >= MIN_WORDS_TO_GRADE]


def test_each_spanish_part_reads_easily_on_its_own(presenter):
    dense = [f"{where} ({index(as_sentence(words))}): {words}" for where, words in graded_parts(presenter)
             if index(as_sentence(words)) < MIN_PART_INDEX]
    assert dense == []


def test_no_spanish_sentence_is_over_25_words(presenter):
    long = [f"{where}: {sentence}" for where, words in parts_of(presenter.text)
            for sentence in SENTENCE.split(ADDRESS.sub("", words)) if len(sentence.split()) > MAX_SENTENCE_WORDS]
    assert long == []


def test_the_spanish_measure_tells_plain_from_dense_text():
    plain = "Llame al DMDC. Le pueden ayudar a entrar otra vez. Tenga a mano su tarjeta."
    dense = ("Los beneficiarios que experimenten dificultades de autenticación deberán comunicarse con el centro "
             "administrativo responsable de la verificación de identidad de las aplicaciones departamentales.")
    assert index(dense) < MIN_PART_INDEX < MIN_PAGE_INDEX <= index(plain)


def test_the_index_counts_spanish_syllables():
    """Spanish syllables, not English ones: "contraseña" is con-tra-se-ña."""
    assert textstat.syllable_count("contraseña") == 4


def test_the_figures(capsys):
    """The Spanish figures, for the note (pytest -s shows them): each index on the outcome pages."""
    present = Presenter(load_flow(CONTENT_DIR), "es")
    pages = {outcome: outcome_text(present, outcome) for outcome in OUTCOMES}
    for name, measure in (("Fernández-Huerta", textstat.fernandez_huerta),
                          ("Szigriszt-Pazos", textstat.szigriszt_pazos)):
        values = [measure(text) for text in pages.values()]
        print(f"{name}: outcomes min {min(values):.1f}, median {statistics.median(values):.1f}, max {max(values):.1f}")
    parts = [index(as_sentence(words)) for _, words in graded_parts(present)]
    print(f"Fernández-Huerta per part ({len(parts)} parts): min {min(parts):.1f}, median {statistics.median(parts):.1f}")
    assert min(parts) >= MIN_PART_INDEX
