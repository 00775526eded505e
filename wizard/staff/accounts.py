"""Staff accounts: create, remove, list, reset a password, check a login. No HTTP here.

Passwords are hashed with argon2id (argon2-cffi's defaults, its own salt per
hash); a name that has no account still costs one hash check, so a failed
login takes as long whether or not the name exists. An app made with
``TESTING`` hashes with argon2-cffi's CHEAPEST profile (still argon2id): the
tests log in hundreds of times, and verify reads the parameters from each hash.
"""
from __future__ import annotations

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import select

from wizard.core.desks import DESKS
from wizard.extensions import db
from wizard.models import AuditEvent, StaffUser

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 200  # the login form takes no more: a longer one could never be used
MAX_NAME_LENGTH = 40
STRONG = PasswordHasher()
CHEAP = PasswordHasher.from_parameters(profiles.CHEAPEST)  # for apps made with TESTING only
_NO_ACCOUNT_HASH = {STRONG: STRONG.hash("no account has this password"),
                    CHEAP: CHEAP.hash("no account has this password")}


def hasher() -> PasswordHasher:
    return CHEAP if current_app.config.get("TESTING") else STRONG


class AccountError(ValueError):
    """A staff account request that cannot be done, in words for the person who asked."""


def find(name: str) -> StaffUser | None:
    return db.session.scalar(select(StaffUser).where(StaffUser.name == name.strip().lower()))


def check_password_rules(password: str) -> None:
    if not MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH:
        raise AccountError(f"The password must be {MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters.")


def check_new(name: str, desk: str) -> str:
    """The name as it will be stored, if an account with this name and desk can be made."""
    name = name.strip().lower()
    if desk not in DESKS:
        raise AccountError(f"The desk must be one of: {', '.join(DESKS)}.")
    if not name or len(name) > MAX_NAME_LENGTH or not name.isascii() \
            or not name.replace("-", "").replace(".", "").replace("_", "").isalnum():
        raise AccountError(f"The name must be 1-{MAX_NAME_LENGTH} letters, digits, dots, dashes or underscores.")
    if find(name):
        raise AccountError(f"There is already an account named {name}.")
    return name


def add(name: str, desk: str, password: str) -> StaffUser:
    name = check_new(name, desk)
    check_password_rules(password)
    user = StaffUser(name=name, desk=desk, password_hash=hasher().hash(password))
    db.session.add(user)
    db.session.commit()
    return user


def remove(name: str) -> None:
    """Deactivate the account (its audit trail stays) and end its sessions."""
    user = existing(name)
    user.active = False
    user.session_epoch += 1
    db.session.commit()


def end_sessions(user: StaffUser) -> None:
    """Every session the account has ends, copies of its cookie included (signed cookies cannot be recalled)."""
    user.session_epoch += 1
    db.session.commit()


def reset_password(name: str, password: str) -> None:
    """A new password; every session the account had ends."""
    user = existing(name)
    check_password_rules(password)
    user.password_hash = hasher().hash(password)
    user.session_epoch += 1
    db.session.commit()


def existing(name: str) -> StaffUser:
    user = find(name)
    if user is None or not user.active:
        raise AccountError(f"There is no account named {name.strip().lower()}.")
    return user


def active_accounts() -> list[StaffUser]:
    return list(db.session.scalars(select(StaffUser).where(StaffUser.active).order_by(StaffUser.name)))


def authenticate(name: str, password: str) -> StaffUser | None:
    """The active account with this name and password, or None (the same work either way)."""
    user = find(name)
    try:
        hasher().verify(user.password_hash if user else _NO_ACCOUNT_HASH[hasher()], password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.active:
        return None
    if hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hasher().hash(password)
        db.session.commit()
    return user


def audit(action: str, staff_id: int | None = None, target: str | None = None) -> None:
    """Record who did what to which id, and when. Never caller data."""
    db.session.add(AuditEvent(action=action, staff_id=staff_id, target=target))
    db.session.commit()
