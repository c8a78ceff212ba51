"""Fault injection at the Slack Web API boundary: the process dies at a chosen call.

``crash_at`` patches slack_sdk's one door for every Web API method
(``BaseClient.api_call``) and step 2 of an upload (``bot.slack.effects.post_bytes``).
At the chosen call it raises ``Killed``, a ``BaseException`` no ``except
Exception`` catches, so nothing the code would do on an error runs and no
open transaction commits, as with SIGKILL:

- ``before``: the request never reaches Slack;
- ``after``: Slack carried it out, but the process died before reading the answer.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

import pytest
from slack_sdk.web.base_client import BaseClient

import bot.slack.effects as effects

UPLOAD = "upload"  # step 2 of a file upload: the bytes POSTed to Slack's upload URL
When = Literal["before", "after"]


class Killed(BaseException):
    """The process died at a Slack call (no ``except Exception`` sees it)."""


@dataclass(frozen=True)
class CrashPoint:
    """Die at the ``nth`` call to ``method``, ``before`` it is sent or ``after`` Slack did it."""

    method: str
    when: When
    nth: int = 1

    @property
    def id(self) -> str:
        suffix = f"#{self.nth}" if self.nth > 1 else ""
        return f"{self.when}-{self.method}{suffix}"


@dataclass
class CrashRecord:
    """How many calls of the crash point's method were seen, and whether it fired."""

    seen: int = 0
    fired: bool = False


@contextmanager
def crash_at(monkeypatch: pytest.MonkeyPatch, point: CrashPoint) -> Iterator[CrashRecord]:
    record = CrashRecord()
    real_api_call = BaseClient.api_call
    real_post_bytes = effects.post_bytes

    def at_the_call(method: str, call: Any) -> Any:
        if method != point.method or record.fired:
            return call()
        record.seen += 1
        if record.seen != point.nth:
            return call()
        record.fired = True
        if point.when == "before":
            raise Killed(point.id)
        call()
        raise Killed(point.id)

    def api_call(self: BaseClient, api_method: str, **kwargs: Any) -> Any:
        return at_the_call(api_method, lambda: real_api_call(self, api_method, **kwargs))

    def post_bytes(url: str, data: bytes) -> None:
        at_the_call(UPLOAD, lambda: real_post_bytes(url, data))

    with monkeypatch.context() as patch:
        patch.setattr(BaseClient, "api_call", api_call)
        patch.setattr(effects, "post_bytes", post_bytes)
        yield record


def points(*methods: str) -> list[CrashPoint]:
    """Both crash moments at each of ``methods``."""
    return [CrashPoint(method, when) for method in methods for when in ("before", "after")]
