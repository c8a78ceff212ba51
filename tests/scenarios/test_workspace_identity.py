"""One workspace per install, whatever kind of request names it (Enterprise Grid included).

An org-wide install is one installation for every team of the org, and Slack
names it differently by request kind: a slash command carries the team it was
typed in plus ``enterprise_id`` and ``is_enterprise_install=true``; an event
carries ``authorizations[0]`` with ``team_id: null`` and
``is_enterprise_install: true`` (the shape of bolt-python's
``tests/scenario_tests/test_events_org_apps.py``); an interactivity payload
carries ``enterprise``, ``is_enterprise_install: true`` and may have
``team: null`` (slack_bolt's ``extract_team_id`` notes it). All of them must
land in the same workspace, or approvals and App Home see nothing.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any
from urllib.parse import urlencode

import pytest

from bot.store.models import Campaign, Workspace
from tests.scenarios.harness import ANA, BEN, GENERAL, SlackApp, running_app
from tests.scenarios.test_settings_modal import values_of

ORG, TEAM_A, TEAM_B = "E0GRID", "T0GRIDA", "T0GRIDB"
TARGET = "https://www.example.com/trail-shoes"


def org_command(app: SlackApp, text: str, *, team: str, user: str = ANA, flag: bool = True) -> Any:
    """A slash command typed in ``team`` of an org-wide install (Slack's form fields)."""
    form = dict(
        item.split("=", 1) for item in app.command_body(text, user=user).decode().split("&")
    )
    form.update({"team_id": team, "enterprise_id": ORG, "enterprise_name": "Grid%20Inc"})
    if flag:
        form["is_enterprise_install"] = "true"
    body = "&".join(f"{key}={value}" for key, value in form.items()).encode()
    return app.post(body, "application/x-www-form-urlencoded")


def org_event(app: SlackApp, event: dict[str, Any], *, team: str, event_id: str) -> Any:
    """An event of an org-wide install: the authorization names the org, not a team."""
    envelope = {
        "token": "verification-token",
        "team_id": team,
        "enterprise_id": ORG,
        "api_app_id": "A0LINKGAP",
        "event": {**event, "event_ts": f"{time.time():.6f}"},
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
        "authorizations": [
            {"enterprise_id": ORG, "team_id": None, "user_id": "U0LINKGAP", "is_bot": True,
             "is_enterprise_install": True}
        ],
        "is_ext_shared_channel": False,
    }  # fmt: skip
    return app.post(json.dumps(envelope).encode(), "application/json")


def org_interaction(app: SlackApp, payload: dict[str, Any], *, team: str | None) -> Any:
    """An interactivity payload of an org-wide install (``team`` may be null)."""
    body = {
        **payload,
        "enterprise": {"id": ORG, "name": "Grid Inc"},
        "team": None if team is None else {"id": team, "domain": "grid", "enterprise_id": ORG},
        "user": {"id": ANA, "username": "ana", "name": "ana", "team_id": team or TEAM_A},
        "api_app_id": "A0LINKGAP",
        "is_enterprise_install": True,
    }
    form = urlencode({"payload": json.dumps(body)}).encode()
    return app.post(form, "application/x-www-form-urlencoded")


def workspaces(app: SlackApp) -> list[tuple[str, str | None]]:
    return [(w.team_id, w.enterprise_id) for w in app.rows(Workspace)]


def test_every_request_kind_of_an_org_wide_install_is_one_workspace(database_url: str) -> None:
    with running_app(database_url, environ={"LINKGAP_ADMINS": ANA}) as app:
        assert org_command(app, f'track "trail running shoes" {TARGET}', team=TEAM_A).is_success
        assert workspaces(app) == [(ORG, None)]
        [campaign] = app.rows(Campaign)

        # Someone in another team of the org opens App Home: the org's campaign is there.
        home = {"type": "app_home_opened", "user": BEN, "channel": "D0HOME", "tab": "home"}
        assert org_event(app, home, team=TEAM_B, event_id="Ev0ORGHOME").status_code == 200
        app.slack.wait_for("views.publish")
        view = app.slack.home_view(BEN)
        assert view is not None
        assert "No campaigns yet" not in str(view["blocks"])
        assert f"*{campaign.id}* · *trail running shoes*" in str(view["blocks"])

        # A command without the org-wide flag (a payload that leaves it out) joins the org too.
        assert org_command(app, "campaigns", team=TEAM_B, flag=False).is_success

        # The settings modal, submitted with team: null, saves the org's settings.
        assert org_command(app, "settings", team=TEAM_B).is_success
        (opened,) = app.slack.calls("views.open")
        view = opened.response["view"]
        submitted = {**view, "state": {"values": values_of(view, min_domain_rating="40")}}
        answer = org_interaction(
            app, {"type": "view_submission", "trigger_id": "1.2.3", "view": submitted}, team=None
        )
        assert answer.status_code == 200, answer.text
        [workspace] = app.rows(Workspace)
        assert workspace.settings["analysis"] == {"min_domain_rating": 40.0}

        # A button press and a reaction from the org are the same workspace again.
        press = {"type": "block_actions", "trigger_id": "1.2.3", "container": {"type": "message"},
                 "actions": [{"action_id": "noop", "block_id": "b", "type": "button",
                              "action_ts": "1.2"}]}  # fmt: skip
        assert org_interaction(app, press, team=TEAM_B).status_code == 200
        reaction = {"type": "reaction_added", "user": BEN, "reaction": "eyes",
                    "item": {"type": "message", "channel": GENERAL, "ts": "1.2"}}  # fmt: skip
        assert org_event(app, reaction, team=TEAM_A, event_id="Ev0ORGREACT").status_code == 200

        assert workspaces(app) == [(ORG, None)]


def test_team_installs_in_a_grid_stay_separate_workspaces(database_url: str) -> None:
    with running_app(database_url) as app:
        org_command(app, "help", team=TEAM_A, flag=False)
        org_command(app, "help", team=TEAM_B, flag=False)

        assert sorted(workspaces(app)) == [(TEAM_A, ORG), (TEAM_B, ORG)]


@pytest.mark.parametrize(
    "kind",
    ["command", "event", "interaction"],
)
def test_empty_team_ids_get_an_answer_not_a_traceback(
    database_url: str, kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    with running_app(database_url) as app, caplog.at_level(logging.INFO):
        if kind == "command":
            form = {"team_id": "", "enterprise_id": "", "user_id": ANA, "channel_id": GENERAL,
                    "command": "/linkgap", "text": "campaigns", "response_url": "",
                    "trigger_id": ""}  # fmt: skip
            answer = app.post(urlencode(form).encode(), "application/x-www-form-urlencoded")
            assert answer.status_code == 200
            assert "names no Slack workspace" in answer.json()["text"]
        elif kind == "event":
            envelope = {"type": "event_callback", "team_id": "", "event_id": "Ev0EMPTY",
                        "event": {"type": "app_home_opened", "user": ANA, "tab": "home"},
                        "authorizations": [{"team_id": "", "enterprise_id": None,
                                            "user_id": "U0LINKGAP", "is_bot": True}]}  # fmt: skip
            answer = app.post(json.dumps(envelope).encode(), "application/json")
            assert answer.status_code == 200
        else:
            payload = {"type": "block_actions", "team": {"id": "", "domain": ""},
                       "user": {"id": ANA, "team_id": ""}, "enterprise": {"id": "", "name": ""},
                       "actions": [{"action_id": "noop", "block_id": "b",
                                    "type": "button"}]}  # fmt: skip
            body = urlencode({"payload": json.dumps(payload)}).encode()
            answer = app.post(body, "application/x-www-form-urlencoded")
            assert answer.status_code == 200
        assert app.count(Workspace) == 0
        assert app.slack.calls("views.publish") == []
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert "KeyError" not in caplog.text


def test_an_org_wide_oauth_install_authorizes_every_team_of_the_org(database_url: str) -> None:
    from slack_sdk.oauth.installation_store import Installation

    from bot.slack.listeners.oauth import client_for_workspace, installation_store
    from tests.scenarios.test_oauth_install import running_oauth_app

    with running_oauth_app(database_url) as app:
        store = installation_store(app.runtime.settings, app.runtime)
        # What the OAuth callback stores for an org-wide install: the org, no team.
        store.save(
            Installation(app_id="A0LINKGAP", enterprise_id=ORG, team_id=None, user_id=ANA,
                         bot_token=app.slack.bot_token, bot_id="B0LINKGAP",
                         bot_user_id="U0LINKGAP", is_enterprise_install=True)
        )  # fmt: skip

        answer = org_command(app, f'track "trail running shoes" {TARGET}', team=TEAM_A)
        home = {"type": "app_home_opened", "user": BEN, "channel": "D0HOME", "tab": "home"}
        opened = org_event(app, home, team=TEAM_B, event_id="Ev0ORGHOME")

        assert answer.status_code == opened.status_code == 200
        assert "reinstall" not in answer.text
        assert workspaces(app) == [(ORG, None)]
        app.slack.wait_for("views.publish")
        assert "trail running shoes" in str(app.slack.home_view(BEN))
        [workspace] = app.rows(Workspace)
        assert client_for_workspace(app.runtime, workspace.id).token == app.slack.bot_token
