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
