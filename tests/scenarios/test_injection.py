"""Nobody can ping a channel, mention someone or disguise a link through the bot.

A keyword full of Slack control sequences goes through every surface that
shows it (progress, report, track confirmation, campaigns, App Home, a
failure, usage errors); every mrkdwn text the app sent must show it as inert
text, and plain_text fields must show it as typed (not as entities).
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.store.db import write_transaction
from bot.store.repositories.workspaces import get_or_create_workspace, update_workspace_settings
from tests.scenarios.harness import (
    ANA,
    SlackApp,
    blocks_of,
    mrkdwn_texts,
    plain_texts,
    running_app,
)

EVIL = "<!channel> & <@U123> <https://evil.example|your bank>"
#: What Slack sends (``should_escape: true``) when someone types EVIL literally.
EVIL_AS_SLACK_SENDS = "&lt;!channel&gt; &amp; &lt;@U123&gt; &lt;https://evil.example|your bank&gt;"
#: The same text with Slack's own references, as autocomplete or a raw shell line produces.
EVIL_AS_REFERENCES = "<!channel> & <@U123|bob> <https://evil.example|your bank>"
FORBIDDEN = ("<!channel>", "<@U123", "<https://evil.example", "<!here>", "<!everyone>")
INERT = "&lt;!channel&gt; &amp; &lt;@U123&gt; &lt;https://evil.example|your bank&gt;"
TARGET = "https://www.example.com/bank"
BROKEN_TEAM = "T0BROKEN"


def assert_inert(app: SlackApp) -> list[tuple[str, dict[str, Any]]]:
    shown = app.posted()
    assert shown
    for where, payload in shown:
        for text in mrkdwn_texts(payload):
            for sequence in FORBIDDEN:
                assert sequence not in text, f"{where} sent a live {sequence!r}: {text!r}"
        for text in plain_texts(payload):
            assert "&lt;" not in text, f"{where} broke plain_text {text!r}"
            assert "&amp;" not in text, f"{where} broke plain_text {text!r}"
    return shown


def shows_inert_keyword(payload: dict[str, Any]) -> bool:
    return any(INERT in text for text in mrkdwn_texts(payload))


def _break_provider(app: SlackApp) -> None:
    """A workspace whose chosen live provider has no keys: its analyses fail."""
    with write_transaction(app.runtime.sessions) as session:
        workspace = get_or_create_workspace(session, BROKEN_TEAM)
        update_workspace_settings(session, workspace.id, {"provider": "dataforseo"})


def test_a_keyword_with_slack_control_sequences_stays_inert_everywhere(database_url: str) -> None:
    with running_app(database_url) as app:
        _break_provider(app)
        quoted = f'"{EVIL_AS_SLACK_SENDS}"'
        # One job at a time: see the report about concurrent recording on SQLite.
        assert app.command(f"gap {quoted} {TARGET}").status_code == 200
        assert app.run_jobs() == 1
        track = app.command(f"track {quoted} {TARGET}")
        assert track.json()["response_type"] == "in_channel"
        assert shows_inert_keyword(track.json())
        assert app.run_jobs() == 1
        duplicate = app.command(f"track {quoted} {TARGET}").json()
        assert duplicate["response_type"] == "ephemeral"
        assert "already tracks" in duplicate["text"]
        unknown = app.command(f"{EVIL_AS_SLACK_SENDS} {TARGET}x y").json()
        assert unknown["response_type"] == "ephemeral"
        assert app.command(f"gap {quoted} {TARGET}", team=BROKEN_TEAM).status_code == 200
        assert app.run_jobs() == 1

        listed = app.command("campaigns").json()
        assert shows_inert_keyword(listed)
        assert app.home_opened(ANA, event_id="Ev0INJECT").status_code == 200
        home = app.slack.wait_for("views.publish")[-1]
        assert shows_inert_keyword({"blocks": blocks_of(dict(home.params))})

        shown = assert_inert(app)
        sources = {where for where, payload in shown if shows_inert_keyword(payload)}
        assert {"chat.postMessage", "chat.update", "views.publish", "ack"} <= sources
        progress = app.slack.calls("chat.postMessage")
        assert len(progress) == 3
        assert all(shows_inert_keyword(call.params) for call in progress)
        updates = app.slack.calls("chat.update")
        assert len(updates) == 3
        assert all(shows_inert_keyword(call.params) for call in updates)
        failures = [call for call in updates if ":x:" in str(call.params["blocks"])]
        assert len(failures) == 1
        # The header (plain_text) shows the keyword exactly as typed.
        headers = [text for _, payload in shown for text in plain_texts(payload)]
        assert f"Link gap: {EVIL}" in headers


@pytest.mark.parametrize("typed", [EVIL_AS_REFERENCES, EVIL], ids=["references", "raw"])
def test_slack_references_inside_a_keyword_never_come_back_live(
    database_url: str, typed: str
) -> None:
    with running_app(database_url) as app:
        assert app.command(f'gap "{typed}" {TARGET}').status_code == 200
        assert app.run_jobs() == 1
        assert app.command(f'track "{typed}" {TARGET}').status_code == 200
        assert app.run_jobs() == 1
        app.command("campaigns")
        app.command(f"{typed} nonsense")
        app.home_opened(ANA, event_id="Ev0REFS")
        app.slack.wait_for("views.publish")
        assert_inert(app)
