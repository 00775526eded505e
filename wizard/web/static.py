"""Static files through WhiteNoise: content-hashed names cached for a year, gzip and brotli variants.

At start the app copies each file of static/ into a build folder (STATIC_BUILD_DIR, default
instance/static/) under its own name and under a name with a hash of its content
(style.css -> style.3f2a1b4c5d6e.css), each with .gz and .br variants when they are smaller.
``url_for('static', filename='style.css')`` gives the hashed name (a url_defaults function), so
templates do not change. WhiteNoise serves that folder before Flask sees the request: hashed
names with ``Cache-Control: public, max-age=31536000, immutable``, the plain names (still served,
for anything that links them) for 60 seconds. Several workers may build at once: every file is
written to a temporary name and renamed into place, and a hashed name always holds the same bytes.
Old hashed files are kept, so a page cached before a change still finds its stylesheet.

The build runs first in gunicorn's master (its start-up check, gunicorn.conf.py), before any worker
starts; each worker then finds every file already there with the same bytes and writes nothing, so a
worker (re)start needs no free disk space. Folders are made 0755 and files 0644 whatever the umask
(systemd's UMask=0077): nginx, another user, serves them.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
from pathlib import Path

from flask import Flask, current_app
from whitenoise import WhiteNoise
from whitenoise.compress import Compressor

from wizard.settings import ConfigError
from wizard.web.security import HEADERS

HASHED_NAME = re.compile(r"\.[0-9a-f]{12}(\.[^./]+)?$")
IMMUTABLE = "public, max-age=31536000, immutable"
SHORT_MAX_AGE = 60  # seconds, for the plain names
log = logging.getLogger(__name__)


def hashed_name(relative: str, data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()[:12]
    folder, _, name = relative.rpartition("/")
    stem, dot, extension = name.rpartition(".")
    hashed = f"{stem}.{digest}.{extension}" if dot and stem else f"{name}.{digest}"
    return f"{folder}/{hashed}" if folder else hashed


FOLDER_MODE = 0o755  # nginx (another user) serves these files: folders it can enter and list,
FILE_MODE = 0o644  # files it can read, whatever the process umask (systemd's UMask=0077 included)


class StaticBuildFailed(OSError):
    """A file pages link could not be written and is not there from an earlier build."""


def make_folder(folder: Path, top: Path) -> None:
    """``folder`` exists, and every folder this makes on the way is mode 0755; so are the existing ones from
    ``top`` down to ``folder`` that this process owns (an earlier build under a strict umask made them 0700)."""
    missing = []
    for parent in (folder, *folder.parents):
        if parent.is_dir():
            break
        missing.append(parent)
    for parent in reversed(missing):
        try:
            parent.mkdir(mode=FOLDER_MODE)  # the mode is cut by the umask: set again below
        except FileExistsError:  # another worker made it first
            pass
    for parent in (folder, *folder.parents):
        if parent not in missing and not (parent == top or top in parent.parents):
            break
        try:
            status = parent.stat()
            if status.st_mode & 0o777 != FOLDER_MODE and status.st_uid == os.geteuid():
                parent.chmod(FOLDER_MODE)
        except OSError:
            pass  # not ours: left as it is


def holds(path: Path, data: bytes) -> bool:
    """``path`` is already a readable file with exactly these bytes (so nothing needs writing)."""
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def write_atomically(path: Path, data: bytes) -> bool:
    """Write ``path`` (mode 0644) through a temporary file and a rename; False when it already held ``data``."""
    if holds(path, data):
        try:
            if path.stat().st_mode & 0o777 != FILE_MODE:
                path.chmod(FILE_MODE)  # a file an earlier build left 0600
        except OSError:
            pass  # not ours: left as it is
        return False
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, FILE_MODE)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True


def write_with_variants(path: Path, data: bytes, compressor: Compressor, problems: list[tuple[Path, OSError]]) -> None:
    """The file and its .gz/.br variants. A write that fails (a full disk) is noted in ``problems``; a
    variant is made again only when its file changed (the same bytes always give the same variant)."""
    try:
        changed = write_atomically(path, data)
    except OSError as error:
        problems.append((path, error))
        return
    if not compressor.should_compress(path.name):
        return
    for encoding, suffix, compress in (("gzip", ".gz", compressor.compress_gzip),
                                       ("brotli", ".br", compressor.compress_brotli)):
        if encoding == "brotli" and not compressor.use_brotli:
            continue
        variant = path.with_name(path.name + suffix)
        if not changed and variant.is_file():
            continue
        smaller = compress(data)
        if compressor.is_compressed_effectively(encoding, str(path), len(data), smaller):
            try:
                write_atomically(variant, smaller)
            except OSError as error:
                problems.append((variant, error))


def build_static(source: Path, target: Path) -> dict[str, str]:
    """Copy static files to ``target`` under plain and hashed names with compressed variants.

    Files already there with the same bytes are left alone, so a second build (every worker after the
    first, a restart) writes nothing and needs no free space. If a write fails but every hashed name
    (what pages link) is there with its bytes, the build carries on with one warning (a plain name or a
    compressed variant may then be older); if a hashed name cannot be written and is not there, it
    raises StaticBuildFailed. Returns the manifest: each file's name under static/ -> its hashed name.
    """
    compressor = Compressor(quiet=True)  # brotli only when the brotli package is installed
    manifest: dict[str, str] = {}
    problems: list[tuple[Path, OSError]] = []
    make_folder(target, target)
    for path in sorted(source.rglob("*")):
        if not path.is_file() or path.name.startswith("."):
            continue
        relative = path.relative_to(source).as_posix()
        data = path.read_bytes()
        manifest[relative] = hashed_name(relative, data)
        make_folder((target / relative).parent, target)
        for name in (relative, manifest[relative]):
            write_with_variants(target / name, data, compressor, problems)
    failed = {where: error for where, error in problems}
    for relative, hashed in manifest.items():
        if target / hashed in failed:
            error = failed[target / hashed]
            raise StaticBuildFailed(error.errno, f"{error.strerror or error} (writing {hashed})")
    if problems:
        where, error = problems[0]
        log.warning("static build: %d file(s) not updated (first: %s: %s); every hashed file pages link is "
                    "there, carrying on", len(problems), where.relative_to(target), error.strerror or error)
    return manifest


def is_hashed(path: str, url: str) -> bool:
    return bool(HASHED_NAME.search(url))


def static_headers(headers, path: str, url: str) -> None:
    """The app's security headers on static files too (WhiteNoise answers before Flask)."""
    for name, value in HEADERS.items():
        headers[name] = value
    if is_hashed(path, url):
        headers["Cache-Control"] = IMMUTABLE


def hashed_static_url(endpoint: str, values: dict) -> None:
    """url_for('static', filename=...) -> the hashed name, when the file is in the manifest."""
    if endpoint == "static":
        filename = values.get("filename")
        hashed = current_app.extensions["static_manifest"].get(filename)
        if hashed:
            values["filename"] = hashed


def init_static(app: Flask) -> None:
    source = Path(app.static_folder)
    target = Path(app.config.get("STATIC_BUILD_DIR") or Path(app.instance_path) / "static")
    try:
        manifest = build_static(source, target)
    except OSError as error:
        raise ConfigError(f"cannot write the static files to {target}: {error.strerror or error}; make it writable "
                          "or set STATIC_BUILD_DIR; refusing to start.") from None
    app.extensions["static_manifest"] = manifest
    app.url_defaults(hashed_static_url)
    app.wsgi_app = WhiteNoise(app.wsgi_app, root=str(target), prefix=app.static_url_path, max_age=SHORT_MAX_AGE,
                              allow_all_origins=False, immutable_file_test=is_hashed,
                              add_headers_function=static_headers)
