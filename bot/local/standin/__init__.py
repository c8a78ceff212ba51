"""A local stand-in of the Slack Web API that slack_sdk talks to as it talks to Slack.

A real HTTP server on 127.0.0.1 (ephemeral port, one thread per request), so
``WebClient(base_url=standin.api_url)`` — or ``SLACK_API_URL`` pointed at it —
exercises the same code paths as production: auth headers, form and JSON
bodies, 429 with ``Retry-After``, the three-step file upload, response URLs.
The local shell (``linkgap shell``) runs the whole bot against it; end-to-end
tests assert on the calls it recorded and the messages it holds.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

from bot.local.standin import persist
from bot.local.standin.calls import CallLog, Fault, FaultPlan, Hold, HoldPlan, RecordedCall
from bot.local.standin.directory import (
    DEFAULT_CHANNELS,
    DEFAULT_USERS,
    Directory,
    StandInChannel,
    StandInUser,
)
from bot.local.standin.dispatch import RESPONSE_URL_METHOD, UPLOAD_METHOD, Dispatcher
from bot.local.standin.http import StandInServer
from bot.local.standin.responses import LIFETIME_SECONDS, MAX_USES, ResponseHooks
from bot.local.standin.state import Identity, StandInState, ViewStore
from bot.local.standin.store import (
    Change,
    MessageStore,
    StoredFile,
    StoredMessage,
    Subscriber,
    TsClock,
)

JsonDict = dict[str, Any]
DEFAULT_BOT_TOKEN = "xoxb-standin-0000-local"


class SlackStandIn:
    """Slack's Web API on loopback, with a memory tests and the shell can read.

    Use as a context manager (``with SlackStandIn() as slack:``) so the server
    and its socket are always closed.
    """

    def __init__(
        self,
        *,
        bot_token: str = DEFAULT_BOT_TOKEN,
        identity: Identity | None = None,
        users: Iterable[StandInUser] = DEFAULT_USERS,
        channels: Iterable[StandInChannel] = DEFAULT_CHANNELS,
        usergroups: dict[str, list[str]] | None = None,
        trigger_ttl: float = 3.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.bot_token = bot_token
        self.identity = identity or Identity()
        self.directory = Directory()
        for user in users:
            self.directory.add_user(user)
        for usergroup_id, members in (usergroups or {}).items():
            self.directory.set_usergroup(usergroup_id, members)
        self._server: StandInServer | None = None
        self._thread: threading.Thread | None = None
        self.store = MessageStore(
            team_id=self.identity.team_id,
            base_url=lambda: self.url,
            clock=TsClock(clock),
            channel_name=self._channel_name,
        )
        for channel in channels:
            self.add_channel(channel)
        self.state = StandInState(
            identity=self.identity,
            store=self.store,
            directory=self.directory,
            views=ViewStore(trigger_ttl),
            base_url=lambda: self.url,
        )
        self._hooks = ResponseHooks(self.state)
        self._log = CallLog()
        self._faults = FaultPlan()
        self._holds = HoldPlan()
        self.dispatcher = Dispatcher(
            bot_token=bot_token,
            state=self.state,
            hooks=self._hooks,
            log=self._log,
            faults=self._faults,
            holds=self._holds,
        )

    # -- lifecycle -----------------------------------------------------------------

    def start(self) -> SlackStandIn:
        if self._server is not None:
            return self
        server = StandInServer(self.dispatcher)
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.05},
            daemon=True,
            name="slack-standin",
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is None:
            return
        server.shutdown()
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> SlackStandIn:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the Slack stand-in is not running; use it as a context manager")
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        """The server's root, ending in a slash."""
        return f"http://127.0.0.1:{self.port}/"

    @property
    def api_url(self) -> str:
        """What to give ``WebClient(base_url=...)`` or ``SLACK_API_URL``."""
        return f"{self.url}api/"

    # -- the workspace ---------------------------------------------------------------

    def add_user(self, user: StandInUser) -> None:
        self.directory.add_user(user)

    def add_channel(self, channel: StandInChannel) -> None:
        self.directory.add_channel(channel)

    def _channel_name(self, channel_id: str) -> str | None:
        channel = self.directory.channel(channel_id)
        return channel.name if channel is not None else None

    def set_usergroup(self, usergroup_id: str, members: list[str]) -> None:
        self.directory.set_usergroup(usergroup_id, members)

    def oauth_code(
        self,
        team_id: str | None = None,
        *,
        team_name: str | None = None,
        enterprise_id: str | None = None,
        installer: str = "U0STANDIN1",
    ) -> str:
        """The ``code`` Slack would send back after a user allows an install in ``team_id``.

        ``oauth.v2.access`` (with ``STANDIN_CLIENT_ID``/``STANDIN_CLIENT_SECRET``)
        exchanges it once for a bot token of that team, which this stand-in then
        accepts like its own ``bot_token``.
        """
        return self.state.grants.mint_code(
            team_id or self.identity.team_id,
            team_name or self.identity.team_name,
            enterprise_id,
            installer,
        )

    def link_socket_mode(self, app_token: str, url: str) -> None:
        """Answer ``apps.connections.open`` with ``app_token`` by handing out ``url``
        (a Socket Mode WebSocket server the test runs)."""
        self.state.socket_link = (app_token, url)

    def revoke_token(self, token: str) -> None:
        """Slack revoking an installed token (uninstall, ``tokens_revoked``)."""
        self.state.grants.revoke(token)

    def keep_messages_in(self, path: Path) -> int:
        """Restore the messages and files kept in ``path``, then keep every change there.

        Returns how many messages were restored. Call before the bot starts.
        """
        restored = persist.load(self.store, path)
        numbers = [int(f.id[1:]) for f in self.store.files() if f.id[1:].isdigit()]
        if numbers:
            self.state.views.skip_ids_up_to(max(numbers))
        persister = persist.Persister(self.store, path)
        self.store.subscribe(persister)
        return restored

    def trigger_id(self, user: str) -> str:
        """A fresh trigger ID for a command or action payload (one use, ``trigger_ttl``)."""
        return self.state.views.mint_trigger(user)

    # -- the record of calls and faults ---------------------------------------------

    def calls(self, method: str | None = None) -> list[RecordedCall]:
        return self._log.calls(method)

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[RecordedCall]:
        return self._log.wait_for(method, count, timeout)

    def clear_calls(self) -> None:
        self._log.clear()

    def fail_next(
        self, method: str, status: int = 429, retry_after: int = 1, times: int = 1
    ) -> None:
        """Answer the next ``times`` calls to ``method`` with an HTTP failure.

        429 carries ``Retry-After`` and ``{"ok": false, "error": "ratelimited"}``
        as Slack's does; other statuses answer ``internal_error``. ``method`` may
        also be ``"upload"`` (the upload URL) or ``"response_url"``.
        """
        if status == 429:
            fault = Fault(429, "ratelimited", retry_after=retry_after)
        else:
            fault = Fault(status, "internal_error")
        self._faults.add(method, fault, times)

    def hold_next(self, method: str, timeout: float = 30.0) -> Hold:
        """Hold the next call to ``method`` after it took effect, before answering it.

        The caller waits for an answer until ``hold.release()``; wait for
        ``hold.reached`` and kill it to crash it with the call in flight.
        """
        hold = Hold(method, timeout)
        self._holds.add(hold)
        return hold

    def answer_error(self, method: str, error: str, times: int = 1, status: int = 200) -> None:
        """Answer the next ``times`` calls with ``{"ok": false, "error": error}`` (HTTP 200)."""
        self._faults.add(method, Fault(status, error), times)

    # -- messages, files, views ---------------------------------------------------------

    def messages(
        self,
        channel: str | None = None,
        *,
        include_ephemeral: bool = True,
        include_deleted: bool = False,
    ) -> list[StoredMessage]:
        """Messages in posting order, optionally for one channel."""
        return [
            m
            for m in self.store.all()
            if (channel is None or m.channel == channel)
            and (include_ephemeral or m.ephemeral_to is None)
            and (include_deleted or not m.deleted)
        ]

    def message(self, channel: str, ts: str) -> StoredMessage | None:
        return self.store.get(channel, ts)

    def message_by_seq(self, seq: int) -> StoredMessage | None:
        """The message the shell calls "message <seq>"."""
        return self.store.by_seq(seq)

    def thread(self, channel: str, ts: str) -> list[StoredMessage]:
        """Replies to the message at ``channel``/``ts``, oldest first."""
        return [
            m
            for m in self.messages(channel, include_ephemeral=False)
            if m.is_reply and m.thread_ts == ts
        ]

    def ephemeral(self, user: str | None = None) -> list[StoredMessage]:
        return [
            m
            for m in self.store.all()
            if m.ephemeral_to is not None and (user is None or m.ephemeral_to == user)
        ]

    def snapshot(self, message: StoredMessage) -> JsonDict:
        """A plain-dict copy of a message, what ``bot.local.shell.terminal`` renders."""
        return self.store.as_dict(message)

    def files(self) -> list[StoredFile]:
        return self.store.files()

    def home_view(self, user: str) -> JsonDict | None:
        return self.state.views.home(user)

    def views(self) -> list[JsonDict]:
        return self.state.views.all()

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Hear of every new, edited, deleted or reacted message and view change.

        The callback runs on the request's thread; pass ``queue.put`` to consume
        changes elsewhere. Returns the function that unsubscribes.
        """
        return self.store.subscribe(subscriber)

    def post_as_user(self, channel: str, text: str, user: str) -> StoredMessage:
        """A message typed by a person (the shell's echo of what they wrote)."""
        member = self.directory.user(user)
        return self.store.add(
            channel=channel,
            text=text,
            blocks=[],
            user=user,
            username=member.name if member else user,
            source="user",
        )

    def add_reaction(self, message: StoredMessage, name: str, user: str) -> bool:
        """A person's reaction (the shell's ``+:emoji: <n>``); False if already there."""
        return self.store.react(message, name.strip(":"), user, add=True)

    def remove_reaction(self, message: StoredMessage, name: str, user: str) -> bool:
        return self.store.react(message, name.strip(":"), user, add=False)

    # -- response URLs -----------------------------------------------------------------

    def response_url(
        self,
        channel: str,
        *,
        user: str | None = None,
        message_ts: str | None = None,
        max_uses: int = MAX_USES,
        lifetime: float = LIFETIME_SECONDS,
    ) -> str:
        """A URL the app can POST messages to, as in a command or action payload.

        ``message_ts`` names the message an action came from (what
        ``replace_original``/``delete_original`` act on); without it, the first
        message posted through the URL becomes the original, as for commands.
        ``user`` sees ephemeral responses (default: the first configured user).
        """
        if user is None:
            user = next(iter(self.directory.users), "U0NOBODY")
        original = self.store.get(channel, message_ts) if message_ts else None
        if message_ts and original is None:
            original = next(
                (m for m in self.ephemeral(user) if m.ts == message_ts and m.channel == channel),
                None,
            )
        hook_id = self._hooks.create(channel, user, original, max_uses=max_uses, lifetime=lifetime)
        return f"{self.url}response/{hook_id}"

    def respond(self, response_url: str, payload: JsonDict) -> JsonDict:
        """Carry out a response without HTTP: the shell's path for a command's ack body."""
        hook_id = urlsplit(response_url).path.rsplit("/", 1)[-1]
        return self.dispatcher.respond(hook_id, payload)

    @property
    def errors(self) -> list[BaseException]:
        """Exceptions the method handlers raised (each answered with a 500), for tests to show."""
        return self.dispatcher.errors


__all__ = [
    "DEFAULT_BOT_TOKEN",
    "RESPONSE_URL_METHOD",
    "UPLOAD_METHOD",
    "Change",
    "Hold",
    "Identity",
    "RecordedCall",
    "SlackStandIn",
    "StandInChannel",
    "StandInUser",
    "StoredFile",
    "StoredMessage",
]
