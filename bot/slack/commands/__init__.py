"""The ``/linkgap`` subcommands, one module each; ``all_subcommands`` lists them in help order."""

from __future__ import annotations

from bot.slack.commands import (
    campaigns,
    digest,
    gap,
    help,
    live,
    reopen,
    settings,
    track,
    vet,
)
from bot.slack.commands.router import Subcommand


def all_subcommands() -> list[Subcommand]:
    return [
        help.SUBCOMMAND,
        gap.SUBCOMMAND,
        track.SUBCOMMAND,
        campaigns.SUBCOMMAND,
        vet.SUBCOMMAND,
        reopen.SUBCOMMAND,
        live.SUBCOMMAND,
        digest.SUBCOMMAND,
        settings.SUBCOMMAND,
    ]
