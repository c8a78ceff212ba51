"""``/linkgap help``: what linkgap does and every command that works today."""

from __future__ import annotations

from bot.slack.blocks.mrkdwn import render_blocks
from bot.slack.commands.call import CommandCall
from bot.slack.commands.router import Subcommand


def run(call: CommandCall) -> None:
    blocks = render_blocks("help.json.j2", commands=call.subcommands())
    call.reply(blocks, "linkgap commands")


SUBCOMMAND = Subcommand("help", "/linkgap help", "Show this list.", run)
