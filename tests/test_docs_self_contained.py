"""The user documentation stands on its own: it states rules instead of citing a document
readers do not have."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_readme_and_docs_cite_no_design_document() -> None:
    cited = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(r"\bDESIGN\b|design (document|doc)\b", line)
    ]
    assert cited == []
