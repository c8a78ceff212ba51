from __future__ import annotations

from typing import Any

from bot.slack.blocks.view_state import field_value

STATE: dict[str, Any] = {
    "anchor": {"value": {"type": "plain_text_input", "value": "  trail shoes guide "}},
    "provider": {
        "value": {"type": "static_select", "selected_option": {"value": "ahrefs"}},
    },
    "unpicked": {"value": {"type": "static_select", "selected_option": None}},
    "blank": {"value": {"type": "plain_text_input", "value": None}},
}


def test_typed_text_and_picked_options_are_read_and_trimmed() -> None:
    assert field_value(STATE, "anchor") == "trail shoes guide"
    assert field_value(STATE, "provider") == "ahrefs"


def test_missing_or_empty_inputs_read_as_empty() -> None:
    assert field_value(STATE, "unpicked") == ""
    assert field_value(STATE, "blank") == ""
    assert field_value(STATE, "no-such-block") == ""
