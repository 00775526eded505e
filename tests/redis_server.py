"""A throwaway Redis server from Debian's packages, for the tests.

`redis-server` on 127.0.0.1 only, on a free port, with no persistence (no RDB
snapshots, no append-only file), its working directory and log in a temporary
directory. Redis runs fine as root, so no other user is needed. `stop()` and
`start()` again keep the port, so a test can take Redis away and bring it back.
When the binary is missing this fails with what to install: it never skips.
"""
from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from processes import free_port

SERVER = "redis-server"
START_TIMEOUT = 10.0  # seconds


class RedisMissing(RuntimeError):
    """No redis-server on this machine."""


def ping(port: int) -> bool:
    """True when a Redis server answers PING on 127.0.0.1:port."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class RedisServer:
    """One server; `url` for RATELIMIT_STORAGE_URI, `command(...)` to talk to it."""

    def __init__(self) -> None:
        self.binary = shutil.which(SERVER) or next(
            (path for path in ("/usr/bin/redis-server", "/usr/sbin/redis-server") if Path(path).exists()), None)
        if self.binary is None:
            raise RedisMissing("No redis-server on this machine. The service tests need a real one: install "
                               "Debian's package with `apt-get install redis-server` (`make test` does this).")
        self.root = Path(tempfile.mkdtemp(prefix="wizard-redis-"))
        self.log = self.root / "server.log"
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> RedisServer:
        arguments = [self.binary, "--bind", "127.0.0.1", "--port", str(self.port), "--protected-mode", "yes",
                     "--save", "", "--appendonly", "no", "--dir", str(self.root), "--logfile", str(self.log),
                     "--daemonize", "no", "--databases", "1"]
        self.process = subprocess.Popen(arguments, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + START_TIMEOUT
        while not ping(self.port):
            if self.process.poll() is not None or time.monotonic() > deadline:
                log = self.log.read_text(errors="replace") if self.log.exists() else ""
                self.stop()
                raise RuntimeError(f"redis-server did not answer on port {self.port}:\n{log}")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        """Stop the server (SIGTERM; nothing to save) and wait for it to go."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def command(self, *words: str) -> bytes:
        """Send one command (inline form) and return the first line of the reply, e.g. command("FLUSHALL")."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as sock:
            sock.sendall(" ".join(words).encode() + b"\r\n")
            return sock.makefile("rb").readline().rstrip(b"\r\n")
