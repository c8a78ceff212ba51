"""The ``/linkgap`` grammar end to end: typos, help, options and limits never run anything.

Each case is a signed command into the real app; the answer must be
ephemeral, say what was wrong (quoting it) and how to do it right, and leave
no job, campaign or Slack message behind.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from bot.local.standin import StandInUser
from bot.slack.blocks.mrkdwn import escape
from bot.slack.commands import all_subcommands
from bot.store.models import Campaign, Job
from tests.scenarios.harness import SlackApp, running_app

DOCS = Path(__file__).parents[2] / "docs" / "commands.md"
KEYWORD = "trail running shoes"
TARGET = "https://www.example.com/trail-shoes"


def refused(app: SlackApp, text: str) -> tuple[str, str]:
    """Send ``text``; check nothing ran; return the answer's text and all its mrkdwn."""
    response = app.command(text)
    assert response.status_code == 200
    answer: dict[str, Any] = response.json()
    assert answer["response_type"] == "ephemeral"
    assert app.count(Job) == 0
    assert app.count(Campaign) == 0
    assert [method for method, _ in app.posted() if method != "ack"] == []
    shown = "\n".join(
        str(block.get("text", {}).get("text", "")) + str(block.get("elements", ""))
        for block in answer["blocks"]
    )
    return answer["text"], shown


@pytest.mark.parametrize(
    ("text", "corrected"),
    [
        (f'gpa "{KEYWORD}" {TARGET}', f'/linkgap gap "{KEYWORD}" {TARGET}'),
        (f'gapp "{KEYWORD}" {TARGET}', f'/linkgap gap "{KEYWORD}" {TARGET}'),
        (f'analyse "{KEYWORD}" {TARGET}', f'/linkgap gap "{KEYWORD}" {TARGET}'),
        (f'trakc "{KEYWORD}" {TARGET}', f'/linkgap track "{KEYWORD}" {TARGET}'),
        ("hlep", "/linkgap help"),
    ],
)
def test_a_typo_runs_nothing_and_suggests_the_command(
    database_url: str, text: str, corrected: str
) -> None:
    with running_app(database_url) as app:
        message, shown = refused(app, text)
        assert f"Did you mean `{corrected}`? Nothing was run." in message
        assert f"```{corrected}```" in shown


def test_an_unquoted_keyword_that_starts_like_a_command_asks_for_quotes(
    database_url: str,
) -> None:
    with running_app(database_url) as app:
        message, _ = refused(app, f"trail running shoes {TARGET}")
        assert f'put it in quotes: `/linkgap "{KEYWORD}" {TARGET}`' in message


def test_a_quoted_keyword_shorthand_still_runs_an_analysis(database_url: str) -> None:
    with running_app(database_url) as app:
        assert app.command(f'"{KEYWORD}" {TARGET}').status_code == 200
        assert app.count(Job) == 1


@pytest.mark.parametrize("text", ["gap --help", f'gap "{KEYWORD}" -h', "help gap"])
def test_help_for_one_subcommand_shows_its_usage_and_an_example(
    database_url: str, text: str
) -> None:
    with running_app(database_url) as app:
        answer = app.command(text).json()
        assert answer["response_type"] == "ephemeral"
        shown = str(answer["blocks"])
        assert '/linkgap gap "&lt;keyword&gt;" &lt;url&gt;' in shown
        assert f'/linkgap gap "{KEYWORD}" {TARGET} --country gb' in shown
        assert "URL is missing" not in shown
        assert app.count(Job) == 0


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (f'gap "{KEYWORD}" {TARGET} --contry gb', "`gap` has no option “--contry”"),
        (f'gap "{KEYWORD}" --verbose {TARGET}', "`gap` has no option “--verbose”"),
        ("campaigns everything", "I don't understand “everything”"),
        ("help frobnicate", "There is no command “frobnicate”"),
        ("frobnicate", "I don't know the command “frobnicate”"),
        (
            f'track "{KEYWORD}" {TARGET} #nosuch',
            "I can't see #nosuch: invite me or check the name.",
        ),
        (
            f'track "{KEYWORD}" {TARGET} approvals #nosuch',
            "I can't see #nosuch: invite me or check the name.",
        ),
        (f'track "{KEYWORD}" {TARGET} approvers @nobody', "I don't know @nobody"),
        (f'track "{KEYWORD}" {TARGET} aprovers <@U0BEN|ben>', "Did you mean `approvers`?"),
        ("gap " + "k" * 4000, "the limit is 4,000"),
        (f'gap "trail\x00shoes" {TARGET}', "control character (U+0000)"),
    ],
)
def test_bad_input_names_what_was_wrong(database_url: str, text: str, says: str) -> None:
    with running_app(database_url) as app:
        message, _ = refused(app, text)
        assert says.replace("<", "&lt;").replace(">", "&gt;") in message


