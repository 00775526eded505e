"""The Flask extensions, created once here and bound to the app in create_app (microblog style)."""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase

T = TypeVar("T")


class Base(DeclarativeBase):
    """Base class of the tables in wizard/models.py."""


csrf = CSRFProtect()
db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login = LoginManager()
# Limits are declared on the routes that need them (staff login, code lookups);
# storage is memory:// unless RATELIMIT_STORAGE_URI names a shared one (Redis).
# When Redis cannot be reached, each process counts in its own memory
# (RATELIMIT_IN_MEMORY_FALLBACK_ENABLED, one warning) and goes back to Redis
# once a ping answers again (checked after 1, 2, 4 ... 32 s, then every 32 s or so).
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def per_app(name: str, make: Callable[[], T]) -> T:
    """This app's one ``name`` object (a cache, a quiet log), made by ``make()`` only the first time."""
    found = current_app.extensions.get(name)
    return found if found is not None else current_app.extensions.setdefault(name, make())
