"""The stand-in's ``chat.*`` and ``reactions.*`` methods: posting, editing, deleting, reacting.

Each handler checks what Slack checks (known channel, something to show,
blocks within limits, the bot's own message) and answers with Slack's shapes
and error strings.
"""

from __future__ import annotations

from typing import Any

from bot.local.standin.limits import MESSAGE_TEXT, block_problems, invalid_blocks
from bot.local.standin.params import flag, text_param
from bot.local.standin.state import Handler, StandInState, fail
from bot.local.standin.store import StoredMessage

JsonDict = dict[str, Any]


def message_content(
    params: JsonDict,
) -> tuple[str | None, list[JsonDict] | None, list[JsonDict] | None, JsonDict | None]:
    """(text, blocks, attachments, error body) as given; error body set when unacceptable."""
    text = params.get("text")
    text = None if text is None else str(text)
    blocks = params.get("blocks")
    attachments = params.get("attachments")
    if blocks is not None:
        problems = block_problems(blocks)
        if problems:
            return None, None, None, invalid_blocks(problems)
    if attachments is not None and not isinstance(attachments, list):
        return None, None, None, fail("invalid_attachments")
    if text is not None and len(text) > MESSAGE_TEXT:
        return None, None, None, fail("msg_too_long")
    return text, blocks, attachments, None


def _metadata(params: JsonDict) -> tuple[JsonDict | None, JsonDict | None]:
    """(metadata, error body): Slack wants an ``event_type`` and an ``event_payload`` object."""
    metadata = params.get("metadata")
    if metadata is None:
        return None, None
    if (
        not isinstance(metadata, dict)
        or not isinstance(metadata.get("event_type"), str)
        or not isinstance(metadata.get("event_payload"), dict)
    ):
        return None, fail("invalid_metadata_format")
    return metadata, None


def post_message(state: StandInState, params: JsonDict) -> JsonDict:
    channel_id = text_param(params, "channel")
    conversation = state.directory.resolve_conversation(channel_id) if channel_id else None
    if conversation is None:
        return fail("channel_not_found")
    text, blocks, attachments, error = message_content(params)
    if error is not None:
        return error
    if not text and not blocks and not attachments:
        return fail("no_text")
    metadata, error = _metadata(params)
    if error is not None:
        return error
    thread_ts = text_param(params, "thread_ts")
    if thread_ts is not None:
        parent = state.store.get(conversation.id, thread_ts)
        if parent is None:
            return fail("thread_not_found")
        thread_ts = parent.thread_ts or parent.ts  # a reply to a reply joins the same thread
    identity = state.identity
    message = state.store.add(
        channel=conversation.id,
        text=text or "",
        blocks=blocks or [],
        attachments=attachments,
        user=identity.bot_user_id,
        username=text_param(params, "username") or identity.bot_name,
        bot_id=identity.bot_id,
        thread_ts=thread_ts,
        metadata=metadata,
    )
    return {
        "ok": True,
        "channel": conversation.id,
        "ts": message.ts,
        "message": message.as_api(identity.team_id, state.base_url()),
    }


def _own_message(
    state: StandInState, params: JsonDict, ts_name: str
) -> tuple[StoredMessage | None, JsonDict | None]:
    channel_id = text_param(params, "channel")
    conversation = state.directory.resolve_conversation(channel_id) if channel_id else None
    if conversation is None:
        return None, fail("channel_not_found")
    ts = text_param(params, ts_name)
    message = state.store.get(conversation.id, ts) if ts else None
    if message is None:
        return None, fail("message_not_found")
    return message, None


def update(state: StandInState, params: JsonDict) -> JsonDict:
    message, error = _own_message(state, params, "ts")
    if error is not None or message is None:
        return error or fail("message_not_found")
    if message.user != state.identity.bot_user_id:
        return fail("cant_update_message")
    text, blocks, attachments, error = message_content(params)
    if error is not None:
        return error
    if text is None and blocks is None and attachments is None:
        return fail("no_text")
    metadata, error = _metadata(params)
    if error is not None:
        return error
    state.store.replace(
        message, text=text, blocks=blocks, attachments=attachments, metadata=metadata
    )
    return {
        "ok": True,
        "channel": message.channel,
        "ts": message.ts,
        "text": message.text,
        "message": message.as_api(state.identity.team_id, state.base_url()),
    }


def delete(state: StandInState, params: JsonDict) -> JsonDict:
    message, error = _own_message(state, params, "ts")
    if error is not None or message is None:
        return error or fail("message_not_found")
    if message.user != state.identity.bot_user_id:
        return fail("cant_delete_message")
    state.store.delete(message)
    return {"ok": True, "channel": message.channel, "ts": message.ts}


def post_ephemeral(state: StandInState, params: JsonDict) -> JsonDict:
    channel_id = text_param(params, "channel")
    conversation = state.directory.resolve_conversation(channel_id) if channel_id else None
    if conversation is None:
        return fail("channel_not_found")
    user_id = text_param(params, "user")
    user = state.directory.user(user_id) if user_id else None
    if user is None:
        return fail("user_not_found")
    text, blocks, attachments, error = message_content(params)
    if error is not None:
        return error
    if not text and not blocks and not attachments:
        return fail("no_text")
    message = state.store.add(
        channel=conversation.id,
        text=text or "",
        blocks=blocks or [],
        attachments=attachments,
        user=state.identity.bot_user_id,
        username=text_param(params, "username") or state.identity.bot_name,
        bot_id=state.identity.bot_id,
        thread_ts=text_param(params, "thread_ts"),
        ephemeral_to=user.id,
        source="chat.postEphemeral",
    )
    return {"ok": True, "message_ts": message.ts}


def get_permalink(state: StandInState, params: JsonDict) -> JsonDict:
    message, error = _own_message(state, params, "message_ts")
    if error is not None or message is None:
        return error or fail("message_not_found")
    link = f"{state.base_url()}archives/{message.channel}/p{message.ts.replace('.', '')}"
    return {"ok": True, "channel": message.channel, "permalink": link}


def _reaction(state: StandInState, params: JsonDict, *, add: bool) -> JsonDict:
    message, error = _own_message(state, params, "timestamp")
    if error is not None or message is None:
        return error or fail("message_not_found")
    name = (text_param(params, "name") or "").strip(":")
    if not name:
        return fail("invalid_name")
    if not state.store.react(message, name, state.identity.bot_user_id, add=add):
        return fail("already_reacted" if add else "no_reaction")
    return {"ok": True}


def reactions_add(state: StandInState, params: JsonDict) -> JsonDict:
    return _reaction(state, params, add=True)


def reactions_remove(state: StandInState, params: JsonDict) -> JsonDict:
    return _reaction(state, params, add=False)


def reactions_get(state: StandInState, params: JsonDict) -> JsonDict:
    message, error = _own_message(state, params, "timestamp")
    if error is not None or message is None:
        return error or fail("message_not_found")
    api = message.as_api(state.identity.team_id, state.base_url())
    if not flag(params.get("full")):
        for reaction in api.get("reactions", []):
            reaction["users"] = reaction["users"][:50]
    return {"ok": True, "type": "message", "channel": message.channel, "message": api}


HANDLERS: dict[str, Handler] = {
    "chat.postMessage": post_message,
    "chat.update": update,
    "chat.delete": delete,
    "chat.postEphemeral": post_ephemeral,
    "chat.getPermalink": get_permalink,
    "reactions.add": reactions_add,
    "reactions.remove": reactions_remove,
    "reactions.get": reactions_get,
}
