"""Real servers and a slow-client attack, for tests/proxy/ and bench/slow_clients.py.

- `Gunicorn`: the app under gunicorn with the project's gunicorn.conf.py (2 workers
  x 4 threads), a temporary SQLite database and key, on a free 127.0.0.1 port.
- `Nginx`: Debian's nginx in front of it, running deploy/nginx/wizard.conf with
  only its addresses and paths changed (`site_config_for_test`): plain HTTP on
  127.0.0.1, everything (prefix, temp files, logs, pid) in a temporary folder,
  workers as www-data when run as root.
- `attack_and_measure`: 64 slow-header and 16 slow-body connections held open,
  each from its own loopback address (so per-address limits do not hide them),
  while ordinary GETs from other loopback addresses are timed.

Everything listens and connects on 127.0.0.0/8 only.
"""
from __future__ import annotations

import asyncio
import concurrent.futures
import math
import os
import pwd
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from processes import answers, free_port, stop_process  # noqa: F401  (free_port: for tests/proxy)

REPO = Path(__file__).resolve().parents[2]
SITE_CONFIG = REPO / "deploy" / "nginx" / "wizard.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
MIME_TYPES = Path("/etc/nginx/mime.types")
START_TIMEOUT = 30.0
PRODUCTION_UPSTREAM = "unix:/run/wizard/gunicorn.sock"
PRODUCTION_ROOT = "/srv/wizard/"
PRODUCTION_LOGS = "/var/log/nginx/"
PRODUCTION_CACHE = "/var/cache/nginx/wizard"
RATE_LIMIT = re.compile(r"^[ \t]*limit_req zone=wizard_req [^;]*;\n", re.M)
CACHE_SIZE = re.compile(r"max_size=\S+ ")
TLS_BLOCK = re.compile(r"^[ \t]*# >>> tls-only\n.*?^[ \t]*# <<< tls-only\n", re.S | re.M)


class NginxMissing(RuntimeError):
    """Debian's nginx is not installed."""


def wait_until_answers(url: str, process: subprocess.Popen, log: Path, name: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while not answers(url):
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with status {process.returncode} before answering:\n"
                               f"{log.read_text(errors='replace') if log.exists() else ''}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{name} did not answer on {url} within {START_TIMEOUT:.0f}s:\n"
                               f"{log.read_text(errors='replace') if log.exists() else ''}")
        time.sleep(0.1)


class Gunicorn:
    """The wizard under gunicorn on 127.0.0.1 (the browser tests' settings: 2 workers x 4 threads)."""

    def __init__(self, folder: Path, static_build: Path | None = None) -> None:
        self.folder = folder
        self.port = free_port()
        self.log = folder / "gunicorn.log"
        self.env = {**os.environ, "SECRET_KEY": "proxy-test-secret-key-" + "x" * 32,
                    "APP_ENV": "development", "DATABASE_URL": f"sqlite:///{folder / 'wizard.db'}"}
        if static_build:  # where the app writes its hashed static files (nginx serves them)
            self.env["STATIC_BUILD_DIR"] = str(static_build)
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Gunicorn:
        command = [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py",
                   "--bind", f"127.0.0.1:{self.port}", "--workers", "2", "--threads", "4",
                   "app:create_app()"]
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(command, cwd=REPO, env=self.env, stdout=log,
                                            stderr=subprocess.STDOUT)
        try:
            wait_until_answers(self.url + "/", self.process, self.log, "gunicorn")
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process, signal.SIGINT)  # gunicorn: quick shutdown


def site_config_for_test(production: str, app_port: int | tuple[int, ...], listen_port: int, logs: Path,
                         static_root: Path = REPO, rate_limited: bool = True, cache_size: str | None = None) -> str:
    """deploy/nginx/wizard.conf for a test: plain HTTP on 127.0.0.1:listen_port in front of
    gunicorn on app_port, logs and the page cache in `logs`, static files from this checkout.
    ``rate_limited=False`` drops the per-address request limit (bench/bench.py measures nginx's
    speed from one address; the limit would answer most of it with 429). ``cache_size`` replaces the
    page cache's max_size (a flood test fills a small one quickly). Every change must
    apply, so a reworded production file fails the test instead of testing something else."""
    blocks = TLS_BLOCK.findall(production)
    if len(blocks) != 2:
        raise ValueError(f"{SITE_CONFIG}: expected 2 '# >>> tls-only' ... '# <<< tls-only' blocks, found {len(blocks)}")
    site = TLS_BLOCK.sub("", production, count=1)  # the redirect and catch-all servers
    site = TLS_BLOCK.sub(f"    listen 127.0.0.1:{listen_port};\n", site, count=1)  # TLS listen and certificates
    ports = app_port if isinstance(app_port, tuple) else (app_port,)  # several instances: one upstream server each
    upstream = ";\n    server ".join(f"127.0.0.1:{port}" for port in ports)
    for old, new in [(PRODUCTION_UPSTREAM, upstream), (PRODUCTION_ROOT, f"{static_root}/"),
                     (PRODUCTION_LOGS, f"{logs}/"), (PRODUCTION_CACHE, f"{logs}/page-cache")]:
        if old not in site:
            raise ValueError(f"{SITE_CONFIG}: {old!r} not found; update tests/proxy/harness.py")
        site = site.replace(old, new)
    if cache_size:
        site, replaced = CACHE_SIZE.subn(f"max_size={cache_size} ", site)
        if replaced != 1:
            raise ValueError(f"{SITE_CONFIG}: expected one 'max_size=' in proxy_cache_path, found {replaced}")
    if not rate_limited:
        site, removed = RATE_LIMIT.subn("", site)
        if removed != 1:
            raise ValueError(f"{SITE_CONFIG}: expected one 'limit_req zone=wizard_req' line, found {removed}")
    return site


