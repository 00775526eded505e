"""Start and stop the gunicorn servers the benchmark measures, and read their memory.

Both servers (the wizard and the bare Flask view) run with the project's own
gunicorn.conf.py, on 127.0.0.1 only, so they differ only in the app.
"""
from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # never anything else: the benchmark must not touch other machines
# gunicorn from the venv running this script (make's .venv), not one on PATH.
GUNICORN = Path(sys.executable).parent / "gunicorn"


def free_port() -> int:
    """A port nobody listens on right now (the OS picks it)."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Server:
    """One gunicorn master we started, with its workers."""

    def __init__(self, name: str, app_spec: str, env: dict[str, str], log_path: Path,
                 extra_args: tuple[str, ...] = ()):
        self.name = name
        self.port = free_port()
        self.log_path = log_path
        command = [str(GUNICORN), "--config", "gunicorn.conf.py", "--bind", f"{HOST}:{self.port}",
                   *extra_args, app_spec]
        # The app logs one line per request to stderr; that cost is part of the
        # app, so keep it, but write it to a file rather than the terminal.
        self.log = log_path.open("wb")
        self.process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env},
                                        stdout=self.log, stderr=subprocess.STDOUT)

    @property
    def origin(self) -> str:
        return f"http://{HOST}:{self.port}"

    def wait_until_serving(self, path: str = "/", timeout: float = 30.0) -> None:
        """Poll until a GET answers, so no measurement includes start-up."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} server exited at start; see {self.log_path}")
            try:
                connection = http.client.HTTPConnection(HOST, self.port, timeout=2)
                connection.request("GET", path)
                if connection.getresponse().status < 500:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"{self.name} server did not answer within {timeout:.0f} s; see {self.log_path}")

    def worker_pids(self) -> list[int]:
        """The worker processes: children of the master, found through /proc."""
        return sorted(pid for pid in proc_pids() if parent_pid(pid) == self.process.pid)

    def stop(self) -> None:
        """TERM the master we started (it stops its own workers); KILL it if it hangs."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def proc_pids() -> list[int]:
    return [int(entry) for entry in os.listdir("/proc") if entry.isdigit()]


def parent_pid(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:  # the process ended while we looked
        return None
    # The command name (field 2) may hold spaces; fields after its ")" are plain.
    return int(stat.rsplit(")", 1)[1].split()[1])  # ppid: field 4 of stat(5)


def cpu_ticks(pid: int) -> int:
    """User + system CPU time of a process (all its threads), in clock ticks."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime and stime: fields 14 and 15 of stat(5)


def rss_kib(pid: int) -> int:
    """Resident set size of a process in KiB (VmRSS from /proc/<pid>/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for pid {pid}")
