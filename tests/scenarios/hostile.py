"""Requests the door must answer without a 500 or a traceback: what each one is and what it gets.

Slack's own published example payloads (stored in ``fixtures/slack_published.json``
with the page each came from), and the hostile or broken bodies, timestamps
and sizes found by trying ``linkgap serve``. The scenario tests and
``make hardening`` replay the same cases, so the table in docs/operations.md
and the tests cannot drift apart.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
PUBLISHED = Path(__file__).parent / "fixtures" / "slack_published.json"
#: The door's limit (bot.slack.door.MAX_BODY_BYTES), restated so a change to it is seen here.
ONE_MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class Case:
    """One request: its body, how it is signed, and the status that means it was handled."""

    group: str
    name: str
    body: bytes
    content_type: str
    expect: int
    #: Signed with the app's secret at "now" unless a timestamp/signature is forced.
    signed: bool = True
    timestamp: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


def published(rewrite: Callable[[dict[str, Any]], dict[str, Any]] | None = None) -> list[Case]:
    """Slack's example payloads; ``rewrite`` points URLs in them at the local stand-in."""
    cases = []
    for fixture in json.loads(PUBLISHED.read_text()):
        if "form" in fixture:
            form = dict(fixture["form"])
            body = urlencode(rewrite(form) if rewrite else form).encode()
        else:
            body = json.dumps(fixture["json"]).encode()
        cases.append(
            Case("published", fixture["name"], body, fixture["content_type"], fixture["expect"])
        )
    return cases


def _payload(value: Any) -> bytes:
    return urlencode({"payload": json.dumps(value)}).encode()


def _event(event: Any) -> bytes:
    envelope = {
        "type": "event_callback",
        "team_id": "T0HOSTILE",
        "event_id": "Ev0X",
        "event": event,
    }
    return json.dumps(envelope).encode()


NESTED = b"[" * 20_000
VIEW_STATE_NULL = {
    "type": "view_submission",
    "team": {"id": "T0HOSTILE", "domain": "hostile"},
    "user": {"id": "U0HOSTILE", "team_id": "T0HOSTILE"},
    "view": {"id": "V0X", "type": "modal", "callback_id": "linkgap_settings", "state": None},
}

#: Signed bodies that are not Slack payloads: 400, with the wrong field named.
MALFORMED = [
    Case("malformed", "invalid JSON", b'{"type": "event_callback",', JSON, 400),
    Case("malformed", "20,000 nested [", NESTED, JSON, 400),
    Case("malformed", "JSON array", b"[1, 2, 3]", JSON, 400),
    Case("malformed", "JSON null", b"null", JSON, 400),
    Case("malformed", "event: null", _event(None), JSON, 400),
    Case("malformed", "event without a type", _event({"user": "U0X"}), JSON, 400),
    Case(
        "malformed",
        "reaction item is a string",
        _event({"type": "reaction_added", "item": "x"}),
        JSON,
        400,
    ),
    Case("malformed", "invalid UTF-8", b'{"type": "\xff\xfe"}', JSON, 400),
    Case("malformed", "payload=[]", b"payload=%5B%5D", FORM, 400),
    Case("malformed", "payload=notjson", b"payload=notjson", FORM, 400),
    Case("malformed", "view_submission with state: null", _payload(VIEW_STATE_NULL), FORM, 400),
    Case(
        "malformed",
        "view without a type",
        _payload({**VIEW_STATE_NULL, "view": {"id": "V0X", "state": {"values": {}}}}),
        FORM,
        400,
    ),
    Case(
        "malformed",
        "team is a number",
        json.dumps({"type": "event_callback", "team": 5, "event": {"type": "x"}}).encode(),
        JSON,
        400,
    ),
    Case(
        "malformed",
        "authorizations is not a list",
        json.dumps(
            {"type": "event_callback", "authorizations": 7, "event": {"type": "x"}}
        ).encode(),
        JSON,
        400,
    ),
    Case("malformed", "JSON object of no Slack kind", b'{"hello": "world"}', JSON, 400),
    Case("malformed", "empty body", b"", JSON, 400),
]

#: Unsigned or forged: 401 before the body is parsed, whatever it holds.
UNVERIFIED = [
    Case("unverified", "unsigned invalid JSON", b"{not json", JSON, 401, signed=False),
    Case("unverified", "unsigned 20,000 nested [", NESTED, JSON, 401, signed=False),
    Case("unverified", "unsigned payload=notjson", b"payload=notjson", FORM, 401, signed=False),
    *(
        Case(
            "timestamp",
            f"timestamp {label}",
            b'{"type": "event_callback"}',
            JSON,
            401,
            timestamp=value,
        )
        for label, value in [
            ("abc", "abc"),
            ("empty", ""),
            ("1e3", "1e3"),
            ("1700000000.5", "1700000000.5"),
            ("-1", "-1"),
            ("20 digits", "9" * 20),
            ("six minutes old", "STALE"),
            ("six minutes ahead", "AHEAD"),
        ]
    ),
]


def timestamp_for(case: Case, now: float | None = None) -> str:
    """The header value to send: a forced value, or a real time (stale/ahead ones too)."""
    moment = int(time.time() if now is None else now)
    if case.timestamp == "STALE":
        return str(moment - 6 * 60)
    if case.timestamp == "AHEAD":
        return str(moment + 6 * 60)
    return str(moment) if case.timestamp is None else case.timestamp


#: Sizes at the door: over the limit is 413 (before the body is read), at it is read.
LIMITS = [
    Case("limits", "1 MB + 1 byte, declared", b"x" * (ONE_MEGABYTE + 1), JSON, 413),
    Case("limits", "10 MB, declared", b"x" * (10 * ONE_MEGABYTE), FORM, 413),
]
