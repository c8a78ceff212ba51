"""Buttons in the shell: numbered where they are shown, pressed by that number.

A message's buttons are labelled ``[3.1]``, ``[3.2]`` … (message 3, first and
second button), the Home tab's ``[home.1]`` …, so ``press 3.1`` can say which
one to click. Pure functions over Block Kit dicts; the shell sends the
``block_actions`` payload Slack would (see ``requests.block_actions``).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

JsonDict = dict[str, Any]


@dataclass(frozen=True)
class Button:
    """One button as Slack reports it in ``actions[]`` when it is clicked."""

    label: str
    block_id: str
    action_id: str
    text: JsonDict
    value: str | None
    url: str | None
    style: str | None


def _button_elements(blocks: list[JsonDict]) -> Iterator[tuple[JsonDict, JsonDict]]:
    """(block, button element) for every button, in reading order."""
    for block in blocks:
        if block.get("type") == "actions":
            for element in block.get("elements") or []:
                if element.get("type") == "button":
                    yield block, element
        elif block.get("type") == "section":
            accessory = block.get("accessory") or {}
            if accessory.get("type") == "button":
                yield block, accessory


def number_buttons(surface: JsonDict, prefix: str) -> tuple[JsonDict, list[Button]]:
    """A copy of ``surface`` (message or view) with ``[prefix.n]`` before each button's text.

    Returns the copy to show and the buttons in the same order, so the number a
    person reads is the number they type.
    """
    shown = copy.deepcopy(surface)
    buttons: list[Button] = []
    originals = list(_button_elements(surface.get("blocks") or []))
    copies = list(_button_elements(shown.get("blocks") or []))
    for n, ((block, element), (_block, shown_element)) in enumerate(
        zip(originals, copies, strict=True), 1
    ):
        label = f"{prefix}.{n}"
        text = dict(element.get("text") or {"type": "plain_text", "text": ""})
        buttons.append(
            Button(
                label=label,
                block_id=str(block.get("block_id", "")),
                action_id=str(element.get("action_id", "")),
                text=text,
                value=element.get("value"),
                url=element.get("url"),
                style=element.get("style"),
            )
        )
        shown_text = dict(shown_element.get("text") or {"type": "plain_text"})
        shown_text["text"] = f"{label} {shown_text.get('text', '')}"
        shown_element["text"] = shown_text
    return shown, buttons


def action_entry(button: Button, action_ts: str) -> JsonDict:
    """The ``actions[0]`` of a ``block_actions`` payload for a click on ``button``."""
    entry: JsonDict = {
        "type": "button",
        "action_id": button.action_id,
        "block_id": button.block_id,
        "text": button.text,
        "action_ts": action_ts,
    }
    if button.value is not None:
        entry["value"] = button.value
    if button.style is not None:
        entry["style"] = button.style
    return entry
