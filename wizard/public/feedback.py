""""Did this solve your problem?": the small POST form under every outcome, and its thank-you page.

``POST /feedback/<outcome>`` with the outcome page's answers and version ``v``
(the same hidden fields its address holds), ``vote=yes``, or ``vote=no`` and
at most one ``reason`` from the fixed list in the content (pages.feedback.reasons).
It adds 1 to one count (wizard/counts.py) and nothing else: no cookie, no form
token (there is no session to forge a request into, and a forged vote is one
vote, which the per-address limit bounds), no address or time of day stored or
logged. The outcome page itself stays a GET page, the same for everyone, so
nginx and KeptPages still keep it.

Refused with a 400 (the form again is one Back away): an outcome the answers do
not reach, answers off the path, another content version, a vote or reason not
on the list, a reason with Yes. A body that is not a form is a 415 before this
runs (wizard/web/security.py); more than VOTE_LIMIT from one address a 429.
"""
from __future__ import annotations

import hashlib
import hmac
import logging

from flask import abort, current_app, render_template, request
from flask_limiter.util import get_remote_address

from wizard.answers import address
from wizard.code_lookup import DATABASE_DOWN, forget_failed_work
from wizard.counts import add_vote
from wizard.extensions import csrf, limiter
from wizard.public.views import Links, engine, page, presenter, version

log = logging.getLogger(__name__)
VOTES = ("yes", "no")


def vote_limit() -> str:
    return current_app.config["VOTE_LIMIT"]


def address_key() -> str:
    """The limit's key: a keyed digest of the client's address, so not even the limit store holds it."""
    secret = current_app.secret_key
    secret = secret.encode() if isinstance(secret, str) else secret
    return "feedback:" + hmac.new(secret, get_remote_address().encode(), hashlib.sha256).hexdigest()[:32]


def words() -> dict:
    return presenter().page_text("feedback")


def refused(why: str):
    log.info("feedback refused: %s", why)
    return render_template("public/error.html", title=words()["refused_title"], message=words()["refused"],
                           status=400), 400


@page("/feedback/<node_id>", methods=("POST",))  # /es/feedback/... too: the thank-you is in the page's language
@csrf.exempt
@limiter.limit(vote_limit, key_func=address_key)
def feedback(node_id: str):
    if not current_app.config["FEEDBACK_FORM"]:
        abort(404)
    nodes = engine().flow.nodes
    if node_id not in nodes or not nodes[node_id].is_outcome:
        return refused("not an outcome")
    given = address.answers_from(request.form, nodes)
    position = engine().walk(given)
    if request.form.get(address.VERSION) != version() or position.answers != given \
            or not position.is_on_path(node_id):
        return refused("answers or version do not reach the outcome")
    vote, reason = request.form.get("vote", ""), request.form.get("reason", "")
    if vote not in VOTES or (reason and (vote != "no" or reason not in words()["reasons"])):
        return refused("not a vote on the list")
    try:
        add_vote(version(), node_id, vote, reason)
    except DATABASE_DOWN:
        forget_failed_work()
        log.warning("feedback not counted: the database cannot be reached")
        return render_template("public/error.html", title=words()["refused_title"],
                               message=words()["unavailable"], status=503), 503
    log.info("feedback outcome=%s vote=%s reason=%s", node_id, vote, reason or "-")
    return render_template("public/feedback_thanks.html", feedback=words(), vote=vote,
                           back_url=Links(position.answers).question(node_id))
