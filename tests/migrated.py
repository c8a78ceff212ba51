"""A SQLite database migrated to head, copied instead of migrated for every test.

Running every migration takes a quarter to half a second per test; a thousand
tests start from an app on a fresh database. Each test process migrates one
template file once and copies it (a few milliseconds) where a test's empty
SQLite database would be. PostgreSQL schemas are still migrated one by one:
they are what proves the migrations themselves on that database.
"""

from __future__ import annotations

import shutil
import tempfile
from functools import cache
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.store.db import make_engine
from bot.store.migrate import upgrade


@cache
def _template() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="linkgap-template-"))
    path = folder / "linkgap.db"
    url = f"sqlite:///{path}"
    upgrade(url)
    # Closing the last connection checkpoints the write-ahead log into the file itself.
    make_engine(url).dispose()
    return path


def seed_migrated(database_url: str) -> bool:
    """Put a migrated copy where ``database_url`` (a SQLite file not yet there) points.

    Returns whether it did: ``False`` for PostgreSQL, memory databases and
    files that already exist, which are left as they are.
    """
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return False
    target = Path(url.database)
    if target.exists():
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_template(), target)
    return True
