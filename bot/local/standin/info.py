"""The stand-in's read-only workspace methods: who the bot is, users, groups, conversations."""

from __future__ import annotations

import hmac
from typing import Any

from bot.local.standin.params import flag, text_param
from bot.local.standin.state import Handler, OAuthGrant, StandInState, fail
from bot.local.standin.store import StoredMessage

JsonDict = dict[str, Any]
#: What an OAuth install grants in the stand-in: linkgap's bot scopes.
GRANTED_SCOPES = (
    "commands,chat:write,chat:write.public,files:write,reactions:read,users:read,"
    "usergroups:read,channels:read,channels:history,groups:history,files:read"
)


def auth_test(state: StandInState, params: JsonDict) -> JsonDict:
    identity = state.identity
    return {
        "ok": True,
        "url": state.base_url(),
        "team": identity.team_name,
        "user": identity.bot_name,
        "team_id": identity.team_id,
        "user_id": identity.bot_user_id,
        "bot_id": identity.bot_id,
        "is_enterprise_install": False,
    }


def auth_test_for_grant(state: StandInState, grant: OAuthGrant) -> JsonDict:
    """``auth.test`` with a token an OAuth install granted: the bot, in that install's team."""
    identity = state.identity
    return {
        "ok": True,
        "url": state.base_url(),
        "team": grant.team_name,
        "user": identity.bot_name,
        "team_id": grant.team_id,
        "user_id": identity.bot_user_id,
        "bot_id": identity.bot_id,
        "enterprise_id": grant.enterprise_id,
        "is_enterprise_install": False,
    }


def oauth_v2_access(state: StandInState, params: JsonDict, client: tuple[str, str]) -> JsonDict:
    """Exchange an install's ``code`` for its bot token, as Slack does after "Allow".

    ``client`` is the (client_id, client_secret) pair from HTTP Basic auth or
    the form; a code works once (``slack.oauth_code(...)`` mints them).
    """
    grants = state.grants
    client_id, client_secret = client
    if not client_id:
        return fail("invalid_client_id")
    if not hmac.compare_digest(client_id.encode(), grants.client_id.encode()):
        return fail("invalid_client_id")
    if not hmac.compare_digest(client_secret.encode(), grants.client_secret.encode()):
        return fail("bad_client_secret")
    code = text_param(params, "code")
    grant = grants.redeem(code) if code else None
    if grant is None:
        return fail("invalid_code")
    enterprise = (
        {"id": grant.enterprise_id, "name": grant.enterprise_id} if grant.enterprise_id else None
    )
    return {
        "ok": True,
        "access_token": grant.access_token,
        "token_type": "bot",
        "scope": GRANTED_SCOPES,
        "bot_user_id": state.identity.bot_user_id,
        "app_id": state.identity.app_id,
        "team": {"id": grant.team_id, "name": grant.team_name},
        "enterprise": enterprise,
        "authed_user": {"id": grant.installer},
        "is_enterprise_install": False,
    }


def users_info(state: StandInState, params: JsonDict) -> JsonDict:
    user_id = text_param(params, "user")
    user = state.directory.user(user_id) if user_id else None
    if user is None:
        return fail("user_not_found")
    return {"ok": True, "user": user.as_api(state.identity.team_id)}


def usergroups_users_list(state: StandInState, params: JsonDict) -> JsonDict:
    usergroup = text_param(params, "usergroup")
    members = state.directory.usergroup(usergroup) if usergroup else None
    if members is None:
        return fail("no_such_subteam")
    return {"ok": True, "users": members}


def conversations_info(state: StandInState, params: JsonDict) -> JsonDict:
    channel_id = text_param(params, "channel")
    channel = state.directory.channel(channel_id) if channel_id else None
    if channel is None:
        return fail("channel_not_found")
    return {"ok": True, "channel": channel.as_api()}


def conversations_open(state: StandInState, params: JsonDict) -> JsonDict:
    users = [u for u in (text_param(params, "users") or "").split(",") if u]
    if len(users) != 1:
        return fail("not_enough_users" if not users else "too_many_users")
    if state.directory.user(users[0]) is None:
        return fail("user_not_found")
    dm = state.directory.resolve_conversation(users[0])
    assert dm is not None  # the user exists, so the DM was opened
    return {"ok": True, "channel": {"id": dm.id}}


