"""The ``/linkgap`` subcommands, one module each; ``all_subcommands`` lists them in help order."""

from __future__ import annotations

from bot.slack.router import Subcommand
from bot.slack.subcommands import (
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
