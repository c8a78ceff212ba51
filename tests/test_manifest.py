"""manifest.yml installs the app as the code expects it (DESIGN section 7)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.slack.listeners.commands import COMMAND
from bot.slack.server import EVENTS_PATH

ROOT = Path(__file__).resolve().parents[1]


def manifest() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "manifest.yml").read_text(encoding="utf-8"))
    return data


def test_slash_command_is_escaped_so_ids_arrive_not_names() -> None:
    [command] = manifest()["features"]["slash_commands"]
    assert command["command"] == COMMAND
    assert command["should_escape"] is True
    assert command["url"].endswith(EVENTS_PATH)


def test_events_interactivity_and_http_mode() -> None:
    settings = manifest()["settings"]
    assert set(settings["event_subscriptions"]["bot_events"]) == {
        "app_home_opened",
        "reaction_added",
        "reaction_removed",
        "tokens_revoked",
        "app_uninstalled",
    }
    assert settings["event_subscriptions"]["request_url"].endswith(EVENTS_PATH)
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["interactivity"]["request_url"].endswith(EVENTS_PATH)
    assert settings["socket_mode_enabled"] is False


def test_org_deploy_is_off_and_says_how_to_install_org_wide() -> None:
    assert manifest()["settings"]["org_deploy_enabled"] is False
    text = (ROOT / "manifest.yml").read_text(encoding="utf-8")
    comment = text[: text.index("org_deploy_enabled:")].rsplit("settings:", 1)[1]
    assert "set to true" in comment
    assert "org-wide install" in comment


def test_bot_scopes_cover_every_web_api_method_the_app_calls() -> None:
    scopes = set(manifest()["oauth_config"]["scopes"]["bot"])
    assert {"commands", "chat:write", "chat:write.public", "files:write", "reactions:read",
            "users:read", "usergroups:read"} <= scopes  # fmt: skip
    # Resuming after a crash reads history, thread replies and files.info (bot.slack.effects).
    assert {"channels:history", "groups:history", "files:read"} <= scopes
    assert manifest()["features"]["app_home"]["home_tab_enabled"] is True


def test_procfile_migrates_on_release_serves_web_and_runs_one_clock() -> None:
    lines = dict(
        line.split(":", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line.strip()
    )
    assert lines["release"].strip() == "linkgap db upgrade"
    assert lines["web"].strip().startswith("linkgap serve")
    assert lines["clock"].strip() == "linkgap clock"
    assert lines["worker"].strip() == "linkgap worker"
    assert "--no-jobs" in lines["web"]  # slow work runs in the worker, not behind the acks
