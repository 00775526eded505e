"""The flow as a diagram, through transitions' own diagram support (mermaid text: nothing to install).

The diagram comes from a separate GraphMachine built for the purpose, never
from the shared routing Machine: a GraphMachine keeps a graph per model and
never frees it, which the request path must not pay for.
"""
from __future__ import annotations

from transitions.extensions import GraphMachine

from wizard.core.engine import transitions_of
from wizard.core.flow import Flow


class _Drawing:
    """The model the diagram machine is drawn for."""


def mermaid(flow: Flow) -> str:
    """The flow's state machine as mermaid text: a state per node, an edge per option."""
    model = _Drawing()
    machine = GraphMachine(model=model, states=list(flow.nodes), initial=flow.start, auto_transitions=False,
                           graph_engine="mermaid", show_conditions=True, title="Portal sign-in triage")
    for transition in transitions_of(flow):  # the router's own definition (wizard/core/engine.py)
        machine.add_transition(**transition)
    return model.get_graph().draw(None)
