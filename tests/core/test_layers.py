"""The core never imports Flask or the database: the staff console, the CLI and
the benchmarks share it, and it stays testable without an app."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[2] / "wizard" / "core"
FORBIDDEN = {"flask", "flask_wtf", "flask_login", "flask_limiter", "flask_sqlalchemy", "flask_migrate",
             "werkzeug", "wtforms", "sqlalchemy", "alembic", "psycopg"}


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("module", sorted(CORE.glob("*.py")), ids=lambda path: path.stem)
def test_core_module_imports_neither_flask_nor_the_database(module):
    assert imported_packages(module) & FORBIDDEN == set()


def test_loading_the_whole_core_pulls_in_neither_flask_nor_the_database():
    modules = ", ".join(f"wizard.core.{path.stem}" for path in CORE.glob("*.py") if path.stem != "__init__")
    probe = f"import sys, {modules}; print(' '.join(sorted({{m.split('.')[0] for m in sys.modules}})))"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                            cwd=CORE.parents[1]).stdout.split()
    assert set(loaded) & FORBIDDEN == set()
