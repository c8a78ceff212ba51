"""Slack's Block Kit limits, checked by the stand-in so end-to-end tests catch what Slack rejects.

Not a full schema validator: the limits linkgap's messages can plausibly hit
(block counts, section and header lengths, fields, buttons, duplicate block
IDs). Slack answers ``invalid_blocks`` with the reasons; so does the stand-in.
"""

from __future__ import annotations

from typing import Any

JsonDict = dict[str, Any]

MESSAGE_BLOCKS = 50
SURFACE_BLOCKS = 100  # modals and the Home tab
SECTION_TEXT = 3000
SECTION_FIELDS = 10
FIELD_TEXT = 2000
HEADER_TEXT = 150
CONTEXT_ELEMENTS = 10
ACTIONS_ELEMENTS = 25
BUTTON_TEXT = 75
BLOCK_ID = 255
MESSAGE_TEXT = 40_000


def block_problems(blocks: object, *, max_blocks: int = MESSAGE_BLOCKS) -> list[str]:
    """Reasons Slack would refuse these blocks; empty when they are acceptable."""
    if not isinstance(blocks, list):
        return ["blocks must be an array"]
    problems: list[str] = []
    if len(blocks) > max_blocks:
        problems.append(f"no more than {max_blocks} items allowed [json-pointer:/blocks]")
    seen_ids: set[str] = set()
    for index, block in enumerate(blocks):
        where = f"[json-pointer:/blocks/{index}]"
        if not isinstance(block, dict) or not isinstance(block.get("type"), str):
            problems.append(f"missing required field: type {where}")
            continue
        block_id = block.get("block_id")
        if isinstance(block_id, str):
            if len(block_id) > BLOCK_ID:
                problems.append(f"must be less than {BLOCK_ID + 1} characters {where}/block_id")
            if block_id in seen_ids:
                problems.append(f"duplicate block_id {where}/block_id")
            seen_ids.add(block_id)
        problems.extend(f"{p} {where}" for p in _block_problems(block))
    return problems


def _text_of(obj: object) -> str | None:
    if isinstance(obj, dict) and isinstance(obj.get("text"), str):
        return str(obj["text"])
    return None


def _block_problems(block: JsonDict) -> list[str]:
    kind = block["type"]
    problems: list[str] = []
    if kind == "section":
        text = _text_of(block.get("text"))
        fields = block.get("fields")
        if text is None and not fields:
            problems.append("section must have text or fields")
        if text is not None and len(text) > SECTION_TEXT:
            problems.append(f"must be less than {SECTION_TEXT + 1} characters /text")
        if isinstance(fields, list):
            if len(fields) > SECTION_FIELDS:
                problems.append(f"no more than {SECTION_FIELDS} items allowed /fields")
            for field in fields:
                field_text = _text_of(field) or ""
                if len(field_text) > FIELD_TEXT:
                    problems.append(f"must be less than {FIELD_TEXT + 1} characters /fields")
    elif kind == "header":
        text_obj = block.get("text")
        text = _text_of(text_obj)
        if text is None or not isinstance(text_obj, dict) or text_obj.get("type") != "plain_text":
            problems.append("header text must be plain_text")
        elif len(text) > HEADER_TEXT:
            problems.append(f"must be less than {HEADER_TEXT + 1} characters /text")
    elif kind == "context":
        elements = block.get("elements")
        if not isinstance(elements, list) or not elements:
            problems.append("context must have elements")
        elif len(elements) > CONTEXT_ELEMENTS:
            problems.append(f"no more than {CONTEXT_ELEMENTS} items allowed /elements")
    elif kind == "actions":
        elements = block.get("elements")
        if not isinstance(elements, list) or not elements:
            problems.append("actions must have elements")
        else:
            if len(elements) > ACTIONS_ELEMENTS:
                problems.append(f"no more than {ACTIONS_ELEMENTS} items allowed /elements")
            for element in elements:
                if isinstance(element, dict) and element.get("type") == "button":
                    label = _text_of(element.get("text")) or ""
                    if len(label) > BUTTON_TEXT:
                        problems.append(f"must be less than {BUTTON_TEXT + 1} characters /text")
    return problems


def invalid_blocks(problems: list[str]) -> JsonDict:
    """Slack's answer to blocks it refuses."""
    return {
        "ok": False,
        "error": "invalid_blocks",
        "errors": problems,
        "response_metadata": {"messages": [f"[ERROR] {p}" for p in problems]},
    }
