"""Installing in several workspaces over real HTTP: /slack/install → Slack → /slack/oauth_redirect.

The app runs in OAuth mode (client id and secret, no SLACK_BOT_TOKEN) against
the Slack stand-in, whose ``oauth.v2.access`` turns a code into a bot token the
stand-in then accepts. Every Web API call that succeeds therefore used the
token the install stored, decrypted from the database.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from cryptography.fernet import Fernet
from sqlalchemy import text, update

from bot.config import load_settings
from bot.jobs.worker import JobWorker
from bot.local.standin import SlackStandIn
from bot.local.standin.state import STANDIN_CLIENT_ID, STANDIN_CLIENT_SECRET
from bot.runtime import Runtime
from bot.slack.app import build_app, job_handlers
from bot.slack.server import make_wsgi_app
from bot.store.models import SlackOAuthState, Workspace
from tests.scenarios.harness import ANA, SIGNING_SECRET, TEAM, SlackApp

ENCRYPTION_KEY = Fernet.generate_key().decode()
SECOND_TEAM = "T0SECOND"
STATE_COOKIE = "slack-app-oauth-state"


@contextmanager
def running_oauth_app(database_url: str) -> Iterator[SlackApp]:
    with SlackStandIn() as slack:
        settings = load_settings(
            {
                "DATABASE_URL": database_url,
                "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                "SLACK_CLIENT_ID": STANDIN_CLIENT_ID,
                "SLACK_CLIENT_SECRET": STANDIN_CLIENT_SECRET,
                "LINKGAP_ENCRYPTION_KEY": ENCRYPTION_KEY,
                "SLACK_API_URL": slack.api_url,
            }
        )
        runtime = Runtime.create(settings, environ={})
        try:
            app = build_app(runtime)
            worker = JobWorker(runtime.sessions, job_handlers(runtime), max_workers=2)
            transport = httpx.WSGITransport(app=make_wsgi_app(runtime, app))
            with httpx.Client(transport=transport, base_url="https://linkgap.test") as http:
                yield SlackApp(slack, runtime, http, worker)
        finally:
            runtime.close()


def start_install(app: SlackApp) -> tuple[httpx.Response, str]:
    """The installer opens /slack/install: a page linking to Slack with a fresh state."""
    page = app.http.get("/slack/install")
    match = re.search(r"state=([0-9a-f-]{36})", page.text)
    assert match is not None, page.text
    return page, match.group(1)


def come_back(app: SlackApp, code: str, state: str, *, cookie: str | None = None) -> httpx.Response:
    """The browser returns from Slack to the redirect URL (with the state cookie it was given)."""
    app.http.cookies.clear()
    headers = {"Cookie": f"{STATE_COOKIE}={cookie if cookie is not None else state}"}
    return app.http.get(
        "/slack/oauth_redirect", params={"code": code, "state": state}, headers=headers
    )


def install(app: SlackApp, team: str = TEAM) -> str:
    """A whole install into ``team``; returns the bot token Slack granted."""
    _, state = start_install(app)
    done = come_back(app, app.slack.oauth_code(team, team_name=f"{team} Inc."), state)
    assert done.status_code == 200, done.text
    [exchange] = [c for c in app.slack.calls("oauth.v2.access") if c.response.get("ok")][-1:]
    return str(exchange.response["access_token"])


def raw_rows(app: SlackApp, table: str) -> list[dict[str, Any]]:
    with app.runtime.engine.connect() as connection:
        return [dict(row) for row in connection.execute(text(f"SELECT * FROM {table}")).mappings()]


def home_opened(app: SlackApp, *, team: str, event_id: str) -> httpx.Response:
    return app.home_opened(ANA, event_id=event_id, team=team)


def event(app: SlackApp, body: dict[str, Any], *, team: str, event_id: str) -> httpx.Response:
    return app.event({**body, "event_ts": f"{time.time():.6f}"}, event_id=event_id, team=team)


def test_install_page_links_to_slack_with_the_bot_scopes_and_a_state_cookie(
    database_url: str,
) -> None:
    with running_oauth_app(database_url) as app:
        page, state = start_install(app)

        assert page.status_code == 200
        assert "https://slack.com/oauth/v2/authorize?" in page.text
        assert f"client_id={STANDIN_CLIENT_ID}" in page.text
        assert "scope=commands,chat:write,chat:write.public,files:write" in page.text
        cookie = page.headers["set-cookie"]
        assert cookie.startswith(f"{STATE_COOKIE}={state};")
        assert "HttpOnly" in cookie
        assert "Secure" in cookie
        assert len(app.rows(SlackOAuthState)) == 1


def test_install_stores_the_token_encrypted_and_requests_from_that_team_use_it(
    database_url: str,
) -> None:
    with running_oauth_app(database_url) as app:
        token = install(app)

        assert token.startswith("xoxb-standin-T0STANDIN-")
        [installation] = raw_rows(app, "slack_installations")
        [bot] = raw_rows(app, "slack_bots")
        assert installation["team_id"] == bot["team_id"] == TEAM
        assert installation["user_id"] == ANA
        for row in (installation, bot):
            assert not any(token in str(value) for value in row.values())
            assert Fernet(ENCRYPTION_KEY).decrypt(row["bot_token"].encode()).decode() == token
        assert app.rows(SlackOAuthState) == []  # the state is spent

        ack = app.command("help")
        assert ack.status_code == 200
        assert "linkgap commands" in ack.text

        home_opened(app, team=TEAM, event_id="Ev0HOME1")
        [published] = app.slack.calls("views.publish")
        assert published.response["ok"] is True  # the stand-in only knows the installed token


def test_a_state_that_is_unknown_replayed_expired_or_from_another_browser_is_refused(
    database_url: str,
) -> None:
    with running_oauth_app(database_url) as app:
        forged = come_back(app, app.slack.oauth_code(), "00000000-0000-4000-8000-000000000000")
        assert forged.status_code == 401

        _, state = start_install(app)
        other_browser = come_back(app, app.slack.oauth_code(), state, cookie="someone-else")
        assert other_browser.status_code == 400

        _, used = start_install(app)
        assert come_back(app, app.slack.oauth_code(), used).status_code == 200
        assert come_back(app, app.slack.oauth_code(), used).status_code == 401  # replayed

        _, stale = start_install(app)
        with app.runtime.engine.begin() as connection:
            connection.execute(
                update(SlackOAuthState)
                .where(SlackOAuthState.state == stale)
                .values(expire_at=datetime.now(UTC).replace(tzinfo=None) - timedelta(seconds=1))
            )
        assert come_back(app, app.slack.oauth_code(), stale).status_code == 401

        exchanges = app.slack.calls("oauth.v2.access")
        assert len(exchanges) == 1  # only the one good install asked Slack for a token
        assert len(raw_rows(app, "slack_bots")) == 1


def test_a_code_slack_does_not_accept_stores_nothing(database_url: str) -> None:
    with running_oauth_app(database_url) as app:
        _, state = start_install(app)

        answer = come_back(app, "not-a-code", state)

        assert answer.status_code == 401
        assert raw_rows(app, "slack_installations") == []


def test_a_team_that_never_installed_is_refused_before_any_listener(database_url: str) -> None:
    with running_oauth_app(database_url) as app:
        install(app, TEAM)

        app.command("help", team=SECOND_TEAM)

        assert app.count(Workspace, Workspace.team_id == SECOND_TEAM) == 0
        [told] = app.slack.calls("response_url")
        assert "installation" in str(told.params.get("text"))


def test_tokens_revoked_forgets_the_bot_token(database_url: str) -> None:
    with running_oauth_app(database_url) as app:
        token = install(app)
        revoked = {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["U0LINKGAP"]}}

        assert event(app, revoked, team=TEAM, event_id="Ev0REVOKED").status_code == 200

        assert raw_rows(app, "slack_bots") == []
        [installation] = raw_rows(app, "slack_installations")
        assert installation["bot_token"] is None  # no revoked secret left at rest
        app.slack.revoke_token(token)
        home_opened(app, team=TEAM, event_id="Ev0HOME2")
        assert app.slack.calls("views.publish") == []


def test_app_uninstalled_removes_that_team_only_and_keeps_its_workspace_data(
    database_url: str,
) -> None:
    with running_oauth_app(database_url) as app:
        install(app, TEAM)
        install(app, SECOND_TEAM)
        app.command("help", team=SECOND_TEAM)  # the workspace row exists from here on
        assert app.count(Workspace, Workspace.team_id == SECOND_TEAM) == 1

        answer = event(app, {"type": "app_uninstalled"}, team=SECOND_TEAM, event_id="Ev0GONE")

        assert answer.status_code == 200
        assert {row["team_id"] for row in raw_rows(app, "slack_installations")} == {TEAM}
        assert {row["team_id"] for row in raw_rows(app, "slack_bots")} == {TEAM}
        assert app.count(Workspace, Workspace.team_id == SECOND_TEAM) == 1
        home_opened(app, team=SECOND_TEAM, event_id="Ev0HOME3")
        assert app.slack.calls("views.publish") == []
        home_opened(app, team=TEAM, event_id="Ev0HOME4")
        assert [c.response["ok"] for c in app.slack.calls("views.publish")] == [True]


def test_an_unsigned_event_is_still_refused_in_oauth_mode(database_url: str) -> None:
    with running_oauth_app(database_url) as app:
        install(app)
        body = app.event_body({"type": "app_uninstalled"}, event_id="Ev0FORGED", team=TEAM)

        answer = app.post(body, "application/json", signature="v0=forged")

        assert answer.status_code == 401
        assert len(raw_rows(app, "slack_bots")) == 1


def test_single_workspace_mode_serves_no_install_pages(database_url: str) -> None:
    from tests.scenarios.harness import running_app

    with running_app(database_url) as app:
        assert app.http.get("/slack/install").status_code == 404
        assert app.http.get("/slack/oauth_redirect?code=x&state=y").status_code == 404


def test_a_queued_analysis_posts_with_its_workspaces_installed_token(database_url: str) -> None:
    with running_oauth_app(database_url) as app:
        install(app)

        app.command('gap "trail running shoes" https://www.example.com/trail-shoes')
        assert app.run_jobs() == 1

        posted = app.slack.calls("chat.postMessage") + app.slack.calls("chat.update")
        assert posted
        assert all(call.response["ok"] for call in posted)  # only the installed token works
