"""One log line per refused request, rate-limited so a flood of forgeries cannot fill the log.

Anyone on the internet can POST to ``/slack/events``; a refusal is logged so
an operator sees it, but at most once per reason per window, with a count of
the refusals the window swallowed, and never with a traceback or the body.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

log = logging.getLogger(__name__)

#: Seconds between two log lines for the same reason.
WINDOW = 10.0


class RefusalLog:
    """Logs the first refusal of each reason per window; counts the rest for the next line."""

    def __init__(
        self,
        logger: logging.Logger = log,
        *,
        window: float = WINDOW,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._logger = logger
        self._window = window
        self._clock = clock
        self._lock = threading.Lock()
        self._last: dict[str, float] = {}
        self._swallowed: dict[str, int] = {}

    def refused(self, status: int, reason: str) -> None:
        now = self._clock()
        with self._lock:
            last = self._last.get(reason)
            if last is not None and now - last < self._window:
                self._swallowed[reason] = self._swallowed.get(reason, 0) + 1
                return
            self._last[reason] = now
            swallowed = self._swallowed.pop(reason, 0)
        more = f" ({swallowed} more since the last line)" if swallowed else ""
        self._logger.warning("refused a request to /slack/events: %s %s%s", status, reason, more)
