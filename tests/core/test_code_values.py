"""Reference codes as values: hard to misread, forgiving to type, and a pure function of the content version
and the answers (the same answers on the same content: the same code, for everyone)."""
from __future__ import annotations

import datetime as dt
import shutil

import pytest

from wizard.core import reference_codes as codes
from wizard.core.flow import CONTENT_DIR, load_flow


def test_the_alphabet_has_32_distinct_symbols_and_no_look_alikes():
    assert len(codes.ALPHABET) == len(set(codes.ALPHABET)) == 32
    for group in codes.LOOK_ALIKES:
        assert sum(symbol in codes.ALPHABET for symbol in group) <= 1, f"look-alikes {group} both in the alphabet"
    assert not set("0O1I") & set(codes.ALPHABET)


def test_a_code_has_8_symbols_and_at_least_40_bits():
    assert codes.LENGTH == 8
    assert codes.entropy_bits() >= 40


FORGOT = {"topic": "cannot_sign_in", "method": "ds_logon", "dsl_status": "forgot"}
MANY = [codes.code_for("6d57be85f77e", {"topic": f"option_{number}"}) for number in range(2000)]


def test_a_code_is_a_pure_function_of_the_version_and_the_answers():
    code = codes.code_for("6d57be85f77e", FORGOT)
    assert codes.code_for("6d57be85f77e", dict(FORGOT)) == code  # asked again, from another dict
    # The same in every process, on every machine and after every release of the code (a cached page
    # and a code read out to the desk must keep meaning the same answers): sha256, not Python's hash().
    assert code == "49RWUXXB"
    assert codes.code_for("abc", {}) == "PKQEYAKA"


@pytest.mark.parametrize(("version", "answers"), [
    ("6d57be85f77e", {**FORGOT, "dsl_status": "locked"}),  # another answer
    ("6d57be85f77e", {"topic": "cannot_sign_in", "method": "ds_logon"}),  # fewer answers
    ("6d57be85f77f", FORGOT),  # another content version
    ("6d57be85f77e", {"method": "ds_logon", "topic": "cannot_sign_in", "dsl_status": "forgot"}),  # another order
    ("6d57be85f77e", {**FORGOT, "extra": "x"}),  # more answers
])
def test_other_answers_or_another_version_make_another_code(version, answers):
    assert codes.code_for(version, answers) != codes.code_for("6d57be85f77e", FORGOT)


def test_codes_use_only_the_alphabet_and_do_not_repeat():
    assert len(set(MANY)) == len(MANY)
    assert all(len(code) == 8 and set(code) <= set(codes.ALPHABET) for code in MANY)


def test_codes_use_every_symbol_in_every_place():
    """All 40 bits count: each of the 8 places takes all 32 symbols across many answer sets."""
    for place in range(codes.LENGTH):
        assert {code[place] for code in MANY} == set(codes.ALPHABET), f"place {place}"


def test_a_code_is_shown_as_two_groups_of_four():
    assert codes.format_code("K7PM4QX2") == "K7PM-4QX2"


def test_a_screen_reader_reads_the_code_one_character_at_a_time():
    assert codes.spoken("K7PM4QX2") == "K 7 P M, 4 Q X 2"


@pytest.mark.parametrize("typed", [
    "K7PM4QX2", "K7PM-4QX2", "k7pm-4qx2", "k7pm4qx2", " K7PM 4QX2 ", "K 7 P M - 4 Q X 2",
    "K7PM\u20134QX2",  # an en dash, as phones and word processors type it
])
def test_case_spaces_and_dashes_do_not_matter(typed):
    assert codes.normalise(typed) == "K7PM4QX2"


@pytest.mark.parametrize(("typed", "read_as"), [
    ("K7PM-4QX1", "K7PM4QXL"),  # a one is read as the L it looks like
    ("K7PM-4QXI", "K7PM4QXL"),  # so is a capital i
    ("k7pm-4qxi", "K7PM4QXL"),  # and a small one
    ("K7PM-4QXl", "K7PM4QXL"),  # a small L is just an L
])
def test_a_look_alike_is_read_as_the_symbol_it_resembles_when_that_symbol_is_in_the_alphabet(typed, read_as):
    assert codes.normalise(typed) == read_as


@pytest.mark.parametrize("typed", [
    "K7PM-4QX0",  # zero and O look alike, and neither is in the alphabet: we cannot tell what was meant
    "K7PM-4QXO",
    "K7PM-4QX",  # too short
    "K7PM-4QX22",  # too long
    "",
    "--------",
    "K7PM_4QX2",  # not a separator we accept
    "K7PM.4QX2",
    "K7PM4QX%",
    "K7PM4QXÉ",
    "K7PM4QX\u0662",  # an Arabic-Indic two: not our 2
    "K" + " " * 50 + "7PM4QX2",  # far too long to be typed as a code
    None,
    12345678,
])
def test_anything_else_is_not_a_code(typed):
    assert codes.normalise(typed) is None


def test_every_code_shown_reads_back_as_itself_however_it_is_typed():
    for code in MANY:
        for typed in (code, codes.format_code(code), codes.format_code(code).lower(), f" {code[:4]} {code[4:]} "):
            assert codes.normalise(typed) == code, typed


def test_the_same_answers_on_the_same_flow_have_the_same_key():
    answers = {"topic": "cannot_sign_in", "method": "ds_logon"}
    assert codes.answers_key("abc", answers) == codes.answers_key("abc", dict(answers))
    assert len(codes.answers_key("abc", answers)) == 64


@pytest.mark.parametrize("other", [
    ("abc", {"topic": "cannot_sign_in", "method": "cac"}),  # another answer
    ("abc", {"topic": "cannot_sign_in"}),  # fewer answers
    ("abd", {"topic": "cannot_sign_in", "method": "ds_logon"}),  # another flow version
    ("abc", {"method": "ds_logon", "topic": "cannot_sign_in"}),  # another order
])
def test_different_answers_or_versions_have_different_keys(other):
    assert codes.answers_key("abc", {"topic": "cannot_sign_in", "method": "ds_logon"}) != codes.answers_key(*other)


def test_the_flow_version_is_a_short_stable_hash_of_the_content(tmp_path):
    copy = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, copy)
    version = load_flow(CONTENT_DIR).version
    assert len(version) == 12 and int(version, 16) >= 0
    assert load_flow(copy).version == version  # the same files anywhere: the same version
    wording = copy / "text" / "en.yaml"
    wording.write_text(wording.read_text() + "\n# an editor's comment\n")
    assert load_flow(copy).version != version  # any change to any content file: a new version


def test_the_flow_version_covers_every_content_file(tmp_path):
    copy = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, copy)
    version = load_flow(copy).version
    seen = {version}
    for name in ("flow.yaml", "contacts.yaml", "sources.yaml", "addresses.yaml", "text/en.yaml"):
        path = copy / name
        path.write_text(path.read_text() + "\n# changed\n")
        seen.add(load_flow(copy).version)
    assert len(seen) == 6


@pytest.mark.parametrize(("seconds", "words"), [
    (0, "just now"), (59, "just now"), (60, "1 minute ago"), (5 * 60, "5 minutes ago"),
    (3600, "1 hour ago"), (23 * 3600, "23 hours ago"), (86400, "1 day ago"), (3 * 86400 + 7, "3 days ago"),
    (-30, "just now"),  # a clock slightly behind never says "in the future"
])
def test_age_in_words(seconds, words):
    now = dt.datetime(2026, 11, 26, 12, tzinfo=dt.timezone.utc)
    assert codes.age_in_words(now - dt.timedelta(seconds=seconds), now) == words
