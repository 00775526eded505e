"""Random journeys and forged addresses never break the wizard.

The answers are only in the address, so anyone can type any address. A hypothesis
state machine plays a person (or an attacker) who answers, goes back, follows
Change links, opens any question with any answers, reorders, drops or adds
parameters, sends old content versions and forged option keys, in any order.
A second test sends wholly random addresses. After every request: no 5xx; a
question or outcome page is only ever shown at its canonical address, for answers
that are a real path through the flow, on that path (never out of order); every
redirect stays on the site and ends at such a page; an outcome has a contact.
"""
from __future__ import annotations

import html
import re
from urllib.parse import parse_qsl, urlencode, urlsplit

from helpers import TEST_CONFIG
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from app import create_app

APP = create_app(dict(TEST_CONFIG))
ENGINE = APP.extensions["triage_engine"]
VERSION = ENGINE.flow.version
NODES = sorted(ENGINE.flow.nodes)
KEYS = sorted({key for node in ENGINE.flow.nodes.values() for key in node.options})
QUESTIONS = [node for node in NODES if ENGINE.flow.nodes[node].options]
junk = st.text(min_size=0, max_size=60)
names = st.one_of(st.sampled_from(NODES), st.sampled_from(["v", "notice", "choice", "csrf_token"]), junk)
values = st.one_of(st.sampled_from(KEYS), st.sampled_from([VERSION, "0", "not_reached", "not_on_question"]), junk)
PAGE = re.compile(r"^/(q/[a-z0-9_]+|answers)$")


def check_page(response, path: str, query: str) -> None:
    """What every response to a public GET must be."""
    assert response.status_code < 500, (response.status_code, path, query)
    if response.status_code == 200 and PAGE.match(path):
        answers = {name: value for name, value in parse_qsl(query) if name not in ("v", "notice")}
        position = ENGINE.walk(answers)
        assert position.answers == answers, f"{path}?{query} shows answers off the path"
        assert ("v", VERSION) in parse_qsl(query), f"{path}?{query} shown for another content version"
        assert [name for name, _ in parse_qsl(query)] == sorted(name for name, _ in parse_qsl(query))
        if path.startswith("/q/"):
            node = path[3:]
            assert node == position.current or node in position.answers, f"showed {node} before it was reached"
        assert response.headers["Cache-Control"].startswith("public")
    if response.status_code in (301, 302, 303, 307, 308):
        location = response.headers["Location"]
        assert location.startswith("/") and not location.startswith("//"), location
    if 'class="steps"' in response.text:
        assert '<p class="main-contact">' in response.text  # who handles it: by phone, or how to reach them


def get(client, path: str, query: str = ""):
    """GET path?query, check it, and follow redirects (checking each hop): the last response."""
    for _ in range(4):
        response = client.get(f"{path}?{query}" if query else path)
        check_page(response, path, query)
        if response.status_code not in (301, 302, 303, 307, 308):
            return response
        location = urlsplit(response.headers["Location"])
        path, query = location.path, location.query
    raise AssertionError(f"more than 3 redirects from {path}?{query}")


def links(page: str, pattern: str) -> list[str]:
    return [html.unescape(href) for href in re.findall(rf'href="({pattern}[^"]*)"', page)]


class WizardUser(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.client = APP.test_client()
        self.response = get(self.client, "/")

    # -- what the person does ----------------------------------------------
    def open(self, url: str):
        parts = urlsplit(url)
        self.response = get(self.client, parts.path, parts.query)

    def address(self) -> list[tuple[str, str]]:
        return parse_qsl(self.response.request.query_string.decode())

    def forms(self) -> list[tuple[str, str]]:
        """(node, inside) of each answer form on the page."""
        return re.findall(r'<form method="get" action="/a/([a-z0-9_]+)"[^>]*>(.*?)</form>', self.response.text,
                          re.S)

    @rule(data=st.data())
    def answer_with_the_pages_own_form(self, data):
        forms = self.forms()
        if forms:
            node, inside = data.draw(st.sampled_from(forms))
            hidden = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', inside)
            offered = re.findall(rf'name="{node}" type="radio" value="([^"]+)"', inside) + \
                [value for name, value in hidden if name == node]
            carried = [(name, value) for name, value in hidden if name != node]
            chosen = data.draw(st.sampled_from(offered)) if offered else ""
            self.open(f"/a/{node}?{urlencode([*carried, (node, chosen)])}")

    @rule(data=st.data())
    def follow_a_back_or_change_link(self, data):
        found = links(self.response.text, "/q/") + links(self.response.text, "/answers") + \
            (["/"] if 'href="/"' in self.response.text else [])
        if found:
            self.open(data.draw(st.sampled_from(found)))

    @rule(node=st.sampled_from(NODES))
    def open_any_question_with_the_answers_so_far(self, node):
        self.open(f"/q/{node}?{urlencode(self.address())}")

    @rule(node=st.sampled_from(QUESTIONS), option=st.one_of(st.sampled_from(KEYS), junk))
    def send_an_answer_for_any_question(self, node, option):
        pairs = [pair for pair in self.address() if pair[0] != node]
        self.open(f"/a/{node}?{urlencode([*pairs, (node, option)])}")

    @rule(data=st.data())
    def reorder_or_drop_parameters(self, data):
        pairs = data.draw(st.permutations(self.address()))
        keep = data.draw(st.integers(min_value=0, max_value=len(pairs)))
        self.open(f"{self.response.request.path}?{urlencode(pairs[:keep])}")

    @rule(name=names, value=values)
    def add_or_replace_a_parameter(self, name, value):
        pairs = [pair for pair in self.address() if pair[0] != name] + [(name, value)]
        self.open(f"{self.response.request.path}?{urlencode(pairs)}")

    @rule()
    def an_old_content_version(self):
        pairs = [pair for pair in self.address() if pair[0] != "v"] + [("v", "0123456789ab")]
        self.open(f"{self.response.request.path}?{urlencode(pairs)}")

    # -- what must always hold ----------------------------------------------
    @invariant()
    def never_a_server_error(self):
        assert self.response.status_code < 500, self.response.status_code

    @invariant()
    def no_cookie_is_ever_set(self):
        assert "Set-Cookie" not in self.response.headers
        assert self.client.get_cookie("triage") is None


WizardUser.TestCase.settings = settings(max_examples=60, stateful_step_count=25, deadline=None,
                                        suppress_health_check=[HealthCheck.too_slow])
test_random_journeys = WizardUser.TestCase

safe_path_part = junk.filter(lambda text: not any(c in text for c in "/?#%\\") and text.strip() == text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(page=st.one_of(st.sampled_from([f"/q/{node}" for node in NODES] + [f"/a/{node}" for node in NODES]
                                      + ["/answers", "/"]),
                      safe_path_part.map(lambda name: f"/q/{name}"), safe_path_part.map(lambda name: f"/a/{name}")),
       pairs=st.lists(st.tuples(names, values), max_size=12))
def test_random_addresses_never_fail_and_never_show_a_question_out_of_order(page, pairs):
    response = get(APP.test_client(), page, urlencode(pairs))
    assert response.status_code in (200, 400, 404, 409), response.status_code
    if page.startswith("/a/") and response.status_code == 200:
        assert response.request.path.startswith("/q/")  # an answer is never a page of its own
