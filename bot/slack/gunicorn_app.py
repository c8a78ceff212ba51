"""gunicorn, embedded: ``linkgap serve`` starts it with our WSGI app, no config file needed.

The app is built after the fork, in each worker process, so no database
connection or thread crosses a fork. Web processes run no jobs: ``linkgap
serve`` starts a ``linkgap worker`` child for that (``bot.cli.job_process``)
unless ``--no-jobs``.
"""

from __future__ import annotations

from typing import Any

from gunicorn.app.base import BaseApplication

from bot.collector import freeze_startup_heap
from bot.config import Settings
from bot.runtime import Runtime
from bot.slack.app import build_app
from bot.slack.server import make_wsgi_app
from bot.store.migrate import upgrade


class LinkgapGunicorn(BaseApplication):  # type: ignore[misc]  # gunicorn ships no type hints
    def __init__(self, settings: Settings, *, bind: str, workers: int, threads: int) -> None:
        self.settings = settings
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

    def load(self) -> Any:
        runtime = Runtime.create(self.settings, migrate=False)
        app = build_app(runtime)
        wsgi = make_wsgi_app(runtime, app)
        freeze_startup_heap()
        return wsgi
