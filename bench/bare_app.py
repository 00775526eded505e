"""The baseline: a bare Flask view rendering a template the size of a wizard page.

bench.py saves the wizard's question page as it was served (same bytes, same
links) and names the file in BENCH_BARE_TEMPLATE; this app renders it with
render_template on every GET /, under the same gunicorn settings. The ratio
app/bare then shows what the wizard's own work costs (reading the answers from
the address, replaying them, page logic, headers, request log; or, for a page
the process keeps, looking it up), not the cost of Flask, Jinja and gunicorn
sending that many bytes.

Run by bench.py as: gunicorn --config gunicorn.conf.py --pythonpath bench 'bare_app:create_app()'
"""
from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, render_template


def create_app() -> Flask:
    page = Path(os.environ["BENCH_BARE_TEMPLATE"])
    app = Flask(__name__, template_folder=str(page.parent))

    @app.get("/")
    def page_view():
        return render_template(page.name)

    return app
