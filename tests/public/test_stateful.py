"""Random journeys, forged input and tampered cookies never break the wizard.

A hypothesis state machine plays a person (or an attacker) who answers,
goes back, changes answers, starts again, replays old forms, forges option
keys and node names, and tampers with the cookie, in any order. After every
step: no 5xx, the saved answers are exactly a real path through the flow,
no question is shown that was not reached, and an outcome has a contact.
"""
from __future__ import annotations

import re

from conftest import TEST_CONFIG
from flask.sessions import SecureCookieSessionInterface
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from itsdangerous import BadSignature

from app import create_app

APP = create_app(dict(TEST_CONFIG))
ENGINE = APP.extensions["triage_engine"]
NODES = sorted(ENGINE.flow.nodes)
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
junk = st.text(min_size=0, max_size=60)


class WizardUser(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.client = APP.test_client()
        self.response = self.client.get("/")
        self.old_forms: list[tuple[str, str, str]] = []  # (node, option, token) seen earlier

    # -- what the person does ----------------------------------------------
    def saved_answers(self) -> dict[str, str] | None:
        """The answers in the cookie, or None when the cookie is not readable."""
        cookie = self.client.get_cookie("triage")
        if cookie is None:
            return {}
        try:
            stored = SecureCookieSessionInterface().get_signing_serializer(APP).loads(cookie.value)
        except BadSignature:
            return None
        return {node: key for node, key in stored.get("a", [])}

    def open(self, node: str):
        self.response = self.client.get(f"/q/{node}")
        return TOKEN.search(self.response.text)

    def post(self, node: str, option: str, token: str | None):
        data = {"choice": option} | ({"csrf_token": token} if token else {})
        self.response = self.client.post(f"/q/{node}", data=data)

    def current(self) -> str:
        return ENGINE.walk(self.saved_answers() or {}).current

    @rule(data=st.data())
    def answer_current_question(self, data):
        node = self.current()
        options = sorted(ENGINE.flow.nodes[node].options)
        match = self.open(node)
        if options and match:
            option = data.draw(st.sampled_from(options))
            self.old_forms.append((node, option, match.group(1)))
            self.post(node, option, match.group(1))

    @rule(data=st.data())
    def change_an_earlier_answer(self, data):
        answers = self.saved_answers() or {}
        if answers:
            node = data.draw(st.sampled_from(sorted(answers)))
            match = self.open(node)
            option = data.draw(st.sampled_from(sorted(ENGINE.flow.nodes[node].options)))
            self.post(node, option, match.group(1) if match else None)

    @rule()
    def go_back(self):
        back = re.search(r'class="back-link" href="([^"]+)"', self.response.text)
        if back:
            self.response = self.client.get(back.group(1))

    @rule()
    def start_again(self):
        match = self.open("topic")
        self.response = self.client.post("/restart", data={"csrf_token": match.group(1) if match else ""})

    @rule(data=st.data())
    def replay_an_old_form(self, data):
        if self.old_forms:
            self.post(*data.draw(st.sampled_from(self.old_forms)))

    @rule(option=junk)
    def forge_an_option_key(self, option):
        match = self.open(self.current())
        self.post(self.current(), option, match.group(1) if match else None)

    @rule(node=st.one_of(junk, st.sampled_from(NODES)), option=junk)
    def forge_a_node_name(self, node, option):
        if "/" not in node and "?" not in node and "#" not in node:
            self.response = self.client.post(f"/q/{node}", data={"choice": option})

    @rule(node=st.sampled_from(NODES))
    def open_any_question_by_address(self, node):
        self.response = self.client.get(f"/q/{node}")
        if self.response.status_code == 200:
            assert ENGINE.walk(self.saved_answers() or {}).is_on_path(node), f"showed {node} before it was reached"

    @rule(value=junk)
    def tamper_with_the_cookie(self, value):
        self.client.set_cookie("triage", value or "x")
        self.response = self.client.get("/q/topic")

    # -- what must always hold ----------------------------------------------
    @invariant()
    def never_a_server_error(self):
        assert self.response.status_code < 500, self.response.status_code

    @invariant()
    def saved_answers_are_a_real_path(self):
        answers = self.saved_answers()
        if answers is not None:
            assert ENGINE.walk(answers).answers == answers

    @invariant()
    def outcomes_name_a_contact(self):
        if 'class="steps"' in self.response.text:
            assert re.search(r'href="tel:\+\d+"', self.response.text)


WizardUser.TestCase.settings = settings(max_examples=60, stateful_step_count=25, deadline=None,
                                        suppress_health_check=[HealthCheck.too_slow])
test_random_journeys = WizardUser.TestCase
