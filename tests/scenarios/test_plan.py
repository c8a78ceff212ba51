"""The link plan in Slack: a section of every gap report, ``/linkgap plan``, "Propose"."""

from __future__ import annotations

import json
from typing import Any

from bot.store.models import Job
from tests.scenarios.harness import (
    BEN,
    PLACEMENT_KEYWORD,
    PLACEMENT_TARGET,
    SlackApp,
    mrkdwn_texts,
    running_app,
    track_campaign,
)


def report(app: SlackApp) -> Any:
    update = app.slack.calls("chat.update")[-1]
    found = app.slack.message(update.params["channel"], update.params["ts"])
    assert found is not None
    return found


def plan_buttons(blocks: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [
        json.loads(str(block["accessory"]["value"]))
        for block in blocks
        if (block.get("accessory") or {}).get("action_id") == "linkgap_propose"
    ]


def test_the_gap_report_has_a_plan_whose_propose_button_opens_the_vet_form_filled_in(
    database_url: str,
) -> None:
    with running_app(database_url) as app:
        campaign = track_campaign(app)
        app.command(f'gap "{PLACEMENT_KEYWORD}" {PLACEMENT_TARGET}', user=BEN)
        app.run_jobs()
        message = report(app)
        texts = "\n".join(mrkdwn_texts(message.blocks))
        assert "*Link plan*: " in texts
        assert "the entry gap of " in texts
        assert "*Next step:* Pitch these 3 first: " in texts
        buttons = plan_buttons(message.blocks)
        assert len(buttons) == 5
        assert {button["target"] for button in buttons} == {PLACEMENT_TARGET}
        first = buttons[0]["prospect"]
        assert first.startswith("https://")
        assert "/blog/" in first  # the page that links to a competitor today

        app.slack.clear_calls()
        pressed = app.press_button(message, "linkgap_propose", user=BEN)
        assert pressed.status_code == 200
        (opened,) = app.slack.wait_for("views.open")
        assert opened.ok, opened.response
        view = app.slack.views()[-1]
        assert view["callback_id"] == "linkgap_vet"
        fields = {block["block_id"]: block["element"] for block in view["blocks"]}
        assert fields["prospect_url"]["initial_value"] == first
        assert fields["target_url"]["initial_value"] == PLACEMENT_TARGET
        assert fields["campaign"]["initial_option"]["value"] == str(campaign.id)


def test_plan_command_shows_the_latest_analysis_plan_without_a_new_request(
    database_url: str,
) -> None:
    with running_app(database_url) as app:
        campaign = track_campaign(app)
        jobs = app.count(Job)
        answer = app.command(f"plan {campaign.id}", user=BEN).json()
        assert app.count(Job) == jobs  # read from the stored analysis, nothing queued
        texts = "\n".join(mrkdwn_texts(answer))
        assert f"Campaign {campaign.id} · from the analysis of " in texts
        assert "no new provider request" in texts
        assert "*Next step:* Pitch these 3 first: " in texts
        buttons = plan_buttons(answer["blocks"])
        assert len(buttons) == 5
        # The stored analysis gives the same pages to pitch as the report did.
        app.command(f'gap "{PLACEMENT_KEYWORD}" {PLACEMENT_TARGET}', user=BEN)
        app.run_jobs()
        assert plan_buttons(report(app).blocks) == buttons
        assert all(button["target"] == PLACEMENT_TARGET for button in buttons)

        wrong = app.command("plan nine", user=BEN).json()
        assert "Give a campaign number" in str(wrong)
        missing = app.command("plan 99", user=BEN).json()
        assert "There is no campaign 99 here" in str(missing)
