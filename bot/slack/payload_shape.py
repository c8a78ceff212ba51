"""Is a verified body a Slack payload? Parsed the way Bolt parses it, then checked field by field.

Bolt and our listeners read fields (``team.id``, ``authorizations[0]``,
``event.item``, ``view.state.values``) assuming Slack's shapes; a signed body
that breaks them (a JSON array, ``null``, ``event: null``, ``state: null``)
would raise deep inside a listener. Checking the shapes Slack documents here,
once, turns such a body into a 400 that says which field was wrong.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

#: Interactivity payload types that carry a view whose state listeners read.
VIEW_TYPES = frozenset({"view_submission", "view_closed"})
#: Top-level fields Bolt reads as either an id string or an object with an ``id``.
ID_OR_OBJECT = ("team", "enterprise", "user", "channel")


class NotSlackPayload(ValueError):
    """A verified body that is not shaped like any payload Slack sends."""


def parse_payload(text: str, content_type: str | None) -> dict[str, Any]:
    """Parse exactly as Bolt does (``slack_bolt.request.internals.parse_body``), then check it."""
    try:
        if content_type == "application/json" or text.startswith("{"):
            payload: object = json.loads(text)
        elif "payload" in text:
            form = dict(parse_qsl(text, keep_blank_values=True))
            raw = form.get("payload")
            payload = json.loads(raw) if raw is not None else {}
        else:
            payload = dict(parse_qsl(text, keep_blank_values=True))
    except (ValueError, RecursionError) as error:
        problem = f"the body is not valid JSON or form data ({type(error).__name__})"
        raise NotSlackPayload(problem) from None
    if not isinstance(payload, dict):
        raise NotSlackPayload(f"the payload is a JSON {type(payload).__name__}, not an object")
    check_payload(payload)
    return payload


def _kind(value: object) -> str:
    return "null" if value is None else type(value).__name__


def _object(payload: dict[str, Any], name: str, *, required: bool = False) -> dict[str, Any]:
    value = payload.get(name)
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        raise NotSlackPayload(f"`{name}` is {_kind(value)}, expected an object")
    return value


def _text(payload: dict[str, Any], name: str, *, required: bool = False) -> None:
    value = payload.get(name)
    if value is None and not required:
        return
    if not isinstance(value, str):
        raise NotSlackPayload(f"`{name}` is {_kind(value)}, expected a string")


def _ids(payload: dict[str, Any]) -> None:
    for name in ID_OR_OBJECT:
        value = payload.get(name)
        if value is None or isinstance(value, str):
            continue
        _object(payload, name)
        for key in ("id", "team_id", "enterprise_id"):
            _text(value, key)
    for key in ("team_id", "enterprise_id", "user_id", "channel_id", "type", "api_app_id"):
        _text(payload, key)
    authorizations = payload.get("authorizations")
    if authorizations is not None:
        if not isinstance(authorizations, list) or not all(
            isinstance(item, dict) for item in authorizations
        ):
            raise NotSlackPayload("`authorizations` must be a list of objects")
        for item in authorizations:
            for key in ("team_id", "enterprise_id", "user_id"):
                _text(item, key)


def _event(payload: dict[str, Any]) -> None:
    event = _object(payload, "event", required=True)
    _text(event, "type", required=True)
    _ids(event)
    _object(event, "item")
    _text(payload, "event_id")


def _view(payload: dict[str, Any]) -> None:
    view = _object(payload, "view", required=True)
    _text(view, "type", required=True)  # Bolt reads view.type to tell workflow steps apart
    for key in ("callback_id", "private_metadata", "id", "team_id", "app_installed_team_id"):
        _text(view, key)
    if payload.get("type") == "view_submission":
        state = _object(view, "state", required=True)
        values = _object(state, "values", required=True)
        for block in values.values():
            if not isinstance(block, dict) or not all(isinstance(v, dict) for v in block.values()):
                raise NotSlackPayload("`view.state.values` must map blocks to objects")


def _actions(payload: dict[str, Any]) -> None:
    actions = payload.get("actions")
    if not isinstance(actions, list) or not all(isinstance(item, dict) for item in actions):
        raise NotSlackPayload("`actions` must be a list of objects")


def check_payload(payload: dict[str, Any]) -> None:
    """Raise ``NotSlackPayload`` unless ``payload`` has the shape of a Slack request we serve."""
    _ids(payload)
    kind = payload.get("type")
    if "command" in payload:
        _text(payload, "command", required=True)
        _text(payload, "text")
    elif payload.get("ssl_check") is not None:
        return
    elif kind is None:
        raise NotSlackPayload("no `type` or `command`: not a Slack payload")
    elif kind == "url_verification":
        _text(payload, "challenge", required=True)
    elif kind == "event_callback":
        _event(payload)
    elif kind in VIEW_TYPES:
        _view(payload)
    elif kind == "block_actions":
        _actions(payload)
        _object(payload, "view")
        _object(payload, "container")
        _object(payload, "message")
