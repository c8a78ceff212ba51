"""What the Slack stand-in remembers: messages, their edits, threads, ephemera and files.

Every message gets a sequence number in posting order so a person in the local
shell can say "react to message 3", and a ``ts`` that is unique and increasing
even when many threads post at once, as Slack's are within a channel. Owners
subscribe to changes to print them as they arrive.
"""

from __future__ import annotations

import copy
import mimetypes
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

JsonDict = dict[str, Any]
ChangeKind = Literal["posted", "updated", "deleted", "reacted", "view"]


@dataclass
class StoredFile:
    """A file uploaded through ``files.getUploadURLExternal``; shared once completed."""

    id: str
    name: str
    length: int
    title: str = ""
    content: bytes | None = None
    channels: list[str] = field(default_factory=list)
    alt_txt: str | None = None
    created: int = 0

    def as_api(self, base_url: str) -> JsonDict:
        """The file object Slack answers with (a useful subset of its fields)."""
        size = len(self.content) if self.content is not None else self.length
        return {
            "id": self.id,
            "created": self.created,
            "timestamp": self.created,
            "name": self.name,
            "title": self.title or self.name,
            "mimetype": _mimetype(self.name),
            "filetype": self.name.rsplit(".", 1)[-1].lower() if "." in self.name else "",
            "size": size,
            "url_private": f"{base_url}files/{self.id}/{self.name}",
            "channels": list(self.channels),
            "is_external": False,
        }


def _mimetype(name: str) -> str:
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


@dataclass
class MessageVersion:
    """One earlier content of an edited message, kept so tests can see the progression."""

    text: str
    blocks: list[JsonDict]
    edited_at: float


@dataclass
class StoredMessage:
    """A message as the stand-in holds it: current content, history, thread, reactions."""

    seq: int
    channel: str
    ts: str
    text: str
    blocks: list[JsonDict]
    user: str
    username: str
    bot_id: str | None = None
    thread_ts: str | None = None
    metadata: JsonDict | None = None
    attachments: list[JsonDict] = field(default_factory=list)
    ephemeral_to: str | None = None
    files: list[StoredFile] = field(default_factory=list)
    reactions: dict[str, list[str]] = field(default_factory=dict)
    history: list[MessageVersion] = field(default_factory=list)
    deleted: bool = False
    source: str = "chat.postMessage"

    @property
    def edited(self) -> bool:
        return bool(self.history)

    @property
    def is_reply(self) -> bool:
        return self.thread_ts is not None and self.thread_ts != self.ts

    def as_api(self, team_id: str, base_url: str) -> JsonDict:
        """The ``message`` object Slack returns from ``chat.postMessage``/``chat.update``."""
        message: JsonDict = {
            "type": "message",
            "text": self.text,
            "user": self.user,
            "ts": self.ts,
            "team": team_id,
        }
        if self.bot_id:
            message["bot_id"] = self.bot_id
            message["app_id"] = "A0STANDIN"
        if self.blocks:
            message["blocks"] = copy.deepcopy(self.blocks)
        if self.attachments:
            message["attachments"] = copy.deepcopy(self.attachments)
        if self.thread_ts:
            message["thread_ts"] = self.thread_ts
        if self.metadata is not None:
            message["metadata"] = copy.deepcopy(self.metadata)
        if self.files:
            message["files"] = [f.as_api(base_url) for f in self.files]
            message["upload"] = True
        if self.edited:
            message["edited"] = {"user": self.user, "ts": self.ts}
        if self.reactions:
            message["reactions"] = _reactions(self.reactions)
        return message


def _reactions(reactions: dict[str, list[str]]) -> list[JsonDict]:
    return [
        {"name": name, "users": list(users), "count": len(users)}
        for name, users in reactions.items()
        if users
    ]


@dataclass(frozen=True)
class Change:
    """What a subscriber hears: the kind of change and a snapshot of the message or view."""

    kind: ChangeKind
    message: JsonDict | None = None
    view: JsonDict | None = None
    user: str | None = None  # whose Home tab or modal a view change is


Subscriber = Callable[[Change], None]


