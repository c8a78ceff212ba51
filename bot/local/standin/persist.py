"""The stand-in's messages kept on disk, so a restarted ``linkgap shell`` carries on.

Slack keeps a workspace's messages; the bot's database points at them (an
approval message's channel and ``ts``). Without this file a restart would
leave placements waiting on messages nobody can react to any more. Every
change is written as one JSON document, replaced atomically (write, then
rename), so a crash mid-write leaves the previous state, never half of one.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import threading
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bot.local.standin.store import (
    Change,
    MessageStore,
    MessageVersion,
    StoredFile,
    StoredMessage,
)

log = logging.getLogger(__name__)
FORMAT = 1
JsonDict = dict[str, Any]


def _file_json(stored: StoredFile) -> JsonDict:
    data = asdict(stored)
    content = data.pop("content")
    data["content_b64"] = base64.b64encode(content).decode() if content is not None else None
    return data


def _file_from(data: JsonDict) -> StoredFile:
    encoded = data.pop("content_b64", None)
    content = base64.b64decode(encoded) if encoded is not None else None
    return StoredFile(**data, content=content)


def _message_json(message: StoredMessage) -> JsonDict:
    data = asdict(message)
    data["files"] = [f.id for f in message.files]
    return data


def _message_from(data: JsonDict, files: dict[str, StoredFile]) -> StoredMessage:
    data["files"] = [files[i] for i in data.get("files", []) if i in files]
    data["history"] = [MessageVersion(**v) for v in data.get("history", [])]
    return StoredMessage(**data)


def snapshot(store: MessageStore) -> JsonDict:
    """Everything worth keeping: messages (edits, threads, reactions) and uploaded files."""
    return {
        "format": FORMAT,
        "files": [_file_json(f) for f in store.files()],
        "messages": [_message_json(m) for m in store.all()],
    }


def load(store: MessageStore, path: Path) -> int:
    """Restore ``path`` into an empty ``store``; the number of messages restored.

    A file from another format or one that cannot be read is set aside
    (renamed ``….unreadable``) with a warning rather than stopping the shell.
    """
    if not path.is_file():
        return 0
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError(f"format {data.get('format')!r}, expected {FORMAT}")
        files = {f.id: f for f in (_file_from(d) for d in data["files"])}
        messages = [_message_from(d, files) for d in data["messages"]]
    except (OSError, ValueError, KeyError, TypeError) as error:
        aside = path.with_name(path.name + ".unreadable")
        log.warning("could not read %s (%s); set aside as %s", path, error, aside)
        path.replace(aside)
        return 0
    store.restore(messages, list(files.values()))
    return len(messages)


class Persister:
    """Writes the store to ``path`` after every change (subscribe it to the store)."""

    def __init__(self, store: MessageStore, path: Path) -> None:
        self._store = store
        self._path = path
        self._lock = threading.Lock()

    def __call__(self, change: Change) -> None:
        self.save()

    def save(self) -> None:
        document = json.dumps(snapshot(self._store), separators=(",", ":"))
        with self._lock:
            partial = self._path.with_name(self._path.name + ".partial")
            partial.write_text(document, encoding="utf-8")
            os.replace(partial, self._path)
