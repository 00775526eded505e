"""The Spanish follows wizard/content/glossary.yaml: screen names kept as on the screen and explained on each
page that uses them, one plain word for each everyday thing, and "usted" throughout."""
from __future__ import annotations

import html
import re

import pytest
import yaml
from page_addresses import page_address
from test_spanish import main_text, spanish_pages

from wizard.core.flow import CONTENT_DIR, ContentLoader, read_content
from wizard.core.translations import walk

GLOSSARY = yaml.load((CONTENT_DIR / "glossary.yaml").read_text(encoding="utf-8"), Loader=ContentLoader)


def strings(language: str) -> dict[str, str]:
    """path -> string, for every public string of a text file (the English tells which places are public)."""
    texts = read_content(CONTENT_DIR).texts
    english = {d.path: d.english for d in walk(texts["en"], None, ())}
    found = {}

    def collect(node, path):
        if isinstance(node, str):
            found[path] = str(node)
        elif isinstance(node, dict):
            for key, value in node.items():
                collect(value, f"{path}.{key}" if path else str(key))
        elif isinstance(node, list):
            for index, item in enumerate(node):
                collect(item, f"{path}[{index}]")

    collect(texts[language], "")
    return {path: text for path, text in found.items() if path in english}


SPANISH = strings("es")
ENGLISH = strings("en")


@pytest.fixture(scope="module")
def raw_pages(app, every_outcome):
    return spanish_pages(app.test_client(), every_outcome)


SCREEN_NAMES = read_content(CONTENT_DIR).texts["es"]["screen_names"]
NAMES_BOX = re.compile(r'<section class="screen-names".*?</section>', re.S)
NAMED = re.compile(r'<dt lang="en">([^<]+)</dt><dd>([^<]+)</dd>')


def uses(term: str, text: str) -> bool:
    return bool(re.search(rf"(?<![\w-]){re.escape(term)}(?![\w-])", text))


@pytest.mark.parametrize("term", GLOSSARY["keep"])
def test_screen_names_stay_as_on_the_screen(term):
    """Wherever the English names it, the Spanish at the same place names it too, spelled the same."""
    changed = [path for path, english in ENGLISH.items() if uses(term, english) and not uses(term, SPANISH.get(path, ""))]
    assert changed == []
    assert [path for path, text in SPANISH.items() for bad in GLOSSARY["keep"][term] if bad in text] == []


def test_every_screen_name_is_explained_in_spanish():
    assert set(GLOSSARY["keep"]) == set(SCREEN_NAMES)
    assert all(isinstance(meaning, str) and meaning.endswith(".") for meaning in SCREEN_NAMES.values())


def test_each_spanish_page_explains_the_screen_names_it_uses(raw_pages):
    """The names box lists exactly the screen names the page uses (outside the box), each with its meaning."""
    problems = []
    for name, response in raw_pages.items():
        box = NAMES_BOX.search(response.text)
        text = main_text(NAMES_BOX.sub(" ", response.text), keep_english=True)
        used = [term for term in SCREEN_NAMES if uses(term, text)]
        listed = dict(NAMED.findall(box.group(0))) if box else {}
        if set(listed) != set(used):
            problems.append(f"{name}: uses {sorted(used)}, explains {sorted(listed)}")
        problems += [f"{name}: {term}" for term, meaning in listed.items() if html.unescape(meaning) != SCREEN_NAMES[term]]
    assert problems == []


def test_english_pages_have_no_names_box(app, every_outcome):
    client = app.test_client()
    assert "screen-names" not in client.get("/").text
    assert "screen-names" not in client.get(page_address(app, "dsl_deactivated", every_outcome["dsl_deactivated"])).text


@pytest.mark.parametrize("word", GLOSSARY["words"])
def test_one_plain_word_for_each_everyday_thing(word):
    avoided = GLOSSARY["words"][word]["not"]
    found = [f"{path}: {bad!r}" for path, text in SPANISH.items() for bad in avoided if bad.lower() in text.lower()]
    assert found == []
    assert any(GLOSSARY["words"][word]["use"] in text for text in SPANISH.values())


def test_the_pages_say_usted_never_tu():
    forms = re.compile(r"(?i)(?<!\w)(" + "|".join(map(re.escape, GLOSSARY["usted"])) + r")(?!\w)")
    found = [f"{path}: {match.group(0)!r}" for path, text in SPANISH.items() for match in forms.finditer(text)]
    assert found == []


def test_the_checks_catch_what_they_name():
    """A 'tú' sentence and a translated screen name would be found."""
    forms = re.compile(r"(?i)(?<!\w)(" + "|".join(map(re.escape, GLOSSARY["usted"])) + r")(?!\w)")
    assert forms.search("Si tienes una CAC, elige esta opción.")
    assert any(bad in "Elija CREAR CUENTA" for bad in GLOSSARY["keep"]["CREATE ACCOUNT"])
    assert uses("DS Logon", "su cuenta DS Logon.") and not uses("CAC", "CACs")
