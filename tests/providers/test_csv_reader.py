"""Damaged or foreign files become one clear DataFileError naming the file, never a crash."""

from __future__ import annotations

import codecs
import contextlib
import csv
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.errors import DataFileError, LinkgapError
from bot.providers.base import SerpQuery
from bot.providers.csv_backlinks import BacklinkIndex
from bot.providers.csv_exports import CsvProvider
from bot.providers.csv_formats import backlink_columns
from bot.providers.csv_reader import open_table
from bot.providers.csv_source import engine_source
from tests.providers.test_csv_helpers import AHREFS_HEADER, ahrefs_row, write_csv

PAGE = "https://shop.com/trail-shoes"
HEADER_LINE = ",".join(AHREFS_HEADER) + "\n"


def read_all(path: Path) -> int:
    """Read a file the way the provider does; the number of kept links."""
    index = BacklinkIndex()
    with engine_source(path) as source:
        index.add_export(source, backlink_columns(path, source.header))
    return index.rows_read


def refused(path: Path) -> str:
    with pytest.raises(DataFileError) as caught:
        read_all(path)
    assert path.name in caught.value.message
    assert "\n" not in caught.value.message
    return caught.value.message


def test_binary_file_with_nuls_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(HEADER_LINE.encode() + b"https://a.com/\x00\x00\x00,x\n")
    assert "NUL" in refused(path)


def test_truncated_quoted_cell_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    row = ",".join(ahrefs_row("https://a.com/x", PAGE)[1:])
    path.write_text(HEADER_LINE + '"cut title' + "\n" + row, encoding="utf-8")
    assert "truncated" in refused(path)


