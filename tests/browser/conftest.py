"""Browser fixtures: the real app under gunicorn, Debian's Chromium through Playwright.

One gunicorn server and one Chromium per test session; a fresh browser
context (cookies, viewport, JavaScript on or off) per test. Playwright never
downloads a browser here: it drives /usr/bin/chromium, which `make test`
installs. When that browser is missing the tests fail (they never skip), so a
machine that cannot run them cannot pass silently.
"""
from __future__ import annotations

import itertools
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from processes import answers, free_port, stop_process

from .walking import sideways_scroll_when_narrow

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # the tests run as root in a container
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--no-first-run",
    "--no-default-browser-check",
    "--metrics-recording-only",
]
SCREENSHOTS = REPO / "test-output" / "screenshots"
# WCAG 2.0, 2.1 and 2.2, levels A and AA. axe-core (4.12 in axe-playwright-python 0.1.8) runs
# rules that are off by default, such as target-size (2.5.8), when their tag is asked for.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
SERVER_START_TIMEOUT = 30.0
DESKTOP = {"width": 1280, "height": 800}


# ---------------------------------------------------------------- the server

def server_environment(tmp_path_factory) -> dict[str, str]:
    url = f"sqlite:///{tmp_path_factory.getbasetemp() / 'browser-wizard.db'}"
    return {**os.environ, "SECRET_KEY": "browser-test-secret-key", "APP_ENV": "development", "DATABASE_URL": url}


STAFF_PASSWORD = "browser-test-password"


@pytest.fixture(scope="session")
def staff_account(server, tmp_path_factory):
    """staff_account(desk): the name of a new agent of that desk, made with the real CLI in the server's database."""
    made = itertools.count()

    def make(desk: str = "gsc") -> str:
        name = f"browser{next(made)}-{desk}"
        subprocess.run([sys.executable, "-m", "flask", "--app", "app", "staff", "add", name, "--desk", desk,
                        "--password-stdin"], input=STAFF_PASSWORD + "\n", text=True, cwd=REPO,
                       env=server_environment(tmp_path_factory), check=True, capture_output=True)
        return name

    return make


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> str:
    """Base URL of the app served by gunicorn with the project's gunicorn.conf.py."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log_path = tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"
    env = server_environment(tmp_path_factory)
    # The project's settings (gthread workers, 4 threads each), but 2 workers rather than
    # one per CPU: enough to share sessions across processes, quick to start on a big machine.
    command = [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py",
               "--bind", f"127.0.0.1:{port}", "--workers", "2", "app:create_app()"]
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while not answers(base_url + "/"):
            if process.poll() is not None:
                pytest.fail(f"gunicorn exited with status {process.returncode} before answering:\n"
                            f"{log_path.read_text(errors='replace')}", pytrace=False)
            if time.monotonic() > deadline:
                pytest.fail(f"gunicorn did not answer on {base_url} within {SERVER_START_TIMEOUT:.0f}s:\n"
                            f"{log_path.read_text(errors='replace')}", pytrace=False)
            time.sleep(0.1)
        yield base_url
    finally:
        stop_process(process, signal.SIGINT)  # gunicorn: quick shutdown


# ---------------------------------------------------------------- the browser

@pytest.fixture(scope="session")
def browser(request):
    """One headless Chromium for the whole session (started after the server, so it closes first)."""
    if not CHROMIUM.exists():
        pytest.fail(f"The browser tests need Debian's Chromium at {CHROMIUM}, and it is not there. "
                    "Run `make test` (it installs it: apt-get install chromium), or install it yourself. "
                    "Playwright must not download a browser.", pytrace=False)
    request.getfixturevalue("server")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()


@pytest.fixture
def new_context(browser, server):
    """Make browser contexts for this test (closed at its end): new_context(viewport=..., ...)."""
    made = []

    def make(**options):
        options = {"base_url": server, "viewport": DESKTOP, **options}
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


@pytest.fixture
def page(new_context):
    """A page in a fresh desktop-sized context with JavaScript on."""
    return new_context().new_page()


# ---------------------------------------------------------------- helpers

@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def violations_report(violations: list[dict]) -> str:
    """axe violations as readable text: rule, impact, help, and each failing element."""
    lines = [f"{len(violations)} WCAG 2.2 A/AA violation(s):"]
    for violation in violations:
        lines.append(f"\n* {violation['id']} ({violation.get('impact')}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"  - {', '.join(map(str, node['target']))}")
            lines.append(f"    {' '.join(node['html'].split())[:300]}")
            for check in node.get("any", []) + node.get("all", []) + node.get("none", []):
                lines.append(f"      {check['message']}")
    return "\n".join(lines)


@pytest.fixture
def a11y_problems(axe):
    """a11y_problems(page): the WCAG 2.2 A/AA violations axe finds, as readable text ('' if none)."""

    def problems(page) -> str:
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS},
                                         "resultTypes": ["violations"]})
        violations = results.response["violations"]
        return violations_report(violations) if violations else ""

    return problems


@pytest.fixture
def shoot(screenshots):
    """shoot(page, name): save a full-page PNG as test-output/screenshots/<name>.png."""

    def save(page, name: str) -> Path:
        path = screenshots / f"{re.sub(r'[^A-Za-z0-9_.-]+', '-', name)}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save


@pytest.fixture
def page_problems(a11y_problems, shoot):
    """page_problems(page, name): screenshot the page as <name>.png, then report (as text,
    '' if none) its axe violations and whether it scrolls sideways at 320 px wide."""

    def inspect(page, name: str) -> str:
        shoot(page, name)
        problems = [a11y_problems(page), sideways_scroll_when_narrow(page) or ""]
        return "\n".join(problem for problem in problems if problem)

    return inspect


@pytest.fixture
def check_page(page_problems):
    """check_page(page, name): page_problems, failing the test when there are any."""

    def check(page, name: str) -> None:
        problems = page_problems(page, name)
        assert not problems, f"{name} ({page.url})\n{problems}"

    return check
