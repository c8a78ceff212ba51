"""The stand-in's memory of what it was asked, and the faults tests ask it to fake.

Tests assert on the Web API calls an app made (the way bolt-python's scenario
tests do) and need to wait for calls made from worker threads; both read the
same thread-safe log. Faults are queued per method and consumed one call at a
time, so "the next two chat.postMessage calls are rate limited" is exact.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

JsonDict = dict[str, Any]


@dataclass(frozen=True)
class RecordedCall:
    """One request the stand-in answered: method, parsed params (no token), when, how."""

    method: str
    params: JsonDict
    time: float
    status: int
    response: JsonDict
    faulted: bool = False

    @property
    def ok(self) -> bool:
        return bool(self.response.get("ok")) and self.status == 200


class CallLog:
    """Append-only, thread-safe list of calls with a condition to wait on."""

    def __init__(self) -> None:
        self._calls: list[RecordedCall] = []
        self._changed = threading.Condition()

    def record(self, call: RecordedCall) -> None:
        with self._changed:
            self._calls.append(call)
            self._changed.notify_all()

    def calls(self, method: str | None = None) -> list[RecordedCall]:
        """Every call so far, or only those to ``method``, in the order they arrived."""
        with self._changed:
            return [c for c in self._calls if method is None or c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[RecordedCall]:
        """Block until ``method`` has been called ``count`` times; TimeoutError with what came.

        Work the app does after acking runs on other threads, so a test must wait
        for it rather than assert straight away.
        """
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                matching = [c for c in self._calls if c.method == method]
                if len(matching) >= count:
                    return matching
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = sorted({c.method for c in self._calls})
                    raise TimeoutError(
                        f"{method} called {len(matching)} time(s), wanted {count} "
                        f"within {timeout:g}s; methods seen: {', '.join(seen) or 'none'}"
                    )
                self._changed.wait(remaining)

    def clear(self) -> None:
        with self._changed:
            self._calls.clear()


@dataclass(frozen=True)
class Fault:
    """A canned failure for one call: an HTTP status, an optional Retry-After, a body."""

    status: int
    error: str
    retry_after: int | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def body(self) -> JsonDict:
        return {"ok": False, "error": self.error}

    def response_headers(self) -> dict[str, str]:
        headers = dict(self.headers)
        if self.retry_after is not None:
            headers["Retry-After"] = str(self.retry_after)
        return headers


class FaultPlan:
    """Faults queued per method, each consumed by exactly one call."""

    def __init__(self) -> None:
        self._queued: dict[str, deque[Fault]] = {}
        self._lock = threading.Lock()

    def add(self, method: str, fault: Fault, times: int) -> None:
        if times < 1:
            raise ValueError("times must be at least 1")
        with self._lock:
            self._queued.setdefault(method, deque()).extend([fault] * times)

    def take(self, method: str) -> Fault | None:
        with self._lock:
            queue = self._queued.get(method)
            if not queue:
                return None
            return queue.popleft()

    def clear(self) -> None:
        with self._lock:
            self._queued.clear()


class Hold:
    """One call held after Slack carried it out, before its answer goes back.

    ``reached`` is set when the held call has taken effect; the caller is kept
    waiting for the answer until ``release()`` (or ``timeout``): the moment to
    kill the process that made the call, as a crash with a call in flight.
    """

    def __init__(self, method: str, timeout: float) -> None:
        self.method = method
        self.timeout = timeout
        self.reached = threading.Event()
        self._released = threading.Event()

    def release(self) -> None:
        self._released.set()

    def pause(self) -> None:
        self.reached.set()
        self._released.wait(self.timeout)


class HoldPlan:
    """Holds queued per method, each consumed by the next call to it."""

    def __init__(self) -> None:
        self._queued: dict[str, deque[Hold]] = {}
        self._lock = threading.Lock()

    def add(self, hold: Hold) -> None:
        with self._lock:
            self._queued.setdefault(hold.method, deque()).append(hold)

    def take(self, method: str) -> Hold | None:
        with self._lock:
            queue = self._queued.get(method)
            return queue.popleft() if queue else None
