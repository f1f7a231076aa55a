"""Shift handovers: what the outgoing operator hands to the next (issue 22)."""
