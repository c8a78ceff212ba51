"""The Slack stand-in in a process of its own, for benchmarks that time requests.

A benchmark's client measures latency with Python threads; if the stand-in
that receives the app's Web API calls ran in the same interpreter, every
``chat.postMessage`` of the app's workers would take the client's GIL in the
middle of a measured round, and the app that does background work would be
timed slower than it is. Slack's servers are not in the client's process, so
the stand-in is not either: it runs in a spawned child, driven over a pipe.
"""

from __future__ import annotations

import multiprocessing
from multiprocessing.connection import Connection
from types import TracebackType
from typing import Any

from bot.local.standin import SlackStandIn


class StandInProcess:
    """What the benchmarks ask of ``SlackStandIn``, answered by one in a child process."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self._pipe, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child,), daemon=True)
        self.api_url = ""
        self.bot_token = ""

    def __enter__(self) -> StandInProcess:
        self._process.start()
        self.api_url, self.bot_token = self._pipe.recv()
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _error: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        try:
            self._ask("stop")
        finally:
            self._process.join(timeout=10)
            if self._process.is_alive():
                self._process.kill()

    def _ask(self, *request: Any) -> Any:
        self._pipe.send(request)
        kind, answer = self._pipe.recv()
        if kind == "error":
            raise RuntimeError(f"Slack stand-in: {answer}")
        return answer

    def response_url(self, channel: str, *, user: str) -> str:
        url: str = self._ask("response_url", channel, user)
        return url

    def trigger_id(self, user: str) -> str:
        trigger: str = self._ask("trigger_id", user)
        return trigger

    def call_count(self, method: str) -> int:
        count: int = self._ask("call_count", method)
        return count


def _serve(pipe: Connection) -> None:
    with SlackStandIn() as slack:
        pipe.send((slack.api_url, slack.bot_token))
        while True:
            request = pipe.recv()
            name, arguments = request[0], request[1:]
            try:
                if name == "stop":
                    pipe.send(("ok", None))
                    return
                if name == "response_url":
                    answer: Any = slack.response_url(arguments[0], user=arguments[1])
                elif name == "trigger_id":
                    answer = slack.trigger_id(arguments[0])
                elif name == "call_count":
                    answer = len(slack.calls(arguments[0]))
                else:
                    raise ValueError(f"unknown request {name!r}")
            except Exception as error:  # reported to the benchmark, which stops
                pipe.send(("error", repr(error)))
            else:
                pipe.send(("ok", answer))
