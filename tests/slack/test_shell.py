"""``linkgap shell``: a scripted session through a pipe, and the shell's line grammar.

The session runs the real command in a subprocess, as a person would with
``printf '…' | linkgap shell``, on a throw-away SQLite database and the demo
provider; each test reads the part of the transcript that one typed line
produced (a piped shell echoes every line after its prompt).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from bot.local.shell.display import label_references
from bot.local.shell.input import (
    ActAs,
    MoveTo,
    Nothing,
    NotUnderstood,
    OpenHome,
    Quit,
    Reaction,
    ShowHelp,
    SlashCommand,
    escape_command_text,
    parse_line,
)
from bot.local.shell.requests import ack_payload, sign
from bot.local.shell.stack import shell_environ
from bot.local.standin import SlackStandIn
from tests.digest.test_chart import png_size

KEYWORD = "trail running shoes"
TARGET = "https://www.example.com/trail-shoes"
PROMPT = re.compile(r"^(\w+) in #([\w-]+)> (.*)$")

SESSION = [
    "/linkgap help",
    f'/linkgap gap "{KEYWORD}" {TARGET}',
    "+:white_check_mark: 2",
    f'/linkgap track "{KEYWORD}" {TARGET} #seo approvers @ben',
    "/linkgap campaigns",
    "home",
    "/linkgap frobnicate",
    "+:eyes: 999",
    "+:eyes: 1",
    "as ben",
    "in #seo",
    "/linkgap settings",
    "cancel",
    "what now",
    "help",
]


@dataclass
class Transcript:
    returncode: int
    stdout: str
    stderr: str
    #: typed line → what the shell printed after it, until the next prompt.
    answers: dict[str, str]
    prompts: list[str]
    #: The folder the shell ran in (its ``linkgap-files/`` holds the attachments).
    folder: Path


def run_shell(lines: list[str], tmp: Path, *options: str) -> Transcript:
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SLACK_", "LINKGAP_", "DATABASE_URL"))
    }
    environ.update({"DATABASE_URL": f"sqlite:///{tmp}/shell.db", "COLUMNS": "120"})
    done = subprocess.run(
        [sys.executable, "-m", "bot", "shell", *options],
        input="".join(line + "\n" for line in lines),
        capture_output=True,
        text=True,
        env=environ,
        cwd=tmp,  # no .env of the developer's is read
        timeout=300,
        check=False,
    )
    answers: dict[str, str] = {}
    prompts: list[str] = []
    current: list[str] | None = None
    for line in done.stdout.splitlines():
        found = PROMPT.match(line)
        if found:
            prompts.append(f"{found.group(1)} in #{found.group(2)}")
            current = []
            answers[found.group(3)] = ""
        elif current is not None:
            current.append(line)
            answers[list(answers)[-1]] = "\n".join(current)
    return Transcript(done.returncode, done.stdout, done.stderr, answers, prompts, tmp)


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Transcript:
    return run_shell(SESSION, tmp_path_factory.mktemp("shell"))


def test_piped_session_exits_zero_at_end_of_input(session: Transcript) -> None:
    assert session.returncode == 0, session.stderr
    assert list(session.answers) == [line for line in SESSION if line != "cancel"]
    assert "Traceback" not in session.stdout + session.stderr


def test_banner_says_what_runs_and_who_types(session: Transcript) -> None:
    banner = session.stdout.split("ana in #general>")[0]
    assert "local stand-in of Slack" in banner
    assert "sample data" in banner
    assert "you are ana in #general" in banner
    assert '/linkgap gap "trail running shoes"' in banner


def test_bot_help_lists_the_commands_only_to_the_caller(session: Transcript) -> None:
    answer = session.answers["/linkgap help"]
    assert "[1] #general · linkgap" in answer
    assert "only visible to you" in answer
    for command in ("/linkgap gap", "/linkgap track", "/linkgap campaigns", "/linkgap settings"):
        assert command in answer


def test_gap_prints_the_numbered_report_once_it_is_done(session: Transcript) -> None:
    answer = session.answers[f'/linkgap gap "{KEYWORD}" {TARGET}']
    assert "[2] #general · linkgap" in answer
    assert "Link gap: trail running shoes" in answer
    assert "Entry target" in answer
    assert "Sample data" in answer
    assert "Analysing" not in answer  # the progress message shows in its final state
    assert "reply to [2]" in answer  # the prospects CSV in the report's thread
    assert ".csv" in answer


def test_attachments_are_written_to_a_folder_and_their_path_printed(session: Transcript) -> None:
    answer = session.answers[f'/linkgap gap "{KEYWORD}" {TARGET}']
    saved = re.search(r"saved to (linkgap-files/\S+\.csv)", answer)
    assert saved, answer
    csv_text = (session.folder / saved.group(1)).read_text(encoding="utf-8")
    assert csv_text.splitlines()[0].startswith("domain")
    assert len(csv_text.splitlines()) > 5
    chart = re.search(r"saved to (linkgap-files/\S+-linkgap-gap-chart-\S+\.png)", answer)
    assert chart, answer
    assert png_size((session.folder / chart.group(1)).read_bytes()) == (800, 400)


def test_reaction_shows_on_the_message_in_one_line(session: Transcript) -> None:
    answer = session.answers["+:white_check_mark: 2"]
    assert "[2] #general · linkgap" in answer
    assert ":white_check_mark: 1" in answer
    assert "Entry target" not in answer


def test_track_then_campaigns_shows_the_campaign(session: Transcript) -> None:
    track = session.answers[f'/linkgap track "{KEYWORD}" {TARGET} #seo approvers @ben']
    assert "Campaign 1" in track
    assert "Approvals in #seo by @ben" in track  # escaped on the way in, named on the way out
    assert "#seo · linkgap" in track  # its first analysis, posted to #seo
    campaigns = session.answers["/linkgap campaigns"]
    assert "Campaigns (1)" in campaigns
    assert "entry gap" in campaigns


def test_home_shows_the_campaigns(session: Transcript) -> None:
    home = session.answers["home"]
    assert "home tab" in home
    assert "Campaigns (1)" in home
    assert "trail running shoes" in home


def test_bad_command_gets_the_usage_answer(session: Transcript) -> None:
    answer = session.answers["/linkgap frobnicate"]
    assert "only visible to you" in answer
    assert "don't know the command" in answer
    assert "/linkgap help" in answer


def test_mistakes_print_one_error_line_and_the_shell_goes_on(session: Transcript) -> None:
    assert session.answers["+:eyes: 999"] == "error: there is no message [999]"
    assert "is ephemeral" in session.answers["+:eyes: 1"]
    assert session.answers["what now"].startswith("error: I don't understand")


def test_switching_user_and_channel_changes_the_prompt(session: Transcript) -> None:
    assert session.prompts[SESSION.index("as ben") + 1] == "ben in #general"
    assert session.prompts[SESSION.index("in #seo") + 1] == "ben in #seo"


def test_shell_help_is_the_shells_own(session: Transcript) -> None:
    answer = session.answers["help"]
    assert "What you can type" in answer
    assert "+:emoji: N" in answer


def test_a_modal_is_shown_and_filled_in_at_the_prompt(session: Transcript) -> None:
    answer = session.answers["/linkgap settings"]
    assert "(modal)" in answer
    assert "Data provider" in answer
    assert "fill in the form" in answer
    assert "Data provider [Demo (sample data)]: cancel" in answer  # the answer is echoed
    assert answer.endswith("form closed without submitting")


# -- the line grammar --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "parsed"),
    [
        ("+:white_check_mark: 3", Reaction("white_check_mark", 3, added=True)),
        ("-:x: 12", Reaction("x", 12, added=False)),
        ("+:+1: [4]", Reaction("+1", 4, added=True)),
        ("as ben", ActAs("ben")),
        ("as @chloe", ActAs("chloe")),
        ("in #seo", MoveTo("seo")),
        ("home", OpenHome()),
        ("help", ShowHelp()),
        ("quit", Quit()),
        ("exit", Quit()),
        ("", Nothing()),
        ("# a comment", Nothing()),
        (f'/linkgap gap "{KEYWORD}" {TARGET}', SlashCommand(f'gap "{KEYWORD}" {TARGET}')),
        ("/linkgap", SlashCommand("")),
    ],
)
def test_lines_mean_what_the_help_says(line: str, parsed: object) -> None:
    assert parse_line(line) == parsed


@pytest.mark.parametrize("line", ["+:eyes:", "+ 3", "/giphy cats", "hello"])
def test_other_lines_are_not_understood(line: str) -> None:
    assert isinstance(parse_line(line), NotUnderstood)


CHANNELS = {"seo": "C0SEO", "general": "C0GENERAL"}
USERS = {"ben": "U0STANDIN2", "ana": "U0STANDIN1"}


def escape(text: str) -> str:
    return escape_command_text(text, channel_id=CHANNELS.get, user_id=USERS.get)


def test_channels_and_people_are_escaped_as_slack_sends_them() -> None:
    assert escape("track x #seo approvers @ben @ana") == (
        "track x <#C0SEO|seo> approvers <@U0STANDIN2|ben> <@U0STANDIN1|ana>"
    )


def test_unknown_names_and_fragments_inside_links_stay_as_typed() -> None:
    assert escape("#nowhere @nobody") == "#nowhere @nobody"
    assert escape("https://example.com/a#seo") == "<https://example.com/a#seo>"
    assert escape("mail ana@example.com") == "mail ana@example.com"


def test_links_are_wrapped_and_markup_is_escaped() -> None:
    assert escape('gap "A&B <shoes>" https://x.com/?a=1&b=2.') == (
        'gap "A&amp;B &lt;shoes&gt;" <https://x.com/?a=1&amp;b=2>.'
    )
    assert escape("@here") == "<!here>"


# -- the pieces around it ------------------------------------------------------------------


def test_requests_are_signed_like_slacks() -> None:
    # Slack's documented example: secret, timestamp and body give this signature.
    secret = "8f742231b10e8888abcd99yyyzzz85a5"
    body = (
        b"token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&"
        b"channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&"
        b"command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2F"
        b"commands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&"
        b"trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
    )
    assert sign(body, 1531420618, secret) == (
        "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
    )


def test_ack_bodies_read_as_messages() -> None:
    def response(text: str) -> httpx.Response:
        return httpx.Response(200, text=text)

    assert ack_payload(response("")) is None
    assert ack_payload(response('{"response_type": "in_channel", "text": "hi"}')) == {
        "response_type": "in_channel",
        "text": "hi",
    }
    assert ack_payload(response("Something went wrong")) == {
        "response_type": "ephemeral",
        "text": "Something went wrong",
    }


def test_the_shell_never_uses_real_slack_credentials() -> None:
    real = {
        "SLACK_BOT_TOKEN": "xoxb-real",
        "SLACK_SIGNING_SECRET": "real-secret",
        "SLACK_APP_TOKEN": "xapp-real",
        "SLACK_CLIENT_SECRET": "real",
        "SLACK_API_URL": "https://slack.com/api/",
        "LINKGAP_PROVIDER": "dataforseo",
    }
    with SlackStandIn() as standin:
        environ = shell_environ(real, standin, signing_secret="made-up")
        assert environ["SLACK_BOT_TOKEN"] == standin.bot_token
        assert environ["SLACK_API_URL"] == standin.api_url
        assert environ["SLACK_SIGNING_SECRET"] == "made-up"
        assert "SLACK_APP_TOKEN" not in environ
        assert "SLACK_CLIENT_SECRET" not in environ
        assert environ["LINKGAP_PROVIDER"] == "dataforseo"  # the data source is the user's choice
        assert environ["DATABASE_URL"] == "sqlite:///linkgap.db"
        moved = shell_environ({}, standin, signing_secret="x", database_url="sqlite:///a.db")
        assert moved["DATABASE_URL"] == "sqlite:///a.db"


def test_bare_references_get_names_for_display() -> None:
    names = {("#", "C0SEO"): "seo", ("@", "U0STANDIN2"): "ben"}
    message = {"blocks": [{"text": {"text": "in <#C0SEO> by <@U0STANDIN2> and <@U0GONE>"}}]}
    assert label_references(message, lambda sigil, ident: names.get((sigil, ident))) == {
        "blocks": [{"text": {"text": "in <#C0SEO|seo> by <@U0STANDIN2|ben> and <@U0GONE>"}}]
    }


def test_the_tour_walks_from_the_gap_to_the_digest_without_stopping_when_piped(
    tmp_path: Path,
) -> None:
    tour = run_shell([], tmp_path, "--tour")

    assert tour.returncode == 0, tour.stderr
    assert "Traceback" not in tour.stdout + tour.stderr
    headings = re.findall(r"── Tour (\d)/6: ([^\n]+)", tour.stdout)
    assert [title.strip() for _, title in headings] == [
        "The link gap", "Track a campaign", "Vet an off-topic prospect",
        "Vet an on-topic prospect", "Approve it, then check it is live", "The weekly digest",
    ]  # fmt: skip
    assert "Relevance 0.00: the page is off-topic" in tour.stdout
    assert re.search(r"Relevance 0\.[5-9]\d: the page is about trail running shoes", tour.stdout)
    assert "Approved by @ben" in tour.stdout
    assert "is live: the page links to your target" in tour.stdout
    chart = re.search(r"saved to (linkgap-files/\S+\.png)", tour.stdout)
    assert chart, tour.stdout
    assert (tmp_path / chart.group(1)).read_bytes().startswith(b"\x89PNG")
    assert "End of the tour" in tour.stdout
