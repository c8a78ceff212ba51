"""The ``/linkgap`` slash command: tokenize, route to a subcommand, answer bad input with usage.

This is the one place where a command's ``LinkgapError`` becomes an ephemeral
reply; subcommands just raise.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.errors import LinkgapError
from bot.runtime import Runtime
from bot.slack.blocks.messages import usage_error_blocks
from bot.slack.blocks.mrkdwn import escape
from bot.slack.commands.call import CommandCall
from bot.slack.commands.parsing import tokenize
from bot.slack.commands.router import Router, UsageError

log = logging.getLogger(__name__)
COMMAND = "/linkgap"


def register(app: App, runtime: Runtime, router: Router) -> None:
    @app.command(COMMAND)
    def linkgap(
        ack: Ack, body: dict[str, Any], respond: Respond, client: WebClient, context: BoltContext
    ) -> None:
        try:
            subcommand, args = router.route(tokenize(str(body.get("text", ""))))
            subcommand.handler(
                CommandCall(
                    runtime=runtime,
                    args=args,
                    body=body,
                    ack=ack,
                    respond=respond,
                    client=client,
                    workspace_id=int(context["workspace_id"]),
                    subcommands=lambda: router.subcommands,
                )
            )
        except UsageError as error:
            ack(
                response_type="ephemeral",
                blocks=usage_error_blocks(error.message, error.usage, error.suggestion),
                text=escape(error.message),
            )
        except LinkgapError as error:
            ack(
                response_type="ephemeral",
                blocks=usage_error_blocks(error.message),
                text=escape(error.message),
            )
