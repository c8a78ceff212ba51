"""Emoji approvals of vetted placements: who may vote, and when a placement is decided."""
