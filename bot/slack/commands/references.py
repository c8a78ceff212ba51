"""Checking with Slack that the channels, people and groups a command names exist for the bot.

Slack turns a typed ``#channel`` or ``@person`` into an ID only when it knows
the name, but an ID is no promise: a private channel the bot was never
invited to, a deactivated person, or a deleted group all arrive as IDs. A
campaign that posts into a channel the bot cannot see, or waits for votes
from nobody, fails days later; here it is refused at once, by name. Errors
that say nothing about the name (rate limits, a missing scope) let the
command through: they are logged, not blamed on the user.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.slack.commands.parsing import Token
from bot.slack.commands.router import UsageError

log = logging.getLogger(__name__)

CHANNEL_GONE = frozenset({"channel_not_found"})
USER_GONE = frozenset({"user_not_found", "users_not_found"})
GROUP_GONE = frozenset({"no_such_subteam", "subteam_not_found"})


def _error(error: SlackApiError) -> str:
    return str(error.response.get("error", ""))


def _channel_problem(client: WebClient, token: Token) -> str | None:
    shown = f"#{token.label or token.value}"
    try:
        channel = client.conversations_info(channel=token.value).get("channel") or {}
    except SlackApiError as error:
        if _error(error) in CHANNEL_GONE:
            return f"I can't see {shown}: invite me or check the name."
        log.warning("could not check channel %s: %s", token.value, _error(error))
        return None
    if channel.get("is_archived"):
        return f"{shown} is archived: pick a channel people still read."
    if channel.get("is_private") and channel.get("is_member") is False:
        return f"I can't see {shown}: invite me or check the name."
    return None


def _user_problem(client: WebClient, token: Token) -> str | None:
    shown = f"@{token.label}" if token.label else f"<@{token.value}>"
    try:
        user = client.users_info(user=token.value).get("user") or {}
    except SlackApiError as error:
        if _error(error) in USER_GONE:
            return f"I don't know {shown} in this workspace: check the name."
        log.warning("could not check user %s: %s", token.value, _error(error))
        return None
    if user.get("deleted"):
        return f"{shown} has left this workspace: name someone who can still vote."
    if user.get("is_bot"):
        return f"{shown} is a bot: bots never vote, name people."
    return None


def _group_problem(client: WebClient, token: Token) -> str | None:
    shown = f"@{token.label or token.value}"
    try:
        client.usergroups_users_list(usergroup=token.value)
    except SlackApiError as error:
        if _error(error) in GROUP_GONE:
            return f"I don't know the group {shown}: check the name."
        log.warning("could not check user group %s: %s", token.value, _error(error))
    return None


def check_references(client: WebClient, tokens: Iterable[Token], usage: str) -> None:
    """Refuse, naming it, the first channel, person or group Slack says the bot cannot use."""
    for token in tokens:
        if token.kind == "channel":
            problem = _channel_problem(client, token)
        elif token.kind == "user":
            problem = _user_problem(client, token)
        elif token.kind == "usergroup":
            problem = _group_problem(client, token)
        else:
            continue
        if problem is not None:
            raise UsageError(problem, usage)
