"""``/linkgap gap "<keyword>" <url>``: queue an analysis; a worker posts progress, then the report.

The ack path only validates and inserts a job row (one INSERT), so Slack gets
its answer in milliseconds; the analysis runs on the worker pool and survives
a restart.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.errors import BadInput
from bot.services.gap import GapRequest
from bot.slack.commands.call import CommandCall
from bot.slack.commands.parsing import Token
from bot.slack.commands.router import Subcommand, UsageError
from bot.store.db import statement_connection
from bot.store.repositories.jobs import enqueue_job

USAGE = '/linkgap gap "<keyword>" <url> [--country gb] [--language en]'


def parse_gap_args(args: Sequence[Token], usage: str = USAGE) -> GapRequest:
    """Keyword words, then the page URL, then optional ``--country``/``--language``."""
    words: list[str] = []
    url: str | None = None
    options = {"--country": "us", "--language": "en"}
    rest = list(args)
    while rest:
        token = rest.pop(0)
        if token.kind == "word" and token.value.lower() in options:
            if not rest:
                raise UsageError(f"{token.value} needs a two-letter code.", usage)
            options[token.value.lower()] = rest.pop(0).text
        elif token.kind == "url" or ("://" in token.value and len(token.value.split()) == 1):
            # (a quoted keyword phrase that mentions a URL is still the keyword)
            if url is not None:
                raise UsageError("Give one page URL, after the keyword.", usage)
            url = token.value
        elif url is None:
            words.append(token.text)
        else:
            raise UsageError(f"Unexpected “{token.text[:60]}” after the URL.", usage)
    if not words:
        raise UsageError("The keyword is missing. Put it in quotes before the URL.", usage)
    if url is None:
        raise UsageError("The page URL is missing: give the full address, https://…", usage)
    try:
        return GapRequest.parse(" ".join(words), url, options["--country"], options["--language"])
    except BadInput as error:
        raise UsageError(error.message, usage) from None


def gap_job_payload(
    call: CommandCall, request: GapRequest, channel_id: str, campaign_id: int | None = None
) -> dict[str, object]:
    """What a ``gap`` job needs to run the analysis and answer where it was asked."""
    return {
        "keyword": request.keyword,
        "target_url": request.target_url,
        "country": request.country,
        "language": request.language,
        "channel_id": channel_id,
        "user_id": call.user_id,
        "team_id": call.team_id,
        "enterprise_id": call.enterprise_id,
        "campaign_id": campaign_id,
        "response_url": call.body.get("response_url"),
    }


def run(call: CommandCall) -> None:
    request = parse_gap_args(call.args)
    with statement_connection(call.runtime.statements) as connection:
        enqueue_job(
            connection, call.workspace_id, "gap", gap_job_payload(call, request, call.channel_id)
        )
    call.ack()
    call.runtime.notify_worker()


SUBCOMMAND = Subcommand(
    "gap",
    USAGE,
    "Link-gap analysis for one keyword and one page: targets, gaps, comparable pages and "
    "prospects, posted to this channel. Shorthand: `/linkgap <keyword> <url>`.",
    run,
)
