"""The SERP file gives page one's organic results and the domain ratings it lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import DataFileError
from bot.providers.base import SerpQuery
from bot.providers.csv_exports import CsvProvider
from tests.providers.test_csv_helpers import write_csv, write_serp

QUERY = SerpQuery("trail running shoes")


@pytest.mark.parametrize(
    ("position", "url"),
    [("Position", "URL"), ("pos", "url"), ("#", "Page"), ("Rank", "Url"), (" POSITION ", "Page")],
)
def test_serp_header_variants_are_recognised(tmp_path: Path, position: str, url: str) -> None:
    write_csv(
        tmp_path / "My SERP export.csv",
        (position, url),
        [("2", "https://b.com/shoes"), ("1", "https://a.com/shoes")],
    )
    results = CsvProvider(tmp_path).serp(QUERY)
    assert [(r.position, r.url) for r in results] == [
        (1, "https://a.com/shoes"),
        (2, "https://b.com/shoes"),
    ]


def test_ahrefs_serp_overview_keeps_only_organic_results(tmp_path: Path) -> None:
    write_csv(
        tmp_path / "serp-overview.csv",
        ("Keyword", "Position", "Type", "URL", "Title", "Domain rating", "Referring domains"),
        [
            ("trail shoes", "1", "Featured snippet", "https://snip.com/x", "Snippet", "70", "5"),
            ("trail shoes", "1", "Organic", "https://a.co.uk/shoes", "A shoes", "55", "80"),
            ("trail shoes", "2", "People also ask", "https://paa.com/q", "Q", "60", "1"),
            ("trail shoes", "3", "Video", "https://youtube.com/v", "V", "99", "1"),
            ("trail shoes", "4", "Organic", "https://www.b.com/trail", "B trail", "31.5", "12"),
        ],
    )
    provider = CsvProvider(tmp_path)
    results = provider.serp(QUERY)
    assert [(r.position, r.url, r.title, r.domain_rating) for r in results] == [
        (1, "https://a.co.uk/shoes", "A shoes", 55.0),
        (4, "https://www.b.com/trail", "B trail", 31.5),
    ]
    assert provider.domain_rating("https://blog.a.co.uk/") == 55.0
    assert provider.domain_rating("https://unknown.com/") is None


def test_serp_returns_only_the_requested_depth(tmp_path: Path) -> None:
    write_serp(tmp_path, [f"https://site{n}.com/page" for n in range(1, 16)])
    results = CsvProvider(tmp_path).serp(SerpQuery("k", depth=10))
    assert [r.position for r in results] == list(range(1, 11))


def test_folder_without_serp_file_says_what_to_add(tmp_path: Path) -> None:
    with pytest.raises(DataFileError) as caught:
        CsvProvider(tmp_path).serp(QUERY)
    assert str(tmp_path) in caught.value.message
    assert "'serp'" in caught.value.message


def test_serp_file_without_position_column_names_the_expected_columns(tmp_path: Path) -> None:
    write_csv(tmp_path / "serp.csv", ("Address", "Heading"), [("https://a.com", "A")])
    with pytest.raises(DataFileError) as caught:
        CsvProvider(tmp_path).serp(QUERY)
    assert "serp.csv" in caught.value.message
    assert "Position, Pos, # or Rank" in caught.value.message


def test_two_serp_files_are_refused(tmp_path: Path) -> None:
    write_serp(tmp_path, ["https://a.com/x"], name="serp-1.csv")
    write_serp(tmp_path, ["https://a.com/x"], name="serp-2.csv")
    with pytest.raises(DataFileError, match=r"serp-1\.csv, serp-2\.csv"):
        CsvProvider(tmp_path).serp(QUERY)


def test_domain_rating_is_none_without_a_serp_file(tmp_path: Path) -> None:
    assert CsvProvider(tmp_path).domain_rating("https://a.com/") is None
