"""App Home on ``app_home_opened``: the workspace's campaigns, gap left and last analysis."""

from __future__ import annotations

from bot.store.models import Analysis, Campaign
from tests.scenarios.harness import ANA, BEN, blocks_of, running_app

TARGET = "https://www.example.com/trail-shoes"


def test_home_shows_each_campaign_with_its_gap_and_last_analysis(database_url: str) -> None:
    with running_app(database_url) as app:
        app.command(f'track "trail running shoes" {TARGET}')
        assert app.run_jobs() == 1
        app.command('track "hiking boots" https://www.example.com/boots')  # not analysed yet
        assert app.home_opened(BEN, event_id="Ev0HOMEA").status_code == 200
        (call,) = app.slack.wait_for("views.publish")
        assert call.ok
        assert call.params["user_id"] == BEN
        view = app.slack.home_view(BEN)
        assert view is not None
        assert view["type"] == "home"
        text = str(blocks_of({"view": view}))
        first, second = app.rows(Campaign)
        (analysis,) = app.rows(Analysis)
        assert "*Campaigns* (2)" in text
        assert f"*{first.id}* · *trail running shoes*" in text
        assert f"entry gap *{analysis.entry_gap}* (target {analysis.entry_target})" in text
        assert f"last analysis {analysis.created_at:%Y-%m-%d}" in text
        assert "_sample data_" in text
        assert f"*{second.id}* · *hiking boots*" in text
        assert "first analysis pending" in text


def test_home_without_campaigns_says_how_to_start_one(database_url: str) -> None:
    with running_app(database_url) as app:
        app.home_opened(ANA, event_id="Ev0HOMEB")
        app.slack.wait_for("views.publish")
        view = app.slack.home_view(ANA)
        assert view is not None
        assert "No campaigns yet" in str(view["blocks"])


def test_the_messages_tab_does_not_publish_a_home(database_url: str) -> None:
    with running_app(database_url) as app:
        event = {"type": "app_home_opened", "user": ANA, "channel": "D0HOME", "tab": "messages"}
        assert app.event(event, event_id="Ev0HOMEC").status_code == 200
        app.home_opened(ANA, event_id="Ev0HOMED")
        app.slack.wait_for("views.publish")
        assert len(app.slack.calls("views.publish")) == 1
