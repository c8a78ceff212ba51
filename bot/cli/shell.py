"""``linkgap shell``: try the whole Slack bot in the terminal, no Slack workspace needed.

Starts a local stand-in of Slack, the real app and its job workers against it
(SQLite and the demo provider unless the environment says otherwise), and
reads ``/linkgap …`` lines from the terminal or a pipe.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from bot.cli.help import add_command


def register(commands: Any) -> None:
    parser = add_command(
        commands,
        "shell",
        summary="the whole Slack bot locally, against a stand-in of Slack, in the terminal",
        description="Type /linkgap commands, react to messages and open the App Home as a "
        "member of a local stand-in workspace; the real app answers.",
        examples=(
            "linkgap shell",
            "linkgap shell --tour",
            "linkgap shell --user ben --channel seo",
        ),
    )
    parser.add_argument(
        "--database-url", help="database (default: $DATABASE_URL or sqlite:///linkgap.db)"
    )
    parser.add_argument(
        "--user",
        default="ana",
        choices=["ana", "ben", "chloe"],
        help="who types at first (default: ana, a workspace admin)",
    )
    parser.add_argument(
        "--channel",
        default="general",
        type=lambda value: value.lstrip("#"),
        choices=["general", "seo"],
        help="the channel you type in at first (default: general)",
    )
    parser.add_argument(
        "--files",
        type=Path,
        default=Path("linkgap-files"),
        help="folder the bot's attachments (CSV, charts) are written to (default: ./linkgap-files)",
    )
    parser.add_argument(
        "--tour",
        action="store_true",
        help="a guided tour first: gap, track, vet, approve, live, digest on sample data "
        "(pauses for Enter at a terminal; runs straight through when input is piped)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    # Imported here so other subcommands do not pay for loading Bolt and the stand-in.
    from rich.console import Console

    from bot.local.shell import Shell
    from bot.local.shell.stack import LocalBot

    console = Console(width=max(100, Console().width), highlight=False)
    with LocalBot(database_url=args.database_url) as bot:
        shell = Shell(
            bot, console, user=args.user, channel=args.channel, files=args.files, tour=args.tour
        )
        return shell.run()
