"""The deploy files (deploy/): gunicorn believes one scheme header, and reaches nginx through a unix socket only.

The proxy tests (tests/proxy/) run deploy/nginx/wizard.conf itself; what they cannot run (systemd, the
production gunicorn file's socket) is read here."""
from __future__ import annotations

import configparser
import re
import runpy
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DEPLOY = REPO / "deploy"
SOCKET = "/run/wizard/gunicorn.sock"


def gunicorn_config(path: Path, monkeypatch):
    from gunicorn.config import Config

    for name in ("FORWARDED_ALLOW_IPS", "GUNICORN_CONTROL_SOCKET"):
        monkeypatch.delenv(name, raising=False)
    values = runpy.run_path(str(path))
    config = Config()
    for name, value in values.items():
        if name in config.settings:
            config.set(name, value)
    return config


@pytest.mark.parametrize("path", [REPO / "gunicorn.conf.py", DEPLOY / "gunicorn.conf.py"])
def test_gunicorn_believes_only_x_forwarded_proto(path, monkeypatch):
    assert gunicorn_config(path, monkeypatch).secure_scheme_headers == {"X-FORWARDED-PROTO": "https"}


def test_production_gunicorn_listens_on_the_unix_socket_only(monkeypatch):
    config = gunicorn_config(DEPLOY / "gunicorn.conf.py", monkeypatch)
    assert config.bind == [f"unix:{SOCKET}"]
    assert config.forwarded_allow_ips == []  # a unix-socket peer (nginx) is believed; no TCP peer is


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read_string((DEPLOY / "systemd" / name).read_text())
    return parser


def test_systemd_makes_the_socket_for_nginx_alone():
    socket = unit("wizard.socket")
    assert socket["Socket"]["ListenStream"] == SOCKET
    assert socket["Socket"]["SocketUser"] == "www-data" and socket["Socket"]["SocketMode"] == "0600"
    service = unit("wizard.service")
    assert "wizard.socket" in service["Unit"]["Requires"] and "wizard.socket" in service["Unit"]["After"]
    assert "--config deploy/gunicorn.conf.py" in service["Service"]["ExecStart"]


def test_nginx_reaches_gunicorn_through_the_socket_and_blanks_other_scheme_headers():
    site = (DEPLOY / "nginx" / "wizard.conf").read_text()
    upstream = re.search(r"upstream wizard_app \{(.*?)\}", site, re.S).group(1)
    servers = re.findall(r"^\s*server\s+(\S+);", upstream, re.M)
    assert servers == [f"unix:{SOCKET}"]
    for header in ("X-Forwarded-Ssl", "X-Forwarded-Protocol"):
        assert re.search(rf'^\s*proxy_set_header {header}\s+"";', site, re.M), header
