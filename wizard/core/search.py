"""Search to jump: find a question or outcome by a few words, and the shortest way there.

An agent types "locked", "PIV deact", "16" or "lapsed". Each word of the query
must start a word of what a node is called (its title, its answer line, its
`terms`: the words callers use, from the content, and the labels of the
options that lead to it), so "deact" finds "deactivated".
Choosing a result fills in the answers of the shortest path to it, which the
call shows as assumed, each changeable.
"""
from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from functools import cached_property

from wizard.core.engine import Engine
from wizard.core.presenters import Presenter

WORD = re.compile(r"[a-z0-9]+")
MAX_RESULTS = 8


@dataclass(frozen=True)
class Result:
    node_id: str
    title: str
    is_outcome: bool
    path: tuple[tuple[str, str], ...]  # (question, option) answers that reach it
    assumes: tuple[str, ...] = ()  # those answers in words, for the agent to check with the caller


def words_of(text: str) -> list[str]:
    return WORD.findall(text.lower())


class Search:
    """Finds nodes by words and the shortest answers that reach each, with the flow's sign-in setting."""

    def __init__(self, engine: Engine, presenter: Presenter):
        self.engine, self.presenter, self.flow = engine, presenter, engine.flow

    @cached_property
    def paths(self) -> dict[str, tuple[tuple[str, str], ...]]:
        """Node id -> the fewest answers from the start that the engine routes to it."""
        found: dict[str, tuple[tuple[str, str], ...]] = {self.flow.start: ()}
        todo = deque([self.flow.start])
        while todo:
            node_id = todo.popleft()
            for key in self.flow.nodes[node_id].options:
                path = (*found[node_id], (node_id, key))
                target = self.engine.walk(dict(path)).current  # the Machine decides, conditions included
                if target not in found and target != node_id:
                    found[target] = path
                    todo.append(target)
        return found

    @cached_property
    def index(self) -> dict[str, set[str]]:
        """Node id -> the words it can be found by."""
        words = {node_id: set(words_of(self.title(node_id))) for node_id in self.paths}
        for node_id in self.paths:
            node_words = self.presenter.words(node_id)
            words[node_id].update(words_of(str(node_words.get("answer") or node_words.get("hint") or "")))
            words[node_id].update(words_of(str(node_words.get("terms") or "")))
            for key, branches in self.flow.nodes[node_id].options.items():
                label = words_of(self.presenter.option_label(node_id, key))
                for branch in branches:
                    if branch.target in words:
                        words[branch.target].update(label)
        return words

    def option_places(self, node_id: str) -> tuple[int, ...]:
        """Where each answer on the way sits among its question's options. Questions list the commonest
        first (DS Logon before CAC), so of two equally short paths the commoner case comes first."""
        return tuple(list(self.flow.nodes[question].options).index(key) for question, key in self.paths[node_id])

    def title(self, node_id: str) -> str:
        return self.presenter.words(node_id)["title"]

    def find(self, query: str) -> list[Result]:
        """Nodes whose words start with every word of the query: outcomes first, then shorter paths, then
        the commoner case."""
        wanted = words_of(query)
        if not wanted:
            return []
        hits = [node_id for node_id, words in self.index.items()
                if all(any(word.startswith(part) for word in words) for part in wanted)]
        hits.sort(key=lambda node_id: (not self.flow.nodes[node_id].is_outcome, len(self.paths[node_id]),
                                       self.option_places(node_id), node_id))
        return [self.result(node_id) for node_id in hits[:MAX_RESULTS]]

    def result(self, node_id: str) -> Result:
        path = self.paths[node_id]
        return Result(node_id, self.title(node_id), self.flow.nodes[node_id].is_outcome, path,
                      tuple(self.presenter.option_label(question, key) for question, key in path))

    def tips(self, query: str) -> list[str]:
        """Call-mode actions the words point to ("sent back", "escalate", "DSN"), from the content."""
        wanted = words_of(query)
        tips = self.presenter.text["staff"].get("search_tips") or []
        return [tip["tip"] for tip in tips if wanted and all(
            any(word.startswith(part) for word in words_of(tip["terms"])) for part in wanted)]
