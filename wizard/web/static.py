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
"""
from __future__ import annotations

import hashlib
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


def hashed_name(relative: str, data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()[:12]
    folder, _, name = relative.rpartition("/")
    stem, dot, extension = name.rpartition(".")
    hashed = f"{stem}.{digest}.{extension}" if dot and stem else f"{name}.{digest}"
    return f"{folder}/{hashed}" if folder else hashed


def write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_with_variants(path: Path, data: bytes, compressor: Compressor) -> None:
    write_atomically(path, data)
    if not compressor.should_compress(path.name):
        return
    for encoding, suffix, compress in (("gzip", ".gz", compressor.compress_gzip),
                                       ("brotli", ".br", compressor.compress_brotli)):
        if encoding == "brotli" and not compressor.use_brotli:
            continue
        smaller = compress(data)
        if compressor.is_compressed_effectively(encoding, str(path), len(data), smaller):
            write_atomically(path.with_name(path.name + suffix), smaller)


def build_static(source: Path, target: Path) -> dict[str, str]:
    """Copy static files to ``target`` under plain and hashed names with compressed variants.

    Returns the manifest: each file's name under static/ -> its hashed name.
    """
    compressor = Compressor(quiet=True)  # brotli only when the brotli package is installed
    manifest = {}
    for path in sorted(source.rglob("*")):
        if not path.is_file() or path.name.startswith("."):
            continue
        relative = path.relative_to(source).as_posix()
        data = path.read_bytes()
        manifest[relative] = hashed_name(relative, data)
        for name in (relative, manifest[relative]):
            write_with_variants(target / name, data, compressor)
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
