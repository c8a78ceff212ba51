"""The whole bot running locally for ``linkgap shell``: stand-in, settings, app, workers.

The same ``build_app``, ``start_workers`` and ``make_wsgi_app`` as
``linkgap serve``, pointed at a ``SlackStandIn`` on loopback instead of
Slack. The settings come from the environment (and ``.env``) with the Slack
ones replaced: the stand-in's URL and bot token, and a signing secret made up
for this run, so the shell can never talk to a real workspace.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Mapping
from contextlib import ExitStack
from pathlib import Path
from types import TracebackType

from dotenv import dotenv_values
from slack_bolt import App
from sqlalchemy.engine import make_url

from bot.composition import slack_process
from bot.config import DEFAULT_DATABASE_URL, Settings, load_settings
from bot.local.shell.requests import SignedSender
from bot.local.shell.wait import ChangeFeed, latest_job_id
from bot.local.standin import SlackStandIn
from bot.runtime import Runtime
from bot.slack.app import start_workers
from bot.slack.server import make_wsgi_app

log = logging.getLogger(__name__)

#: Settings that would point the shell at a real Slack app; dropped, never used.
_REAL_SLACK = (
    "SLACK_APP_TOKEN",
    "SLACK_CLIENT_ID",
    "SLACK_CLIENT_SECRET",
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_API_URL",
)


def shell_environ(
    base: Mapping[str, str | None],
    standin: SlackStandIn,
    *,
    signing_secret: str,
    database_url: str | None = None,
) -> dict[str, str]:
    """The environment the shell's settings are read from.

    Everything in ``base`` (database, provider and its keys, admins) is kept;
    every Slack credential is replaced by the stand-in's, whatever ``base`` says.
    """
    environ = {
        key: value
        for key, value in base.items()
        if value is not None and key.upper() not in _REAL_SLACK
    }
    environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    if database_url:
        environ["DATABASE_URL"] = database_url
    environ.update(
        {
            "SLACK_API_URL": standin.api_url,
            "SLACK_BOT_TOKEN": standin.bot_token,
            "SLACK_SIGNING_SECRET": signing_secret,
        }
    )
    return environ


def process_environ(dotenv: Path = Path(".env")) -> dict[str, str | None]:
    """``.env`` (when present) under the process environment, as ``load_settings()`` reads them."""
    from_file = dict(dotenv_values(dotenv)) if dotenv.is_file() else {}
    return {**from_file, **os.environ}


def messages_file(database_url: str) -> Path | None:
    """Where the stand-in keeps its messages for this database: beside a SQLite file.

    ``linkgap.db`` keeps them in ``linkgap.slack.json``; another database keeps
    them in ``linkgap.slack.json`` in the current folder; an in-memory SQLite
    database keeps nothing, as it keeps nothing itself.
    """
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
            return None
        return Path(url.database).with_suffix(".slack.json")
    return Path("linkgap.slack.json")


class LocalBot:
    """Owns every running part of the local bot and closes them all, in reverse order.

    Use as a context manager; ``stack`` holds the cleanups so a failure half-way
    through start-up still closes what had started (sockets, threads, engine).
    """

    def __init__(self, *, database_url: str | None = None, keep_messages: bool = True) -> None:
        self._database_url = database_url
        self._keep_messages = keep_messages
        #: The file the stand-in's messages are kept in (None: not kept), and how many came back.
        self.messages_path: Path | None = None
        self.restored_messages = 0
        self._stack = ExitStack()
        self.standin = SlackStandIn()
        self.settings: Settings
        self.runtime: Runtime
        self.app: App
        self.sender: SignedSender
        self.feed: ChangeFeed
        #: Jobs at or below this id were there before the shell; it does not wait for them.
        self.first_job_after = 0

    def start(self) -> LocalBot:
        stack = self._stack
        try:
            stack.enter_context(self.standin)
            signing_secret = secrets.token_hex(32)
            environ = shell_environ(
                process_environ(),
                self.standin,
                signing_secret=signing_secret,
                database_url=self._database_url,
            )
            self.settings = load_settings(environ)
            if self._keep_messages:
                self.messages_path = messages_file(self.settings.database_url)
            if self.messages_path is not None:
                self.restored_messages = self.standin.keep_messages_in(self.messages_path)
            self.runtime, self.app = slack_process(self.settings, environ=environ)
            stack.callback(self.runtime.close)
            self.first_job_after = latest_job_id(self.runtime.sessions)
            self.feed = ChangeFeed(self.standin)
            self.feed.start()
            stack.callback(self.feed.stop)
            start_workers(self.runtime)
            self.sender = SignedSender(make_wsgi_app(self.runtime, self.app), signing_secret)
            stack.callback(self.sender.close)
        except BaseException:
            stack.close()
            raise
        return self

    def close(self) -> None:
        self._stack.close()

    def __enter__(self) -> LocalBot:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
