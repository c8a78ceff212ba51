"""Compressed exports: .csv.gz, .tsv.gz and zips of exports are read as streams, bombs stopped."""

from __future__ import annotations

import gzip
import zipfile
from pathlib import Path

import pytest

from bot.errors import DataFileError
from bot.providers import csv_source
from bot.providers.csv_exports import CsvProvider

FIXTURES = Path(__file__).parent / "fixtures" / "exports"
FOR_EXCEL = "www.shop.com-backlinks-exact-for-excel.csv"
PAGE = "https://www.shop.com/trail-shoes"
#: What the Ahrefs fixture says (see test_csv_real_exports): live domains and followed ones.
EXPECTED = {"alpha.com": True, "delta.io": False, "epsilon.de": False, "zeta.co.uk": True}


def answer(folder: Path) -> dict[str, bool]:
    rows = CsvProvider(folder).page_referring_domains([PAGE])[PAGE]
    return {row.domain: row.followed for row in rows}


def test_gzipped_utf16_export_reads_like_the_plain_one(tmp_path: Path) -> None:
    with gzip.open(tmp_path / f"{FOR_EXCEL}.gz", "wb") as out:
        out.write((FIXTURES / FOR_EXCEL).read_bytes())
    assert answer(tmp_path) == EXPECTED


def test_gzipped_tsv_export_is_read(tmp_path: Path) -> None:
    text = "Referring page URL\tTarget URL\nhttps://alpha.com/a\thttps://shop.com/trail-shoes\n"
    (tmp_path / "links.tsv.gz").write_bytes(gzip.compress(text.encode()))
    assert answer(tmp_path) == {"alpha.com": True}


def test_every_export_inside_a_zip_is_read(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "exports.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(FIXTURES / FOR_EXCEL, f"ahrefs/{FOR_EXCEL}")
        archive.writestr(
            "more-links.csv",
            "Referring page URL,Target URL\nhttps://omega.net/x,https://shop.com/trail-shoes\n",
        )
        archive.writestr("__MACOSX/._more-links.csv", b"\x00\x05\x16\x07")
        archive.writestr("notes.txt", "not an export")
    assert answer(tmp_path) == {**EXPECTED, "omega.net": True}


def test_a_zip_without_exports_is_refused_by_name(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "empty.zip", "w") as archive:
        archive.writestr("readme.txt", "nothing here")
    with pytest.raises(DataFileError, match=r"empty\.zip holds no \.csv or \.tsv file"):
        answer(tmp_path)


def test_truncated_gzip_is_refused(tmp_path: Path) -> None:
    data = gzip.compress((FIXTURES / FOR_EXCEL).read_bytes())
    (tmp_path / "cut.csv.gz").write_bytes(data[: len(data) // 2])
    with pytest.raises(DataFileError, match=r"cut\.csv\.gz is a damaged or truncated archive"):
        answer(tmp_path)


def test_a_compression_bomb_is_stopped_with_a_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A small cap stands in for the real floor (256 MB): the rule is the same, the test fast.
    monkeypatch.setattr(csv_source, "BOMB_FLOOR", 1024 * 1024)
    header = b"Referring page URL,Target URL\n"
    row = b"https://alpha.com/a,https://shop.com/trail-shoes\n"
    bomb = tmp_path / "bomb.csv.gz"
    with gzip.open(bomb, "wb", compresslevel=9) as out:
        out.write(header)
        for _ in range(200):
            out.write(row * 2000)  # 20 MB of one repeated row: ~1,000 times smaller packed
    assert bomb.stat().st_size * csv_source.BOMB_RATIO < 20 * 1024 * 1024
    with pytest.raises(DataFileError, match=r"bomb\.csv\.gz expands to more than \d+ MB, over 100"):
        answer(tmp_path)


def test_a_zip_member_is_named_in_its_refusal(tmp_path: Path) -> None:
    with zipfile.ZipFile(tmp_path / "exports.zip", "w") as archive:
        archive.writestr("odd.csv", "Name,Colour\nshoe,red\n")
    with pytest.raises(DataFileError, match=r"exports\.zip \(odd\.csv\) has columns"):
        answer(tmp_path)