def _page(messages: list[JsonDict], params: JsonDict) -> tuple[list[JsonDict], JsonDict]:
    """One page of ``messages`` by ``limit`` and ``cursor``: (page, response_metadata)."""
    limit = max(1, min(int(text_param(params, "limit") or 100), 1000))
    cursor = text_param(params, "cursor") or ""
    start = int(cursor.removeprefix("next_ts:")) if cursor.startswith("next_ts:") else 0
    page = messages[start : start + limit]
    more = start + limit < len(messages)
    return page, {"next_cursor": f"next_ts:{start + limit}" if more else ""}


def _api(state: StandInState, message: StoredMessage, params: JsonDict) -> JsonDict:
    """A message as history and replies list it: metadata only with ``include_all_metadata``."""
    api = message.as_api(state.identity.team_id, state.base_url())
    if not flag(params.get("include_all_metadata")):
        api.pop("metadata", None)
    return api


def conversations_history(state: StandInState, params: JsonDict) -> JsonDict:
    """Top-level messages of a channel, newest first, between ``oldest`` and ``latest``.

    Message metadata is returned only with ``include_all_metadata``, as Slack
    does; a resumed job and a digest sender taking over a dead claim look for
    their own message by its metadata before posting again.
    """
    channel = text_param(params, "channel")
    if not channel or state.directory.channel(channel) is None:
        return fail("channel_not_found")
    oldest = float(text_param(params, "oldest") or 0)
    latest = float(text_param(params, "latest") or "inf")
    found = [
        _api(state, message, params)
        for message in reversed(state.store.all())
        if message.channel == channel
        and not message.deleted
        and not message.ephemeral_to
        and not message.is_reply
        and oldest <= float(message.ts) <= latest
    ]
    page, metadata = _page(found, params)
    return {
        "ok": True,
        "messages": page,
        "has_more": bool(metadata["next_cursor"]),
        "pin_count": 0,
        "response_metadata": metadata,
    }


def conversations_replies(state: StandInState, params: JsonDict) -> JsonDict:
    """A thread: its parent first, then the replies oldest first (Slack's order and fields).

    Replies carry ``thread_ts`` and ``parent_user_id``; the parent carries
    ``reply_count``, ``reply_users`` and ``latest_reply``. A ``ts`` that is no
    message of the channel answers ``thread_not_found``.
    """
    channel = text_param(params, "channel")
    if not channel or state.directory.channel(channel) is None:
        return fail("channel_not_found")
    ts = text_param(params, "ts") or ""
    named = state.store.get(channel, ts) if ts else None
    if named is None or named.deleted:
        return fail("thread_not_found")
    parent = state.store.get(channel, named.thread_ts or ts) if named.is_reply else named
    if parent is None:
        return fail("thread_not_found")
    replies = [
        message
        for message in state.store.all()
        if message.channel == channel
        and message.is_reply
        and message.thread_ts == parent.ts
        and not message.deleted
        and not message.ephemeral_to
    ]
    head = _api(state, parent, params)
    if replies:
        head.update(
            {
                "thread_ts": parent.ts,
                "reply_count": len(replies),
                "reply_users_count": len({m.user for m in replies}),
                "reply_users": sorted({m.user for m in replies}),
                "latest_reply": replies[-1].ts,
            }
        )
    listed = [head]
    for message in replies:
        listed.append({**_api(state, message, params), "parent_user_id": parent.user})
    page, metadata = _page(listed, params)
    return {
        "ok": True,
        "messages": page,
        "has_more": bool(metadata["next_cursor"]),
        "response_metadata": metadata,
    }


HANDLERS: dict[str, Handler] = {
    "conversations.history": conversations_history,
    "conversations.replies": conversations_replies,
    "auth.test": auth_test,
    "users.info": users_info,
    "usergroups.users.list": usergroups_users_list,
    "conversations.info": conversations_info,
    "conversations.open": conversations_open,
}
