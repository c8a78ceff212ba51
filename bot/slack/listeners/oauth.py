"""Multi-workspace installs: Bolt's OAuth flow and per-workspace bot tokens.

With ``SLACK_CLIENT_ID`` and ``SLACK_CLIENT_SECRET`` set, the app installs
through ``/slack/install`` → Slack → ``/slack/oauth_redirect``, keeps each
workspace's bot token encrypted (``bot.slack.installations``) and authorizes
every request with the token of the workspace it came from. Without them, the
single ``SLACK_BOT_TOKEN`` serves one workspace, as before. Revoked tokens and
uninstalls are handled in every mode by ``bot.slack.listeners.lifecycle``.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient

from bot.config import Settings
from bot.errors import ConfigError, LinkgapError
from bot.runtime import Runtime
from bot.slack.client import make_client
from bot.slack.installations import (
    STATE_EXPIRATION_SECONDS,
    EncryptedInstallationStore,
    OAuthStateStore,
    TokenCipher,
)
from bot.store.db import transaction
from bot.store.models import Workspace

log = logging.getLogger(__name__)

INSTALL_PATH = "/slack/install"
REDIRECT_URI_PATH = "/slack/oauth_redirect"
#: The bot scopes of manifest.yml (tests/slack/test_oauth.py holds the two equal).
BOT_SCOPES = (
    "commands",
    "chat:write",
    "chat:write.public",
    "files:write",
    "reactions:read",
    "users:read",
    "usergroups:read",
    "channels:read",
    "channels:history",
    "groups:history",
    "files:read",
)


NOT_INSTALLED = "linkgap is not installed in this Slack workspace any more; reinstall it to resume."


class NotInstalled(LinkgapError):
    """A workspace has no installation (never installed, uninstalled, or its token revoked)."""


def require_oauth_settings(settings: Settings) -> tuple[str, str]:
    """The client id and secret, with the encryption key checked; one-line errors otherwise."""
    if settings.slack_client_id is None:
        raise ConfigError("SLACK_CLIENT_ID is not set (SLACK_CLIENT_SECRET is): set both or none.")
    if settings.slack_client_secret is None:
        raise ConfigError("SLACK_CLIENT_SECRET is not set (SLACK_CLIENT_ID is): set both or none.")
    TokenCipher.from_settings(settings)
    return settings.slack_client_id, settings.slack_client_secret.get_secret_value()


def installation_store(settings: Settings, runtime: Runtime) -> EncryptedInstallationStore:
    client_id, _ = require_oauth_settings(settings)
    return EncryptedInstallationStore(
        client_id, runtime.engine, TokenCipher.from_settings(settings)
    )


def oauth_app_options(runtime: Runtime, client: WebClient) -> dict[str, Any]:
    """The ``App(...)`` arguments for OAuth mode.

    Authorization reads ``find_bot`` only (``bot_only``): the app asks for no
    user scopes, and a ``tokens_revoked`` event deletes exactly what
    ``find_bot`` reads. ``cache_enabled`` keeps each token's ``auth.test``
    answer in memory, so a request costs one indexed read, not a Slack call.
    """
    settings = runtime.settings
    client_id, client_secret = require_oauth_settings(settings)
    store = installation_store(settings, runtime)
    oauth_settings = OAuthSettings(
        client_id=client_id,
        client_secret=client_secret,
        scopes=list(BOT_SCOPES),
        user_scopes=[],
        installation_store=store,
        installation_store_bot_only=True,
        state_store=OAuthStateStore(runtime.engine),
        state_expiration_seconds=STATE_EXPIRATION_SECONDS,
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_URI_PATH,
        logger=log,
    )
    authorize = InstallationStoreAuthorize(
        logger=log,
        installation_store=store,
        client_id=client_id,
        client_secret=client_secret,
        bot_only=True,
        cache_enabled=True,
        client=client,
    )
    return {
        "oauth_settings": oauth_settings,
        "installation_store": store,
        "installation_store_bot_only": True,
        "authorize": authorize,
    }


def client_for(runtime: Runtime, team_id: str, enterprise_id: str | None = None) -> WebClient:
    """A Web API client with the bot token of the workspace ``team_id`` (within ``enterprise_id``).

    For work done outside a request (jobs, digests): single-workspace mode
    returns the one ``SLACK_BOT_TOKEN`` client; OAuth mode reads the
    workspace's installation and raises ``NotInstalled`` when there is none.
    """
    settings = runtime.settings
    if not settings.oauth_enabled:
        return make_client(settings)
    store = installation_store(settings, runtime)
    bot = store.find_bot(enterprise_id=enterprise_id, team_id=team_id)
    if bot is None and enterprise_id is None and team_id.startswith("E"):
        # An org-wide install: the workspace row carries the org's id as its team id.
        bot = store.find_bot(enterprise_id=team_id, team_id=None, is_enterprise_install=True)
    if bot is None or not bot.bot_token:
        raise NotInstalled(NOT_INSTALLED)
    return make_client(settings, token=bot.bot_token)


def client_for_workspace(runtime: Runtime, workspace_id: int) -> WebClient:
    """``client_for`` a workspace row (what jobs and digests carry)."""
    with transaction(runtime.sessions) as session:
        workspace = session.get(Workspace, workspace_id)
        if workspace is None:
            raise NotInstalled(f"workspace {workspace_id} does not exist.")
        if workspace.disabled_at is not None:
            # Uninstalled or its bot token revoked: even SLACK_BOT_TOKEN must not act for it.
            raise NotInstalled(NOT_INSTALLED)
        team_id, enterprise_id = workspace.team_id, workspace.enterprise_id
    if not runtime.settings.oauth_enabled:
        return make_client(runtime.settings)
    return client_for(runtime, team_id, enterprise_id)
