"""Service fixtures: a real Redis, the real PostgreSQL, and app instances under gunicorn sharing them.

`shared` is two instances (A and B, two workers each) on one PostgreSQL
database and one Redis, with a staff account made by the real CLI. The fault
tests make their own servers (see test_faults.py), so stopping them disturbs
nothing else.
"""
from __future__ import annotations

from dataclasses import dataclass

import pytest
from instances import Instance
from redis_server import RedisMissing, RedisServer

PASSWORD = "service-test-password"
LOGIN_LIMIT = 4  # failed logins a minute, per address and per account name


@dataclass
class Service:
    a: Instance
    b: Instance
    redis: RedisServer
    agent: str
    password: str = PASSWORD

    @property
    def both(self) -> tuple[Instance, Instance]:
        return self.a, self.b


def start_redis() -> RedisServer:
    try:
        return RedisServer().start()
    except RedisMissing as missing:
        pytest.fail(str(missing), pytrace=False)


def add_agent(instance: Instance, name: str, desk: str = "gsc") -> str:
    """A staff account made with the real CLI in the instance's database."""
    done = instance.run_cli("staff", "add", name, "--desk", desk, "--password-stdin", stdin=PASSWORD + "\n")
    assert done.returncode == 0, f"staff add {name}: {done.stdout}{done.stderr}"
    return name


def service_env(database_url: str, redis_url: str, **more: str) -> dict[str, str]:
    return {"DATABASE_URL": database_url, "RATELIMIT_STORAGE_URI": redis_url,
            "STAFF_LOGIN_LIMIT": f"{LOGIN_LIMIT} per minute", "CODE_LOOKUP_LIMIT": "1000 per minute", **more}


@pytest.fixture(scope="session")
def redis_server():
    server = start_redis()
    yield server
    server.remove()


@pytest.fixture(scope="session")
def shared(postgres, redis_server):
    """Instances A and B on the same PostgreSQL database, the same Redis and the same SECRET_KEY."""
    env = service_env(postgres.create_database(), redis_server.url)
    a, b = Instance("a", env), Instance("b", env)
    try:
        a.launch(), b.launch()  # both start at once, as they would in a deployment
        agent = add_agent(a, "shared-agent")  # meanwhile (migrations at start are under a lock)
        a.wait(), b.wait()
        yield Service(a, b, redis_server, agent)
    finally:
        a.begin_stop(), b.begin_stop()
        a.remove(), b.remove()


@pytest.fixture
def fresh_limits(shared):
    """Rate-limit counters emptied before and after the test (all tests come from 127.0.0.1)."""
    shared.redis.command("FLUSHALL")
    yield
    shared.redis.command("FLUSHALL")
