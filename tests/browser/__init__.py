"""Browser tests: Debian's Chromium through Playwright against the real app under gunicorn.

A package (unlike tests/), so its conftest is imported as browser.conftest and
does not replace the `conftest` module that other test files import from.
"""
