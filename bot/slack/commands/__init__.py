"""The ``/linkgap`` subcommands, one module each; ``all_subcommands`` lists them in help order."""

from __future__ import annotations

from bot.slack.commands import (
    campaigns,
    digest,
    edit,
    gap,
    help,
    live,
    plan,
    reopen,
    settings,
    track,
    untrack,
    vet,
    withdraw,
)
from bot.slack.commands.router import Subcommand


def all_subcommands() -> list[Subcommand]:
    return [
        help.SUBCOMMAND,
        gap.SUBCOMMAND,
        track.SUBCOMMAND,
        edit.SUBCOMMAND,
        untrack.SUBCOMMAND,
        campaigns.SUBCOMMAND,
        plan.SUBCOMMAND,
        vet.SUBCOMMAND,
        reopen.SUBCOMMAND,
        live.SUBCOMMAND,
        withdraw.SUBCOMMAND,
        digest.SUBCOMMAND,
        settings.SUBCOMMAND,
    ]
