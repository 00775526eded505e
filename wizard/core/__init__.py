"""The core: reading, checking and routing the flow, and what a page shows.

Nothing here imports Flask or the database (tests/core/test_layers.py checks it),
so the public pages, the staff console, the CLI and the benchmarks share it.
"""