@pytest.mark.parametrize(("subcommand", "rest"), [("gap", ""), ("track", " #seo")])
def test_a_url_without_a_scheme_gets_the_corrected_command(
    database_url: str, subcommand: str, rest: str
) -> None:
    with running_app(database_url) as app:
        typed = f'{subcommand} "{KEYWORD}" www.example.com/trail-shoes{rest}'
        message, shown = refused(app, typed)
        assert "did you mean `https://www.example.com/trail-shoes`?" in message
        assert f'```/linkgap {subcommand} "{KEYWORD}" {TARGET}{rest}```' in shown


def test_every_subcommand_is_in_help_and_in_the_docs_with_its_example(database_url: str) -> None:
    """Generic over the router: a subcommand added later is held to the same rule."""
    docs = DOCS.read_text(encoding="utf-8")
    with running_app(database_url) as app:
        listing = str(app.command("help").json()["blocks"])
        for subcommand in all_subcommands():
            assert f"`{escape(subcommand.usage)}`" in listing, subcommand.name
            assert re.search(rf"^## `/linkgap {subcommand.name}\b", docs, re.MULTILINE), (
                f"docs/commands.md has no section for {subcommand.name}"
            )
            assert subcommand.example, f"{subcommand.name} has no example"
            assert subcommand.example in docs, f"docs/commands.md lacks {subcommand.example!r}"
            detail = str(app.command(f"help {subcommand.name}").json()["blocks"])
            assert escape(subcommand.example) in detail
        assert app.count(Job) == 0


# -- channels, people and groups Slack linked but the bot cannot use ------------------------------


@pytest.mark.parametrize(
    ("named", "says"),
    [
        ("<#C0PRIVATE|secret>", "I can't see #secret: invite me or check the name."),
        ("approvals <#C0PRIVATE|secret>", "I can't see #secret: invite me or check the name."),
        ("approvers <@U0NOBODY|nobody>", "I don't know @nobody in this workspace: check the name."),
        ("approvers <@U0GONE|gone>", "@gone has left this workspace: name someone who can"),
        ("approvers <@U0ROBOT|robot>", "@robot is a bot: bots never vote, name people."),
        ("approvers <!subteam^S0NOPE|@ghosts>", "I don't know the group @ghosts: check the name."),
    ],
    ids=["channel", "approvals-channel", "person", "deactivated", "bot", "group"],
)
def test_a_linked_channel_person_or_group_slack_does_not_know_is_named_and_nothing_runs(
    database_url: str, named: str, says: str
) -> None:
    with running_app(database_url) as app:
        app.slack.add_user(StandInUser("U0GONE", "gone", deleted=True))
        app.slack.add_user(StandInUser("U0ROBOT", "robot", is_bot=True))
        message, _ = refused(app, f'track "{KEYWORD}" {TARGET} {named}')
        assert message.startswith(escape(says))
        # The same check guards edit, and the campaign keeps its settings.
        assert app.command(f'track "{KEYWORD}" {TARGET}').json()["response_type"] == "in_channel"
        (before,) = app.rows(Campaign)
        answer = app.command(f"edit {before.id} {named}").json()
        assert answer["response_type"] == "ephemeral"
        assert answer["text"].startswith(escape(says))
        (after,) = app.rows(Campaign)
        assert (after.channel_id, after.approvals_channel_id, after.approvers) == (
            before.channel_id, before.approvals_channel_id, before.approvers,
        )  # fmt: skip


def test_the_keyword_shorthand_with_an_address_without_a_scheme_gets_the_corrected_command(
    database_url: str,
) -> None:
    with running_app(database_url) as app:
        message, shown = refused(app, f'"{KEYWORD}" www.example.com/trail-shoes')
        assert "did you mean `https://www.example.com/trail-shoes`?" in message
        assert f'```/linkgap "{KEYWORD}" {TARGET}```' in shown
