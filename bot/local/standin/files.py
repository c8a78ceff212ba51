"""The stand-in's file uploads, in Slack's three steps (what ``files_upload_v2`` does).

1. ``files.getUploadURLExternal`` reserves a file ID and hands out an upload URL
   on the stand-in itself; 2. the client POSTs the raw bytes there; 3.
   ``files.completeUploadExternal`` titles the files and shares them in a channel
   as one message, keeping the bytes for tests and the shell to read.
"""

from __future__ import annotations

import time
from typing import Any

from bot.local.standin.params import text_param
from bot.local.standin.state import Handler, StandInState, fail
from bot.local.standin.store import StoredFile

JsonDict = dict[str, Any]


def upload_url(state: StandInState, file_id: str) -> str:
    return f"{state.base_url()}upload/v1/{file_id}"


def get_upload_url(state: StandInState, params: JsonDict) -> JsonDict:
    filename = text_param(params, "filename")
    length_text = text_param(params, "length")
    if filename is None or length_text is None:
        return fail("invalid_arguments")
    try:
        length = int(length_text)
    except ValueError:
        return fail("invalid_arguments")
    if length < 0:
        return fail("invalid_arguments")
    file_id = state.views.new_id("F")
    stored = StoredFile(
        id=file_id,
        name=filename,
        length=length,
        alt_txt=text_param(params, "alt_txt"),
        created=int(time.time()),
    )
    state.store.add_file(stored)
    return {"ok": True, "upload_url": upload_url(state, file_id), "file_id": file_id}


def receive_upload(state: StandInState, file_id: str, data: bytes) -> tuple[int, str]:
    """Step 2: keep the bytes. Answers (HTTP status, body) as Slack's upload host does."""
    stored = state.store.file(file_id)
    if stored is None:
        return 404, "file_not_found"
    stored.content = data
    return 200, f"OK - {len(data)}"


def complete_upload(state: StandInState, params: JsonDict) -> JsonDict:
    entries = params.get("files")
    if not isinstance(entries, list) or not entries:
        return fail("invalid_arguments")
    files: list[StoredFile] = []
    for entry in entries:
        file_id = entry.get("id") if isinstance(entry, dict) else None
        stored = state.store.file(str(file_id)) if file_id else None
        if stored is None or stored.content is None:
            return fail("file_not_found")
        files.append(stored)
    channel_ids = [text_param(params, "channel_id") or ""]
    channel_ids += (text_param(params, "channels") or "").split(",")
    conversations = []
    for channel_id in dict.fromkeys(c.strip() for c in channel_ids if c.strip()):
        conversation = state.directory.resolve_conversation(channel_id)
        if conversation is None:
            return fail("channel_not_found")
        conversations.append(conversation)
    for entry, stored in zip(entries, files, strict=True):
        title = entry.get("title")
        stored.title = str(title) if title else stored.name
        stored.channels = [c.id for c in conversations]
    for conversation in conversations:
        state.store.add(
            channel=conversation.id,
            text=text_param(params, "initial_comment") or "",
            blocks=[],
            user=state.identity.bot_user_id,
            username=state.identity.bot_name,
            bot_id=state.identity.bot_id,
            thread_ts=text_param(params, "thread_ts"),
            files=files,
            source="files.completeUploadExternal",
        )
    return {"ok": True, "files": [f.as_api(state.base_url()) for f in files]}


def files_info(state: StandInState, params: JsonDict) -> JsonDict:
    """A file and where it is shared, as Slack's ``files.info`` describes it.

    ``shares`` maps ``public``/``private`` to channel IDs, each a list of the
    messages carrying the file (``ts``, and ``thread_ts`` for a thread reply).
    A reserved file that was never completed has no shares and no channels.
    """
    file_id = text_param(params, "file")
    stored = state.store.file(file_id) if file_id else None
    if stored is None:
        return fail("file_not_found")
    shares: dict[str, dict[str, list[JsonDict]]] = {}
    for message in state.store.all():
        if message.deleted or all(f.id != stored.id for f in message.files):
            continue
        channel = state.directory.channel(message.channel)
        visibility = "private" if channel is not None and channel.is_private else "public"
        share: JsonDict = {
            "share_user_id": message.user,
            "reply_users": [],
            "reply_users_count": 0,
            "reply_count": 0,
            "ts": message.ts,
            "channel_name": channel.name if channel is not None else "",
            "team_id": state.identity.team_id,
            "source": "UNKNOWN",
        }
        if message.is_reply:
            share["thread_ts"] = message.thread_ts
        shares.setdefault(visibility, {}).setdefault(message.channel, []).append(share)
    api = stored.as_api(state.base_url())
    api.update({"shares": shares, "has_more_shares": False})
    return {
        "ok": True,
        "file": api,
        "comments": [],
        "response_metadata": {"next_cursor": ""},
    }


HANDLERS: dict[str, Handler] = {
    "files.getUploadURLExternal": get_upload_url,
    "files.completeUploadExternal": complete_upload,
    "files.info": files_info,
}
