"""The stand-in's read-only workspace methods: who the bot is, users, groups, conversations."""

from __future__ import annotations

from typing import Any

from bot.slack.standin_params import text_param
from bot.slack.standin_state import Handler, StandInState, fail

JsonDict = dict[str, Any]


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


HANDLERS: dict[str, Handler] = {
    "auth.test": auth_test,
    "users.info": users_info,
    "usergroups.users.list": usergroups_users_list,
    "conversations.info": conversations_info,
    "conversations.open": conversations_open,
}
