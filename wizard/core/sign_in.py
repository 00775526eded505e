"""Which sign-in the portal offers today, and how content follows it.

`portal_sign_in` in flow.yaml is one of SIGN_IN_SETTINGS. A branch in the
flow may be limited to some settings (``when_sign_in: [myauth, both]``), and
any piece of wording may vary by setting (``{by_sign_in: {ds_logon: ...,
myauth: ..., both: ...}}``). Switching the portal to myAuth is then a change
of one value in the content, with no code change.
"""
from __future__ import annotations

from typing import Any

SIGN_IN_SETTINGS = ("ds_logon", "myauth", "both")
BY_SIGN_IN = "by_sign_in"


def offered(branch: Any, sign_in: str | None) -> bool:
    """Whether a branch applies with this sign-in setting (None: with any)."""
    limited_to = branch.get("when_sign_in") if isinstance(branch, dict) else None
    return sign_in is None or limited_to is None or sign_in in limited_to


def is_by_sign_in(text: Any) -> bool:
    return isinstance(text, dict) and set(text) == {BY_SIGN_IN}


def for_sign_in(text: Any, sign_in: str) -> Any:
    """The wording with every ``{by_sign_in: {setting: words}}`` replaced by its words."""
    if is_by_sign_in(text):
        return for_sign_in(text[BY_SIGN_IN].get(sign_in), sign_in) if isinstance(text[BY_SIGN_IN], dict) else None
    if isinstance(text, dict):
        return {key: for_sign_in(value, sign_in) for key, value in text.items()}
    if isinstance(text, list):
        return [for_sign_in(item, sign_in) for item in text]
    return text
