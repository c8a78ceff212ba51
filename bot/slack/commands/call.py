"""One ``/linkgap`` invocation as the subcommands see it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, Respond
from slack_sdk import WebClient

from bot.runtime import Runtime
from bot.services.gap_store import WorkspaceRef
from bot.slack.commands.parsing import Token


@dataclass
class CommandCall:
    runtime: Runtime
    args: Sequence[Token]
    body: dict[str, Any]
    ack: Ack
    respond: Respond
    client: WebClient
    workspace_id: int
    #: The registered subcommands, for ``help``.
    subcommands: Callable[[], Sequence[Any]]

    @property
    def user_id(self) -> str:
        return str(self.body.get("user_id", ""))

    @property
    def channel_id(self) -> str:
        return str(self.body.get("channel_id", ""))

    @property
    def team_id(self) -> str:
        return str(self.body.get("team_id", ""))

    @property
    def enterprise_id(self) -> str | None:
        value = self.body.get("enterprise_id")
        return str(value) if value else None

    @property
    def workspace(self) -> WorkspaceRef:
        return WorkspaceRef(team_id=self.team_id, enterprise_id=self.enterprise_id)

    def reply(self, blocks: list[dict[str, Any]], text: str) -> None:
        """Acknowledge with a message only the caller sees."""
        self.ack(response_type="ephemeral", blocks=blocks, text=text)

    def announce(self, blocks: list[dict[str, Any]], text: str) -> None:
        """Acknowledge with a message the whole channel sees (a campaign changed)."""
        self.ack(response_type="in_channel", blocks=blocks, text=text)

    def reply_text(self, mrkdwn: str) -> None:
        """Acknowledge with one short line; outside values in it must already be escaped."""
        section = {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn[:2900]}}
        self.reply([section], mrkdwn[:300])
