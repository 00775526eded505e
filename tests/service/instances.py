"""Real app instances under gunicorn for the service tests, and a small HTTP client that keeps cookies
(staff pages use a session cookie; public pages keep their answers in the address and set none).

An instance is the project's gunicorn.conf.py on 127.0.0.1 and a free port,
with the environment a deployment gives (DATABASE_URL, RATELIMIT_STORAGE_URI,
SECRET_KEY, ...). Its working directory is an empty temporary folder, so a
log file written by default would show up there; its standard error (where
gunicorn and the app log) goes to a file the test reads.
"""
from __future__ import annotations

import html
import http.cookiejar
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from helpers import answer_query, start_now_link
from processes import free_port

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT = 30.0
SECRET_KEY = "service-tests-" + "k" * 50  # the same on every instance: a cookie signed by one is read by the other
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')
CODE = re.compile(r'class="reference-code-value"><span aria-hidden="true">([0-9A-Z]{4}-[0-9A-Z]{4})</span>')


class Instance:
    """One gunicorn master (with its workers) serving the app on 127.0.0.1:port."""

    def __init__(self, name: str, env: dict[str, str], workers: int = 2) -> None:
        self.name = name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.folder = Path(tempfile.mkdtemp(prefix=f"wizard-{name}-"))
        self.cwd = self.folder / "cwd"  # stays empty: nothing may write a log file by default
        self.cwd.mkdir()
        self.stderr = self.folder / "stderr.log"
        self.env = {**os.environ, "APP_ENV": "development", "SECRET_KEY": SECRET_KEY,
                    "PYTHONPATH": str(REPO), **env}
        self.workers = workers
        self.process: subprocess.Popen | None = None

    def start(self) -> Instance:
        return self.launch().wait()

    def launch(self) -> Instance:
        command = [sys.executable, "-m", "gunicorn", "--config", str(REPO / "gunicorn.conf.py"),
                   "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers),
                   "--control-socket", str(self.folder / "gunicorn.ctl"), "app:create_app()"]
        with self.stderr.open("ab") as log:
            self.process = subprocess.Popen(command, cwd=self.cwd, env=self.env, stdin=subprocess.DEVNULL,
                                            stdout=log, stderr=subprocess.STDOUT)
        return self

    def wait(self) -> Instance:
        deadline = time.monotonic() + START_TIMEOUT
        while not self.answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{self.name} did not start on {self.url}:\n{self.log()}")
            time.sleep(0.1)
        return self

    def answers(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + "/", timeout=2) as response:
                return response.status == 200
        except urllib.error.HTTPError as error:
            error.close()
            return False
        except (urllib.error.URLError, OSError):
            return False

    def begin_stop(self) -> None:
        """Ask gunicorn to stop (SIGINT: quick shutdown) without waiting, so several stop at once."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)

    def stop(self) -> None:
        self.begin_stop()
        if self.process is not None and self.process.poll() is None:
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    def worker_pids(self) -> list[int]:
        assert self.process is not None
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return [int(pid) for pid in children]

    def log(self) -> str:
        return self.stderr.read_text(errors="replace") if self.stderr.exists() else ""

    def run_cli(self, *arguments: str, stdin: str = "") -> subprocess.CompletedProcess:
        """`python -m flask --app app ...` with this instance's environment (its database)."""
        return subprocess.run([sys.executable, "-m", "flask", "--app", "app", *arguments], input=stdin, text=True,
                              cwd=REPO, env=self.env, capture_output=True, timeout=60)


@dataclass
class Page:
    status: int
    url: str
    headers: dict[str, str]
    text: str

    @property
    def path(self) -> str:
        return urllib.parse.urlsplit(self.url).path

    @property
    def location(self) -> str:
        return self.headers.get("location", "")

    @property
    def csrf_token(self) -> str:
        match = CSRF.search(self.text)
        assert match, f"no CSRF token on {self.url} ({self.status})"
        return match.group(1) or match.group(2)

    @property
    def code(self) -> str | None:
        """The reference code shown on an outcome page, if any (K7PM-4QX2 form)."""
        match = CODE.search(self.text)
        return match.group(1) if match else None

    @property
    def words(self) -> str:
        return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", self.text)).split())


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Cookies shared across every instance it talks to (a cookie for 127.0.0.1 is sent to any port),
    redirects not followed unless asked, so each status can be checked."""

    def __init__(self) -> None:
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect())
        self.page: Page | None = None  # the last public page: its form carries the answers so far

    def request(self, url: str, data: dict[str, str] | None = None, timeout: float = 10) -> Page:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            response = self.opener.open(urllib.request.Request(url, data=body), timeout=timeout)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            return Page(response.status, url, {k.lower(): v for k, v in response.headers.items()},
                        response.read().decode(errors="replace"))

    def get(self, url: str, follow: bool = False) -> Page:
        page = self.request(url)
        while follow and page.status in (302, 303):
            url = urllib.parse.urljoin(url, page.location)
            page = self.request(url)
        return page

    def post(self, url: str, data: dict[str, str], follow: bool = False) -> Page:
        page = self.request(url, data)
        if follow and page.status in (302, 303):
            return self.get(urllib.parse.urljoin(url, page.location))
        return page

    def answer(self, base: str, node: str, option: str) -> Page:
        """On ``base``, answer ``node`` with ``option`` through its GET form on the last page (the start page's
        first question when there is none yet), and follow to the next page."""
        if self.page is None:
            self.page = self.get(base + start_now_link(self.get(f"{base}/").text), follow=True)
        self.page = self.get(f"{base}/a/{node}?{answer_query(self.page.text, node, option)}", follow=True)
        return self.page

    def log_in(self, base: str, name: str, password: str) -> Page:
        form = self.get(f"{base}/staff/login")
        return self.post(f"{base}/staff/login", {"name": name, "password": password,
                                                 "csrf_token": form.csrf_token})


def start_staff_call(browser: Browser, base: str) -> str:
    """Start a call on ``base`` (the New call button); its id."""
    home = browser.get(f"{base}/staff/")
    assert home.status == 200, f"staff home on {base}: {home.status}"
    made = browser.post(f"{base}/staff/calls", {"csrf_token": home.csrf_token})
    assert made.status == 303, f"new call on {base}: {made.status}"
    return made.location.rstrip("/").rsplit("/", 1)[-1]


def answer_call(browser: Browser, base: str, call_id: str, node: str, option: str) -> Page:
    page = browser.get(f"{base}/staff/calls/{call_id}")
    assert page.status == 200, f"call {call_id} on {base}: {page.status}"
    return browser.post(f"{base}/staff/calls/{call_id}/q/{node}", {"choice": option, "csrf_token": page.csrf_token},
                        follow=True)
