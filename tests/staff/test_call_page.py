"""The call page's shortcuts change none of its bytes: addresses joined to the call's own, fixed addresses built
once, one CSRF field per request, and its kept parts (wizard/public/fragments.py kept).

Every node of the flow is opened on a call (by a search jump) at both desks, and each outcome also in
Spanish, sent back and escalated; each page is rendered with kept parts and without (the store's limit 0),
and must be the same. A kept part whose key leaves out something it reads shows an earlier page's part, and
fails here.
"""
from __future__ import annotations

import re

import pytest
from flask import render_template_string, url_for
from flask_wtf.csrf import validate_csrf
from helpers import csrf_token

from wizard.public.fragments import fragments
from wizard.staff.calls import CALL_PAGES, call_links
from wizard.web.templating import fixed_url

CALL_ID = "Ab-_9z" * 3  # the characters of secrets.token_urlsafe
TOKEN = re.compile(r'(name="csrf_token" value=")[^"]+"')  # signed with the time: a new one on each request


@pytest.mark.parametrize("script_root", ["", "/help"])
def test_each_call_address_is_url_fors_own(app, script_root):
    with app.test_request_context("/staff/", base_url=f"http://localhost{script_root}"):
        links = call_links(CALL_ID)
        for endpoint, under in CALL_PAGES.items():
            node = {"node_id": "dsl_status"} if under.endswith("/q/") else {}
            assert links[endpoint] + node.get("node_id", "") == url_for(endpoint, call_id=CALL_ID, **node), endpoint


@pytest.mark.parametrize("script_root", ["", "/help"])
def test_a_fixed_address_is_url_fors_own_under_each_mount_point(app, script_root):
    for root in (script_root, "/elsewhere", script_root):  # the one kept for another mount point is not used
        with app.test_request_context("/staff/", base_url=f"http://localhost{root}"):
            for endpoint, values in [("staff.home", {}), ("staff.logout", {}), ("static", {"filename": "staff.css"}),
                                     ("static", {"filename": "style.css"})]:
                assert fixed_url(endpoint, **values) == url_for(endpoint, **values)


def test_the_csrf_input_carries_a_token_flask_wtf_accepts_once_per_request(app):
    with app.test_request_context("/staff/"):
        fields = render_template_string("{{ csrf_input() }}{{ csrf_input() }}")
        token = re.fullmatch(r'<input type="hidden" name="csrf_token" value="([^"]+)">', fields[:len(fields) // 2])
        assert token and fields == token.group(0) * 2  # every form of a page: the same field
        validate_csrf(token.group(1))  # raises if Flask-WTF would refuse it


def pages_of_calls(client, engine, search):
    """Each node opened on a new call; each outcome also in Spanish, sent back and escalated (as far as allowed)."""
    home = client.get("/staff/")
    for node in sorted(search.paths):
        url = client.post("/staff/calls", data={"csrf_token": csrf_token(home.text)}).headers["Location"]
        client.post(f"{url}/jump", data={"node": node, "csrf_token": csrf_token(home.text)})
        yield url
        if not engine.flow.nodes[node].is_outcome:
            continue
        for path, data in [("/language", {"language": "es"}), ("/sent-back", {}), ("/language", {"language": "en"}),
                           ("/escalate", {"reason": "steps_failed"}), ("/confirm", {})]:
            client.post(f"{url}{path}", data={**data, "csrf_token": csrf_token(home.text)})
            yield url


@pytest.mark.parametrize("desk", ["gsc", "dmdc"])
def test_kept_parts_change_no_byte_of_any_call_page(app, staff_client, desk):
    client = staff_client(desk)
    with app.app_context():
        store = fragments()
        engine, search = app.extensions["triage_engine"], app.extensions["triage_search"]
    limit, seen = store.limit, 0
    for url in pages_of_calls(client, engine, search):
        kept = TOKEN.sub(r'\1"', client.get(url).text)
        store.limit = 0
        try:
            rendered = TOKEN.sub(r'\1"', client.get(url).text)
        finally:
            store.limit = limit
        assert kept == rendered, url
        seen += 1
    assert seen > 100
    assert 'name="csrf_token" value=""' in kept


@pytest.mark.parametrize("desk", ["gsc", "dmdc"])
def test_every_address_on_every_call_page_is_a_route_of_the_console(app, staff_client, desk):
    """The call page joins its addresses (call_links); an endpoint name it misspells renders as an empty
    address, which this finds: each form posts, and each link leads, to one of the app's routes."""
    client = staff_client(desk)
    with app.app_context():
        engine, search = app.extensions["triage_engine"], app.extensions["triage_search"]
    routes = app.url_map.bind("localhost")
    for url in pages_of_calls(client, engine, search):
        page = client.get(url).text
        posts = re.findall(r'<form method="post" action="([^"]*)"', page)
        gets = re.findall(r'<form method="get" action="([^"]*)"|href="(/staff/[^"#?]*)"', page)
        assert posts and all(routes.match(action, method="POST") for action in posts), (url, posts)
        for action, href in gets:
            assert routes.match(action or href, method="GET"), (url, action or href)
