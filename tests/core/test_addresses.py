"""The address allow-list itself: only listed full addresses may be linked, only listed sites named."""
from __future__ import annotations

import pytest

from wizard.core.addresses import AllowList, addresses_in, unlisted_addresses

ALLOWED = AllowList.from_entries([
    {"url": "https://my.mhsgenesis.health.mil"},
    {"url": "https://myaccess.dmdc.osd.mil/identitymanagement"},
    {"host": "tricare.mil"},
])


@pytest.mark.parametrize("address", [
    "https://my.mhsgenesis.health.mil", "https://my.mhsgenesis.health.mil/",
    "https://myaccess.dmdc.osd.mil/identitymanagement", "tricare.mil", "my.mhsgenesis.health.mil",
])
def test_listed_addresses_and_sites_are_allowed(address):
    assert ALLOWED.allows(address)


@pytest.mark.parametrize("address", [
    "https://myaccess.dmdc.osd.mil/identitymanagement/other",  # a listed host, a path nobody listed
    "https://my.mhsgenesis.health.mil/login.php",
    "tricare.mil/somewhere",  # a listed site named with a path
    "https://mhsgenesis-portal.com", "mhsgenesis-portal.com",  # a .com look-alike
    "https://evil.example.mil", "webct2.health.mil",  # .mil alone is not enough
])
def test_anything_not_listed_is_refused(address):
    assert not ALLOWED.allows(address)


def test_look_alike_addresses_are_found_in_wording():
    text = "Go to mhsgenesis-patientportal.com or https://my.mhsgenesis.health.mil today."
    assert addresses_in(text) == ["mhsgenesis-patientportal.com", "https://my.mhsgenesis.health.mil"]
    assert unlisted_addresses(text, ALLOWED) == ["mhsgenesis-patientportal.com"]
    assert unlisted_addresses("Sign in at www.mhsgenesis.net, then at tol.example.org.", ALLOWED) == [
        "www.mhsgenesis.net", "tol.example.org"]
