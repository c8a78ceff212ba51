"""Slack side effects that happen once, however often a crashed attempt is resumed.

A Web API call can succeed in Slack and still be lost to the app: the process
dies after Slack posted the message but before the answer was read or stored.
Each effect therefore has a key in the ledger (``bot.store.repositories.effects``):

1. the intent is committed before the call;
2. messages carry the key in their metadata (``event_payload.effect``);
   uploads record their file ID as soon as Slack reserves it;
3. the result is committed after the call.

An attempt that finds an intent without a result (the previous one died in
between) looks in Slack first: the channel's history or the thread's replies
for a message carrying the key, ``files.info`` and the thread's files for the
upload. Only when Slack has nothing does it call again. Resumed jobs are kept
apart by the job lease. A Slack event is different: Slack delivers it again
when the first delivery has not answered within 3 seconds, while that first
delivery may still be running. A caller that may race a live attempt so
passes ``in_flight``: an intent younger than that, left by another attempt,
is presumed to be that attempt at work, and ``EffectInFlight`` tells the caller
to look again once the window has passed (the approvals queue a repair job)
instead of searching Slack before the other attempt's message is there.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session, sessionmaker

from bot.store.db import transaction
from bot.store.repositories import EffectState, begin_effect, note_file, settle_effect
from bot.store.types import utc_now

log = logging.getLogger(__name__)

#: The metadata event type of messages that carry only their effect key.
METADATA_EVENT = "linkgap_effect"
#: The ``event_payload`` field holding the key (added to any metadata the caller gives).
KEY_FIELD = "effect"
#: How far before the recorded intent a channel search starts (clock skew with Slack).
SEARCH_MARGIN = timedelta(minutes=10)
#: Pages of history or replies read before giving up (200 messages a page).
MAX_PAGES = 5
PAGE_SIZE = 200

#: Step 2 of an upload: send the bytes to the URL Slack handed out.
Uploader = Callable[[str, bytes], None]


def post_bytes(url: str, data: bytes) -> None:
    """POST the raw bytes to Slack's upload URL (what ``files_upload_v2`` does in step 2)."""
    response = httpx.post(url, content=data, timeout=60)
    response.raise_for_status()


class EffectInFlight(Exception):
    """Another attempt began this effect moments ago and may be making it right now."""

    def __init__(self, key: str) -> None:
        super().__init__(f"effect {key} is being made by another attempt")
        self.key = key


@dataclass(frozen=True)
class Posted:
    """Where an effect's message is; ``recovered`` when an earlier attempt had posted it."""

    channel: str
    ts: str
    recovered: bool = False


