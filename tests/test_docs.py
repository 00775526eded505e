"""Every link from the README and docs/ to another file of the repository points at one that exists
(docs/insights.md and the rest), and the README stays short enough to read."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.relative_to(ROOT).as_posix())
def test_links_to_files_of_the_repository_resolve(page):
    missing = [target for target in LINK.findall(page.read_text())
               if "://" not in target and not target.startswith("mailto:") and not (page.parent / target).exists()]
    assert missing == []


def test_the_readme_points_to_the_insights_and_stays_short():
    readme = (ROOT / "README.md").read_text()
    assert "(docs/insights.md)" in readme
    assert len(readme.splitlines()) <= 170
