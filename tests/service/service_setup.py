"""Plain helpers for the service tests (import them from here, never from conftest): the staff password,
the login limit the instances run with, a real Redis, an agent made by the real CLI."""
from __future__ import annotations

import pytest
from instances import Instance
from redis_server import RedisMissing, RedisServer

PASSWORD = "service-test-password"
LOGIN_LIMIT = 4  # failed logins a minute, per address and per account name


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
