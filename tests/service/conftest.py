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
from redis_server import RedisServer
from service_setup import PASSWORD, add_agent, service_env, start_redis

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
