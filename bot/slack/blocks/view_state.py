"""Reading what a user typed or picked in a submitted modal (``view.state.values``)."""

from __future__ import annotations

from typing import Any


def field_value(state: dict[str, Any], block_id: str) -> str:
    """The text typed, or the option picked, in the input block ``block_id``; '' when empty.

    Inputs use ``action_id: value`` in every modal; surrounding spaces are dropped.
    """
    field = state.get(block_id, {}).get("value", {})
    if field.get("type") == "static_select":
        return str((field.get("selected_option") or {}).get("value", "")).strip()
    return str(field.get("value") or "").strip()
