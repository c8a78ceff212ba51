"""``/linkgap settings``: the modal opens on the command's trigger, admins save, others cannot."""

from __future__ import annotations

from typing import Any

import pytest

from bot.store.models import Analysis, Workspace
from tests.scenarios.harness import ANA, BEN, SlackApp, running_app

KEYWORD = "trail running shoes"
TARGET = "https://www.example.com/trail-shoes"


def open_settings(app: SlackApp, user: str = ANA) -> dict[str, Any]:
    body = app.command_body("settings", user=user)
    trigger = dict(item.split("=", 1) for item in body.decode().split("&"))["trigger_id"]
    response = app.post(body, "application/x-www-form-urlencoded")
    assert response.status_code == 200
    (opened,) = app.slack.calls("views.open")
    assert opened.ok
    assert opened.params["trigger_id"] == trigger.replace("%2E", ".")
    view: dict[str, Any] = opened.response["view"]
    assert view["callback_id"] == "linkgap_settings"
    return view


def values_of(view: dict[str, Any], **changes: str) -> dict[str, dict[str, Any]]:
    """The state Slack submits: each input's initial value, with ``changes`` typed over it."""
    values: dict[str, dict[str, Any]] = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        element, block_id = block["element"], block["block_id"]
        if element["type"] == "static_select":
            option = element["initial_option"]
            if block_id in changes:
                option = {"text": {"type": "plain_text", "text": ""}, "value": changes[block_id]}
            values[block_id] = {"value": {"type": "static_select", "selected_option": option}}
        else:
            value = changes.get(block_id, element.get("initial_value"))
            values[block_id] = {"value": {"type": element["type"], "value": value}}
    return values


def stored_settings(app: SlackApp) -> dict[str, Any]:
    (workspace,) = app.rows(Workspace)
    return dict(workspace.settings)


def quality_rds(analysis: Analysis) -> int:
    return sum(row["quality_referring_domains"] for row in analysis.report["results"])


def test_an_admin_saves_settings_and_the_next_analysis_uses_them(database_url: str) -> None:
    with running_app(database_url) as app:
        app.command(f'gap "{KEYWORD}" {TARGET}')
        assert app.run_jobs() == 1
        view = open_settings(app)
        response = app.submit_view(view, values_of(view, min_domain_rating="50"), user=ANA)
        assert response.status_code == 200
        assert response.content == b""  # a plain ack closes the modal
        assert stored_settings(app)["analysis"] == {"min_domain_rating": 50.0}

        app.command(f'gap "{KEYWORD}" {TARGET}')
        assert app.run_jobs() == 1
        before, after = app.rows(Analysis)
        assert quality_rds(after) < quality_rds(before)
        first, second = (
            app.slack.message(call.params["channel"], call.params["ts"])
            for call in app.slack.calls("chat.update")
        )
        assert first is not None
        assert second is not None
        assert str(first.blocks) != str(second.blocks)  # the report people see changed


def test_counting_nofollow_is_a_switch_that_is_off_until_an_admin_turns_it_on(
    database_url: str,
) -> None:
    with running_app(database_url) as app:
        view = open_settings(app)
        switch = next(b for b in view["blocks"] if b.get("block_id") == "count_nofollow")
        assert switch["element"]["initial_option"]["value"] == "no"
        response = app.submit_view(view, values_of(view, count_nofollow="yes"), user=ANA)
        assert response.status_code == 200
        assert stored_settings(app)["analysis"] == {"count_nofollow": True}

        body = app.command_body("settings", user=ANA)
        reopened = app.post(body, "application/x-www-form-urlencoded")
        assert reopened.status_code == 200
        latest = app.slack.calls("views.open")[-1].response["view"]
        switch = next(b for b in latest["blocks"] if b.get("block_id") == "count_nofollow")
        assert switch["element"]["initial_option"]["value"] == "yes"


def test_a_non_admin_is_refused_with_a_field_error_and_nothing_is_saved(database_url: str) -> None:
    with running_app(database_url) as app:
        view = open_settings(app, user=BEN)
        response = app.submit_view(view, values_of(view, min_domain_rating="50"), user=BEN)
        assert response.status_code == 200
        answer = response.json()
        assert answer["response_action"] == "errors"
        assert "Only workspace admins" in answer["errors"]["provider"]
        assert stored_settings(app) == {}


def test_people_in_linkgap_admins_may_save(database_url: str) -> None:
    with running_app(database_url, environ={"LINKGAP_ADMINS": f"U0NOBODY, {BEN}"}) as app:
        view = open_settings(app, user=BEN)
        response = app.submit_view(view, values_of(view, min_domain_rating="50"), user=BEN)
        assert response.status_code == 200
        assert response.content == b""
        assert stored_settings(app)["analysis"] == {"min_domain_rating": 50.0}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"min_domain_rating": "lots"}, "min_domain_rating"),
        ({"min_domain_rating": "150"}, "min_domain_rating"),
        ({"min_domain_rating": "NaN"}, "min_domain_rating"),
        ({"spam_score_limit": "-5"}, "spam_score_limit"),
        ({"spam_score_limit": "inf"}, "spam_score_limit"),
        ({"prospect_min_competitors": "2.5"}, "prospect_min_competitors"),
        ({"prospect_min_competitors": "Infinity"}, "prospect_min_competitors"),
        ({"cache_hours": "a day"}, "cache_hours"),
        ({"cache_hours": "1000"}, "cache_hours"),
        ({"cache_hours": "inf"}, "cache_hours"),
    ],
)
def test_invalid_numbers_get_a_field_error_and_nothing_is_saved(
    database_url: str, changes: dict[str, str], field: str
) -> None:
    with running_app(database_url) as app:
        view = open_settings(app)
        response = app.submit_view(view, values_of(view, **changes), user=ANA)
        assert response.status_code == 200
        answer = response.json()
        assert answer["response_action"] == "errors"
        assert list(answer["errors"]) == [field]
        block_ids = {block.get("block_id") for block in view["blocks"]}
        assert field in block_ids  # Slack shows an error only next to a block of the view
        assert stored_settings(app) == {}
