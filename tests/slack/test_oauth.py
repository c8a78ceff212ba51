"""OAuth mode's pieces: settings, the encrypted installation store, the state store, client_for."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from cryptography.fernet import Fernet
from slack_sdk.oauth.installation_store import Installation
from sqlalchemy import Engine, select, text, update

from bot.cli.serve import _require_slack
from bot.config import Settings, load_settings
from bot.errors import ConfigError
from bot.runtime import Runtime
from bot.slack.installations import (
    STATE_EXPIRATION_SECONDS,
    EncryptedInstallationStore,
    OAuthStateStore,
    TokenCipher,
)
from bot.slack.listeners.oauth import BOT_SCOPES, NotInstalled, client_for, client_for_workspace
from bot.store.db import make_session_factory, transaction
from bot.store.models import SlackOAuthState
from bot.store.repositories.workspaces import get_or_create_workspace

ROOT = Path(__file__).resolve().parents[2]
KEY = Fernet.generate_key().decode()
OLD_KEY = Fernet.generate_key().decode()
BOT_TOKEN = "xoxb-1111-2222-secretbottoken"
USER_TOKEN = "xoxp-3333-4444-secretusertoken"
REFRESH = "xoxe-1-secretrefresh"
WEBHOOK = "https://hooks.slack.com/services/T1/B1/secretwebhook"
OAUTH_ENV = {
    "SLACK_SIGNING_SECRET": "s",
    "SLACK_CLIENT_ID": "111.222",
    "SLACK_CLIENT_SECRET": "client-secret",
    "LINKGAP_ENCRYPTION_KEY": KEY,
}


def installation(team: str = "T1", *, installed_at: float | None = None) -> Installation:
    return Installation(
        app_id="A1",
        enterprise_id=None,
        team_id=team,
        team_name="Team",
        bot_token=BOT_TOKEN,
        bot_id="B1",
        bot_user_id="U0BOT",
        bot_scopes="commands,chat:write",
        bot_refresh_token=REFRESH,
        bot_token_expires_in=43200,
        user_id="U1",
        user_token=USER_TOKEN,
        user_refresh_token=REFRESH,
        user_token_expires_in=43200,
        incoming_webhook_url=WEBHOOK,
        installed_at=installed_at,
    )


def store(engine: Engine, *keys: str) -> EncryptedInstallationStore:
    return EncryptedInstallationStore("111.222", engine, TokenCipher(list(keys or (KEY,))))


def raw(engine: Engine, table: str) -> list[dict[str, object]]:
    with engine.connect() as connection:
        return [dict(r) for r in connection.execute(text(f"SELECT * FROM {table}")).mappings()]


# -- settings -------------------------------------------------------------------------------


def test_bot_scopes_are_the_manifests() -> None:
    manifest = yaml.safe_load((ROOT / "manifest.yml").read_text(encoding="utf-8"))
    assert list(BOT_SCOPES) == manifest["oauth_config"]["scopes"]["bot"]


def test_a_malformed_encryption_key_is_named_and_not_echoed() -> None:
    with pytest.raises(ConfigError) as raised:
        load_settings({"LINKGAP_ENCRYPTION_KEY": "not-a-fernet-key-but-secret"})

    assert str(raised.value).startswith("LINKGAP_ENCRYPTION_KEY is not valid")
    assert "not-a-fernet-key-but-secret" not in str(raised.value)
    assert "\n" not in str(raised.value)


def test_oauth_mode_without_an_encryption_key_is_refused_at_start_up() -> None:
    settings = load_settings({k: v for k, v in OAUTH_ENV.items() if k != "LINKGAP_ENCRYPTION_KEY"})

    with pytest.raises(ConfigError, match=r"^LINKGAP_ENCRYPTION_KEY is not set"):
        _require_slack(settings)


def test_half_an_oauth_client_is_refused_naming_the_missing_half() -> None:
    settings = load_settings({"SLACK_SIGNING_SECRET": "s", "SLACK_CLIENT_ID": "111.222"})

    with pytest.raises(ConfigError, match=r"^SLACK_CLIENT_SECRET is not set"):
        _require_slack(settings)


def test_serve_needs_no_bot_token_in_oauth_mode_but_does_without_it() -> None:
    _require_slack(load_settings(OAUTH_ENV))  # no SLACK_BOT_TOKEN: fine

    with pytest.raises(ConfigError, match=r"^SLACK_BOT_TOKEN"):
        _require_slack(load_settings({"SLACK_SIGNING_SECRET": "s"}))


# -- the installation store ----------------------------------------------------------------


def test_no_token_or_webhook_is_stored_in_clear(engine: Engine) -> None:
    store(engine).save(installation())

    rows = raw(engine, "slack_installations") + raw(engine, "slack_bots")
    assert len(rows) == 2
    for row in rows:
        stored = " ".join(str(value) for value in row.values())
        for secret in (BOT_TOKEN, USER_TOKEN, REFRESH, WEBHOOK, "secret"):
            assert secret not in stored
        assert Fernet(KEY).decrypt(str(row["bot_token"]).encode()).decode() == BOT_TOKEN


def test_find_installation_and_find_bot_decrypt(engine: Engine) -> None:
    saved = installation()
    store(engine).save(saved)

    found = store(engine).find_installation(enterprise_id=None, team_id="T1")
    bot = store(engine).find_bot(enterprise_id=None, team_id="T1")

    assert found is not None
    assert bot is not None
    assert (found.bot_token, found.user_token, found.bot_refresh_token) == (
        BOT_TOKEN,
        USER_TOKEN,
        REFRESH,
    )
    assert found.incoming_webhook_url == WEBHOOK
    assert bot.bot_token == BOT_TOKEN
    assert found.installed_at == pytest.approx(saved.installed_at, abs=1e-3)
    assert bot.bot_token_expires_at == saved.bot_token_expires_at


def test_the_latest_install_of_a_team_wins(engine: Engine) -> None:
    first = installation(installed_at=1_700_000_000.0)
    later = installation(installed_at=1_700_000_100.0)
    later.bot_token = "xoxb-newer"
    store(engine).save(first)
    store(engine).save(later)

    bot = store(engine).find_bot(enterprise_id=None, team_id="T1")

    assert bot is not None
    assert bot.bot_token == "xoxb-newer"


def test_a_wrong_key_fails_with_a_config_error_and_rotation_keeps_old_rows(engine: Engine) -> None:
    store(engine, OLD_KEY).save(installation())

    with pytest.raises(ConfigError, match=r"^LINKGAP_ENCRYPTION_KEY cannot decrypt") as raised:
        store(engine, KEY).find_bot(enterprise_id=None, team_id="T1")
    assert OLD_KEY not in str(raised.value)

    rotated = store(engine, KEY, OLD_KEY).find_bot(enterprise_id=None, team_id="T1")
    assert rotated is not None
    assert rotated.bot_token == BOT_TOKEN


def test_delete_bot_leaves_no_bot_token_anywhere_and_delete_all_removes_the_team(
    engine: Engine,
) -> None:
    store(engine).save(installation("T1"))
    store(engine).save(installation("T2"))

    store(engine).delete_bot(enterprise_id=None, team_id="T1")

    assert store(engine).find_bot(enterprise_id=None, team_id="T1") is None
    assert [r["bot_token"] is None for r in raw(engine, "slack_installations")].count(True) == 1
    store(engine).delete_all(enterprise_id=None, team_id="T1")
    assert {r["team_id"] for r in raw(engine, "slack_installations")} == {"T2"}
    assert store(engine).find_bot(enterprise_id=None, team_id="T2") is not None


# -- the OAuth state store -----------------------------------------------------------------


def test_a_state_is_single_use(engine: Engine) -> None:
    states = OAuthStateStore(engine)
    state = states.issue()

    assert states.consume(state) is True
    assert states.consume(state) is False
    assert states.consume("never-issued") is False


def test_a_state_expires_after_ten_minutes(engine: Engine) -> None:
    states = OAuthStateStore(engine)
    state = states.issue()
    with engine.connect() as connection:
        [expire_at] = connection.scalars(select(SlackOAuthState.expire_at)).all()
    lifetime = expire_at - datetime.now(UTC).replace(tzinfo=None)
    assert STATE_EXPIRATION_SECONDS == 600
    assert timedelta(seconds=590) < lifetime <= timedelta(seconds=600)

    with engine.begin() as connection:
        connection.execute(
            update(SlackOAuthState).values(expire_at=datetime(2000, 1, 1))  # long gone
        )
    assert states.consume(state) is False
    states.issue()
    assert len(raw(engine, "slack_oauth_states")) == 1  # the expired one was swept


# -- client_for ----------------------------------------------------------------------------


def _runtime(engine: Engine, settings: Settings) -> Runtime:
    return Runtime(settings=settings, engine=engine, sessions=make_session_factory(engine))


def test_client_for_uses_the_workspaces_installed_token(engine: Engine) -> None:
    runtime = _runtime(engine, load_settings(OAUTH_ENV))
    store(engine).save(installation("T1"))
    with transaction(runtime.sessions) as session:
        workspace_id = get_or_create_workspace(session, "T1").id
        other_id = get_or_create_workspace(session, "T9").id

    assert client_for(runtime, "T1").token == BOT_TOKEN
    assert client_for_workspace(runtime, workspace_id).token == BOT_TOKEN
    with pytest.raises(NotInstalled):
        client_for_workspace(runtime, other_id)


def test_client_for_in_single_workspace_mode_is_the_one_bot_token(engine: Engine) -> None:
    settings = load_settings({"SLACK_BOT_TOKEN": "xoxb-single", "SLACK_SIGNING_SECRET": "s"})

    assert client_for(_runtime(engine, settings), "T-anything").token == "xoxb-single"
