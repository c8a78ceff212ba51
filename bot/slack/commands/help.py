"""``/linkgap help [subcommand]``: every command that works today, or one in detail."""

from __future__ import annotations

from bot.slack.blocks.mrkdwn import render_blocks
from bot.slack.commands.call import CommandCall
from bot.slack.commands.parsing import command_line
from bot.slack.commands.router import Subcommand, UsageError, closest_name

USAGE = "/linkgap help [command]"


def run(call: CommandCall) -> None:
    commands = {command.name: command for command in call.subcommands()}
    if not call.args:
        call.reply(render_blocks("help.json.j2", commands=commands.values()), "linkgap commands")
        return
    if len(call.args) > 1:
        raise UsageError("`help` takes one command name, e.g. `/linkgap help gap`.", USAGE)
    word = call.args[0].text.lower()
    command = commands.get(word)
    if command is None:
        meant = closest_name(word, commands)
        raise UsageError(
            f"There is no command “{call.args[0].text[:60]}”."
            + (f" Did you mean `{command_line('help', [])} {meant}`?" if meant else "")
            + " Commands: "
            + ", ".join(f"`{name}`" for name in commands)
            + ".",
            USAGE,
            suggestion=f"/linkgap help {meant}" if meant else None,
        )
    call.reply(render_blocks("help_command.json.j2", command=command), command.usage)


SUBCOMMAND = Subcommand(
    "help",
    USAGE,
    "Show this list, or one command's usage with an example (`--help` after any command "
    "does the same).",
    run,
    example="/linkgap help track",
    synonyms=("commands", "usage"),
)
