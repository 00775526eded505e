"""Kept parts of public pages (wizard/public/fragments.py) change no byte of any page.

Every page of the flow (each node at each set of answers that reaches it, in every language), each
question with its own answer chosen (the page "Change" leads to) and with a refused answer, is
rendered by an app that keeps parts and by one that does not (FRAGMENTS_KEPT=0), and must be the same.
A kept part whose key leaves out something it reads (the chosen option, an outcome's extra blocks,
the language) shows the first page's part on the next one, and fails here.
"""
from __future__ import annotations

import pytest
from helpers import start_app
from page_addresses import page_address

from wizard.public.fragments import Fragments, fragments


@pytest.fixture(scope="module")
def apps(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fragments")
    keeping = start_app(f"sqlite:///{folder / 'keeping.db'}", PAGES_KEPT=0)
    rendering = start_app(f"sqlite:///{folder / 'rendering.db'}", PAGES_KEPT=0, FRAGMENTS_KEPT=0)
    return keeping, rendering


def every_page(engine) -> list[tuple[str, dict[str, str]]]:
    """(node, answers) for every node at every set of answers that reaches it."""
    pages, seen, todo = [], set(), [{}]
    while todo:
        position = engine.walk(todo.pop())
        key = (position.current, tuple(sorted(position.answers.items())))
        if key in seen:
            continue
        seen.add(key)
        pages.append((position.current, dict(position.answers)))
        if not engine.flow.nodes[position.current].is_outcome:
            todo += [{**position.answers, position.current: option} for option in engine.options_at(position.current)]
    return pages


def addresses(app) -> list[str]:
    engine = app.extensions["triage_engine"]
    found = []
    for node, answers in every_page(engine):
        found.append(page_address(app, node, answers))
        if not engine.flow.nodes[node].is_outcome:
            for option in engine.options_at(node):  # the question again, its answer chosen
                found.append(page_address(app, node, {**answers, node: option}))
            found.append(page_address(app, node, answers).replace("/q/", "/a/", 1) + f"&{node}=not_an_option")
    return found


@pytest.mark.slow  # every page twice in every language: `make test` runs it, the edit-run loop leaves it out
def test_every_page_is_the_same_with_and_without_kept_parts(apps):
    keeping, rendering = apps
    paths = addresses(keeping)
    assert len(paths) > 600
    with_parts, without = keeping.test_client(), rendering.test_client()
    for language in ("", *(f"/{code}" for code in keeping.config["LANGUAGES"][1:])):
        for path in paths:
            kept, rendered = with_parts.get(language + path), without.get(language + path)
            assert (kept.status_code, kept.location) == (rendered.status_code, rendered.location), path
            assert kept.data == rendered.data, f"{language}{path}: a kept part differs from the rendered one"
    with keeping.app_context():
        assert fragments().parts, "no part was kept"
    with rendering.app_context():
        assert not fragments().parts


def test_parts_stop_being_kept_at_the_limit_and_still_render():
    store = Fragments(limit=2)
    assert [store.get((n,), lambda n=n: f"<p>{n}</p>") for n in range(3)] == ["<p>0</p>", "<p>1</p>", "<p>2</p>"]
    assert len(store.parts) == 2
    assert store.get((0,), lambda: "never rendered again") == "<p>0</p>"
