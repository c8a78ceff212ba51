"""DESIGN section 10 over signed HTTP: signatures, retried events, tenants, /healthz."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from bot.local.standin import StandInUser
from bot.store.db import make_engine
from bot.store.models import Campaign, Job, ProcessedEvent, Workspace
from tests.scenarios.harness import (
    ANA,
    SIGNING_SECRET,
    TEAM,
    SlackApp,
    blocks_of,
    running_app,
    sign,
)

KEYWORD = "trail running shoes"
TARGET = "https://www.example.com/trail-shoes"
FORM = "application/x-www-form-urlencoded"
STALE = 5 * 60 + 1


def _command(app: SlackApp) -> tuple[bytes, str]:
    return app.command_body(f'gap "{KEYWORD}" {TARGET}'), FORM


def _event(app: SlackApp) -> tuple[bytes, str]:
    event = {"type": "app_home_opened", "user": ANA, "channel": "D0HOME", "tab": "home"}
    return app.event_body(event, event_id="Ev0SIGNED"), "application/json"


def _view_submission(app: SlackApp) -> tuple[bytes, str]:
    view = {"id": "VM00000001", "type": "modal", "callback_id": "linkgap_settings"}
    values = {"min_domain_rating": {"value": {"type": "number_input", "value": "50"}}}
    return app.view_submission_body(view, values), FORM


REQUESTS: dict[str, Callable[[SlackApp], tuple[bytes, str]]] = {
    "command": _command,
    "event": _event,
    "view_submission": _view_submission,
}


def _forged(app: SlackApp, body: bytes, kind: str) -> object:
    now = int(time.time())
    return app.post(body, kind, timestamp=now, signature=sign(body, now, "not-the-secret"))


def _unsigned(app: SlackApp, body: bytes, kind: str) -> object:
    return app.post(body, kind, omit=("X-Slack-Signature",))


def _no_timestamp(app: SlackApp, body: bytes, kind: str) -> object:
    return app.post(body, kind, omit=("X-Slack-Request-Timestamp",))


def _stale(app: SlackApp, body: bytes, kind: str) -> object:
    then = int(time.time()) - STALE
    return app.post(body, kind, timestamp=then, signature=sign(body, then, SIGNING_SECRET))


def _from_the_future(app: SlackApp, body: bytes, kind: str) -> object:
    later = int(time.time()) + STALE
    return app.post(body, kind, timestamp=later, signature=sign(body, later, SIGNING_SECRET))


def _altered(app: SlackApp, body: bytes, kind: str) -> object:
    now = int(time.time())
    signature = sign(body, now)
    tampered = body.replace(b"T0STANDIN", b"T0EVILONE", 1)
    assert tampered != body
    return app.post(tampered, kind, timestamp=now, signature=signature)


ATTACKS = {
    "forged": _forged,
    "unsigned": _unsigned,
    "no-timestamp": _no_timestamp,
    "stale": _stale,
    "future": _from_the_future,
    "altered": _altered,
}


@pytest.mark.parametrize("request_kind", list(REQUESTS))
@pytest.mark.parametrize("attack", list(ATTACKS))
def test_unverifiable_request_gets_401_and_does_nothing(
    database_url: str, request_kind: str, attack: str
) -> None:
    with running_app(database_url) as app:
        calls_before = len(app.slack.calls())
        body, content_type = REQUESTS[request_kind](app)
        response = ATTACKS[attack](app, body, content_type)
        assert response.status_code == 401  # type: ignore[attr-defined]
        time.sleep(0.2)  # a listener run after the ack would have called Slack by now
        assert app.run_jobs() == 0
        assert app.count(Job) == 0
        assert app.count(Workspace) == 0
        assert app.count(ProcessedEvent) == 0
        assert len(app.slack.calls()) == calls_before


def test_the_same_request_correctly_signed_is_accepted(database_url: str) -> None:
    """The control for the test above: the bodies themselves are fine."""
    with running_app(database_url) as app:
        for build in REQUESTS.values():
            body, content_type = build(app)
            assert app.post(body, content_type).status_code == 200
        assert app.count(Job) == 1
        assert app.count(Workspace) == 1


def test_retried_event_counts_once(database_url: str) -> None:
    with running_app(database_url) as app:
        assert app.home_opened(event_id="Ev0HOME1").status_code == 200
        app.slack.wait_for("views.publish", 1)
        retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
        assert app.home_opened(event_id="Ev0HOME1", headers=retry).status_code == 200
        assert app.home_opened(event_id="Ev0HOME1").status_code == 200
        time.sleep(0.5)
        assert len(app.slack.calls("views.publish")) == 1
        assert app.count(ProcessedEvent) == 1

        # A new event id is a new event: de-duplication is by id, not by kind or user.
        assert app.home_opened(event_id="Ev0HOME2").status_code == 200
        app.slack.wait_for("views.publish", 2)
        assert app.count(ProcessedEvent) == 2


def _campaign_texts(app: SlackApp, **kwargs: object) -> str:
    response = app.command("campaigns", **kwargs)
    assert response.status_code == 200
    answer = response.json()
    assert answer["response_type"] == "ephemeral"
    return str(answer["blocks"])


def _home_text(app: SlackApp, user: str, event_id: str, **kwargs: object) -> str:
    published = len(app.slack.calls("views.publish"))
    assert app.home_opened(user, event_id=event_id, **kwargs).status_code == 200
    call = app.slack.wait_for("views.publish", published + 1)[-1]
    assert call.ok
    assert call.params["user_id"] == user
    return str(blocks_of(dict(call.params)))


def test_a_workspace_sees_only_its_own_campaigns(database_url: str) -> None:
    with running_app(database_url) as app:
        app.slack.add_user(StandInUser("U0OTHER1", "olga", tz="Europe/Paris"))
        secret_keyword = "confidential launch keyword"
        track = app.command(f'track "{secret_keyword}" {TARGET}')
        assert track.status_code == 200
        assert track.json()["response_type"] == "in_channel"
        assert app.run_jobs() == 1
        assert secret_keyword in _campaign_texts(app)
        assert secret_keyword in _home_text(app, ANA, "Ev0A1")

        other = "T0OTHER"
        listed = _campaign_texts(app, user="U0OTHER1", team=other)
        assert secret_keyword not in listed
        assert "No campaigns yet" in listed
        home = _home_text(app, "U0OTHER1", "Ev0B1", team=other)
        assert secret_keyword not in home
        assert "No campaigns yet" in home

        # Tracking the same keyword and page is not "already tracked" there: nothing leaks.
        again = app.command(f'track "{secret_keyword}" {TARGET}', user="U0OTHER1", team=other)
        assert again.json()["response_type"] == "in_channel"
        assert app.run_jobs() == 1
        workspaces = {w.team_id: w.id for w in app.rows(Workspace)}
        assert set(workspaces) == {TEAM, other}
        for team_id, workspace_id in workspaces.items():
            assert app.count(Campaign, Campaign.workspace_id == workspace_id) == 1, team_id
        assert _campaign_texts(app).count(secret_keyword) == 1


def test_the_same_team_id_under_two_enterprises_is_two_workspaces(database_url: str) -> None:
    with running_app(database_url) as app:
        keyword = "grid only keyword"
        response = app.command(f'track "{keyword}" {TARGET}', enterprise="E0ONE")
        assert response.json()["response_type"] == "in_channel"
        assert app.run_jobs() == 1

        assert keyword in _campaign_texts(app, enterprise="E0ONE")
        assert keyword in _home_text(app, ANA, "Ev0E1", enterprise="E0ONE")
        for enterprise in ("E0TWO", None):
            assert keyword not in _campaign_texts(app, enterprise=enterprise)
            assert keyword not in _home_text(app, ANA, f"Ev0{enterprise}", enterprise=enterprise)

        pairs = {(w.team_id, w.enterprise_id) for w in app.rows(Workspace)}
        assert pairs == {(TEAM, "E0ONE"), (TEAM, "E0TWO"), (TEAM, None)}
        (campaign,) = app.rows(Campaign)
        owner = next(w for w in app.rows(Workspace) if w.id == campaign.workspace_id)
        assert owner.enterprise_id == "E0ONE"


def test_healthz_answers_200_with_the_database_and_503_without(
    database_url: str, tmp_path: object
) -> None:
    with running_app(database_url) as app:
        up = app.http.get("/healthz")
        assert up.status_code == 200
        assert up.json() == {"ok": True}

        working = app.runtime.engine
        working.dispose()
        app.runtime.engine = make_engine(f"sqlite:///{tmp_path}/missing-dir/none/linkgap.db")
        try:
            down = app.http.get("/healthz")
            assert down.status_code == 503
            assert down.json()["ok"] is False
        finally:
            app.runtime.engine.dispose()
            app.runtime.engine = working
        assert app.http.get("/healthz").status_code == 200
        assert app.http.get("/nowhere").status_code == 404