class OnceEffects:
    """Posts messages and uploads files for one workspace, each key at most once.

    ``key`` names the effect for good: the same key in a later attempt means
    the same message (``job:12:progress``, ``placement:3:v2:approved``).
    """

    def __init__(
        self,
        sessions: sessionmaker[Session],
        client: WebClient,
        workspace_id: int,
        *,
        uploader: Uploader | None = None,
    ) -> None:
        self.sessions = sessions
        self.client = client
        self.workspace_id = workspace_id
        self.uploader = uploader or post_bytes

    # -- messages ------------------------------------------------------------------------

    def post(
        self,
        key: str,
        *,
        channel: str,
        text: str,
        blocks: list[dict[str, Any]] | None = None,
        thread_ts: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        in_flight: timedelta | None = None,
    ) -> Posted:
        """``chat.postMessage`` once for ``key``; later attempts get the same message back.

        With ``in_flight``, an intent another attempt recorded less than that long
        ago raises ``EffectInFlight`` rather than being searched for and repeated.
        """
        state = self._begin(key, channel, thread_ts)
        if state.done and state.ts:
            return Posted(state.channel_id, state.ts, recovered=True)
        if state.unsettled and in_flight is not None and utc_now() - state.intended_at < in_flight:
            raise EffectInFlight(key)
        if state.unsettled:
            found = self._find_message(state)
            if found is not None:
                self._settle(key, ts=found)
                log.info("effect %s: the earlier attempt had posted it (%s)", key, found)
                return Posted(state.channel_id, found, recovered=True)
        event_type = str((metadata or {}).get("event_type") or METADATA_EVENT)
        payload = {**dict((metadata or {}).get("event_payload") or {}), KEY_FIELD: key}
        answer = self.client.chat_postMessage(
            channel=channel,
            text=text,
            blocks=blocks,
            thread_ts=thread_ts,
            metadata={"event_type": event_type, "event_payload": payload},
        )
        ts = str(answer["ts"])
        self._settle(key, ts=ts)
        return Posted(str(answer.get("channel") or channel), ts)

    # -- files ---------------------------------------------------------------------------

    def upload(
        self,
        key: str,
        *,
        channel: str,
        content: bytes | str,
        filename: str,
        title: str,
        thread_ts: str | None = None,
        initial_comment: str | None = None,
        alt_text: str | None = None,
    ) -> str:
        """Share one file once for ``key`` (Slack's three upload steps); returns its file ID.

        ``alt_text`` describes an image for screen readers.
        """
        state = self._begin(key, channel, thread_ts)
        if state.done and state.file_id:
            return state.file_id
        if state.unsettled:
            found = self._find_file(state, title)
            if found is not None:
                self._settle(key, file_id=found)
                log.info("effect %s: the earlier attempt had shared file %s", key, found)
                return found
        data = content.encode("utf-8") if isinstance(content, str) else content
        reserved = self.client.files_getUploadURLExternal(
            filename=filename, length=len(data), alt_txt=alt_text
        )
        file_id = str(reserved["file_id"])
        with transaction(self.sessions) as session:
            note_file(session, self.workspace_id, key, file_id)
        self.uploader(str(reserved["upload_url"]), data)
        self.client.files_completeUploadExternal(
            files=[{"id": file_id, "title": title}],
            channel_id=channel,
            thread_ts=thread_ts,
            initial_comment=initial_comment,
        )
        self._settle(key, file_id=file_id)
        return file_id

    # -- the ledger ----------------------------------------------------------------------

    def _begin(self, key: str, channel: str, thread_ts: str | None) -> EffectState:
        with transaction(self.sessions) as session:
            return begin_effect(
                session, self.workspace_id, key, channel_id=channel, thread_ts=thread_ts
            )

    def _settle(self, key: str, *, ts: str | None = None, file_id: str | None = None) -> None:
        with transaction(self.sessions) as session:
            settle_effect(session, self.workspace_id, key, ts=ts, file_id=file_id)

    # -- looking in Slack ----------------------------------------------------------------

    def _messages(self, state: EffectState) -> Iterator[dict[str, Any]]:
        """The thread's replies, or the channel's messages since the intent (with metadata).

        A failed read (no history scope, channel gone) yields nothing: the effect is
        then made again, since a message twice is better than a message lost.
        """
        cursor: str | None = None
        for _ in range(MAX_PAGES):
            try:
                if state.thread_ts:
                    answer = self.client.conversations_replies(
                        channel=state.channel_id,
                        ts=state.thread_ts,
                        include_all_metadata=True,
                        limit=PAGE_SIZE,
                        cursor=cursor,
                    )
                else:
                    oldest = state.intended_at - SEARCH_MARGIN
                    answer = self.client.conversations_history(
                        channel=state.channel_id,
                        oldest=f"{oldest.timestamp():.6f}",
                        include_all_metadata=True,
                        limit=PAGE_SIZE,
                        cursor=cursor,
                    )
            except SlackApiError as error:
                log.warning(
                    "effect %s: could not read %s to look for it (%s); making it again",
                    state.key,
                    state.channel_id,
                    error.response.get("error"),
                )
                return
            yield from answer.get("messages") or []
            cursor = (answer.get("response_metadata") or {}).get("next_cursor") or None
            if not cursor:
                return

    def _find_message(self, state: EffectState) -> str | None:
        for message in self._messages(state):
            payload = (message.get("metadata") or {}).get("event_payload") or {}
            if payload.get(KEY_FIELD) == state.key:
                return str(message["ts"])
        return None

    def _find_file(self, state: EffectState, title: str) -> str | None:
        if state.file_id and self._file_shared(state):
            return state.file_id
        for message in self._messages(state):
            for shared in message.get("files") or []:
                if shared.get("id") == state.file_id or (
                    not state.file_id and shared.get("title") == title
                ):
                    return str(shared["id"])
        return None

    def _file_shared(self, state: EffectState) -> bool:
        """Whether ``files.info`` shows the reserved file shared where this effect shares it."""
        assert state.file_id is not None
        try:
            answer = self.client.files_info(file=state.file_id)
        except SlackApiError as error:
            if error.response.get("error") != "file_not_found":
                log.warning(
                    "effect %s: files.info failed (%s)", state.key, error.response.get("error")
                )
            return False
        shares = (answer.get("file") or {}).get("shares") or {}
        for visibility in ("public", "private"):
            for share in (shares.get(visibility) or {}).get(state.channel_id) or []:
                if not state.thread_ts or share.get("thread_ts") == state.thread_ts:
                    return True
        return False