class TsClock:
    """Hands out Slack-style ``ts`` strings: unique, strictly increasing, microsecond grain."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._last = 0
        self._lock = threading.Lock()

    def advance_past(self, ts: str) -> None:
        """Never hand out ``ts`` or an earlier one (messages restored from an earlier run)."""
        seconds, _, micros = ts.partition(".")
        with self._lock:
            self._last = max(self._last, int(seconds) * 1_000_000 + int(micros or 0))

    def next(self) -> str:
        with self._lock:
            now = int(self._clock() * 1_000_000)
            self._last = max(now, self._last + 1)
            micros = self._last
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"


class MessageStore:
    """Thread-safe home of every message, ephemeral message and file the stand-in has seen.

    Snapshots handed out (``as_dict``) are copies, so a reader in the shell can
    never race a handler thread that is editing the same message.
    """

    def __init__(
        self,
        *,
        team_id: str,
        base_url: Callable[[], str],
        clock: TsClock,
        channel_name: Callable[[str], str | None] = lambda channel: None,
    ) -> None:
        self._team_id = team_id
        self._base_url = base_url
        self._clock = clock
        self._channel_name = channel_name
        self._lock = threading.RLock()
        self._messages: list[StoredMessage] = []
        self._by_key: dict[tuple[str, str], StoredMessage] = {}
        self._files: dict[str, StoredFile] = {}
        self._subscribers: list[Subscriber] = []

    # -- subscribers ---------------------------------------------------------------

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Call ``subscriber`` on every change; returns the function that unsubscribes."""
        with self._lock:
            self._subscribers.append(subscriber)

        def unsubscribe() -> None:
            with self._lock:
                if subscriber in self._subscribers:
                    self._subscribers.remove(subscriber)

        return unsubscribe

    def notify(self, change: Change) -> None:
        with self._lock:
            subscribers = list(self._subscribers)
        for subscriber in subscribers:
            subscriber(change)

    # -- messages ------------------------------------------------------------------

    def add(
        self,
        *,
        channel: str,
        text: str,
        blocks: list[JsonDict],
        user: str,
        username: str,
        bot_id: str | None = None,
        thread_ts: str | None = None,
        metadata: JsonDict | None = None,
        attachments: list[JsonDict] | None = None,
        ephemeral_to: str | None = None,
        files: list[StoredFile] | None = None,
        source: str = "chat.postMessage",
    ) -> StoredMessage:
        """Store a new message with the next ``ts`` and sequence number, and announce it."""
        with self._lock:
            message = StoredMessage(
                seq=len(self._messages) + 1,
                channel=channel,
                ts=self._clock.next(),
                text=text,
                blocks=copy.deepcopy(blocks),
                user=user,
                username=username,
                bot_id=bot_id,
                thread_ts=thread_ts,
                metadata=copy.deepcopy(metadata),
                attachments=copy.deepcopy(attachments or []),
                ephemeral_to=ephemeral_to,
                files=list(files or []),
                source=source,
            )
            self._messages.append(message)
            if ephemeral_to is None:
                self._by_key[(channel, message.ts)] = message
            snapshot = self.as_dict(message)
        self.notify(Change("posted", message=snapshot))
        return message

    def get(self, channel: str, ts: str) -> StoredMessage | None:
        """The live (not deleted, not ephemeral) message at ``channel``/``ts``."""
        with self._lock:
            message = self._by_key.get((channel, ts))
            return None if message is None or message.deleted else message

    def by_seq(self, seq: int) -> StoredMessage | None:
        with self._lock:
            if 1 <= seq <= len(self._messages):
                return self._messages[seq - 1]
            return None

    def replace(
        self,
        message: StoredMessage,
        *,
        text: str | None,
        blocks: list[JsonDict] | None,
        attachments: list[JsonDict] | None = None,
        metadata: JsonDict | None = None,
    ) -> StoredMessage:
        """Edit a message in place, keeping its former content in ``history``."""
        with self._lock:
            message.history.append(
                MessageVersion(message.text, copy.deepcopy(message.blocks), time.time())
            )
            if text is not None:
                message.text = text
            if blocks is not None:
                message.blocks = copy.deepcopy(blocks)
            if attachments is not None:
                message.attachments = copy.deepcopy(attachments)
            if metadata is not None:
                message.metadata = copy.deepcopy(metadata)
            snapshot = self.as_dict(message)
        self.notify(Change("updated", message=snapshot))
        return message

    def delete(self, message: StoredMessage) -> None:
        with self._lock:
            message.deleted = True
            snapshot = self.as_dict(message)
        self.notify(Change("deleted", message=snapshot))

    def react(self, message: StoredMessage, name: str, user: str, *, add: bool) -> bool:
        """Add or remove one user's reaction; False when that changes nothing."""
        with self._lock:
            users = message.reactions.setdefault(name, [])
            if add == (user in users):
                return False
            if add:
                users.append(user)
            else:
                users.remove(user)
                if not users:
                    del message.reactions[name]
            snapshot = self.as_dict(message)
        self.notify(Change("reacted", message=snapshot))
        return True

    def all(self) -> list[StoredMessage]:
        with self._lock:
            return list(self._messages)

    def as_dict(self, message: StoredMessage) -> JsonDict:
        """A plain-dict snapshot for the terminal renderer and for subscribers."""
        with self._lock:
            snapshot = message.as_api(self._team_id, self._base_url())
            snapshot.update(
                {
                    "seq": message.seq,
                    "channel": message.channel,
                    "channel_name": self._channel_name(message.channel),
                    "username": message.username,
                    "ephemeral": message.ephemeral_to is not None,
                    "ephemeral_to": message.ephemeral_to,
                    "is_edited": message.edited,
                    "deleted": message.deleted,
                    "reactions": _reactions(message.reactions),
                    "history": [
                        {"text": v.text, "blocks": copy.deepcopy(v.blocks)} for v in message.history
                    ],
                    "source": message.source,
                }
            )
            if message.is_reply and message.thread_ts is not None:
                parent = self._by_key.get((message.channel, message.thread_ts))
                snapshot["parent_seq"] = parent.seq if parent else None
            return snapshot

    def restore(self, messages: list[StoredMessage], files: list[StoredFile]) -> None:
        """Take back what an earlier run held (``persist.load``); only into an empty store."""
        with self._lock:
            if self._messages:
                raise RuntimeError("the stand-in already holds messages; restore only at start")
            for stored in files:
                self._files[stored.id] = stored
            for message in sorted(messages, key=lambda m: m.seq):
                self._messages.append(message)
                if message.ephemeral_to is None:
                    self._by_key[(message.channel, message.ts)] = message
                self._clock.advance_past(message.ts)

    # -- files ---------------------------------------------------------------------

    def add_file(self, stored: StoredFile) -> None:
        with self._lock:
            self._files[stored.id] = stored

    def file(self, file_id: str) -> StoredFile | None:
        with self._lock:
            return self._files.get(file_id)

    def files(self) -> list[StoredFile]:
        with self._lock:
            return list(self._files.values())