class Nginx:
    """Debian's nginx running the test variant of deploy/nginx/wizard.conf, in the foreground."""

    def __init__(self, app_port: int | tuple[int, ...], static_root: Path = REPO, rate_limited: bool = True,
                 cache_size: str | None = None) -> None:
        if not Path(NGINX).exists():
            raise NginxMissing(
                f"Debian's nginx is not installed ({NGINX} is missing). The proxy tests need it: "
                "`make test` installs it (apt-get install nginx), or install it yourself.")
        self.app_port = app_port
        self.static_root = static_root  # the folder holding static/
        self.rate_limited = rate_limited
        self.cache_size = cache_size
        self.port = free_port()
        # Not under pytest's tmp_path: www-data (the worker user when root) cannot enter that.
        self.root = Path(tempfile.mkdtemp(prefix="wizard-nginx-"))
        self.root.chmod(0o755)
        self.error_log = self.root / "error.log"
        self.access_log = self.root / "wizard.access.log"
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def main_config(self) -> str:
        user = ""
        if os.geteuid() == 0:
            try:
                pwd.getpwnam("www-data")
            except KeyError:
                raise NginxMissing("Running as root needs the www-data user for nginx's workers "
                                   "(Debian's base system has it).")
            user = "user www-data;"
        temp = "\n".join(f"    {kind}_temp_path {self.root / kind};"
                         for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        return f"""{user}
worker_processes 1;
daemon off;
pid {self.root / 'nginx.pid'};
error_log {self.error_log} info;
events {{ worker_connections 1024; }}
http {{
    include {MIME_TYPES};
    default_type application/octet-stream;
    sendfile on;
    access_log off;
{temp}
    include {self.root / 'wizard.conf'};
}}
"""

    def start(self) -> Nginx:
        site = site_config_for_test(SITE_CONFIG.read_text(), self.app_port, self.port, self.root, self.static_root,
                                    self.rate_limited, self.cache_size)
        (self.root / "wizard.conf").write_text(site)
        (self.root / "nginx.conf").write_text(self.main_config())
        command = [NGINX, "-p", f"{self.root}/", "-c", str(self.root / "nginx.conf"), "-e", str(self.error_log)]
        check = subprocess.run([*command, "-t"], capture_output=True, text=True, timeout=30)
        if check.returncode != 0:
            self.stop()
            raise RuntimeError(f"nginx -t failed:\n{check.stderr}")
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_until_answers(self.url + "/static/style.css", self.process, self.error_log, "nginx")
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        try:
            if self.process is not None:
                stop_process(self.process, signal.SIGTERM)  # nginx: fast shutdown
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


# ---------------------------------------------------------------- the attack

SLOW_HEADERS = 64
SLOW_BODIES = 16
TRICKLE_SECONDS = 2.0
def first_question() -> str:
    """The first question's address, as the start page links it (with the running content version)."""
    from wizard.core.flow import load_flow

    return f"/q/topic?v={load_flow().version}"


def an_answer() -> str:
    """An answer to the first question: never cached (a 303 to the next page), so it always reaches the app."""
    return first_question().replace("/q/topic?", "/a/topic?topic=cannot_sign_in&")


# A cached start page and question (nginx answers them), an answer (the app must), a static file.
ORDINARY_PATHS = ("/", first_question(), an_answer(), "/static/style.css")
ANSWERED = (200, 303)  # an answer's reply is a redirect
REQUEST_TIMEOUT = 5.0


def attacker_address(n: int) -> str:
    return f"127.0.1.{n + 1}"  # one loopback address per slow connection


def person_address(n: int) -> str:
    return f"127.0.2.{n % 50 + 1}"  # ordinary requests come from 50 other addresses


@dataclass
class Measurement:
    target: str
    sent: int = 0
    latencies: list[float] = field(default_factory=list)  # seconds, successful requests only
    failures: dict[str, int] = field(default_factory=dict)
    attack_connections: int = 0  # slow connections opened, reconnections included
    slow_open_at_end: int = 0

    def failed(self, kind: str) -> None:
        self.failures[kind] = self.failures.get(kind, 0) + 1

    @property
    def succeeded(self) -> int:
        return len(self.latencies)

    @property
    def fraction(self) -> float:
        return self.succeeded / self.sent if self.sent else 0.0

    def percentile(self, p: float) -> float | None:
        if not self.latencies:
            return None
        ordered = sorted(self.latencies)
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]

    def summary(self) -> str:
        p50, p99 = self.percentile(50), self.percentile(99)
        times = (f"p50 {p50 * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms" if p99 is not None
                 else "no request succeeded")
        failed = ", ".join(f"{count} {kind}" for kind, count in sorted(self.failures.items())) or "none"
        return (f"{self.target}: {self.succeeded}/{self.sent} ordinary requests succeeded "
                f"({self.fraction:.1%}); {times}; failures: {failed}")


