"""DATABASE_URL picks the database: as given, or PostgreSQL through psycopg 3 for the usual postgres:// forms."""
from __future__ import annotations

import pytest
from flask import Flask
from helpers import TEST_CONFIG, close_app
from sqlalchemy import create_engine, inspect

from app import create_app
from wizard.extensions import db
from wizard.settings import configure, database_uri


@pytest.mark.parametrize(("given", "used"), [
    ("postgres://u:p@db.example:5432/wizard", "postgresql+psycopg://u:p@db.example:5432/wizard"),
    ("postgresql://u@db.example/wizard?sslmode=require", "postgresql+psycopg://u@db.example/wizard?sslmode=require"),
    ("postgresql+psycopg://u@db.example/wizard", "postgresql+psycopg://u@db.example/wizard"),
    ("sqlite:////var/lib/wizard/wizard.db", "sqlite:////var/lib/wizard/wizard.db"),
])
def test_database_url_names_the_driver_sqlalchemy_needs(given, used):
    assert database_uri(given) == used


def test_the_app_starts_on_the_database_named_by_database_url(database_url, monkeypatch):
    """Given the usual postgres:// form for PostgreSQL, as a deployment platform would."""
    given = database_url.replace("postgresql+psycopg://", "postgres://")
    monkeypatch.setenv("DATABASE_URL", given)
    app = create_app(dict(TEST_CONFIG))
    assert app.config["SQLALCHEMY_DATABASE_URI"] == database_url
    with app.app_context():
        dialect = db.engine.dialect
        assert (dialect.name, dialect.driver) in {("sqlite", "pysqlite"), ("postgresql", "psycopg")}
        assert dialect.name == ("postgresql" if database_url.startswith("postgresql") else "sqlite")
    close_app(app)
    engine = create_engine(database_url)
    assert "staff_user" in inspect(engine).get_table_names()  # migrated there, at start
    engine.dispose()


def test_the_app_config_wins_over_database_url(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgres://nobody@db.example/never")
    app = Flask(__name__, instance_path=str(tmp_path))
    configure(app, {"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite://"


def test_without_database_url_the_database_is_a_file_in_instance(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = Flask(__name__, instance_path=str(tmp_path))
    configure(app, {"SECRET_KEY": "x"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'wizard.db'}"
