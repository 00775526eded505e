"""One Machine is shared by every thread of a gunicorn worker: that is safe only with queued=False.

With ``queued=True`` a transitions Machine keeps one event queue for all models,
so concurrent walks run each other's transitions (measured: 21,000 wrong of
24,000). This test walks every route on many threads at once and fails if any
walk ends anywhere but where it should.
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from routes import OUTCOMES, TO

THREADS = 8
ROUNDS = 40


def test_the_shared_machine_is_built_unqueued(engine):
    assert engine.machine.has_queue is False


def test_many_walks_on_many_threads_all_end_where_they_should(engine):
    routes = [({**TO[question], question: option}, outcome) for outcome, (question, option) in OUTCOMES.items()]
    routes += [(answers, question) for question, answers in TO.items()]

    def walk_all(_round: int) -> list[str]:
        return [f"{expected} != {position.current}" for answers, expected in routes
                if (position := engine.walk(answers)).current != expected]

    with ThreadPoolExecutor(THREADS) as pool:
        wrong = [problem for problems in pool.map(walk_all, range(ROUNDS)) for problem in problems]
    assert wrong == []