SLOW_HEADER_START = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow\r\n"
SLOW_BODY_START = (b"POST /q/topic HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                   b"Content-Type: application/x-www-form-urlencoded\r\n"
                   b"Content-Length: 8000\r\n\r\nanswer=")


def header_line(n: int) -> bytes:
    return f"X-Slow-{n}: {'a' * 10}\r\n".encode()


def body_byte(n: int) -> bytes:
    return b"a"


async def slow_client(port: int, source: str, start: bytes, more, stop: asyncio.Event, counts: dict) -> None:
    """Send `start`, then more(n) every TRICKLE_SECONDS, never finishing the request;
    when the server closes the connection, open another (as an attacker would)."""
    stopping = asyncio.create_task(stop.wait())
    try:
        while not stop.is_set():
            writer = None
            try:
                reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0))
                counts["opened"] += 1
                closed = asyncio.create_task(reader.read())  # whatever the server says, up to its close
                writer.write(start)
                await writer.drain()
                n = 0
                while True:
                    await asyncio.wait({closed, stopping}, timeout=TRICKLE_SECONDS,
                                       return_when=asyncio.FIRST_COMPLETED)
                    if closed.done() or stopping.done():
                        break
                    writer.write(more(n))
                    n += 1
                    await writer.drain()
                closed.cancel()
            except (OSError, ConnectionError):
                await asyncio.sleep(0.2)
            finally:
                if writer is not None:
                    writer.close()
    finally:
        stopping.cancel()


async def ordinary_get(port: int, path: str, source: str, result: Measurement) -> None:
    started = time.monotonic()
    writer = None
    try:
        async def exchange() -> int:
            nonlocal writer
            reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0))
            writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
            await writer.drain()
            response = await reader.read()  # to the end: the whole page
            status_line = response.split(b"\r\n", 1)[0].split()
            return int(status_line[1]) if len(status_line) > 1 else 0

        status = await asyncio.wait_for(exchange(), REQUEST_TIMEOUT)
        if status in ANSWERED:
            result.latencies.append(time.monotonic() - started)
        else:
            result.failed(f"HTTP {status or 'no answer'}")
    except asyncio.TimeoutError:
        result.failed(f"no answer within {REQUEST_TIMEOUT:.0f} s")
    except (OSError, ConnectionError) as error:
        result.failed(type(error).__name__)
    finally:
        if writer is not None:
            writer.close()


async def _attack(port: int, target: str, requests: int, seconds: float, settle: float) -> Measurement:
    result = Measurement(target)
    stop = asyncio.Event()
    counts = {"opened": 0}
    attackers = [asyncio.create_task(slow_client(port, attacker_address(n), SLOW_HEADER_START,
                                                 header_line, stop, counts))
                 for n in range(SLOW_HEADERS)]
    attackers += [asyncio.create_task(slow_client(port, attacker_address(SLOW_HEADERS + n), SLOW_BODY_START,
                                                  body_byte, stop, counts))
                  for n in range(SLOW_BODIES)]
    await asyncio.sleep(settle)  # every slow connection open and started before the timing
    gets = []
    interval = seconds / requests
    for n in range(requests):
        gets.append(asyncio.create_task(
            ordinary_get(port, ORDINARY_PATHS[n % len(ORDINARY_PATHS)], person_address(n), result)))
        result.sent += 1
        await asyncio.sleep(interval)
    await asyncio.gather(*gets)
    result.slow_open_at_end = sum(not task.done() for task in attackers)
    stop.set()
    await asyncio.gather(*attackers, return_exceptions=True)
    result.attack_connections = counts["opened"]
    return result


def attack_and_measure(port: int, target: str, requests: int = 200, seconds: float = 10.0,
                       settle: float = 1.5) -> Measurement:
    """Hold the slow connections open on 127.0.0.1:port while `requests` ordinary GETs,
    spread evenly over `seconds`, are timed (each may take up to REQUEST_TIMEOUT)."""
    # A thread of its own: the browser tests' Playwright keeps an event loop running in this one.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(_attack(port, target, requests, seconds, settle))).result()
