"""Presentations of a ``GapOutcome``: the JSON contract and the terminal report."""
