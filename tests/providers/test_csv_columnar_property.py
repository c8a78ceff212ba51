"""The columnar import against a plain ``csv``-module reading of the same generated exports.

Exports are generated with every quirk the reader must keep (quoted or
unquoted cells, CRLF or LF, cells spanning lines, commas and quotes in
titles, a BOM or none, UTF-16 and UTF-32, comma / tab / semicolon, columns
in any order and case); the reference reads them with ``csv.DictReader``
after decoding the whole file, applies the documented rules (a row is lost
when any lost column holds a value other than empty, ``-``, ``false``,
``0``...; a link is followed when no nofollow / UGC / sponsored cell is
true) and must give the same referring domains per page, followed or not,
and the same link standing for each (page, domain): a followed one first,
then the earliest first seen, then the first row.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.gap.domains import registrable_domain
from bot.gap.urls import normalise_url
from bot.providers.csv_backlinks import BacklinkIndex
from bot.providers.csv_formats import backlink_columns
from bot.providers.csv_source import BLOCK_BYTES, engine_source

COLUMNS = (
    "Referring page title",
    "Referring page URL",
    "Target URL",
    "Domain rating",
    "Anchor",
    "First seen",
)
LOST_COLUMNS = ("Lost status", "Lost")
MARK_COLUMNS = ("Nofollow", "UGC", "Sponsored")
_HOSTS = ("www.alpha.com", "blog.alpha.com", "beta.co.uk", "news.beta.co.uk", "gamma.org", "d.io")
_TARGETS = (
    "https://www.shop.com/a",
    "http://shop.com/a/",
    "https://shop.com/b",
    "https://other.net/c?lang=en",
)
_LOST_CELLS = ("", "", "", "-", "false", "0", "removed", "2024-05-01 08:00:00", "tooold")
_MARK_CELLS = ("false", "false", "FALSE", "", "true", "TRUE", "1")
_TITLES = st.lists(
    st.sampled_from(["a", "b", " ", ",", ";", '"', "\n", "\r\n", "\t", "é", "日"]), max_size=8
).map("".join)

rows = st.lists(
    st.fixed_dictionaries(
        {
            "Referring page title": _TITLES,
            "Referring page URL": st.builds(
                "https://{}/{}".format, st.sampled_from(_HOSTS), st.sampled_from(("", "p", "q?x=1"))
            ),
            "Target URL": st.sampled_from(_TARGETS),
            "Domain rating": st.sampled_from(("12", "45", "", "7.5")),
            "Anchor": _TITLES,
            "First seen": st.sampled_from(
                ("2024-03-02", "2024-01-15 10:00:00", "2023-12-31 23:59:59", "", "n/a")
            ),
            "Lost status": st.sampled_from(_LOST_CELLS),
            "Lost": st.sampled_from(_LOST_CELLS),
            "Nofollow": st.sampled_from(_MARK_CELLS),
            "UGC": st.sampled_from(_MARK_CELLS),
            "Sponsored": st.sampled_from(_MARK_CELLS),
        }
    ),
    min_size=1,
    max_size=25,
)
dialects = st.fixed_dictionaries(
    {
        "encoding": st.sampled_from(("utf-8", "utf-8-sig", "utf-16", "utf-16-le-bom", "utf-32")),
        "delimiter": st.sampled_from((",", "\t", ";")),
        "quoting": st.sampled_from((csv.QUOTE_ALL, csv.QUOTE_MINIMAL)),
        "newline": st.sampled_from(("\r\n", "\n")),
        "order": st.permutations(COLUMNS + LOST_COLUMNS + MARK_COLUMNS),
        "upper": st.booleans(),
    }
)


def _encode(text: str, encoding: str) -> bytes:
    if encoding == "utf-16-le-bom":  # what Excel and Ahrefs write: BOM then little-endian
        return b"\xff\xfe" + text.encode("utf-16-le")
    return text.encode(encoding)


def _write(path: Path, records: list[dict[str, str]], dialect: dict[str, object]) -> None:
    order = list(dialect["order"])  # type: ignore[call-overload]
    header = [name.upper() if dialect["upper"] else name for name in order]
    buffer = io.StringIO()
    writer = csv.writer(
        buffer,
        delimiter=str(dialect["delimiter"]),
        quoting=dialect["quoting"],  # type: ignore[arg-type]
        lineterminator=str(dialect["newline"]),
    )
    writer.writerow(header)
    writer.writerows([record[name] for name in order] for record in records)
    path.write_bytes(_encode(buffer.getvalue(), str(dialect["encoding"])))


def _reference(records: list[dict[str, str]]) -> dict[str, dict[str, bool]]:
    """Per page key: referring domain -> followed, by the documented rules, row by row."""
    not_lost = {"", "-", "false", "no", "n", "0", "live", "active", "none", "n/a"}
    yes = {"true", "yes", "y", "1", "spam"}
    pages: dict[str, dict[str, bool]] = {}
    for record in records:
        if any(record[name].strip().lower() not in not_lost for name in LOST_COLUMNS):
            continue
        domain = registrable_domain(urlsplit(record["Referring page URL"]).hostname or "")
        followed = not any(record[name].strip().lower() in yes for name in MARK_COLUMNS)
        page = pages.setdefault(normalise_url(record["Target URL"]), {})
        page[domain] = page.get(domain, False) or followed
    return pages


Link = tuple[str, str | None, str | None, bool, date | None]


def _reference_links(records: list[dict[str, str]]) -> dict[tuple[str, str], Link]:
    """Per (page key, domain): the link standing for it (url, title, anchor, followed, seen)."""
    not_lost = {"", "-", "false", "no", "n", "0", "live", "active", "none", "n/a"}
    yes = {"true", "yes", "y", "1", "spam"}
    best: dict[tuple[str, str], tuple[tuple[bool, date, int], Link]] = {}
    for number, record in enumerate(records):
        if any(record[name].strip().lower() not in not_lost for name in LOST_COLUMNS):
            continue
        url = record["Referring page URL"]
        domain = registrable_domain(urlsplit(url).hostname or "")
        followed = not any(record[name].strip().lower() in yes for name in MARK_COLUMNS)
        seen = _day(record["First seen"])
        link = (url, _line(record["Referring page title"]), _line(record["Anchor"]), followed, seen)
        rank = (not followed, seen or date.max, number)
        key = (normalise_url(record["Target URL"]), domain)
        if key not in best or rank < best[key][0]:
            best[key] = (rank, link)
    return {key: link for key, (_, link) in best.items()}


def _day(cell: str) -> date | None:
    try:
        return date.fromisoformat(cell[:10])
    except ValueError:
        return None


def _line(text: str) -> str | None:
    return " ".join(text.split()) or None


def _index(path: Path, block_bytes: int, link_pages: tuple[str, ...] = ()) -> BacklinkIndex:
    index = BacklinkIndex(link_pages)
    with engine_source(path) as source:
        # Small blocks put cuts everywhere, inside multi-line cells and UTF-16 characters too.
        blocks = replace(source, block_bytes=block_bytes)
        index.add_export(blocks, backlink_columns(path, source.header))
    return index


def _columnar(path: Path, block_bytes: int) -> dict[str, dict[str, bool]]:
    index = _index(path, block_bytes)
    pages: dict[str, dict[str, bool]] = {}
    for page, domain, followed in index.pairs().select("page", "domain", "followed").iter_rows():
        pages.setdefault(page, {})[domain] = followed
    return pages


def _columnar_links(path: Path, block_bytes: int) -> dict[tuple[str, str], Link]:
    pages = tuple(dict.fromkeys(normalise_url(target) for target in _TARGETS))
    links = _index(path, block_bytes, pages).links()
    columns = ("page", "domain", "url", "title", "anchor", "followed", "first_seen")
    return {
        (page, domain): (url, title, anchor, followed, seen)
        for page, domain, url, title, anchor, followed, seen in links.select(columns).iter_rows()
    }


def _read_plainly(path: Path, dialect: dict[str, object]) -> list[dict[str, str]]:
    """The file decoded whole and read by ``csv.DictReader``, headers back to their names."""
    encoding = str(dialect["encoding"])
    text = path.read_bytes().decode("utf-16" if encoding == "utf-16-le-bom" else encoding)
    names = {name.casefold(): name for name in COLUMNS + LOST_COLUMNS + MARK_COLUMNS}
    reader = csv.DictReader(
        io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=str(dialect["delimiter"])
    )
    return [{names[key.casefold()]: value for key, value in row.items()} for row in reader]


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(records=rows, dialect=dialects, block_bytes=st.sampled_from((BLOCK_BYTES, 64, 301)))
def test_columnar_reader_counts_and_picks_links_like_the_csv_module(
    tmp_path: Path, records: list[dict[str, str]], dialect: dict[str, object], block_bytes: int
) -> None:
    path = tmp_path / "export.csv"
    _write(path, records, dialect)
    plain = _read_plainly(path, dialect)
    assert plain == records  # the file holds what was generated, quirks and all
    assert _columnar(path, block_bytes) == _reference(plain)
    assert _columnar_links(path, block_bytes) == _reference_links(plain)
