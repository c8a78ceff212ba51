"""``linkgap gap --data DIR`` on real-looking exports, and its answers to broken folders."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main

TARGET = "https://www.example.com/trail-shoes"
SERP = "Position,URL,Title\n" + "\n".join(
    f"{i},https://www.site{i}.com/trail-shoes,Result {i}" for i in range(1, 6)
)


def backlinks(rows: list[tuple[str, str]]) -> str:
    lines = ["Referring page URL,Target URL,Domain rating,Nofollow,Anchor,First seen,Is spam"]
    lines += [f"{source},{target},40,false,shoes,2026-01-01,false" for source, target in rows]
    return "\n".join(lines) + "\n"


@pytest.fixture(autouse=True)
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")


def export_folder(tmp_path: Path) -> Path:
    """A folder holding the SERP file; each test adds its backlinks export."""
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "serp.csv").write_text(SERP, encoding="utf-8")
    return folder


def gap_json(folder: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    """``linkgap gap --data folder --json`` as a user runs it, its report parsed."""
    args = ["gap", "trail running shoes", TARGET, "--data", str(folder), "--json", "--no-fetch"]
    assert main(args) == 0
    report: dict[str, Any] = json.loads(capsys.readouterr().out)
    return report


def test_an_export_folder_gives_the_report_from_real_numbers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = export_folder(tmp_path)
    rows = [
        (f"https://blog.ref{j}.co.uk/a", f"http://site{i}.com/trail-shoes/")
        for i in range(1, 6)
        for j in range(i * 3)
    ]
    (folder / "backlinks.csv").write_text(backlinks(rows), encoding="utf-8-sig")
    report = gap_json(folder, capsys)
    assert report["provider"] == "csv"
    assert report["sample_data"] is False
    assert [r["referring_domains"] for r in report["results"]] == [3, 6, 9, 12, 15]
    assert report["entry_target"] == 6  # not on page one: weakest three are 3, 6, 9


def test_nofollow_links_are_referring_domains_but_not_followed_or_quality(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = export_folder(tmp_path)
    header = "Referring page URL,Target URL,Domain rating,Nofollow,UGC,Sponsored,Is spam"
    lines = [header]
    for i in range(1, 6):
        page = f"https://www.site{i}.com/trail-shoes"
        lines += [f"https://ok{j}.com/a,{page},40,false,false,false,false" for j in range(i)]
        lines.append(f"https://forum{i}.com/t,{page},40,false,true,false,false")  # UGC only
        lines.append(f"https://ad{i}.com/p,{page},40,false,false,true,false")  # sponsored only
        # nofollow here, followed there: one followed link makes the domain followed
        lines.append(f"https://both{i}.com/x,{page},40,true,false,false,false")
        lines.append(f"https://both{i}.com/y,{page},40,false,false,false,false")
    (folder / "backlinks.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = gap_json(folder, capsys)
    rows = report["results"]
    # Page i: i plain domains + forum + ad + both = i + 3 live; followed = i + 1 (okN, both).
    assert [r["referring_domains"] for r in rows] == [4, 5, 6, 7, 8]
    assert [r["followed_referring_domains"] for r in rows] == [2, 3, 4, 5, 6]
    assert [r["quality_referring_domains"] for r in rows] == [2, 3, 4, 5, 6]
    assert report["own"]["followed_referring_domains"] == 0


def test_prospects_from_exports_carry_their_linking_pages_and_topical_fit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Two prospects link to every result: runblog from a trail-shoe review (followed, its
    # nofollow link older), cooking.net from a recipe page. The UTF-16 "For Excel" shape.
    folder = export_folder(tmp_path)
    header = "Referring page title\tReferring page URL\tTarget URL\tAnchor\tNofollow\tFirst seen"
    lines = [header]
    for i in range(1, 6):
        page = f"https://www.site{i}.com/trail-shoes"
        lines += [
            f'"Comments"\t"https://runblog.com/comments"\t"{page}"\t"here"\t"true"\t"2023-01-01"',
            f'"Best trail running shoes, tested"\t"https://runblog.com/trail-shoe-review"\t'
            f'"{page}"\t"trail running shoes"\t"false"\t"2024-03-0{i} 10:00:00"',
            f'"Sourdough starter"\t"https://cooking.net/recipes/starter"\t"{page}"\t'
            f'"a site"\t"false"\t"2024-01-01"',
        ]
    text = "\r\n".join(lines) + "\r\n"
    (folder / "backlinks-for-excel.csv").write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    report = gap_json(folder, capsys)
    prospects = {prospect["domain"]: prospect for prospect in report["prospects"]}
    runblog = prospects["runblog.com"]
    assert [page["position"] for page in runblog["linked_pages"]] == [1, 2, 3, 4, 5]
    first = runblog["linked_pages"][0]
    assert first == {
        "position": 1,
        "competitor_url": "https://www.site1.com/trail-shoes",
        "linking_url": "https://runblog.com/trail-shoe-review",
        "anchor": "trail running shoes",
        "followed": True,
        "first_seen": "2024-03-01",
        "title": "Best trail running shoes, tested",
    }
    on_topic, off_topic = runblog["topical_fit"], prospects["cooking.net"]["topical_fit"]
    assert on_topic is not None
    assert off_topic is not None
    assert on_topic > off_topic


@pytest.mark.parametrize(
    ("files", "says"),
    [
        ({"backlinks.csv": backlinks([])}, "serp"),
        ({"serp.csv": SERP, "backlinks.csv": "Foo,Bar\n1,2\n"}, "backlinks.csv"),
        (
            {
                "serp.csv": SERP,
                "backlinks.csv": backlinks([("https://a.com/x", "https://other.com/y")]),
            },
            "no backlinks",
        ),
        ({"serp.csv": SERP, "backlinks.csv": None}, "backlinks.csv"),
    ],
)
def test_broken_export_folders_are_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], files: dict[str, str | None], says: str
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    for name, text in files.items():
        if text is None:
            (folder / name).write_bytes(b"\x00\x01\x02binary\x00" * 50)
        else:
            (folder / name).write_text(text, encoding="utf-8")
    assert main(["gap", "trail running shoes", TARGET, "--data", str(folder), "--no-fetch"]) == 2
    err = capsys.readouterr().err
    assert says.lower() in err.lower()
    assert err.count("\n") == 1
