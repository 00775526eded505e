"""Starting up: the secret key, one clear message for anything that stops the start, gunicorn's settings."""
from __future__ import annotations

import os
import runpy
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from helpers import TEST_CONFIG
from processes import free_port

from app import create_app
from wizard.settings import ConfigError, ContentProblems, DatabaseUnavailable, local_key, secret_key

REPO = Path(__file__).resolve().parents[1]


# ---------------------------------------------------------------- the secret key

@pytest.mark.parametrize(("content", "says"), [("", "is empty"), ("   \n\t", "is empty"),
                                               ("abc123", "is only 6 bytes")])
def test_a_blank_or_short_key_file_is_a_one_line_error(tmp_path, content, says):
    path = tmp_path / "secret_key"
    path.write_text(content)
    with pytest.raises(ConfigError) as refused:
        local_key(path)
    message = str(refused.value)
    assert says in message and str(path) in message and "\n" not in message


def test_a_blank_key_file_stops_the_app_at_start_not_at_the_first_page(monkeypatch, tmp_path):
    monkeypatch.delenv("APP_ENV", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setattr("wizard.settings.Path", lambda _: tmp_path)
    (tmp_path / "secret_key").write_text("\n")
    with pytest.raises(ConfigError, match="is empty"):
        create_app()


@pytest.mark.parametrize("key", ["a", "x" * 31, "é" * 15])
def test_production_refuses_a_key_shorter_than_32_bytes(monkeypatch, tmp_path, key):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", key)
    with pytest.raises(ConfigError, match="needs at least 32"):
        secret_key(tmp_path)


def test_production_takes_a_key_of_32_bytes(monkeypatch, tmp_path):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "é" * 16)  # 32 bytes in UTF-8
    assert secret_key(tmp_path) == "é" * 16


def test_a_secret_key_of_blanks_is_refused(monkeypatch, tmp_path):
    monkeypatch.delenv("APP_ENV", raising=False)
    monkeypatch.setenv("SECRET_KEY", "   ")
    with pytest.raises(ConfigError, match="only blanks"):
        secret_key(tmp_path)


def test_the_key_file_is_created_0600_from_the_start(monkeypatch, tmp_path):
    """Opened with O_CREAT|O_EXCL and mode 0600, even with umask 0: never readable by others."""
    opened = []
    real_open = os.open

    def recording_open(path, flags, mode=0o777, **kwargs):
        opened.append((Path(path), flags, mode))
        return real_open(path, flags, mode, **kwargs)

    monkeypatch.setattr(os, "open", recording_open)
    old_umask = os.umask(0)
    try:
        key = local_key(tmp_path / "instance" / "secret_key")
    finally:
        os.umask(old_umask)
    assert len(key) == 64
    ((temporary, flags, mode),) = opened
    assert flags & os.O_CREAT and flags & os.O_EXCL and mode == 0o600
    assert temporary.parent == tmp_path / "instance" and not temporary.exists()
    assert stat.S_IMODE((tmp_path / "instance" / "secret_key").stat().st_mode) == 0o600
    assert os.listdir(tmp_path / "instance") == ["secret_key"]


def test_an_unwritable_instance_folder_is_one_clear_message(monkeypatch, tmp_path):
    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "open", refused)
    with pytest.raises(ConfigError) as error:
        local_key(tmp_path / "secret_key")
    message = str(error.value)
    assert "Permission denied" in message and "set SECRET_KEY" in message and "\n" not in message


def test_an_instance_path_that_is_a_file_is_one_clear_message(tmp_path):
    (tmp_path / "instance").write_text("not a folder")
    with pytest.raises(ConfigError, match="cannot create or read the local secret key"):
        local_key(tmp_path / "instance" / "secret_key")


# ---------------------------------------------------------------- other start-up errors

