"""``response_url`` on the stand-in: the URLs Slack hands an app with a command or an action.

Semantics follow Slack's: a message is ephemeral (to the user who acted) unless
``response_type`` is ``in_channel``; ``replace_original`` edits the message the
URL belongs to (for a slash command, the first response posted through it);
``delete_original`` removes it. Each URL works 5 times within 30 minutes.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any

from bot.local.standin.chat import message_content
from bot.local.standin.params import flag, text_param
from bot.local.standin.state import StandInState
from bot.local.standin.store import StoredMessage

JsonDict = dict[str, Any]
MAX_USES = 5
LIFETIME_SECONDS = 30 * 60


@dataclass
class ResponseHook:
    """One response URL: where it posts, for whom, and the message it may replace."""

    channel: str
    user: str
    original: StoredMessage | None
    max_uses: int
    expires_at: float
    uses: int = 0


class ResponseHooks:
    """Issues response URLs and carries out what is POSTed to them."""

    def __init__(self, state: StandInState) -> None:
        self._state = state
        self._hooks: dict[str, ResponseHook] = {}
        self._lock = threading.Lock()

    def create(
        self,
        channel: str,
        user: str,
        original: StoredMessage | None,
        *,
        max_uses: int = MAX_USES,
        lifetime: float = LIFETIME_SECONDS,
    ) -> str:
        """A new hook's ID (the last path segment of its URL)."""
        hook_id = secrets.token_urlsafe(12)
        hook = ResponseHook(channel, user, original, max_uses, time.monotonic() + lifetime)
        with self._lock:
            self._hooks[hook_id] = hook
        return hook_id

    def respond(self, hook_id: str, payload: JsonDict) -> tuple[int, JsonDict]:
        """(HTTP status, body) for one POST to the hook."""
        with self._lock:
            hook = self._hooks.get(hook_id)
            if hook is None or time.monotonic() > hook.expires_at:
                return 404, {"ok": False, "error": "expired_url"}
            if hook.uses >= hook.max_uses:
                return 404, {"ok": False, "error": "used_url"}
            hook.uses += 1
        store = self._state.store
        if flag(payload.get("delete_original")):
            if hook.original is None or hook.original.deleted:
                return 404, {"ok": False, "error": "message_not_found"}
            store.delete(hook.original)
            return 200, {"ok": True}
        text, blocks, attachments, error = message_content(payload)
        if error is not None:
            return 400, error
        if flag(payload.get("replace_original")) and hook.original is not None:
            if hook.original.deleted:
                return 404, {"ok": False, "error": "message_not_found"}
            store.replace(hook.original, text=text, blocks=blocks, attachments=attachments)
            return 200, {"ok": True}
        if not text and not blocks and not attachments:
            return 400, {"ok": False, "error": "no_text"}
        in_channel = payload.get("response_type") == "in_channel"
        identity = self._state.identity
        message = store.add(
            channel=hook.channel,
            text=text or "",
            blocks=blocks or [],
            attachments=attachments,
            user=identity.bot_user_id,
            username=identity.bot_name,
            bot_id=identity.bot_id,
            thread_ts=text_param(payload, "thread_ts"),
            ephemeral_to=None if in_channel else hook.user,
            source="response_url",
        )
        with self._lock:
            if hook.original is None:
                hook.original = message
        return 200, {"ok": True}
