"""A throwaway PostgreSQL server from Debian's packages, for the tests.

`initdb` into a temporary directory (trust authentication, no fsync), then
`pg_ctl start` listening on 127.0.0.1 only, on a free port, with its socket
in that directory. PostgreSQL refuses to run as root, so as root the server
runs as the `postgres` system user (which Debian's package creates). When the
binaries are missing this fails with what to install: it never skips.
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

import psycopg
from processes import free_port

BIN_GLOB = "/usr/lib/postgresql/*/bin"
START_TIMEOUT = 30  # seconds


class PostgresMissing(RuntimeError):
    """No PostgreSQL server binaries on this machine."""


def server_bin() -> Path:
    """The newest /usr/lib/postgresql/<version>/bin that has pg_ctl and initdb."""
    found = [Path(path) for path in glob.glob(BIN_GLOB)
             if (Path(path) / "pg_ctl").exists() and (Path(path) / "initdb").exists()]
    if not found:
        raise PostgresMissing(
            f"No PostgreSQL server in {BIN_GLOB} (pg_ctl, initdb). The storage tests need a real one: "
            "install Debian's package with `apt-get install postgresql` (`make test` does this).")
    return max(found, key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0)


class PostgresServer:
    """One running server; `url(name)` and `create_database()` for the tests."""

    def __init__(self) -> None:
        self.bin = server_bin()
        self.as_postgres = os.geteuid() == 0
        # Not under pytest's tmp_path: that lives in a root-only directory the postgres user cannot enter.
        self.root = Path(tempfile.mkdtemp(prefix="wizard-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.port = free_port()
        if self.as_postgres:
            try:
                account = pwd.getpwnam("postgres")
            except KeyError:
                raise PostgresMissing("Running as root needs the `postgres` system user (Debian's "
                                      "postgresql package creates it): PostgreSQL refuses to run as root.")
            os.chown(self.root, account.pw_uid, account.pw_gid)

    def run(self, tool: str, *args: str) -> None:
        command = [str(self.bin / tool), *args]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=START_TIMEOUT + 30)
        if done.returncode != 0:
            log = self.log.read_text() if self.log.exists() else ""
            raise RuntimeError(f"{tool} failed ({done.returncode}):\n{done.stdout}{done.stderr}{log}")

    def start(self) -> PostgresServer:
        try:
            self.run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "--no-sync",
                     "--no-instructions", "-E", "UTF8", "--locale=C")
            options = f"-h 127.0.0.1 -p {self.port} -k {self.root} -F -c max_connections=50"
            self.run("pg_ctl", "start", "-D", str(self.data), "-l", str(self.log), "-w",
                     "-t", str(START_TIMEOUT), "-o", options)
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self.run("pg_ctl", "stop", "-D", str(self.data), "-m", "immediate", "-w")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def connect(self, database: str = "postgres") -> psycopg.Connection:
        return psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=database,
                               autocommit=True)

    def create_database(self, name: str | None = None) -> str:
        """A new empty database; its SQLAlchemy URL."""
        name = name or f"wizard_{uuid.uuid4().hex[:12]}"
        with self.connect() as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)
