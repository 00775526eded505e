"""`make bench`, last part: does "Did this solve your problem?" slow the outcome page down?

The same outcome address on two wizards that render every page (PAGES_KEPT=0,
so the form's cost is paid on every request and not hidden by KeptPages): one
with the form (FEEDBACK_FORM=1, the default), one without (FEEDBACK_FORM=0,
the page as it was before), and a bare Flask view rendering a template the
size of the outcome page with its form, all under the same gunicorn settings,
measured in interleaved rounds in the same run (bench.py's measure_rounds).

Its section of docs/benchmarks.md is replaced on each run (appended if
missing); `--no-doc` prints it only. Run alone: `python bench/feedback.py`.
"""
from __future__ import annotations

import argparse
import datetime
import os
import re
import secrets
import shutil
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the wizard package, from the repo root
sys.path.append(str(Path(__file__).resolve().parent.parent / "tests"))  # as bench.py

from bench import OUT, Scenario, check_same_page, measure_rounds, requests_file, save_bare_template  # noqa: E402
from client import Recorded, fetch, walk  # noqa: E402
from loadgen import Load, run_wrk  # noqa: E402
from servers import ROOT, Server  # noqa: E402

DOC = ROOT / "docs" / "benchmarks.md"
TITLE = "## The outcome page with its feedback form"
ANSWERS = {"topic": "cannot_sign_in", "method": "ds_logon", "dsl_status": "forgot"}
OUTCOME = "dsl_forgot"
MOST_SLOWER = 0.10  # the form may cost at most 10% of a rendered outcome page's req/s


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f}x ({min(values):.2f}-{max(values):.2f})"


def section(rounds, form_bytes: int, bare_bytes: int, command: str, load: Load, count: int) -> tuple[str, bool]:
    names = ("outcome, form", "outcome, no form")
    rows = []
    for name in names:
        results = rounds.app[name]
        rows.append(f"| {name} | {statistics.median(r.per_second for r in results):,.0f} | "
                    f"{spread(rounds.ratios(name, lambda r: r.per_second))} | "
                    f"{statistics.median(r.p50_ms for r in results):.2f} ms | "
                    f"{statistics.median(r.p99_ms for r in results):.2f} ms |")
    bare_rps = statistics.median(r.per_second for r in rounds.bare)
    with_form = rounds.between("outcome, form", "outcome, no form", lambda r: r.per_second)
    met = statistics.median(with_form) >= 1 - MOST_SLOWER
    now = datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    text = f"""{TITLE}

Written by `bench/feedback.py` (the last part of `make bench`; `{command}` on {now}), wrk
-t{load.threads} -c{load.connections} -d{load.seconds:.0f}s, {count} rounds interleaved with a bare Flask
view rendering a template the size of the outcome page with its form ({bare_rps:,.0f} req/s). Both wizards
render every page (PAGES_KEPT=0): the worst case, a page neither nginx nor the process kept.

| scenario | req/s | / bare view | p50 | p99 |
|---|---|---|---|---|
{chr(10).join(rows)}

- With the form / without, same round: **{spread(with_form)}** req/s
  (target: at least {1 - MOST_SLOWER:.2f}x: {"met" if met else "**not met**"}).
- Page weight: {form_bytes:,} bytes with the form, {bare_bytes:,} without
  (+{form_bytes - bare_bytes:,}); the form adds no script, no cookie and no request.
- A page the process or nginx keeps is sent without rendering, so the form costs it nothing but those bytes.
"""
    return text, met


def write_section(text: str) -> None:
    doc = DOC.read_text()
    pattern = re.compile(rf"^{re.escape(TITLE)}\n.*?(?=^## |\Z)", re.S | re.M)
    doc = pattern.sub(lambda _: text + "\n", doc) if pattern.search(doc) else doc.rstrip("\n") + "\n\n" + text
    DOC.write_text(doc.rstrip("\n") + "\n")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=4, help="length of each timed wrk run (default 4)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of timed runs (default 3)")
    parser.add_argument("--no-doc", action="store_true", help="print the section; leave docs/benchmarks.md alone")
    args = parser.parse_args(argv)
    load = Load(seconds=args.seconds)
    folder = OUT / "feedback"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    env = {"SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_hex(32), "PAGES_KEPT": "0",
           "DATABASE_URL": f"sqlite:///{folder / 'bench.db'}", "STATIC_BUILD_DIR": str(folder / "static")}
    servers = []
    try:
        form = Server("form", "app:create_app()", env, folder / "form-gunicorn.log")
        servers.append(form)
        no_form = Server("no-form", "app:create_app()", {**env, "FEEDBACK_FORM": "0"}, folder / "no-form-gunicorn.log")
        servers.append(no_form)
        for server in servers:
            server.wait_until_serving()
        outcome = walk(form.port, ANSWERS, OUTCOME)[-1]
        plain = fetch(no_form.port, "GET", outcome.path)
        if b'action="/feedback/' not in outcome.response_body or b"/feedback/" in plain.body:
            raise RuntimeError("the two servers do not differ by the feedback form")
        bare = Server("bare", "bare_app:create_app()", {**env, "BENCH_BARE_TEMPLATE": str(save_bare_template(outcome))},
                      folder / "bare-gunicorn.log", ("--pythonpath", "bench"))
        servers.append(bare)
        bare.wait_until_serving()
        check_same_page(bare.port, "/", outcome, "the bare view")
        bare_view = Scenario("bare", bare.port, [Recorded("GET", "/", "", "", 200, b"")], bare, bare.log_path)
        scenarios = [Scenario("outcome, form", form.port, [outcome], form, form.log_path),
                     Scenario("outcome, no form", no_form.port, [outcome], no_form, no_form.log_path)]
        warm_up = Load(load.threads, load.connections, 2)
        for scenario in [bare_view, *scenarios]:
            run_wrk(scenario.port, requests_file(f"warmup-{scenario.name}", scenario.requests), warm_up)
        print(f"Feedback form: wrk -t{load.threads} -c{load.connections} -d{load.seconds:.0f}s each:", flush=True)
        rounds = measure_rounds(bare_view, scenarios, load, args.rounds)
    finally:
        for server in reversed(servers):
            server.stop()
    command = "python bench/feedback.py" + (" " + " ".join(argv) if argv else "")
    text, _met = section(rounds, len(outcome.response_body), len(plain.body), command, load, args.rounds)
    print(text)
    if not args.no_doc:
        write_section(text)
        print(f"updated {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
