"""Login triage wizard for the MHS GENESIS Patient Portal."""
