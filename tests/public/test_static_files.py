"""Static files through WhiteNoise: hashed names cached a year, compressed variants; public pages cached for 10
minutes, everything else no-store."""
from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from page_addresses import PUBLIC_CACHE, canonical_query, page_address

from wizard.web.static import build_static, hashed_name

LINKED = re.compile(r'(?:href|src)="(/static/[^"]+)"')


def fetch(client, url: str, **kwargs):
    """GET ``url`` and close the response (WhiteNoise answers with an open file)."""
    with client.get(url, **kwargs) as response:
        response.data  # read it before the file closes
        return response


def original(app, name: str) -> bytes:
    return (Path(app.static_folder) / name).read_bytes()


def linked_static(client, path: str | None = None) -> list[str]:
    page = client.get(path or page_address(client.application, "topic"))
    assert page.status_code == 200
    return LINKED.findall(page.text)


def test_pages_link_hashed_names(app, client):
    manifest = app.extensions["static_manifest"]
    links = linked_static(client)
    assert f"/static/{manifest['style.css']}" in links and f"/static/{manifest['wizard.js']}" in links
    assert f"/static/{manifest['staff.css']}" not in links  # the console's styles are not a public page's weight
    assert all(re.search(r"\.[0-9a-f]{12}\.(css|js|svg)$", link) for link in links), links


def test_staff_pages_link_hashed_names(app, client):
    manifest = app.extensions["static_manifest"]
    links = linked_static(client, "/staff/login")
    assert f"/static/{manifest['style.css']}" in links and f"/static/{manifest['staff.css']}" in links


@pytest.mark.parametrize("name", ["style.css", "staff.css", "wizard.js", "staff.js"])
def test_a_hashed_name_is_immutable_and_holds_the_files_bytes(app, client, name):
    response = fetch(client, f"/static/{app.extensions['static_manifest'][name]}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.data == original(app, name)
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Access-Control-Allow-Origin" not in response.headers


def test_gzip_when_asked(app, client):
    name = app.extensions["static_manifest"]["style.css"]
    response = fetch(client, f"/static/{name}", headers={"Accept-Encoding": "gzip"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert gzip.decompress(response.data) == original(app, "style.css")
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "Content-Encoding" not in fetch(client, f"/static/{name}").headers


def test_brotli_when_asked(app, client):
    import brotli
    name = app.extensions["static_manifest"]["style.css"]
    response = fetch(client, f"/static/{name}", headers={"Accept-Encoding": "br, gzip"})
    assert response.headers["Content-Encoding"] == "br"
    assert brotli.decompress(response.data) == original(app, "style.css")


def test_the_plain_name_still_works_with_a_short_cache(client):
    response = fetch(client, "/static/style.css")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "max-age=60, public"


@pytest.mark.parametrize("path", ["/", "topic", "answers", "dsl_forgot"])
def test_public_pages_are_cached_ten_minutes_and_a_week_while_the_app_is_down(app, client, path):
    forgot = {"topic": "cannot_sign_in", "method": "ds_logon", "dsl_status": "forgot"}
    address = {"/": "/", "topic": page_address(app, "topic"), "answers": f"/answers?{canonical_query(app, forgot)}",
               "dsl_forgot": page_address(app, "dsl_forgot", forgot)}[path]
    response = client.get(address)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == PUBLIC_CACHE


@pytest.mark.parametrize(("path", "status"), [
    ("/q/topic", 303),  # not the page's own address (no content version): a redirect to it
    ("/q/topic?v=000000000000", 303),  # an old content version: a redirect too
    ("/a/topic", 400),  # a refused answer (nothing chosen)
    ("/q/nowhere", 404),
    ("/staff/login", 200),
])
def test_everything_else_stays_no_store(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    assert response.headers["Cache-Control"] == "no-store"


def test_an_unknown_static_file_is_a_404(client):
    assert fetch(client, "/static/style.000000000000.css").status_code == 404


def test_the_build_is_repeatable_and_keeps_old_hashed_names(tmp_path):
    source, target = tmp_path / "static", tmp_path / "build"
    source.mkdir()
    (source / "a.css").write_text("body { color: black; }\n" * 50)
    first = build_static(source, target)
    assert first == {"a.css": hashed_name("a.css", (source / "a.css").read_bytes())}
    assert build_static(source, target) == first
    (source / "a.css").write_text("body { color: navy; }\n" * 50)
    second = build_static(source, target)
    assert second["a.css"] != first["a.css"]
    assert (target / first["a.css"]).exists() and (target / second["a.css"]).exists()
    assert (target / "a.css").read_text() == (source / "a.css").read_text()
    assert (target / (second["a.css"] + ".gz")).exists()
    assert not [path for path in target.iterdir() if path.name.startswith(".")]  # no temporary files left


def test_hashed_names():
    assert re.fullmatch(r"style\.[0-9a-f]{12}\.css", hashed_name("style.css", b"x"))
    assert re.fullmatch(r"img/logo\.[0-9a-f]{12}\.svg", hashed_name("img/logo.svg", b"x"))
    assert re.fullmatch(r"LICENSE\.[0-9a-f]{12}", hashed_name("LICENSE", b"x"))
