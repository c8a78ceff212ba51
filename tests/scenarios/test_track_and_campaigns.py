"""``/linkgap track`` and ``/linkgap campaigns`` end to end, and bad input for every subcommand."""

from __future__ import annotations

import pytest

from bot.store.models import Analysis, Campaign, Job
from tests.scenarios.harness import ANA, BEN, GENERAL, SEO, SlackApp, running_app

KEYWORD = "trail running shoes"
TARGET = "https://www.example.com/trail-shoes"
TRACK_USAGE = '/linkgap track "&lt;keyword&gt;" &lt;url&gt;'
GAP_USAGE = '/linkgap gap "&lt;keyword&gt;" &lt;url&gt;'


def _usage_shown(answer: dict[str, object]) -> str:
    return str(answer["blocks"])


@pytest.mark.parametrize(
    "text",
    [
        f'track "{KEYWORD}" {TARGET} <#C0SEO|seo> approvers <@U0STANDIN2|ben> brand "Acme"',
        f'track "{KEYWORD}" {TARGET} #C0SEO approvers @U0STANDIN2 brand "Acme"',
    ],
    ids=["as-slack-sends", "raw"],
)
def test_track_stores_the_campaign_and_posts_its_first_report_in_the_channel(
    database_url: str, text: str
) -> None:
    with running_app(database_url) as app:
        response = app.command(text, channel=GENERAL)
        assert response.status_code == 200
        answer = response.json()
        assert answer["response_type"] == "in_channel"
        (campaign,) = app.rows(Campaign)
        assert campaign.keyword == KEYWORD
        assert campaign.target_url == TARGET
        assert campaign.channel_id == SEO
        assert campaign.approvals_channel_id == SEO
        assert campaign.approvers == [BEN]
        assert campaign.brand_terms == ["Acme"]
        assert campaign.timezone == "Europe/London"  # ana's Slack profile
        assert campaign.created_by == ANA
        confirmation = str(answer["blocks"])
        assert f"Campaign *{campaign.id}*" in confirmation
        assert "<#C0SEO>" in confirmation
        assert "<@U0STANDIN2>" in confirmation
        assert "Europe/London" in confirmation

        (job,) = app.rows(Job)
        assert job.payload["campaign_id"] == campaign.id
        assert job.payload["channel_id"] == SEO
        assert app.run_jobs() == 1
        (progress,) = app.slack.calls("chat.postMessage")
        assert progress.params["channel"] == SEO
        (update,) = app.slack.calls("chat.update")
        assert update.params["channel"] == SEO
        report = app.slack.message(SEO, update.params["ts"])
        assert report is not None
        assert f"Link gap: {KEYWORD}" in str(report.blocks)
        assert app.slack.messages(GENERAL, include_ephemeral=False) == []
        (analysis,) = app.rows(Analysis)
        assert analysis.campaign_id == campaign.id
        assert analysis.entry_gap is not None

        listed = app.command("campaigns").json()
        assert listed["response_type"] == "ephemeral"
        text_listed = str(listed["blocks"])
        assert KEYWORD in text_listed
        assert f"entry gap *{analysis.entry_gap}* (target {analysis.entry_target})" in text_listed
        assert f"last analysis {analysis.created_at:%Y-%m-%d}" in text_listed
        assert "digest Mondays 09:00 Europe/London" in text_listed


def test_track_with_tz_uses_that_zone_and_defaults_to_the_callers_channel(
    database_url: str,
) -> None:
    with running_app(database_url) as app:
        answer = app.command(f'track "{KEYWORD}" {TARGET} tz America/Chicago', user=BEN).json()
        assert answer["response_type"] == "in_channel"
        (campaign,) = app.rows(Campaign)
        assert campaign.timezone == "America/Chicago"
        assert campaign.channel_id == GENERAL
        assert campaign.approvers == [BEN]  # nobody named: the caller approves
        assert app.slack.calls("users.info") == []  # tz given: the profile is not needed


