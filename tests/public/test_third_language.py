"""A third language is one more file, text/<code>.yaml, and no code change: it builds, passes `flow check`,
and every page of it renders at /<code>/... with the same answers and the same codes.

The file is made here from text/en.yaml (a pseudo-translation, "[qaa] " before each English string, each
tagged with the hash of its English), in the private-use language code qaa (BCP 47), so it never goes out of
date when the English changes."""
from __future__ import annotations

import shutil

import pytest
import yaml
from helpers import start_app
from page_addresses import canonical_query, page_address

from wizard.cli import check_flow
from wizard.core.flow import CONTENT_DIR, read_content
from wizard.core.translations import Translated, is_staff_only, source_hash, with_sources

CODE = "qaa"


def pseudo(english, path=()):
    """The English wording as a complete, tagged translation (call-mode wording left out, as allowed)."""
    if isinstance(english, str):
        return Translated(f"[{CODE}] {english}", source_hash(english))
    if isinstance(english, dict):
        return {key: pseudo(value, (*path, str(key))) for key, value in english.items()
                if not is_staff_only((*path, str(key)))}
    if isinstance(english, list):
        return [pseudo(item, path) for item in english]
    return english


class Dumper(yaml.SafeDumper):
    pass


Dumper.add_representer(Translated, lambda dumper, data: dumper.represent_scalar(f"!en-{data.source}", str(data)))


@pytest.fixture(scope="module")
def content(tmp_path_factory):
    """The app's content folder with one more file: text/qaa.yaml."""
    target = tmp_path_factory.mktemp("content") / "content"
    shutil.copytree(CONTENT_DIR, target)
    raw = read_content(CONTENT_DIR)
    words = pseudo(with_sources(raw.texts["en"], raw.sources))  # the sources' descriptions too
    words.update(language=CODE, language_name="Pseudo",
                 screen_names={"DS Logon": "[qaa] DoD Self-Service Logon."})
    words["pages"]["read_in_this_language"] = Translated("[qaa] Read this page in Pseudo", "00000000")
    words["pages"]["language_help_unknown"] = "[qaa] Nothing is known about help in Pseudo here."
    (target / "text" / f"{CODE}.yaml").write_text(yaml.dump(words, Dumper=Dumper, allow_unicode=True, sort_keys=False),
                                                  encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def app(content, tmp_path_factory):
    database = tmp_path_factory.mktemp("database") / "wizard.db"
    return start_app(f"sqlite:///{database}", CONTENT_DIR=content)


def test_the_third_language_passes_flow_check_with_one_translation_to_update(content, capsys):
    assert check_flow(str(content)) == 0
    out, err = capsys.readouterr()
    assert "languages: en, es, qaa" in out and "1 translation(s) to update" in out
    assert f"text/{CODE}.yaml: pages.read_in_this_language: the English changed" in err


def test_every_page_of_the_flow_renders_in_the_third_language(app, every_outcome):
    client = app.test_client()
    start = client.get(f"/{CODE}/")
    assert start.status_code == 200 and f'<html lang="{CODE}">' in start.text
    assert "[qaa] Get help signing in to the MHS GENESIS Patient Portal" in start.text
    for node, answers in every_outcome.items():
        page = client.get(f"/{CODE}" + page_address(app, node, answers))
        assert page.status_code == 200, node
        assert f'<html lang="{CODE}">' in page.text and "[qaa] " in page.text
    assert client.get(f"/{CODE}/answers?{canonical_query(app, every_outcome['dsl_locked'])}").status_code == 200


def test_every_language_links_the_other_two(app, every_outcome):
    client = app.test_client()
    address = page_address(app, "dsl_locked", every_outcome["dsl_locked"])
    for prefix in ("", "/es", f"/{CODE}"):
        page = client.get(prefix + address).text
        for code in ("en", "es", CODE):
            assert f'hreflang="{code}"' in page, (prefix, code)
    english = client.get(address).text
    assert 'lang="qaa" data-language="qaa">[qaa] Read this page in Pseudo</a>' in english


def test_the_third_language_is_a_start_page_for_search_engines(app):
    assert f"Allow: /{CODE}/$" in app.test_client().get("/robots.txt").text
