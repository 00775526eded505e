"""`make bench`'s memory check (bench/report.py memory_rows) tells a leak from the allocator's plateau:
growth in the second half of the run counts only above the highest level the worker reached before it."""
from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"


@pytest.fixture
def report(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))
    yield importlib.import_module("report")
    for name in ("report", "loadgen", "servers", "client"):  # imported from bench/ for this test only
        sys.modules.pop(name, None)


def verdict(report, kib_after_fill: list[int]) -> bool:
    """The check's verdict on one worker: its RSS after the fill, then at each quarter of the run."""
    readings = [{7: kib} for kib in kib_after_fill]
    memory = SimpleNamespace(server="wizard", rss=[{7: 85_000}, *readings], requests=100_000, work_share={7: 1.0})
    checks = []
    report.memory_rows(SimpleNamespace(memory=[memory]), checks)
    return checks[0].met


def test_a_worker_that_keeps_growing_fails(report):
    assert not verdict(report, [100_000, 100_300, 100_600, 100_900, 101_200])  # +300 KiB a quarter


def test_a_dip_and_a_rebound_to_an_earlier_level_is_the_plateau(report):
    # the run of 2026-12-04 05:00 UTC, one worker: the allocator handed 2 MiB back, then took 1.5 MiB again
    assert verdict(report, [101_800, 100_200, 99_700, 99_700, 101_200])


def test_growth_past_every_earlier_level_late_in_the_run_fails(report):
    assert not verdict(report, [100_000, 99_000, 99_000, 99_500, 100_600])
