"""The csv provider reads Ahrefs and Semrush backlinks exports into page-level referring domains."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from bot.errors import DataFileError
from bot.providers.base import Provider
from bot.providers.csv_exports import CsvProvider
from tests.providers.test_csv_helpers import (
    AHREFS_HEADER,
    REFDOMAINS_HEADER,
    SEMRUSH_HEADER,
    ahrefs_row,
    semrush_row,
    write_csv,
    write_serp,
)

PAGE = "https://shop.com/trail-shoes"


def domains(provider: CsvProvider, url: str = PAGE) -> dict[str, tuple[float | None, bool]]:
    answer = provider.page_referring_domains([url])[url]
    return {rd.domain: (rd.domain_rating, rd.is_spam) for rd in answer}


def test_csv_provider_implements_the_provider_protocol(tmp_path: Path) -> None:
    provider = CsvProvider(tmp_path)
    assert isinstance(provider, Provider)
    assert (provider.name, provider.sample_data, provider.usage.requests) == ("csv", False, 0)


def test_ahrefs_export_counts_distinct_registrable_domains(tmp_path: Path) -> None:
    write_csv(
        tmp_path / "backlinks.csv",
        AHREFS_HEADER,
        [
            ahrefs_row("https://www.alpha.com/a", PAGE, 40),
            ahrefs_row("https://blog.alpha.com/b", PAGE, 45),  # same domain, higher DR kept
            ahrefs_row("https://alpha.com/c", PAGE, 42),
            ahrefs_row("https://news.beta.co.uk/x", PAGE, 30),
            ahrefs_row("https://www.beta.co.uk/y", PAGE, 30, spam=True),
            ahrefs_row("https://gamma.com.au/z", PAGE, 12),
        ],
    )
    assert domains(CsvProvider(tmp_path)) == {
        "alpha.com": (45.0, False),
        "beta.co.uk": (30.0, True),
        "gamma.com.au": (12.0, False),
    }


def test_utf8_with_bom_reads_like_without(tmp_path: Path) -> None:
    rows = [ahrefs_row("https://alpha.com/a", PAGE), ahrefs_row("https://beta.com/b", PAGE)]
    with_bom = tmp_path / "bom"
    without = tmp_path / "plain"
    with_bom.mkdir()
    without.mkdir()
    write_csv(with_bom / "b.csv", AHREFS_HEADER, rows, encoding="utf-8-sig")
    write_csv(without / "b.csv", AHREFS_HEADER, rows)
    assert domains(CsvProvider(with_bom)) == domains(CsvProvider(without))
    assert set(domains(CsvProvider(with_bom))) == {"alpha.com", "beta.com"}


def test_ahrefs_for_excel_utf16_tab_export_is_read(tmp_path: Path) -> None:
    write_csv(
        tmp_path / "for-excel.csv",
        AHREFS_HEADER,
        [ahrefs_row("https://alpha.com/a", PAGE, 61), ahrefs_row("https://beta.org/b", PAGE, 7)],
        encoding="utf-16",
        delimiter="\t",
        quoting=csv.QUOTE_ALL,
    )
    assert domains(CsvProvider(tmp_path)) == {"alpha.com": (61.0, False), "beta.org": (7.0, False)}


def test_semicolon_separated_export_is_read(tmp_path: Path) -> None:
    write_csv(
        tmp_path / "b.csv",
        AHREFS_HEADER,
        [ahrefs_row("https://alpha.com/a", PAGE, 20)],
        delimiter=";",
    )
    assert domains(CsvProvider(tmp_path)) == {"alpha.com": (20.0, False)}


def test_split_exports_add_up(tmp_path: Path) -> None:
    write_csv(
        tmp_path / "part-1.csv",
        AHREFS_HEADER,
        [ahrefs_row("https://alpha.com/a", PAGE, 20), ahrefs_row("https://beta.com/a", PAGE)],
    )
    write_csv(
        tmp_path / "part-2.csv",
        AHREFS_HEADER,
        [ahrefs_row("https://alpha.com/b", PAGE, 25), ahrefs_row("https://delta.com/a", PAGE)],
    )
    answer = domains(CsvProvider(tmp_path))
    assert sorted(answer) == ["alpha.com", "beta.com", "delta.com"]
    assert answer["alpha.com"] == (25.0, False)


def test_target_url_variants_match_one_page(tmp_path: Path) -> None:
    write_csv(
        tmp_path / "b.csv",
        AHREFS_HEADER,
        [
            ahrefs_row("https://alpha.com/a", "http://www.shop.com/trail-shoes/"),
            ahrefs_row("https://beta.com/a", "https://shop.com/trail-shoes"),
            ahrefs_row("https://gamma.com/a", "https://WWW.Shop.com/trail-shoes#reviews"),
            ahrefs_row("https://other.com/a", "https://shop.com/road-shoes"),
        ],
    )
    provider = CsvProvider(tmp_path)
    assert sorted(domains(provider, "https://www.shop.com/trail-shoes/")) == [
        "alpha.com",
        "beta.com",
        "gamma.com",
    ]


def test_target_urls_with_ad_click_parameters_count_for_the_page(tmp_path: Path) -> None:
    write_csv(
        tmp_path / "b.csv",
        AHREFS_HEADER,
        [
            ahrefs_row("https://alpha.com/a", PAGE + "?gclid=Cj0KCQiA"),
            ahrefs_row("https://beta.com/a", PAGE + "?gad_source=1&gclid=x"),
            ahrefs_row("https://gamma.com/a", PAGE + "/?srsltid=AfmBOor"),
            ahrefs_row("https://delta.com/a", PAGE + "?utm_source=news&utm_medium=email"),
            ahrefs_row("https://other.com/a", PAGE + "?lang=fr"),
        ],
    )
    provider = CsvProvider(tmp_path)
    assert sorted(domains(provider)) == ["alpha.com", "beta.com", "delta.com", "gamma.com"]
    # Asked with a tracking parameter of its own, the page is still the same page.
    assert sorted(domains(provider, PAGE + "?fbclid=IwAR")) == sorted(domains(provider))
    assert sorted(domains(provider, PAGE + "?lang=fr")) == ["other.com"]


def test_every_requested_url_is_a_key_even_without_links(tmp_path: Path) -> None:
    write_csv(tmp_path / "b.csv", AHREFS_HEADER, [ahrefs_row("https://alpha.com/a", PAGE)])
    urls = [PAGE, "https://nobody-links.com/page"]
    answer = CsvProvider(tmp_path).page_referring_domains(urls)
    assert list(answer) == urls
    assert answer["https://nobody-links.com/page"] == []


def test_lost_links_are_skipped(tmp_path: Path) -> None:
    write_csv(
        tmp_path / "b.csv",
        AHREFS_HEADER,
        [
            ahrefs_row("https://alpha.com/a", PAGE),
            ahrefs_row("https://gone.com/a", PAGE, lost="removed"),
        ],
    )
    assert list(domains(CsvProvider(tmp_path))) == ["alpha.com"]


def test_internal_links_are_not_referring_domains(tmp_path: Path) -> None:
    write_csv(
        tmp_path / "b.csv",
        AHREFS_HEADER,
        [ahrefs_row("https://blog.shop.com/a", PAGE), ahrefs_row("https://alpha.com/a", PAGE)],
    )
    assert list(domains(CsvProvider(tmp_path))) == ["alpha.com"]


def test_semrush_export_with_other_header_case_is_unrated(tmp_path: Path) -> None:
    header = tuple(name.upper() if name == "Source url" else name for name in SEMRUSH_HEADER)
    write_csv(
        tmp_path / "semrush.csv",
        header,
        [
            semrush_row("https://www.alpha.com/a", PAGE),
            semrush_row("https://m.alpha.com/b", PAGE),
            semrush_row("https://beta.net/c", PAGE),
            semrush_row("https://lost.net/c", PAGE, lost=True),
        ],
    )
    assert domains(CsvProvider(tmp_path)) == {"alpha.com": (None, False), "beta.net": (None, False)}


def test_refdomains_export_takes_its_target_from_targets_csv(tmp_path: Path) -> None:
    write_csv(
        tmp_path / "competitor.csv",
        REFDOMAINS_HEADER,
        [
            ("www.alpha.com", "55", "false", "3", "2023-01-01", ""),
            ("blog.alpha.com", "55", "false", "1", "2023-01-01", ""),
            ("spammy.xyz", "2", "true", "9", "2023-01-01", ""),
            ("lost.com", "40", "false", "1", "2023-01-01", "2024-02-02"),
        ],
    )
    write_csv(tmp_path / "targets.csv", ("file", "target"), [("competitor.csv", PAGE)])
    assert domains(CsvProvider(tmp_path)) == {"alpha.com": (55.0, False), "spammy.xyz": (2.0, True)}


def test_targets_csv_target_with_tracking_parameters_names_the_page(tmp_path: Path) -> None:
    write_csv(
        tmp_path / "competitor.csv",
        REFDOMAINS_HEADER,
        [("alpha.com", "30", "false", "1", "2023-01-01", "")],
    )
    write_csv(
        tmp_path / "targets.csv",
        ("file", "target"),
        [("competitor.csv", PAGE + "?utm_source=ahrefs&gclid=abc")],
    )
    assert domains(CsvProvider(tmp_path)) == {"alpha.com": (30.0, False)}


def test_refdomains_export_named_after_its_page_matches_it(tmp_path: Path) -> None:
    write_csv(
        tmp_path / "www.shop.com_trail-shoes_-refdomains-exact-live.csv",
        REFDOMAINS_HEADER,
        [("alpha.com", "30", "false", "1", "2023-01-01", "")],
    )
    assert domains(CsvProvider(tmp_path)) == {"alpha.com": (30.0, False)}


def test_site_referring_domains_cover_every_page_of_the_site(tmp_path: Path) -> None:
    write_csv(
        tmp_path / "b.csv",
        AHREFS_HEADER,
        [
            ahrefs_row("https://alpha.com/a", PAGE),
            ahrefs_row("https://beta.com/a", "https://blog.shop.com/post"),
            ahrefs_row("https://gamma.com/a", "https://elsewhere.com/"),
        ],
    )
    site = CsvProvider(tmp_path).site_referring_domains("https://www.shop.com/")
    assert [rd.domain for rd in site] == ["alpha.com", "beta.com"]


def test_files_are_parsed_once_per_provider(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "b.csv", AHREFS_HEADER, [ahrefs_row("https://alpha.com/a", PAGE)])
    provider = CsvProvider(tmp_path)
    provider.page_referring_domains([PAGE])
    path.unlink()
    assert list(domains(provider)) == ["alpha.com"]


def test_no_backlinks_for_any_serp_url_is_refused(tmp_path: Path) -> None:
    write_csv(tmp_path / "b.csv", AHREFS_HEADER, [ahrefs_row("https://alpha.com/a", PAGE)])
    with pytest.raises(DataFileError) as caught:
        CsvProvider(tmp_path).page_referring_domains(["https://a.com/x", "https://b.com/y"])
    assert str(tmp_path) in caught.value.message
    assert "https://a.com/x, https://b.com/y" in caught.value.message


def test_unknown_headers_name_the_file_and_the_expected_columns(tmp_path: Path) -> None:
    write_csv(tmp_path / "mystery.csv", ("Foo", "Bar"), [("1", "2")])
    with pytest.raises(DataFileError) as caught:
        CsvProvider(tmp_path).page_referring_domains([PAGE])
    message = caught.value.message
    assert "mystery.csv" in message
    assert "Foo, Bar" in message
    assert "Referring page URL, Target URL" in message
    assert "Source url, Target url" in message


def test_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="does not exist"):
        CsvProvider(tmp_path / "nope").page_referring_domains([PAGE])


def test_targets_csv_naming_a_missing_file_is_refused(tmp_path: Path) -> None:
    write_csv(tmp_path / "targets.csv", ("file", "target"), [("gone.csv", PAGE)])
    with pytest.raises(DataFileError, match=r"targets\.csv lists gone\.csv"):
        CsvProvider(tmp_path).page_referring_domains([PAGE])


def test_serp_file_is_not_read_as_a_backlinks_export(tmp_path: Path) -> None:
    write_serp(tmp_path, [PAGE])
    write_csv(tmp_path / "b.csv", AHREFS_HEADER, [ahrefs_row("https://alpha.com/a", PAGE)])
    assert list(domains(CsvProvider(tmp_path))) == ["alpha.com"]


# -- the link each referring domain is pitched from ---------------------------------------------

LINKS_HEADER = (
    "Referring page title",
    "Referring page URL",
    "Target URL",
    "Anchor",
    "Nofollow",
    "First seen",
    "Domain rating",
)


def links_of(provider: CsvProvider, url: str = PAGE) -> dict[str, tuple[object, ...]]:
    """Referring domain -> (linking page, title, anchor, followed, first seen) for ``url``."""
    answer = provider.page_referring_domains([url])[url]
    return {
        rd.domain: (rd.linking_url, rd.linking_title, rd.anchor, rd.followed, str(rd.first_seen))
        for rd in answer
    }


def test_each_domain_is_pitched_from_a_followed_link_then_the_earliest(tmp_path: Path) -> None:
    write_csv(
        tmp_path / "backlinks.csv",
        LINKS_HEADER,
        [
            # alpha: the earliest link is nofollow; of the followed ones the earlier wins.
            ("Old forum", "https://forum.alpha.com/t/1", PAGE, "here", "true", "2023-01-01", "40"),
            (
                "Review",
                "https://alpha.com/review",
                PAGE,
                "trail shoes",
                "false",
                "2024-05-01",
                "40",
            ),
            ("Guide", "https://www.alpha.com/guide", PAGE, "shoes", "false", "2024-02-01", "40"),
            # beta: only nofollow links, the earliest stands for it.
            ("B2", "https://beta.org/2", PAGE, "b2", "true", "2024-03-01 10:00:00", "30"),
            ("B1", "https://beta.org/1", PAGE, "b1", "true", "2024-01-01 10:00:00", "30"),
            # gamma: same day twice, the first row wins; an empty title is unknown.
            ("", "https://gamma.net/x", PAGE, "x", "false", "2024-04-04", "20"),
            ("Second", "https://gamma.net/y", PAGE, "y", "false", "2024-04-04", "20"),
        ],
    )
    assert links_of(CsvProvider(tmp_path)) == {
        "alpha.com": ("https://www.alpha.com/guide", "Guide", "shoes", True, "2024-02-01"),
        "beta.org": ("https://beta.org/1", "B1", "b1", False, "2024-01-01"),
        "gamma.net": ("https://gamma.net/x", None, "x", True, "2024-04-04"),
    }


def test_semrush_export_names_source_page_title_and_anchor(tmp_path: Path) -> None:
    write_csv(
        tmp_path / "semrush.csv",
        SEMRUSH_HEADER,
        [
            ("31", "Best trail shoes", "https://www.alpha.com/best", PAGE, "trail shoes",
             "false", "2024-01-02", "2024-06-01", "false"),
            ("12", "Lost one", "https://beta.org/gone", PAGE, "gone", "false", "2023-01-02",
             "2024-06-01", "true"),
        ],
    )  # fmt: skip
    assert links_of(CsvProvider(tmp_path)) == {
        "alpha.com": ("https://www.alpha.com/best", "Best trail shoes", "trail shoes", True,
                      "2024-01-02"),
    }  # fmt: skip


def test_split_exports_pick_the_link_over_every_file(tmp_path: Path) -> None:
    # Files are read in name order: the earliest link wins wherever it is, and of two
    # links seen the same day the one in the first file does.
    for name, path, seen in (
        ("a-part1.csv", "later", "2024-06-01"),
        ("b-part2.csv", "earlier", "2024-01-01"),
        ("c-part3.csv", "tie", "2024-01-01"),
    ):
        write_csv(
            tmp_path / name,
            LINKS_HEADER,
            [("T", f"https://alpha.com/{path}", PAGE, "a", "false", seen, "40")],
        )
    assert links_of(CsvProvider(tmp_path))["alpha.com"][0] == "https://alpha.com/earlier"


def test_link_text_is_kept_for_the_pages_asked_about(tmp_path: Path) -> None:
    other = "https://shop.com/road-shoes"
    write_csv(
        tmp_path / "site-backlinks.csv",
        LINKS_HEADER,
        [
            ("On trail", "https://alpha.com/t", PAGE, "trail", "false", "2024-01-01", "40"),
            ("On road", "https://alpha.com/r", other, "road", "false", "2024-01-01", "40"),
        ],
    )
    provider = CsvProvider(tmp_path)
    assert links_of(provider)["alpha.com"][0] == "https://alpha.com/t"
    index = provider._backlinks()
    assert index.links().get_column("page").cast(str).to_list() == ["shop.com/trail-shoes"]
    # A page asked about later has its links read then (the folder is read again).
    assert links_of(provider, other)["alpha.com"][0] == "https://alpha.com/r"
    assert provider._backlinks() is not index


def test_referring_domains_exports_name_no_linking_page(tmp_path: Path) -> None:
    (tmp_path / "www.shop.com_trail-shoes-refdomains-exact.csv").write_text(
        "Domain,Domain rating,Dofollow links,Links to target,First seen,Lost\n"
        "alpha.com,61,2,2,2024-01-02,\n",
        encoding="utf-8",
    )
    links = links_of(CsvProvider(tmp_path), "https://www.shop.com/trail-shoes")
    assert links["alpha.com"][:3] == (None, None, None)
