"""`make bench`'s login floor (bench/login_floor_app.py) serves a real staff call page's bytes, with a token
Flask-WTF accepts, and only to its logged-in agent: what it measures is what a staff page must run at least."""
from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest
from flask_wtf.csrf import validate_csrf
from helpers import csrf_token

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture
def floor(staff_client, tmp_path, monkeypatch):
    """The login floor app made from a call page the wizard served, and that page's bytes."""
    client = staff_client()
    home = client.get("/staff/")
    call = client.post("/staff/calls", data={"csrf_token": csrf_token(home.text)}).headers["Location"]
    served = client.get(call).data
    monkeypatch.syspath_prepend(str(BENCH))
    login_floor_app = importlib.import_module("login_floor_app")
    monkeypatch.setenv("BENCH_FLOOR_TEMPLATE", str(login_floor_app.save_template(served, tmp_path / "floor")))
    monkeypatch.setenv("BENCH_FLOOR_DATABASE_URL", f"sqlite:///{tmp_path / 'floor.db'}")
    monkeypatch.setenv("SECRET_KEY", "a-secret-key-for-the-floor-test")
    yield login_floor_app.create_app(), served
    for name in ("login_floor_app", "client", "servers"):  # imported from bench/ for this test only
        sys.modules.pop(name, None)


def test_the_floor_serves_the_call_pages_bytes_with_its_own_token(floor):
    app, served = floor
    client = app.test_client()
    assert client.get("/").status_code == 401  # not logged in
    client.get("/login")
    page = client.get("/")
    assert page.status_code == 200
    assert page.data.replace(csrf_token(page.text).encode(), b"") == served.replace(
        csrf_token(served.decode()).encode(), b"")
    assert len(page.data) == len(served)
    with app.test_request_context("/", headers={"Cookie": f"session={client.get_cookie('session').value}"}):
        validate_csrf(csrf_token(page.text))  # raises if Flask-WTF would refuse it


def test_a_page_with_more_than_one_token_is_refused(floor, tmp_path):
    login_floor_app = sys.modules["login_floor_app"]
    with pytest.raises(ValueError, match="2 different CSRF tokens"):
        login_floor_app.save_template(b'<input name="csrf_token" value="a"><input name="csrf_token" value="b">',
                                      tmp_path / "two")
