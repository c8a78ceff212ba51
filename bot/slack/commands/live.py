"""``/linkgap live ID URL``: mark an approved placement live once its page really links to you.

The check fetches the page (through the safe fetcher), so it runs on the
job workers after the ack; the answer comes back to the caller privately.
"""

from __future__ import annotations

from bot.errors import BadInput
from bot.gap.urls import validate_url
from bot.services.placements import find_placement
from bot.slack.commands.call import CommandCall
from bot.slack.commands.reopen import placement_number
from bot.slack.commands.router import Subcommand, UsageError
from bot.store.db import transaction
from bot.store.repositories.jobs import enqueue_job

USAGE = "/linkgap live <placement number> <url of the page with the link>"


def run(call: CommandCall) -> None:
    placement_id = placement_number(call, USAGE)
    if len(call.args) != 2:
        raise UsageError("Give the placement's number and the URL of the page that links.", USAGE)
    try:
        live_url = validate_url(call.args[1].value, what="live page URL")
    except BadInput as error:
        raise UsageError(error.message, USAGE) from None
    ref = find_placement(call.runtime.sessions, call.workspace_id, placement_id)
    if ref.status not in {"approved", "live", "lost"}:
        raise UsageError(
            f"Placement {placement_id} is {ref.status}: only approved placements can go live.",
            USAGE,
        )
    with transaction(call.runtime.sessions) as session:
        enqueue_job(
            session,
            call.workspace_id,
            "live",
            {
                "placement_id": placement_id,
                "live_url": live_url,
                "user_id": call.user_id,
                "response_url": call.body.get("response_url"),
            },
        )
    call.reply_text(f"Checking that the page links to placement {placement_id}'s target…")
    call.runtime.notify_worker()


SUBCOMMAND = Subcommand(
    "live",
    USAGE,
    "Mark an approved placement live: linkgap checks the page really links to your target.",
    run,
    example="/linkgap live 1 https://www.trailrunnerdaily.com/gear-guide",
)
