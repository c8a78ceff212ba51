"""Exports shaped like the files Ahrefs, Google Sheets and Semrush really write.

The fixtures in ``fixtures/exports`` share one target page and the same
referring sites, so the expected answer can be read off the rows:

- alpha.com: a live followed link.
- beta.org: ``Lost status`` empty but a ``Lost`` date (drop reason ``tooold``): lost.
- gamma.net: ``Lost status`` removed: lost.
- delta.io: live, nofollow only.
- epsilon.de: live, one UGC and one sponsored link: no followed link.
- zeta.co.uk: one nofollow and one followed link: followed.
- eta.com, theta.fr: lost dates with drop reasons ``disallowed`` and ``nxdomain``.
- shop.com (the page's own blog): an internal link, never a referring domain.

Ahrefs: live = alpha, delta, epsilon, zeta (4); followed = alpha, zeta (2).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.providers.csv_exports import CsvProvider

FIXTURES = Path(__file__).parent / "fixtures" / "exports"
PAGE = "https://www.shop.com/trail-shoes"


def answer(tmp_path: Path, name: str) -> dict[str, bool]:
    """Referring domain -> followed, for ``PAGE``, from the fixture ``name`` alone."""
    shutil.copy(FIXTURES / name, tmp_path / name)
    rows = CsvProvider(tmp_path).page_referring_domains([PAGE])[PAGE]
    return {row.domain: row.followed for row in rows}


@pytest.mark.parametrize(
    "name",
    ["www.shop.com-backlinks-exact-for-excel.csv", "shop-backlinks-sheets-resave.csv"],
)
def test_ahrefs_export_reads_every_lost_column_and_the_link_marks(
    tmp_path: Path, name: str
) -> None:
    assert answer(tmp_path, name) == {
        "alpha.com": True,
        "delta.io": False,
        "epsilon.de": False,
        "zeta.co.uk": True,
    }


def test_for_excel_fixture_is_utf16_tab_separated_and_fully_quoted() -> None:
    raw = (FIXTURES / "www.shop.com-backlinks-exact-for-excel.csv").read_bytes()
    text = raw.decode("utf-16")
    assert raw.startswith(b"\xff\xfe")
    assert text.startswith('"Referring page title"\t"Referring page URL"\t')
    for column in ('"Lost status"', '\t"Lost"\t', '"Drop reason"', '"Nofollow"\t"UGC"'):
        assert column in text


def test_semrush_export_reads_lost_link_and_its_three_link_marks(tmp_path: Path) -> None:
    # beta.org is "Lost link" = true; delta nofollow, epsilon UGC; zeta has a sponsored link
    # and a followed one.
    assert answer(tmp_path, "shop.com-backlinks.csv") == {
        "alpha.com": True,
        "delta.io": False,
        "epsilon.de": False,
        "zeta.co.uk": True,
    }


def test_referring_domains_export_reads_followed_link_counts(tmp_path: Path) -> None:
    (tmp_path / "www.shop.com_trail-shoes-refdomains-exact_2024-06-01.csv").write_text(
        "Domain,Domain rating,Dofollow links,Links to target,First seen,Lost\n"
        "alpha.com,61,2,2,2024-01-02,\n"
        "delta.io,52,0,3,2024-01-02,\n"
        "beta.org,40,1,1,2024-01-02,2024-05-01\n",
        encoding="utf-8",
    )
    rows = CsvProvider(tmp_path).page_referring_domains([PAGE])[PAGE]
    assert {row.domain: row.followed for row in rows} == {"alpha.com": True, "delta.io": False}


SEMRUSH_REFDOMAINS = (
    "Domain ascore,Domain,Backlinks,IP Address,Country,First seen,Last seen\n"
    "62,alpha.com,4,104.21.32.1,us,2023-08-14,2024-06-20\n"
    "18,blog.delta.io,1,172.67.1.2,de,2024-01-03,2024-06-19\n"
)
AHREFS_REFDOMAINS = (
    "Domain,Domain rating,Dofollow links,Links to target,First seen,Lost\n"
    "alpha.com,61,2,2,2024-01-02,\n"
    "omega.net,35,1,1,2024-02-02,\n"
)


def test_semrush_referring_domains_export_rates_by_domain_ascore(tmp_path: Path) -> None:
    (tmp_path / "www.shop.com_trail-shoes.csv").write_text(SEMRUSH_REFDOMAINS, encoding="utf-8")
    rows = CsvProvider(tmp_path).page_referring_domains([PAGE])[PAGE]
    assert [(row.domain, row.domain_rating) for row in rows] == [
        ("alpha.com", 62.0),
        ("delta.io", 18.0),
    ]


@pytest.mark.parametrize(
    "name",
    [
        "www.shop.com-refdomains-subdomains_2024-06-01_10-11-12.csv",
        "www.shop.com-refdomains-domain_2024-06-01.csv",
        "www.shop.com_trail-shoes-refdomains-prefix_2024-06-01.csv",
        "shop.com-backlinks_refdomains.csv",
    ],
)
def test_site_level_referring_domains_export_counts_for_the_site_not_a_page(
    tmp_path: Path, name: str
) -> None:
    body = SEMRUSH_REFDOMAINS if "backlinks_refdomains" in name else AHREFS_REFDOMAINS
    (tmp_path / name).write_text(body, encoding="utf-8")
    (tmp_path / "www.shop.com-backlinks-exact.csv").write_text(
        "Referring page URL,Target URL\nhttps://kappa.org/x,https://www.shop.com/\n",
        encoding="utf-8",
    )
    provider = CsvProvider(tmp_path)
    home = "https://www.shop.com/"
    # The homepage keeps only its own page-level links; the whole-site file is not credited to it.
    assert [row.domain for row in provider.page_referring_domains([home])[home]] == ["kappa.org"]
    site = {row.domain for row in provider.site_referring_domains(home)}
    assert site == {"kappa.org", "alpha.com"} | (
        {"omega.net"} if body == AHREFS_REFDOMAINS else {"delta.io"}
    )


def test_exact_mode_referring_domains_export_is_page_level(tmp_path: Path) -> None:
    name = "www.shop.com_trail-shoes-refdomains-exact_2024-06-01_10-11-12.csv"
    (tmp_path / name).write_text(AHREFS_REFDOMAINS, encoding="utf-8")
    rows = CsvProvider(tmp_path).page_referring_domains([PAGE])[PAGE]
    assert [row.domain for row in rows] == ["alpha.com", "omega.net"]


def test_targets_csv_overrides_a_site_level_file_name(tmp_path: Path) -> None:
    name = "www.shop.com-refdomains-subdomains_2024-06-01.csv"
    (tmp_path / name).write_text(AHREFS_REFDOMAINS, encoding="utf-8")
    (tmp_path / "targets.csv").write_text(f"file,target\n{name},{PAGE}\n", encoding="utf-8")
    rows = CsvProvider(tmp_path).page_referring_domains([PAGE])[PAGE]
    assert [row.domain for row in rows] == ["alpha.com", "omega.net"]
