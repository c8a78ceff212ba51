"""The stand-in's read-only workspace methods: who the bot is, users, groups, conversations."""

from __future__ import annotations

import hmac
from typing import Any

from bot.local.standin.params import text_param
from bot.local.standin.state import Handler, OAuthGrant, StandInState, fail

JsonDict = dict[str, Any]
#: What an OAuth install grants in the stand-in: linkgap's bot scopes.
GRANTED_SCOPES = (
    "commands,chat:write,chat:write.public,files:write,reactions:read,users:read,"
    "usergroups:read,channels:read"
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


def conversations_history(state: StandInState, params: JsonDict) -> JsonDict:
    """Top-level messages of a channel, newest first; metadata only with ``include_all_metadata``.

    Enough for the one caller that needs it: a digest sender taking over a dead
    claim looks for a message carrying that digest's metadata before posting.
    """
    channel = text_param(params, "channel")
    if not channel or state.directory.channel(channel) is None:
        return fail("channel_not_found")
    oldest = float(text_param(params, "oldest") or 0)
    limit = int(text_param(params, "limit") or 100)
    with_metadata = str(text_param(params, "include_all_metadata") or "").lower() in {"1", "true"}
    found = []
    for message in reversed(state.store.all()):
        if (
            message.channel != channel
            or message.deleted
            or message.ephemeral_to
            or message.is_reply
        ):
            continue
        if float(message.ts) < oldest:
            continue
        api = message.as_api(state.identity.team_id, state.base_url())
        if not with_metadata:
            api.pop("metadata", None)
        found.append(api)
        if len(found) >= limit:
            break
    return {"ok": True, "messages": found, "has_more": False}


HANDLERS: dict[str, Handler] = {
    "conversations.history": conversations_history,
    "auth.test": auth_test,
    "users.info": users_info,
    "usergroups.users.list": usergroups_users_list,
    "conversations.info": conversations_info,
    "conversations.open": conversations_open,
}
