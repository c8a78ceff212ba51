"""Edges that connect the pure core to providers, storage and the clock."""
