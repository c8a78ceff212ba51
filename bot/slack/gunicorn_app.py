"""gunicorn, embedded: ``linkgap serve`` starts it with our WSGI app, no config file needed.

The app is built after the fork, in each worker process, so no database
connection or thread crosses a fork. Web processes run no jobs: ``linkgap
serve`` starts a ``linkgap worker`` child for that (``bot.cli.job_process``)
unless ``--no-jobs``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gunicorn.app.base import BaseApplication

from bot.collector import freeze_startup_heap
from bot.config import Settings
from bot.store.migrate import upgrade


class LinkgapGunicorn(BaseApplication):  # type: ignore[misc]  # gunicorn ships no type hints
    def __init__(
        self,
        settings: Settings,
        load_app: Callable[[Settings], Any],
        *,
        bind: str,
        workers: int,
        threads: int,
    ) -> None:
        """``load_app`` builds a worker's WSGI app (``bot.composition.slack_wsgi``)."""
        self.settings = settings
        self.load_app = load_app
        self.options = {
            "bind": bind,
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread",
            "timeout": 30,
            "graceful_timeout": 30,
            "accesslog": "-",
        }
        upgrade(settings.database_url)  # once, before forking
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)
        # Newer gunicorn opens a control socket at one fixed path in $HOME, so every
        # server on a machine (two installs, serve beside a test run) takes it from the
        # one before. linkgap's web processes are run by signals and the Procfile, never
        # through that socket: it is not opened.
        if "control_socket_disable" in self.cfg.settings:
            self.cfg.set("control_socket_disable", True)

    def load(self) -> Any:
        wsgi = self.load_app(self.settings)
        freeze_startup_heap()
        return wsgi
