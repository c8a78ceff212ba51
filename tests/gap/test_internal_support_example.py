"""docs/method.md's internal-support example, checked against the rules' code."""

from __future__ import annotations

import re
from pathlib import Path

from bot.gap.internal_support import SiteLink, SitePage, internal_support
from bot.report.internal_support import support_headline

METHOD = Path(__file__).resolve().parents[2] / "docs" / "method.md"
TARGET = "https://www.example.com/trail-shoes"


def between(text: str, name: str) -> str:
    return text.split(f"<!-- {name}:start -->")[1].split(f"<!-- {name}:end -->")[0]


def test_the_internal_support_example_in_the_docs_is_what_the_rules_compute() -> None:
    text = METHOD.read_text(encoding="utf-8")
    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in between(text, "internal-support-example").strip().splitlines()[2:]
    ]
    assert len(rows) == 6
    pages = [
        SitePage(
            url=url,
            links=() if anchor == "–" else (SiteLink(TARGET, anchor),),
            paragraphs=(prose,),
        )
        for url, anchor, prose in rows
    ]
    support = internal_support(pages, TARGET, "trail running shoes", ["heel drop"])

    headline = re.search(r"\*\*(Internal support: [^*]+)\*\*", text)
    assert headline is not None
    assert headline.group(1) == "I" + support_headline(support)[1:]
    listed = re.findall(
        r"^- (\S+) — “(.+)”$", between(text, "internal-support-opportunities"), re.MULTILINE
    )
    assert listed == [(o.url, o.sentence) for o in support.opportunities]
    assert [page.url for page in support.linking_pages] == [
        "https://www.example.com/",
        "https://www.example.com/blog/shoe-care",
    ]
