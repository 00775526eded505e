"""The static build (wizard/web/static.py) under systemd's UMask=0077 and on a full disk.

nginx (another user) serves the build folder, so its folders must be 0755 and its files 0644 whatever the
umask. Every worker start builds again: with every file already there it must write nothing, so that a
restart or `systemctl reload` with the disk full still boots (a full disk is simulated: every new file the
build would write fails with ENOSPC)."""
from __future__ import annotations

import errno
import logging
import os
import shutil
import stat
import tempfile
from pathlib import Path

import pytest
from helpers import TEST_CONFIG

from app import create_app
from wizard.settings import ConfigError
from wizard.web import static
from wizard.web.static import build_static

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO / "static"


@pytest.fixture
def root():
    """A folder other users can enter (pytest's tmp_path is 0700), standing for /srv/wizard."""
    folder = Path(tempfile.mkdtemp(prefix="wizard-static-build-"))
    folder.chmod(0o755)
    (folder / "instance").mkdir(mode=0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def strict_umask():
    old = os.umask(0o077)
    yield
    os.umask(old)


def disk_full(monkeypatch) -> list[str]:
    """Every new file the build would write fails as on a full disk; the names it tried are returned."""
    tried: list[str] = []

    def no_space(*args, prefix="", **kwargs):
        tried.append(prefix)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(static.tempfile, "mkstemp", no_space)
    return tried


def modes(target: Path) -> tuple[set[int], set[int]]:
    folders = {stat.S_IMODE(path.stat().st_mode) for path in [target, *target.rglob("*")] if path.is_dir()}
    files = {stat.S_IMODE(path.stat().st_mode) for path in target.rglob("*") if path.is_file()}
    return folders, files


def readable_by_nobody(path: Path) -> bool:
    """Read ``path`` in a child process running as user nobody (only possible as root)."""
    child = os.fork()
    if child == 0:
        try:
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            path.read_bytes()
            os._exit(0)
        except BaseException:
            os._exit(1)
    _, status = os.waitpid(child, 0)
    return os.waitstatus_to_exitcode(status) == 0


def test_a_build_under_umask_077_is_readable_by_other_users(root, strict_umask):
    target = root / "instance" / "static" / "build"  # two folders the build makes itself
    manifest = build_static(SOURCE, target)
    folders, files = modes(target)
    assert folders == {0o755} and files == {0o644}
    assert stat.S_IMODE((root / "instance" / "static").stat().st_mode) == 0o755
    if os.geteuid() == 0:
        assert readable_by_nobody(target / manifest["style.css"])


def test_folders_and_files_an_earlier_build_left_private_are_opened_up(root):
    target = root / "instance" / "static"
    build_static(SOURCE, target)
    target.chmod(0o700)
    (target / "style.css").chmod(0o600)
    build_static(SOURCE, target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o755
    assert stat.S_IMODE((target / "style.css").stat().st_mode) == 0o644


def test_a_second_build_writes_nothing_so_a_full_disk_does_not_stop_it(root, monkeypatch):
    target = root / "instance" / "static"
    first = build_static(SOURCE, target)
    before = {path: path.stat().st_mtime_ns for path in target.rglob("*")}
    tried = disk_full(monkeypatch)
    assert build_static(SOURCE, target) == first
    assert tried == []  # nothing written
    assert {path: path.stat().st_mtime_ns for path in target.rglob("*")} == before


def test_the_app_starts_with_the_disk_full_when_its_static_files_are_there(root, monkeypatch, tmp_path):
    config = {**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'wizard.db'}",
              "STATIC_BUILD_DIR": str(root / "instance" / "static")}
    create_app(config)  # the first start (gunicorn's master) builds
    disk_full(monkeypatch)
    app = create_app(config)  # a worker (re)started with the disk full
    with app.test_client().get(f"/static/{app.extensions['static_manifest']['style.css']}") as response:
        assert response.status_code == 200 and response.data == (SOURCE / "style.css").read_bytes()


def test_a_full_disk_that_leaves_a_plain_name_old_carries_on_with_one_warning(root, monkeypatch, caplog):
    target = root / "instance" / "static"
    first = build_static(SOURCE, target)
    (target / "style.css").write_bytes(b"/* an older stylesheet */\n")  # the plain name from an earlier deploy
    disk_full(monkeypatch)
    caplog.set_level(logging.WARNING)
    assert build_static(SOURCE, target) == first
    warnings = [record.getMessage() for record in caplog.records if record.name == "wizard.web.static"]
    assert len(warnings) == 1 and "style.css" in warnings[0] and "carrying on" in warnings[0]


def test_a_hashed_file_that_is_missing_and_cannot_be_written_stops_the_start_in_one_line(root, monkeypatch, tmp_path):
    config = {**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'wizard.db'}",
              "STATIC_BUILD_DIR": str(root / "instance" / "static")}
    app = create_app(config)
    (root / "instance" / "static" / app.extensions["static_manifest"]["wizard.js"]).unlink()
    disk_full(monkeypatch)
    with pytest.raises(ConfigError) as refused:
        create_app(config)
    message = str(refused.value)
    assert "No space left on device" in message and "\n" not in message
