"""Where a person's answers live (GOV.UK Smart Answers' ResponseStore idea).

Two stores keep the same thing, node id -> option key in the order given:
- ``cookie``: the public wizard, in the signed session cookie;
- ``call``: a staff call, in the database under the call's random id, so two
  calls in two tabs never mix and nothing carries over to the next caller.
Pages replay the answers through the core engine either way.
"""
