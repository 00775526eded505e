"""Translations know their source: each string of text/<lang>.yaml records the hash of the English it
translates (wizard/core/translations.py). `flow check` fails on a missing or untagged one and warns, or
fails with --strict, when the English has changed since."""
from __future__ import annotations

import datetime
import hashlib
import shutil
from pathlib import Path

import pytest

from wizard.cli import check_flow
from wizard.core.flow import CONTENT_DIR, read_content
from wizard.core.translations import compare, source_hash, tag_for, with_sources

FLOWS = Path(__file__).parent / "flows"
BEFORE_ANY_REVIEW_IS_DUE = datetime.date(2026, 2, 1)  # the fixture's sources are reviewed 2026-01-01


@pytest.fixture
def translated(tmp_path) -> Path:
    """The valid fixture flow with its complete Spanish translation (tests/core/flows/translated)."""
    target = tmp_path / "translated"
    shutil.copytree(FLOWS / "valid", target)
    shutil.copytree(FLOWS / "translated", target, dirs_exist_ok=True)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def run(directory: Path, capsys, strict: bool = False) -> tuple[int, str, str]:
    status = check_flow(str(directory), strict=strict, today=BEFORE_ANY_REVIEW_IS_DUE)
    out, err = capsys.readouterr()
    return status, out, err


def test_the_hash_is_the_start_of_the_sha256_of_the_english():
    assert source_hash("Done") == hashlib.sha256(b"Done").hexdigest()[:8]
    assert tag_for("Done") == f"!en-{source_hash('Done')}"


def test_a_complete_translation_passes(translated, capsys):
    status, out, err = run(translated, capsys, strict=True)
    assert status == 0, err
    assert "languages: en, es" in out and "0 translation(s) to update" in out and err == ""


def test_a_changed_english_step_warns_and_names_the_spanish_to_update(translated, capsys):
    edit(translated / "text" / "en.yaml", 'steps: ["Do nothing."]', 'steps: ["Do nothing at all."]')
    status, out, err = run(translated, capsys)
    assert status == 0 and "Flow check passed" in out and "1 translation(s) to update" in out
    assert err.splitlines() == [
        "warning: text/es.yaml: outcomes.done.steps[0]: the English changed since this was translated; it now "
        f"reads 'Do nothing at all.'. Update the translation and its tag to {tag_for('Do nothing at all.')}"]


def test_strict_fails_on_a_translation_of_changed_english(translated, capsys):
    edit(translated / "text" / "en.yaml", 'title: "Done"', 'title: "All done"')
    status, out, err = run(translated, capsys, strict=True)
    assert status == 1 and "Flow check passed" not in out
    assert "text/es.yaml: outcomes.done.title: the English changed" in err
    assert "Flow check failed (--strict): 0 source(s) past their review date, 1 translation(s) of English that " \
           "has changed" in err


def test_updating_the_translation_and_its_tag_clears_the_warning(translated, capsys):
    edit(translated / "text" / "en.yaml", 'title: "Done"', 'title: "All done"')
    edit(translated / "text" / "es.yaml", f'title: {tag_for("Done")} "Listo"', f'title: {tag_for("All done")} "Todo listo"')
    status, out, err = run(translated, capsys, strict=True)
    assert status == 0 and err == ""


def test_a_missing_spanish_string_fails(translated, capsys):
    edit(translated / "text" / "es.yaml", f'    error: {tag_for("Select A or B")} "Elija A o B"\n', "")
    status, out, err = run(translated, capsys)
    assert status == 1
    assert f"text/es.yaml: questions.ask.error: missing translation of 'Select A or B' (tag it {tag_for('Select A or B')})" in err


def test_a_new_english_string_with_no_translation_fails(translated, capsys):
    edit(translated / "text" / "en.yaml", 'have_ready: ["Nothing."]', 'have_ready: ["Nothing.", "Your ID card."]')
    status, out, err = run(translated, capsys)
    assert status == 1 and "text/es.yaml: outcomes.done.have_ready: not the same shape as in text/en.yaml" in err


def test_a_string_that_does_not_say_which_english_it_translates_fails(translated, capsys):
    edit(translated / "text" / "es.yaml", f'answer: {tag_for("Nothing is wrong.")} "No pasa nada."', 'answer: "No pasa nada."')
    status, out, err = run(translated, capsys)
    assert status == 1 and "text/es.yaml: outcomes.done.answer: says nothing of the English it translates" in err


def test_wording_the_english_does_not_have_fails(translated, capsys):
    edit(translated / "text" / "es.yaml", "outcomes:\n  done:\n", 'outcomes:\n  done:\n    hint: !en-00000000 "Pista"\n')
    status, out, err = run(translated, capsys)
    assert status == 1 and "text/es.yaml: outcomes.done.hint: wording that text/en.yaml does not have" in err


def test_call_mode_wording_is_not_required_in_other_languages(translated):
    """say, listen and staff are call mode's (English): the fixture's Spanish has none and passes."""
    raw = read_content(translated)
    es = raw.texts["es"]
    assert "say" not in es["questions"]["ask"] and "staff" not in es["outcomes"]["done"]
    assert compare(with_sources(raw.texts["en"], raw.sources), es) == []


def test_the_real_spanish_is_complete_and_up_to_date():
    raw = read_content(CONTENT_DIR)  # the English of text/en.yaml and the sources' descriptions
    assert compare(with_sources(raw.texts["en"], raw.sources), raw.texts["es"]) == []


def test_help_in_another_language_is_unknown_or_sourced_and_worded(translated, capsys):
    """contacts.yaml language_help: `unknown` (the default) shows the "nothing known" line; a source must be
    known and worded in that language's file."""
    edit(translated / "contacts.yaml", "desk:\n", "desk:\n  language_help: {es: {source: rumour}}\n")
    status, out, err = run(translated, capsys)
    assert status == 1 and "contacts.yaml: desk: `language_help: {es: ...}` must be `unknown` or `{source: " in err
    edit(translated / "contacts.yaml", "{source: rumour}", "{source: faq}")
    status, out, err = run(translated, capsys)
    assert status == 1 and "text/es.yaml: contacts.desk: missing wording: `language_help`" in err
    edit(translated / "text" / "es.yaml", 'desk: {name:', 'desk: {language_help: "Hablan español.", name:')
    assert run(translated, capsys)[0] == 0


def test_a_source_description_is_translated_and_warns_when_its_english_changes(translated, capsys):
    """A source's description (`where` in sources.yaml) is translated under `sources:` like any English."""
    edit(translated / "sources.yaml", 'where: "A test source"', 'where: "A test source, updated"')
    status, out, err = run(translated, capsys)
    assert status == 0 and "1 translation(s) to update" in out
    assert err.splitlines() == [
        "warning: text/es.yaml: sources.faq: the English changed since this was translated; it now reads "
        f"'A test source, updated'. Update the translation and its tag to {tag_for('A test source, updated')}"]


def test_a_missing_source_description_fails(translated, capsys):
    edit(translated / "text" / "es.yaml", 'sources:\n  faq: !en-06aabede "Una fuente de prueba"\n', "")
    status, out, err = run(translated, capsys)
    assert status == 1 and "sources.faq: missing translation of 'A test source'" in err
