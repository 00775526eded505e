"""Flask's signed-cookie sessions (staff only), minus one header on public pages.

Flask adds ``Vary: Cookie`` to every response whose request looked at the
session, and Flask-Login looks at it after every request (for its remember
cookie). A public page is the same whatever cookies come with it
(wizard/public/page_cache.py marks it ``public``), so there the header would
only make caches keep one copy per cookie: it is taken off again.
"""
from __future__ import annotations

from flask import Flask
from flask.sessions import SecureCookieSessionInterface


class SessionsKeepPublicPagesShared(SecureCookieSessionInterface):
    def save_session(self, app, session, response) -> None:
        super().save_session(app, session, response)
        if response.cache_control.public and not session.modified:
            response.vary.discard("Cookie")


def init_sessions(app: Flask) -> None:
    app.session_interface = SessionsKeepPublicPagesShared()
