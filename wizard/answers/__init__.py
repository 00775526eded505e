"""Where a person's answers live (GOV.UK Smart Answers' ResponseStore idea).

Two stores keep the same thing, node id -> option key in path order:
- ``address``: the public wizard, in the page's address (query string), nothing on the server;
- ``call``: a staff call, in the database under the call's random id, so two
  calls in two tabs never mix and nothing carries over to the next caller.
Pages replay the answers through the core engine either way.
"""