def test_campaigns_lists_a_campaign_before_its_first_analysis(database_url: str) -> None:
    with running_app(database_url) as app:
        app.command(f'track "{KEYWORD}" {TARGET}')
        listed = str(app.command("campaigns").json()["blocks"])
        assert "no analysis yet" in listed
        assert "first analysis pending" in listed


BAD_INPUT = [
    ("frobnicate everything", "don't know the command", "/linkgap help"),
    (f'gap "{KEYWORD}"', "URL is missing", GAP_USAGE),
    (f'gap "{KEYWORD}" notaurl://x', "http:// or https://", GAP_USAGE),
    (f'gap "{KEYWORD}" https://', "", GAP_USAGE),
    (f'track "{KEYWORD}"', "URL is missing", TRACK_USAGE),
    (f'track "{KEYWORD}" ftp://example.com/x', "http:// or https://", TRACK_USAGE),
    ('track "' + "k" * 201 + f'" {TARGET}', "limit is 200", TRACK_USAGE),
    (f'track "{KEYWORD}" {TARGET} approvers', "`approvers` needs people", TRACK_USAGE),
    (f'track "{KEYWORD}" {TARGET} approvers brand "Acme"', "`approvers` needs", TRACK_USAGE),
    (f'track "{KEYWORD}" {TARGET} brand', "`brand` needs at least one term", TRACK_USAGE),
    (f'track "{KEYWORD}" {TARGET} tz Mars/Olympus_Mons', "not a time zone", TRACK_USAGE),
    (f'track "{KEYWORD}" {TARGET} tz', "`tz` needs a time zone", TRACK_USAGE),
    (f'track "{KEYWORD}" {TARGET} approvals', "`approvals` needs a channel", TRACK_USAGE),
    (f'track "{KEYWORD}" {TARGET} sideways', "I don't understand", TRACK_USAGE),
    (f'track "{KEYWORD} {TARGET}', "quote is not closed", ""),
]


@pytest.mark.parametrize(("text", "says", "usage"), BAD_INPUT)
def test_bad_input_gets_usage_and_creates_nothing(
    database_url: str, text: str, says: str, usage: str
) -> None:
    with running_app(database_url) as app:
        response = app.command(text)
        assert response.status_code == 200
        answer = response.json()
        assert answer["response_type"] == "ephemeral"
        assert says in answer["text"]
        assert usage in _usage_shown(answer)
        assert app.count(Campaign) == 0
        assert app.count(Job) == 0
        assert app.run_jobs() == 0
        assert app.slack.calls("chat.postMessage") == []


def _track(app: SlackApp, text: str) -> dict[str, object]:
    response = app.command(text)
    assert response.status_code == 200
    answer: dict[str, object] = response.json()
    return answer


def test_a_duplicate_campaign_is_refused_and_nothing_more_is_created(database_url: str) -> None:
    with running_app(database_url) as app:
        first = _track(app, f'track "{KEYWORD}" {TARGET}')
        assert first["response_type"] == "in_channel"
        (campaign,) = app.rows(Campaign)
        # Same keyword (other case and spacing) and the same page written differently.
        again = _track(app, 'track "Trail  Running SHOES" HTTPS://EXAMPLE.COM/trail-shoes/#top')
        assert again["response_type"] == "ephemeral"
        assert f"Campaign {campaign.id} already tracks" in str(again["text"])
        assert TRACK_USAGE in _usage_shown(again)
        assert app.count(Campaign) == 1
        assert app.count(Job) == 1  # only the first campaign's analysis was queued


def test_a_long_tracking_url_in_a_refusal_stays_a_valid_message(database_url: str) -> None:
    """A refusal quoting a long URL full of ``&`` must still fit Slack's section limit."""
    from bot.local.standin.limits import block_problems

    url = TARGET + "?" + "&".join(f"p{i}=&" for i in range(300))
    with running_app(database_url) as app:
        assert _track(app, f'track "{KEYWORD}" {url}')["response_type"] == "in_channel"
        again = _track(app, f'track "{KEYWORD}" {url}')
        assert again["response_type"] == "ephemeral"
        assert block_problems(again["blocks"]) == []
        assert app.count(Campaign) == 1
