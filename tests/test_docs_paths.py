"""Every repository path the README and docs/ name exists (a moved module must take its docs along).

A path is a backticked word or a relative Markdown link that starts with one of the repository's own
top-level names (wizard/, tests/, docs/, app.py, ...). Paths made at run time (instance/, bench/out/) and
patterns (<language>, *) are not files to find.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
TOP = ("app.py", "wizard/", "templates/", "static/", "tests/", "docs/", "bench/", "deploy/", "migrations/",
       "requirements", "Makefile", "pyproject.toml", "gunicorn.conf.py", ".ci/")
MADE_AT_RUN_TIME = ("instance/", "bench/out/", ".venv/")
BACKTICKED = re.compile(r"`([^`\s]+)`")
LINKED = re.compile(r"\]\(([^)\s#]+)(?:#[^)]*)?\)")


def named_paths(doc: Path) -> set[tuple[str, Path]]:
    """(as written, where it should be) for each repository path the document names."""
    text = doc.read_text(encoding="utf-8")
    found = set()
    for word in BACKTICKED.findall(text):
        word = re.split(r"[:(]", word.rstrip(".,;"))[0]  # "wizard/core/reference_codes.py:12", "check.py(main)"
        if word.startswith(TOP) and not word.startswith(MADE_AT_RUN_TIME) and not re.search(r"[<>*{}]", word):
            found.add((word, ROOT / word))
    for link in LINKED.findall(text):
        if not re.match(r"[a-z]+:", link) and not link.startswith("/"):  # not a URL, not a site address
            found.add((link, (doc.parent / link).resolve()))
    return found


@pytest.mark.parametrize("doc", DOCS, ids=lambda doc: str(doc.relative_to(ROOT)))
def test_every_path_a_doc_names_exists(doc):
    missing = sorted(written for written, path in named_paths(doc) if not path.exists())
    assert not missing, f"{doc.relative_to(ROOT)} names paths that do not exist: {missing}"


def test_the_path_finder_finds_paths_and_reports_a_missing_one(tmp_path):
    doc = tmp_path / "doc.md"
    doc.write_text("See `wizard/core/engine.py`, `wizard/no_such.py:3`, [x](../nowhere.md), "
                   "[site](https://health.mil), `instance/wizard.db`, `text/<language>.yaml`.")
    written = {word for word, _ in named_paths(doc)}
    assert written == {"wizard/core/engine.py", "wizard/no_such.py", "../nowhere.md"}


def test_the_readme_stays_short_enough_to_read_on_day_one():
    """About 150 lines: what it is, the two commands, staff accounts, where to go next; the rest is in docs/."""
    assert len((ROOT / "README.md").read_text(encoding="utf-8").splitlines()) <= 170
