"""The campaign options ``track`` and ``edit`` share, read and validated in one place.

``#channel`` (digests), ``approvals #channel``, ``approvers @a @b @group``,
``brand "Acme"``, ``topic "trail" "running"``, ``quorum N``, ``digest
<weekday> <HH:MM>`` and ``tz <Area/City>``. Only what was given is set, so
``edit`` changes exactly what the user named and ``track`` fills in defaults.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.slack.commands.parsing import Token
from bot.slack.commands.router import UsageError, closest_name

OPTION_NAMES = ("approvals", "approvers", "brand", "topic", "quorum", "digest", "tz")
MAX_QUORUM = 20
WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_TIME = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")


@dataclass
class CampaignOptions:
    """What the user set; ``None`` (or empty) means "not named"."""

    channel_id: str | None = None
    approvals_channel_id: str | None = None
    approvers: list[str] = field(default_factory=list)
    approver_usergroup: str | None = None
    brand_terms: list[str] | None = None
    topic_terms: list[str] | None = None
    quorum: int | None = None
    digest_weekday: int | None = None
    digest_hour: int | None = None
    digest_minute: int | None = None
    timezone: str | None = None

    @property
    def names_approvers(self) -> bool:
        return bool(self.approvers) or self.approver_usergroup is not None

    @property
    def is_empty(self) -> bool:
        return self == CampaignOptions()


def parse_campaign_options(tokens: Sequence[Token], usage: str) -> CampaignOptions:
    """Read options until the tokens run out; anything else is refused by name."""
    options = CampaignOptions()
    rest = list(tokens)
    while rest:
        token = rest.pop(0)
        word = token.value.lower() if token.kind == "word" and not token.quoted else ""
        if token.kind == "channel":
            options.channel_id = token.value
        elif word == "approvals":
            options.approvals_channel_id = _channel(rest, usage)
        elif word == "approvers":
            _approvers(rest, options, usage)
        elif word in {"brand", "topic"}:
            terms = _terms(rest, word, usage)
            if word == "brand":
                options.brand_terms = terms
            else:
                options.topic_terms = terms
        elif word == "quorum":
            options.quorum = _quorum(rest, usage)
        elif word == "digest":
            options.digest_weekday, options.digest_hour, options.digest_minute = _schedule(
                rest, usage
            )
        elif word in {"tz", "timezone"}:
            options.timezone = _timezone(rest, usage)
        else:
            raise UsageError(not_understood(token), usage)
    return options


def not_understood(token: Token) -> str:
    """Name what was wrong: a channel or person Slack did not link, or an unknown option."""
    text = token.text[:60]
    plain = token.kind == "word" and not token.quoted
    if plain and text.startswith("#"):
        return f"I can't see {text}: invite me or check the name."
    if plain and text.startswith("@"):
        return (
            f"I don't know {text}: pick people and user groups from Slack's suggestions "
            "as you type @, so they arrive as mentions."
        )
    meant = closest_name(text, OPTION_NAMES) if plain else None
    if meant is not None:
        return f"I don't understand “{text}” here. Did you mean `{meant}`?"
    listed = ", ".join(f"`{name}`" for name in OPTION_NAMES)
    return f"I don't understand “{text}” here. Campaign options: `#channel`, {listed}."


def _channel(rest: list[Token], usage: str) -> str:
    if rest and rest[0].kind == "word" and rest[0].text.startswith("#"):
        raise UsageError(not_understood(rest[0]), usage)
    if not rest or rest[0].kind != "channel":
        raise UsageError("`approvals` needs a channel, e.g. approvals #link-approvals.", usage)
    return rest.pop(0).value


def _approvers(rest: list[Token], options: CampaignOptions, usage: str) -> None:
    people: list[str] = []
    group: str | None = None
    while rest and rest[0].kind in {"user", "usergroup"}:
        who = rest.pop(0)
        if who.kind == "user":
            people.append(who.value)
        else:
            group = who.value
    if rest and rest[0].kind == "word" and rest[0].text.startswith("@"):
        raise UsageError(not_understood(rest[0]), usage)
    if not people and group is None:
        raise UsageError(
            "`approvers` needs people or a user group, e.g. approvers @ana @ben.", usage
        )
    options.approvers, options.approver_usergroup = people, group


def _is_term(token: Token) -> bool:
    """A brand or topic term: a word that is not the next option, channel or mention."""
    if token.kind != "word":
        return False
    if token.quoted:
        return True
    value = token.value.lower()
    return (
        value not in OPTION_NAMES and value != "timezone" and not value.startswith(("#", "@", "--"))
    )


def _terms(rest: list[Token], word: str, usage: str) -> list[str]:
    terms: list[str] = []
    while rest and _is_term(rest[0]):
        terms.extend(term.strip() for term in rest.pop(0).text.split(",") if term.strip())
    if not terms:
        raise UsageError(f'`{word}` needs at least one term, e.g. {word} "Acme".', usage)
    return terms


def _quorum(rest: list[Token], usage: str) -> int:
    text = rest.pop(0).text if rest else ""
    if not text.isdigit() or not 1 <= int(text) <= MAX_QUORUM:
        raise UsageError(
            f"`quorum` needs a number of approvers from 1 to {MAX_QUORUM}, e.g. quorum 2"
            + (f"; “{text[:20]}” is not one." if text else "."),
            usage,
        )
    return int(text)


def _schedule(rest: list[Token], usage: str) -> tuple[int, int, int]:
    day = rest.pop(0).text.lower() if rest else ""
    time = rest.pop(0).text if rest else ""
    weekday = next(
        (i for i, name in enumerate(WEEKDAY_NAMES) if day and name.startswith(day)), None
    )
    if len(day) < 3 or weekday is None:
        raise UsageError(
            f"`digest` needs a weekday and a time, e.g. digest friday 16:30; "
            f"“{day[:20]}” is not a weekday.",
            usage,
        )
    found = _TIME.fullmatch(time)
    if found is None:
        raise UsageError(
            "`digest` needs a 24-hour time after the weekday, e.g. "
            f"digest {WEEKDAY_NAMES[weekday]} 09:00; “{time[:20]}” is not one.",
            usage,
        )
    return weekday, int(found.group(1)), int(found.group(2))


def _timezone(rest: list[Token], usage: str) -> str:
    name = rest.pop(0).text if rest else ""
    try:
        if not name or name.startswith(("/", ".")):
            raise ValueError(name)
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(
            f"“{name[:40]}” is not a time zone name; use one such as Europe/Berlin."
            if name
            else "`tz` needs a time zone name such as Europe/Berlin.",
            usage,
        ) from None
    return name
