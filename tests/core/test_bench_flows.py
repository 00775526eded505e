"""The benchmark's generated flows (bench/flowgen.py) pass the same flow check as the real content,
so a new content rule cannot leave `make bench` failing unnoticed (it did once: a generated step told
callers to call the desk reading it)."""
from __future__ import annotations

import importlib.util
from pathlib import Path

from wizard.core.flow import load_flow

FLOWGEN = Path(__file__).resolve().parents[2] / "bench" / "flowgen.py"


def test_a_generated_flow_loads_and_passes_the_flow_check(tmp_path):
    spec = importlib.util.spec_from_file_location("flowgen", FLOWGEN)
    flowgen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(flowgen)
    directory = flowgen.generate_content(tmp_path, 100)
    assert len(load_flow(directory).nodes) == 100
