"""Read a Web API request's parameters the way Slack does, whatever the body's encoding.

slack_sdk sends some methods as JSON and others form-encoded (with ``blocks``,
``metadata``, ``view`` or ``files`` as JSON strings), multipart when a file rides
along, and GET-style query strings are accepted too. Handlers see one dict with
those JSON strings already decoded.
"""

from __future__ import annotations

import json
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qsl

JsonDict = dict[str, Any]

# Arguments Slack documents as "a JSON-based array/object, presented as a URL-encoded string".
JSON_STRING_FIELDS = ("blocks", "attachments", "metadata", "view", "files")

# Slack's error for a malformed JSON argument, per field.
_FORMAT_ERRORS = {
    "blocks": "invalid_blocks_format",
    "attachments": "invalid_attachments",
    "metadata": "invalid_metadata_format",
    "view": "invalid_arguments",
    "files": "invalid_arguments",
}


class BadParams(Exception):
    """The body cannot be read; ``error`` is the Slack error string to answer with."""

    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


def parse_body(content_type: str, body: bytes, query: str = "") -> JsonDict:
    """Merge query-string and body parameters into one dict (the body wins on conflict)."""
    params: JsonDict = dict(parse_qsl(query, keep_blank_values=True))
    media_type = content_type.split(";", 1)[0].strip().lower()
    if not body:
        return params
    if media_type == "application/json":
        try:
            decoded = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise BadParams("invalid_json") from error
        if not isinstance(decoded, dict):
            raise BadParams("invalid_json")
        params.update(decoded)
    elif media_type == "multipart/form-data":
        params.update(_multipart(content_type, body))
    else:
        try:
            params.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        except UnicodeDecodeError as error:
            raise BadParams("invalid_form_data") from error
    return params


def _multipart(content_type: str, body: bytes) -> JsonDict:
    """Form fields of a multipart body; file parts are kept as bytes."""
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    fields: JsonDict = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        raw = payload if isinstance(payload, bytes) else b""
        fields[name] = raw if part.get_filename() else raw.decode("utf-8", "replace")
    return fields


def decode_json_fields(params: JsonDict) -> JsonDict:
    """Turn JSON-string arguments into lists/dicts; a malformed one is Slack's format error."""
    decoded = dict(params)
    for name in JSON_STRING_FIELDS:
        value = decoded.get(name)
        if not isinstance(value, str):
            continue
        if not value.strip():
            decoded[name] = None
            continue
        try:
            decoded[name] = json.loads(value)
        except json.JSONDecodeError as error:
            raise BadParams(_FORMAT_ERRORS[name]) from error
    return decoded


def flag(value: object) -> bool:
    """Slack's booleans: true/false in JSON, "1"/"true" in forms."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes"}
    return False


def text_param(params: JsonDict, name: str) -> str | None:
    """A string argument, or None when absent or empty."""
    value = params.get(name)
    if value is None:
        return None
    text = str(value)
    return text or None