def test_invalid_content_is_a_config_error_listing_the_problems(tmp_path):
    with pytest.raises(ContentProblems, match="flow.yaml: cannot be read"):
        create_app({**TEST_CONFIG, "CONTENT_DIR": tmp_path, "SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_an_unreachable_database_is_one_line_without_its_password(tmp_path):
    port = free_port()  # nothing listens there
    with pytest.raises(DatabaseUnavailable) as error:
        create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": f"postgresql+psycopg://u:hunter2@127.0.0.1:{port}/x"})
    message = str(error.value)
    assert "\n" not in message and "hunter2" not in message and f"127.0.0.1:{port}" in message


# ---------------------------------------------------------------- gunicorn

def gunicorn(tmp_path, env: dict[str, str], port: int) -> subprocess.Popen:
    environment = {**os.environ, "HOME": str(tmp_path / "home"), "APP_ENV": "development",
                   "SECRET_KEY": "startup-test-" + "k" * 40,
                   "DATABASE_URL": f"sqlite:///{tmp_path / 'wizard.db'}", **env}
    environment.pop("XDG_RUNTIME_DIR", None)
    command = [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
               "--workers", "2", "app:create_app()"]
    return subprocess.Popen(command, cwd=REPO, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, text=True)


@pytest.mark.parametrize(("env", "names"), [
    ({"APP_ENV": "production", "SECRET_KEY": "a"}, "SECRET_KEY is 1 bytes"),
    ({"APP_ENV": "production", "SECRET_KEY": "k" * 40, "TRUSTED_HOSTS": ""}, "needs TRUSTED_HOSTS"),
    ({"STAFF_IDLE_MINUTES": "soon"}, "STAFF_IDLE_MINUTES must be a whole number"),
    ({"DATABASE_URL": "postgresql://u:pw@127.0.0.1:{port}/x"}, "cannot open or upgrade the database"),
])
def test_gunicorn_with_a_bad_setting_prints_one_short_message_and_fails(tmp_path, env, names):
    env = {name: value.format(port=free_port()) for name, value in env.items()}
    process = gunicorn(tmp_path, env, free_port())
    output, _ = process.communicate(timeout=60)
    assert process.returncode != 0
    assert names in output
    assert "Traceback" not in output
    assert len(output.splitlines()) <= 5, output
    assert not (tmp_path / "home" / ".gunicorn").exists()  # a failed start touches no control socket


def test_gunicorn_serves_without_a_control_socket_and_ignores_forwarded_headers(tmp_path):
    port = free_port()
    process = gunicorn(tmp_path, {}, port)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                # The staff login form: a page with a session cookie (public pages set none) and a form.
                request = urllib.request.Request(f"http://127.0.0.1:{port}/staff/login",
                                                 headers={"X-Forwarded-Proto": "https", "SCRIPT_NAME": "/evil"})
                with urllib.request.urlopen(request, timeout=2) as response:
                    cookie, page = response.headers["Set-Cookie"], response.read().decode()
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, process.stdout.read()
                time.sleep(0.2)
        assert cookie and "Secure" not in cookie  # X-Forwarded-Proto from an untrusted client: still plain HTTP
        assert 'href="/staff/"' in page and '"/evil' not in page  # links built from the real script root
        assert not (tmp_path / "home" / ".gunicorn").exists()
        bad_host = urllib.request.Request(f"http://127.0.0.1:{port}/q/method?topic=cannot_sign_in",
                                          headers={"Host": "a..b"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(bad_host, timeout=5)
        assert refused.value.code == 400 and refused.value.read() == b"Bad request: unknown host.\n"
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
    assert "Traceback" not in output and "cannot_sign_in" not in output  # a bad Host: no traceback, no URL


def gunicorn_settings(monkeypatch, **env) -> dict:
    from gunicorn.config import Config

    for name in ("FORWARDED_ALLOW_IPS", "GUNICORN_CONTROL_SOCKET"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    values = runpy.run_path(str(REPO / "gunicorn.conf.py"))
    config = Config()
    for name in ("forwarded_allow_ips", "forwarder_headers", "control_socket_disable", "control_socket"):
        if name in values:
            config.set(name, values[name])
    return {name: getattr(config, name) for name in ("forwarded_allow_ips", "forwarder_headers",
                                                     "control_socket_disable", "control_socket")}


def test_gunicorn_trusts_no_proxy_and_has_no_control_socket_by_default(monkeypatch):
    settings = gunicorn_settings(monkeypatch)
    assert settings["forwarded_allow_ips"] == []
    assert settings["forwarder_headers"] == []
    assert settings["control_socket_disable"] is True


def test_gunicorn_proxy_and_control_socket_come_from_the_environment(monkeypatch, tmp_path):
    settings = gunicorn_settings(monkeypatch, FORWARDED_ALLOW_IPS="10.0.0.5",
                                 GUNICORN_CONTROL_SOCKET=str(tmp_path / "wizard.ctl"))
    assert settings["forwarded_allow_ips"] == ["10.0.0.5"]
    assert settings["forwarder_headers"] == []
    assert settings["control_socket_disable"] is False
    assert settings["control_socket"] == str(tmp_path / "wizard.ctl")


def test_gunicorn_believes_only_x_forwarded_proto_and_logs_no_request_data(tmp_path):
    """Even from a trusted proxy address, X-Forwarded-Ssl and X-Forwarded-Protocol do not make a request HTTPS
    (gunicorn's default secure_scheme_headers believes them); and a malformed request line or header is logged
    without the text the client sent (its query string, a header's value) or the client's address."""
    import socket

    port = free_port()
    process = gunicorn(tmp_path, {"FORWARDED_ALLOW_IPS": "127.0.0.1"}, port)
    secrets_sent = ("secret-answer", "secret-value")

    def cookie(headers: dict) -> str:
        request = urllib.request.Request(f"http://127.0.0.1:{port}/staff/login", headers=headers)
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.headers["Set-Cookie"]

    def raw(data: bytes) -> bytes:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
            connection.sendall(data)
            return connection.recv(200)

    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                plain = cookie({})
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline
                time.sleep(0.2)
        assert "Secure" not in plain
        assert "Secure" not in cookie({"X-Forwarded-Ssl": "on"})
        assert "Secure" not in cookie({"X-Forwarded-Protocol": "https"})
        assert "Secure" not in cookie({"X-Forwarded-Proto": "http", "X-Forwarded-Ssl": "on"})  # not a 400 either
        assert "Secure" in cookie({"X-Forwarded-Proto": "https"})  # the one header a trusted proxy sets
        assert raw(b"GET /q/method?topic=secret-answer HTTP/1.1 extra\r\nHost: a\r\n\r\n").startswith(b"HTTP/1.1 400")
        assert raw(b"GET /q/method?topic=secret-answer HTTP/1.1\r\nHost: a\r\nBad(Name): secret-value\r\n\r\n"
                   ).startswith(b"HTTP/1.1 400")
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
    assert "Invalid request" in output, output
    for sent in secrets_sent:
        assert sent not in output, output
    assert "ip=127.0.0.1" not in output


def test_a_key_file_that_is_not_utf8_is_a_one_line_error(tmp_path):
    path = tmp_path / "secret_key"
    path.write_bytes(b"\xff\xfe" + b"k" * 40)
    with pytest.raises(ConfigError) as refused:
        local_key(path)
    message = str(refused.value)
    assert "not UTF-8" in message and str(path) in message and "\n" not in message


@pytest.mark.parametrize("name", ["flow.yaml", "contacts.yaml", "text/en.yaml"])
def test_a_content_file_that_is_not_utf8_is_a_one_line_error(tmp_path, name):
    import shutil

    content = tmp_path / "content"
    shutil.copytree(REPO / "wizard" / "content", content)
    with (content / name).open("ab") as handle:
        handle.write(b"\n# caf\xe9\n")  # Latin-1, as an editor on another machine might save it
    with pytest.raises(ContentProblems) as refused:
        create_app({**TEST_CONFIG, "CONTENT_DIR": content, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    message = str(refused.value)
    assert "is not UTF-8" in message and Path(name).name in message
    assert "Traceback" not in message and len(message.splitlines()) <= 3, message


def test_the_sqlite_file_is_created_0600(tmp_path):
    """It holds the staff password hashes and the audit log: never readable by other local users."""
    old_umask = os.umask(0o022)
    try:
        database = tmp_path / "instance" / "wizard.db"
        create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"})
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(database.stat().st_mode) == 0o600


def test_gunicorn_writes_the_static_build_once_not_in_every_worker_nor_on_reload(tmp_path):
    """gunicorn's start-up check (in the master, before any worker) writes the static files; the workers, and
    the new ones after a reload (SIGHUP), find every file there with its bytes and rewrite none (a rewrite is a
    new file renamed into place: a new inode), so a worker start needs no free disk space."""
    import signal

    build = tmp_path / "static-build"
    port = free_port()
    process = gunicorn(tmp_path, {"STATIC_BUILD_DIR": str(build)}, port)
    url = f"http://127.0.0.1:{port}/staff/login"

    def answers() -> bool:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    def inodes() -> dict[str, int]:
        return {str(path.relative_to(build)): path.stat().st_ino for path in build.rglob("*") if path.is_file()}

    try:
        deadline = time.monotonic() + 30
        while not answers():
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.2)
        time.sleep(1.0)  # both workers have built their app
        first = inodes()
        assert any(name.startswith("style.") and name.endswith(".css") and name != "style.css" for name in first)
        process.send_signal(signal.SIGHUP)
        time.sleep(1.0)  # the old workers are told to go
        deadline = time.monotonic() + 30  # a worker builds its app in a few seconds (the codebook of every code)
        while not answers():
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.2)
        time.sleep(2.0)  # both new workers have built their app
        assert inodes() == first
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=30)
    assert output.count("Booting worker") >= 4, output  # 2 at start, 2 after the reload
