"""The stand-in workspace's state that the Web API method handlers share.

Handlers are plain functions ``(state, params) -> body`` so each Slack method
reads on its own, without the HTTP plumbing around it.
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.local.standin.directory import Directory
from bot.local.standin.store import Change, MessageStore

JsonDict = dict[str, Any]
#: The OAuth client credentials the stand-in accepts at ``oauth.v2.access``.
STANDIN_CLIENT_ID = "0000000000.0000000000"
STANDIN_CLIENT_SECRET = "standin-client-secret"
Handler = Callable[["StandInState", JsonDict], JsonDict]


def fail(error: str, **extra: Any) -> JsonDict:
    """Slack's error shape: ``{"ok": false, "error": "channel_not_found"}``."""
    return {"ok": False, "error": error, **extra}


@dataclass(frozen=True)
class Identity:
    """Who the bot token belongs to, as ``auth.test`` reports it."""

    team_id: str = "T0STANDIN"
    team_name: str = "Linkgap Stand-in"
    bot_user_id: str = "U0LINKGAP"
    bot_id: str = "B0LINKGAP"
    bot_name: str = "linkgap"
    app_id: str = "A0STANDIN"


class ViewStore:
    """Home tabs and modals by view ID, plus the short-lived trigger IDs that open modals."""

    def __init__(self, trigger_ttl: float) -> None:
        self._lock = threading.Lock()
        self._views: dict[str, JsonDict] = {}
        self._home_by_user: dict[str, str] = {}
        self._triggers: dict[str, tuple[str, float]] = {}
        self._ids = itertools.count(1)
        self._trigger_ttl = trigger_ttl

    def new_id(self, prefix: str) -> str:
        with self._lock:
            return f"{prefix}{next(self._ids):08d}"

    def skip_ids_up_to(self, highest: int) -> None:
        """Never hand out an id numbered ``highest`` or lower (ids restored from an earlier run)."""
        with self._lock:
            current = next(self._ids)
            self._ids = itertools.count(max(current, highest + 1))

    def mint_trigger(self, user: str) -> str:
        """A trigger ID as Slack puts in a slash command or action payload."""
        trigger = f"{int(time.time())}.{self.new_id('')}.standin"
        with self._lock:
            self._triggers[trigger] = (user, time.monotonic() + self._trigger_ttl)
        return trigger

    def use_trigger(self, trigger: str) -> tuple[str | None, str | None]:
        """(user, None) for a fresh trigger; (None, error) when unknown, used or expired."""
        with self._lock:
            entry = self._triggers.pop(trigger, None)
        if entry is None:
            return None, "invalid_trigger_id"
        user, expires = entry
        if time.monotonic() > expires:
            return None, "expired_trigger_id"
        return user, None

    def save(self, view: JsonDict, *, home_user: str | None = None) -> JsonDict:
        stored = copy.deepcopy(view)
        stored["hash"] = _view_hash(stored)
        with self._lock:
            self._views[stored["id"]] = stored
            if home_user is not None:
                self._home_by_user[home_user] = stored["id"]
        return copy.deepcopy(stored)

    def get(self, view_id: str) -> JsonDict | None:
        with self._lock:
            found = self._views.get(view_id)
            return copy.deepcopy(found) if found is not None else None

    def by_external_id(self, external_id: str) -> JsonDict | None:
        with self._lock:
            for view in self._views.values():
                if view.get("external_id") == external_id:
                    return copy.deepcopy(view)
        return None

    def home(self, user: str) -> JsonDict | None:
        with self._lock:
            view_id = self._home_by_user.get(user)
        return self.get(view_id) if view_id else None

    def all(self) -> list[JsonDict]:
        with self._lock:
            return [copy.deepcopy(v) for v in self._views.values()]


def _view_hash(view: JsonDict) -> str:
    digest = hashlib.sha1(repr(sorted(view.items())).encode(), usedforsecurity=False)
    return f"{int(time.time())}.{digest.hexdigest()[:8]}"


@dataclass(frozen=True)
class OAuthGrant:
    """What one OAuth install granted: a workspace's bot token (``oauth.v2.access``)."""

    team_id: str
    team_name: str
    enterprise_id: str | None
    installer: str
    access_token: str


class OAuthGrants:
    """OAuth codes the stand-in handed out (single use) and the bot tokens they became."""

    def __init__(self, client_id: str, client_secret: str) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self._lock = threading.Lock()
        self._codes: dict[str, OAuthGrant] = {}
        self._tokens: dict[str, OAuthGrant] = {}
        self._ids = itertools.count(1)

    def mint_code(
        self, team_id: str, team_name: str, enterprise_id: str | None, installer: str
    ) -> str:
        """The ``code`` Slack appends to the redirect URL after the user clicks Allow."""
        with self._lock:
            n = next(self._ids)
            grant = OAuthGrant(
                team_id, team_name, enterprise_id, installer, f"xoxb-standin-{team_id}-{n:04d}"
            )
            code = f"standin-code-{n:04d}"
            self._codes[code] = grant
        return code

    def redeem(self, code: str) -> OAuthGrant | None:
        """The grant for a fresh code (which is then spent); ``None`` for unknown or used."""
        with self._lock:
            grant = self._codes.pop(code, None)
            if grant is not None:
                self._tokens[grant.access_token] = grant
        return grant

    def for_token(self, token: str) -> OAuthGrant | None:
        with self._lock:
            return self._tokens.get(token)

    def revoke(self, token: str) -> None:
        with self._lock:
            self._tokens.pop(token, None)


@dataclass
class StandInState:
    """Everything a Web API handler may read or change."""

    identity: Identity
    store: MessageStore
    directory: Directory
    views: ViewStore
    base_url: Callable[[], str]
    grants: OAuthGrants = field(
        default_factory=lambda: OAuthGrants(STANDIN_CLIENT_ID, STANDIN_CLIENT_SECRET)
    )
    #: Socket Mode: the app-level token ``apps.connections.open`` accepts and the URL it hands out.
    socket_link: tuple[str, str] | None = None

    def announce_view(self, view: JsonDict, user: str | None) -> None:
        self.store.notify(Change("view", view=copy.deepcopy(view), user=user))