def open_descriptors_of(path: Path) -> int:
    """How many of this process's file descriptors point at ``path``."""
    fds = Path("/proc/self/fd")
    return sum(
        1 for fd in fds.iterdir() if os.path.realpath(fd) == os.path.realpath(path)
    )  # fmt: skip


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs /proc/self/fd")
def test_a_refused_export_is_closed_while_its_error_is_still_held(tmp_path: Path) -> None:
    """The error keeps its traceback; the export must not stay open with it until some
    later garbage collection (which then warns, in whatever runs at that moment)."""
    path = tmp_path / "export.csv"
    row = ",".join(ahrefs_row("https://a.com/x", PAGE)[1:])
    path.write_text(HEADER_LINE + '"cut title' + "\n" + row, encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        read_all(path)
    assert "truncated" in caught.value.message
    assert open_descriptors_of(path) == 0


def test_truncated_last_row_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(HEADER_LINE + "Title,https://a.com/x,50\n", encoding="utf-8")
    assert "truncated" in refused(path)


def test_every_cell_quoted_export_cut_inside_a_cell_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    rows = [ahrefs_row("https://a.com/x", PAGE), ahrefs_row("https://b.com/x", PAGE)]
    text = write_csv(path, AHREFS_HEADER, rows, quoting=csv.QUOTE_ALL).read_text()
    path.write_text(text[: text.rindex("https://b.com") + 5], encoding="utf-8")
    assert "truncated" in refused(path)


def test_bytes_that_are_not_utf8_after_the_sample_are_refused(tmp_path: Path) -> None:
    rows = [ahrefs_row(f"https://a{n}.com/x", PAGE) for n in range(800)]
    path = write_csv(tmp_path / "export.csv", AHREFS_HEADER, rows)
    path.write_bytes(path.read_bytes() + b"T\xe9l\xe9,https://z.com/,https://shop.com/p\n")
    assert "not valid UTF-8" in refused(path)


def test_file_cut_inside_a_utf16_character_is_refused(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "excel.csv",
        AHREFS_HEADER,
        [ahrefs_row("https://a.com", PAGE)],
        encoding="utf-16",
    )
    path.write_bytes(path.read_bytes() + b"\x41")
    assert "UTF-16" in refused(path)


def test_over_long_cell_in_a_small_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "serp.csv"
    huge = '"' + "x" * 200_000 + '"'
    path.write_text("Position,URL\n1," + huge + "\n", encoding="utf-8")
    with (
        pytest.raises(DataFileError, match=r"serp\.csv has a cell longer than"),
        open_table(path) as table,
    ):
        list(table.rows)


def test_unknown_encoding_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(bytes(range(128, 256)) * 40)
    message = refused(path)
    assert "UTF-8" in message or "encoding" in message or "NUL" in message


def test_latin1_export_is_decoded(tmp_path: Path) -> None:
    row = list(ahrefs_row("https://alpha.com/crème-brûlée", PAGE))
    row[0] = "Café crème: l'été à Paris"
    path = write_csv(tmp_path / "latin.csv", AHREFS_HEADER, [row] * 30, encoding="latin-1")
    assert read_all(path) == 30


def test_empty_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(b"")
    assert "empty" in refused(path)


def test_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    write_csv(tmp_path / "big.csv", AHREFS_HEADER, [ahrefs_row("https://a.com", PAGE)])
    with pytest.raises(DataFileError, match=r"big\.csv is .* MB; the limit is"):
        CsvProvider(tmp_path, max_file_bytes=100).page_referring_domains([PAGE])


def test_excel_sep_hint_line_sets_the_delimiter(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    row = ";".join(ahrefs_row("https://a.com/x", PAGE))
    path.write_text("sep=;\n" + ";".join(AHREFS_HEADER) + "\n" + row + "\n", encoding="utf-8")
    with open_table(path) as table:
        assert table.delimiter == ";"
    assert read_all(path) == 1


def test_quoted_cell_spanning_lines_is_one_row(tmp_path: Path) -> None:
    row = list(ahrefs_row("https://a.com/x", PAGE))
    row[0] = 'Title on\ntwo lines, with "quotes"'
    path = write_csv(
        tmp_path / "export.csv", AHREFS_HEADER, [row, ahrefs_row("https://b.com", PAGE)]
    )
    assert read_all(path) == 2


# -- arbitrary bytes: only the project's own errors may come out -------------------------------

_PIECES = st.sampled_from(
    [
        codecs.BOM_UTF8,
        codecs.BOM_UTF16_LE,
        codecs.BOM_UTF16_BE,
        codecs.BOM_UTF32_LE,
        b"\x00",
        b'"',
        b",",
        b"\t",
        b";",
        b"\r",
        b"\n",
        b"\r\n",
        HEADER_LINE.encode(),
        "Referring page URL,Target URL\n".encode("utf-16"),
        b"https://www.a.co.uk/x,https://shop.com/p\n",
        b"Domain,DR\nalpha.com,50\n",
        "é€日本".encode(),
        "é".encode("latin-1"),
        b"\xff\xfe\xfd",
        b"x" * 140_000,
    ]
)
_ARBITRARY = st.one_of(
    st.binary(max_size=400),
    st.lists(st.one_of(_PIECES, st.binary(max_size=20)), max_size=12).map(b"".join),
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=_ARBITRARY)
def test_reader_raises_only_linkgap_errors_on_arbitrary_bytes(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(data)
    message = ""
    try:
        read_all(path)
    except LinkgapError as error:
        message = error.message
    assert not message or path.name in message


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=_ARBITRARY)
def test_provider_raises_only_linkgap_errors_on_arbitrary_folders(
    tmp_path: Path, data: bytes
) -> None:
    (tmp_path / "serp.csv").write_bytes(data)
    (tmp_path / "links.csv").write_bytes(data)
    provider = CsvProvider(tmp_path)
    for call in (
        lambda: provider.page_referring_domains([PAGE]),
        lambda: provider.serp(SerpQuery("trail shoes")),
        lambda: provider.domain_rating(PAGE),
    ):
        with contextlib.suppress(LinkgapError):
            call()
