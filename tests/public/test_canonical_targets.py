"""Only a page's canonical address may be cached: every other spelling of it (a query on the start page or a
saved result, a percent-encoded or doubled path, another spelling of a code) is a 303 to that address, never
marked public, so a flood of variants can neither fill KeptPages (wizard/public/page_cache.py) nor nginx's
cache (tests/proxy/test_page_cache.py) and push out the pages people use.

The request target is compared as sent (gunicorn's RAW_URI): ``environ_overrides`` below gives the raw
target a client typed, with the decoded PATH_INFO gunicorn would give for it."""
from __future__ import annotations

import pytest
from helpers import TEST_CONFIG, started_sqlite

from app import create_app
from wizard.core.reference_codes import code_for, format_code
from wizard.public.page_cache import PUBLIC_CACHE, KeptPages

CAC_PIN_LOCKED = (("topic", "cannot_sign_in"), ("method", "cac"), ("cac_problem", "pin_locked"))


def kept_pages(app) -> KeptPages:
    layer = app.wsgi_app
    while not isinstance(layer, KeptPages):
        layer = getattr(layer, "wsgi_app", None) or layer.application  # HostCheck, WhiteNoise
    return layer


@pytest.fixture(scope="module")
def small_app(tmp_path_factory):
    database = started_sqlite(tmp_path_factory.mktemp("canonical"))
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database, "PAGES_KEPT": 16})
    app.config["REACHED_FLASK"] = 0

    @app.before_request
    def count():  # a page KeptPages sends again never gets here
        app.config["REACHED_FLASK"] += 1

    return app


def get_raw(client, raw: str, path_info: str | None = None):
    """GET with this exact request target (RAW_URI/REQUEST_URI), as gunicorn would pass it."""
    path, _, query = raw.partition("?")
    overrides = {"RAW_URI": raw, "REQUEST_URI": raw}
    if path_info is not None:
        overrides["PATH_INFO"] = path_info
    return client.get(path_info or path, query_string=query, environ_overrides=overrides)


def variants(v: str, code: str) -> list[tuple[str, str | None, str]]:
    """(raw target, PATH_INFO gunicorn gives for it, the canonical address it must be sent to)."""
    question = f"/q/topic?v={v}"
    return [
        ("/?", "/", "/"), ("/?x=1", "/", "/"), ("/?v=" + v, "/", "/"),
        ("/%2F", "//", None),  # Werkzeug merges the slashes: a redirect, never cached
        (f"/q/%74opic?v={v}", "/q/topic", question), (f"/q%2Ftopic?v={v}", "/q/topic", question),
        (f"/q/topic?v={v}&", "/q/topic", question), (f"/q/topic?v=%3{v[0]}{v[1:]}", "/q/topic", question),
        (f"/r/{code.lower()}", f"/r/{code.lower()}", f"/r/{code}"),
        (f"/r/{format_code(code)}", f"/r/{format_code(code)}", f"/r/{code}"),
        (f"/r/{code}?x=1", f"/r/{code}", f"/r/{code}"), (f"/r/%{ord(code[0]):X}{code[1:]}", f"/r/{code}", f"/r/{code}"),
        (f"/answers?v={v}&", "/answers", f"/answers?v={v}"),
    ]


def test_every_other_spelling_of_a_page_is_sent_to_its_canonical_address_and_not_kept(small_app):
    client = small_app.test_client()
    v = small_app.extensions["triage_engine"].flow.version
    code = code_for(v, dict(CAC_PIN_LOCKED))
    kept = kept_pages(small_app)
    for raw, path_info, canonical in variants(v, code):
        response = get_raw(client, raw, path_info)
        assert response.status_code in (303, 308), raw
        assert response.headers["Cache-Control"] == "no-store", raw
        if canonical:
            assert response.headers["Location"] == canonical, raw
            assert get_raw(client, canonical).headers["Cache-Control"] == PUBLIC_CACHE, canonical
        assert (("localhost", raw)) not in kept.pages, raw


def test_a_flood_of_variants_leaves_a_warm_page_kept(small_app):
    client = small_app.test_client()
    v = small_app.extensions["triage_engine"].flow.version
    warm = f"/q/method?topic=cannot_sign_in&v={v}"
    assert get_raw(client, warm).status_code == 200
    before = set(kept_pages(small_app).pages)
    flood = [get_raw(client, target, path_info).status_code for n in range(100)  # PAGES_KEPT is 16 here
             for target, path_info in ((f"/?x={n}", "/"), (f"/q/%6Dethod?topic=cannot_sign_in&v={v}&n={n}", "/q/method"))]
    reached = small_app.config["REACHED_FLASK"]
    assert get_raw(client, warm).status_code == 200
    assert small_app.config["REACHED_FLASK"] == reached  # still kept: sent again without running Flask
    assert set(kept_pages(small_app).pages) == before  # nothing kept for any variant
    assert set(flood) == {303}


def test_the_kept_page_of_an_address_is_never_sent_for_another_spelling_of_it(small_app):
    """KeptPages keys on the target as sent, not the decoded PATH_INFO: /q%2Fmethod reaches the app (303)."""
    client = small_app.test_client()
    v = small_app.extensions["triage_engine"].flow.version
    warm = f"/q/method?topic=cannot_sign_in&v={v}"
    assert get_raw(client, warm).status_code == 200
    assert get_raw(client, f"/q%2Fmethod?topic=cannot_sign_in&v={v}", "/q/method").status_code == 303


@pytest.mark.parametrize(("environ", "target"), [
    ({"RAW_URI": "/q/%74opic?v=1", "PATH_INFO": "/q/topic", "QUERY_STRING": "v=1"}, "/q/%74opic?v=1"),
    ({"REQUEST_URI": "//q/topic", "PATH_INFO": "//q/topic"}, "//q/topic"),
    ({"RAW_URI": "http://evil.example/q/topic?v=1"}, "/q/topic?v=1"),
    ({"RAW_URI": "http://evil.example?v=1"}, "/?v=1"),
    ({"SCRIPT_NAME": "", "PATH_INFO": "/q/t opic", "QUERY_STRING": "v=1"}, "/q/t%20opic?v=1"),
    ({"PATH_INFO": "/", "QUERY_STRING": ""}, "/"),
])
def test_the_request_target_is_taken_as_sent_with_a_fallback(environ, target):
    from wizard.public.page_cache import request_target

    assert request_target(environ) == target
