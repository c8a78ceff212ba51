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
from bot.slack.commands.parsing import Token, scheme_suggestion
from bot.slack.commands.router import Subcommand, UsageError
from bot.store.db import statement_connection
from bot.store.repositories import enqueue_job

USAGE = '/linkgap gap "<keyword>" <url> [--country gb] [--language en]'


def parse_gap_args(args: Sequence[Token], usage: str = USAGE, command: str = "gap") -> GapRequest:
    """Keyword words, then the page URL, then optional ``--country``/``--language``.

    ``command`` names the subcommand in a corrected command line (``track`` reuses this).
    """
    words: list[str] = []
    url: str | None = None
    options = {"--country": "us", "--language": "en"}
    rest = list(args)
    while rest:
        token = rest.pop(0)
        option, _, inline = token.value.lower().partition("=")
        if token.kind == "word" and not token.quoted and option in options:
            if not inline and not rest:
                raise UsageError(f"{option} needs a two-letter code, e.g. {option} gb.", usage)
            options[option] = inline or rest.pop(0).text
        elif token.kind == "url" or ("://" in token.value and len(token.value.split()) == 1):
            # (a quoted keyword phrase that mentions a URL is still the keyword)
            if url is not None:
                raise UsageError("Give one page URL, after the keyword.", usage)
            url = token.value
        elif url is None:
            words.append(token.text)
        else:
            raise UsageError(
                f"I don't understand “{token.text[:60]}” after the URL: only "
                "`--country` and `--language` may follow it.",
                usage,
            )
    if url is None:
        _refuse_missing_url(args, usage, command)
    if not words:
        raise UsageError("The keyword is missing. Put it in quotes before the URL.", usage)
    try:
        return GapRequest.parse(
            " ".join(words), str(url), options["--country"], options["--language"]
        )
    except BadInput as error:
        raise UsageError(error.message, usage) from None


def _refuse_missing_url(args: Sequence[Token], usage: str, command: str) -> None:
    """No URL: name the address typed without ``https://``, or say the URL is missing."""
    suggestion = scheme_suggestion(command, args)
    if suggestion is not None:
        raise UsageError(suggestion[0], usage, suggestion=suggestion[1])
    raise UsageError(
        "The page URL is missing: give the full address after the keyword, "
        "e.g. https://www.example.com/page.",
        usage,
    )


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
    'prospects, posted to this channel. Shorthand: `/linkgap "<keyword>" <url>`.',
    run,
    example='/linkgap gap "trail running shoes" https://www.example.com/trail-shoes --country gb',
    options=("--country", "--language"),
    synonyms=("analyse", "analyze", "analysis", "check"),
)
