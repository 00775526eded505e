"""The flow map for staff: every question and outcome as a page, with its wording and staff text."""
from __future__ import annotations

from flask import abort, current_app, render_template

from wizard.staff import bp


def reached_from(node_id: str) -> list[str]:
    flow = current_app.extensions["triage_engine"].flow
    return [source for source, node in flow.nodes.items()
            if any(branch.target == node_id for branches in node.options.values() for branch in branches)]


@bp.get("/map")
def flow_map():
    flow = current_app.extensions["triage_engine"].flow
    present = current_app.extensions["triage_presenter"]
    questions = [(node_id, present.words(node_id)["title"]) for node_id, node in flow.nodes.items() if not node.is_outcome]
    outcomes = [(node_id, present.words(node_id)["title"]) for node_id, node in flow.nodes.items() if node.is_outcome]
    return render_template("staff/map.html", questions=questions, outcomes=outcomes, sign_in=flow.sign_in)


@bp.get("/map/<node_id>")
def map_node(node_id: str):
    flow = current_app.extensions["triage_engine"].flow
    present = current_app.extensions["triage_presenter"]
    if node_id not in flow.nodes:
        abort(404)
    node = flow.nodes[node_id]
    options = [(key, present.option_label(node_id, key), [(b.target, present.words(b.target)["title"], b.condition)
                                                          for b in branches])
               for key, branches in node.options.items()]
    return render_template("staff/map_node.html", node_id=node_id, node=node, words=present.words(node_id),
                           options=options, sources=present.sources(node_id) if node.is_outcome else [],
                           contacts=present.contacts(node_id) if node.is_outcome else [],
                           parents=[(p, present.words(p)["title"]) for p in reached_from(node_id)])
