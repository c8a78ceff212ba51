"""Attachments the bot posts in the shell, written to a folder the user can open.

In Slack a CSV or a chart opens with a click; in a terminal the file has to be on
disk. Each file is written once, under its Slack file id and its own (sanitised)
name, so two reports' ``prospects.csv`` never overwrite each other.
"""

from __future__ import annotations

import re
from pathlib import Path

#: Where ``linkgap shell`` writes attachments unless ``--files`` says otherwise.
DEFAULT_FOLDER = Path("linkgap-files")


def attachment_path(folder: Path, file_id: str, name: str) -> Path:
    """``folder/<file id>-<name>``, the name reduced to a safe base name."""
    base = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(name).name).strip(".-") or "file"
    return folder / f"{re.sub(r'[^A-Za-z0-9]+', '', file_id)}-{base}"


def save_attachment(folder: Path, file_id: str, name: str, content: bytes) -> Path:
    """Write the file (once) and return its path."""
    path = attachment_path(folder, file_id, name)
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return path
