"""Call mode for bilingual agents (issue 16, point 6): the agent switches a call to the caller's language;
"Say" and "Listen for" are read in Spanish, the caller is given the Spanish /r/ link, and the ticket summary
stays in English and records the caller's language."""
from __future__ import annotations

import html

import pytest
from helpers import csrf_token
from test_calls import Call, log_in


@pytest.fixture
def gsc(app):
    return log_in(app, "gsc")


def test_a_new_call_is_in_english_with_a_switch_to_spanish(gsc):
    call = Call(gsc)
    assert "Are you having trouble signing in to the patient portal" in call.page.text
    assert 'aria-pressed="true" aria-describedby="caller-language">English</button>' in call.page.text
    assert 'name="language" value="es"' in call.page.text


def test_switching_to_spanish_reads_the_questions_in_spanish(gsc):
    call = Call(gsc)
    response = call.post("/language", language="es")
    assert response.status_code == 303
    page = html.unescape(call.page.text)
    assert '<span lang="es">“¿Tiene problemas para entrar al portal del paciente' in page
    assert "No puede entrar: entrar." in page  # Listen for, in Spanish
    assert "What do you need help with?" in page  # the agent's own screen stays English
    call.walk(("topic", "cannot_sign_in"))
    assert "¿Cómo entra: con nombre de usuario y contraseña" in html.unescape(call.page.text)


def test_the_ticket_stays_english_and_records_the_language(gsc):
    call = Call(gsc)
    call.post("/language", language="es")
    call.walk(("topic", "cannot_sign_in"), ("method", "ds_logon"), ("dsl_status", "locked"))
    summary = call.summary
    assert summary.startswith("Issue: Unlock your DS Logon account\nCaller's language: Spanish\nEnvironment:")
    assert "the caller's language set to Spanish" in summary
    assert "Desbloquee" not in summary


def test_the_caller_is_given_the_spanish_link_to_their_result(gsc, engine):
    from wizard.core.reference_codes import code_for

    call = Call(gsc)
    call.post("/language", language="es")
    call.walk(("topic", "cannot_sign_in"), ("method", "ds_logon"), ("dsl_status", "locked"))
    code = code_for(engine.flow.version, {"topic": "cannot_sign_in", "method": "ds_logon", "dsl_status": "locked"})
    assert f'/es/r/{code}" lang="es">' in call.page.text
    assert "Their result in Spanish, to give the caller:" in call.page.text


def test_switching_back_to_english(gsc):
    call = Call(gsc)
    call.post("/language", language="es")
    call.post("/language", language="en")
    assert "Are you having trouble signing in" in call.page.text
    assert "Caller's language" not in call.summary.splitlines()[1]


def test_an_unknown_language_is_refused(gsc):
    call = Call(gsc)
    response = call.client.post(f"{call.url}/language", data={"language": "xx", "csrf_token": csrf_token(call.page.text)})
    assert response.status_code == 400
