"""Each export read for what it is: Semrush Backlink Audit, Moz Link Explorer, and the
known exports of the wrong kind refused in one line that says what the file is."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from bot.errors import DataFileError
from bot.gap.models import ReferringDomain
from bot.gap.quality import JunkFilter
from bot.gap.settings import GapSettings, merge_settings
from bot.providers.csv_exports import CsvProvider
from bot.providers.csv_formats import ExportKind, backlink_columns

FIXTURES = Path(__file__).parent / "fixtures" / "exports"
PAGE = "https://www.shop.com/trail-shoes"


def page_links(tmp_path: Path, name: str) -> dict[str, ReferringDomain]:
    shutil.copy(FIXTURES / name, tmp_path / name)
    rows = CsvProvider(tmp_path).page_referring_domains([PAGE])[PAGE]
    return {row.domain: row for row in rows}


def header_of(name: str) -> list[str]:
    first = (FIXTURES / name).read_text(encoding="utf-8-sig").split("\n", 1)[0]
    return [cell.strip().strip('"') for cell in first.strip().split(",")]


def test_a_backlink_audit_is_recognised_by_its_toxic_score() -> None:
    name = "shop.com-backlink-audit.csv"
    columns = backlink_columns(Path(name), header_of(name))
    assert columns.kind is ExportKind.SEMRUSH_BACKLINK_AUDIT
    assert columns.rating is None  # Page ascore rates a page, not the linking domain


def test_an_audit_toxic_score_at_the_spam_limit_marks_the_domain_spam(tmp_path: Path) -> None:
    links = page_links(tmp_path, "shop.com-backlink-audit.csv")
    # gamma.net's only link is lost; the others are live.
    assert sorted(links) == ["alpha.com", "cheap-links.net", "delta.io", "kappa.org"]
    assert {d: r.spam_score for d, r in links.items()} == {
        "alpha.com": 12.0, "cheap-links.net": 60.0, "delta.io": 35.0, "kappa.org": 59.0,
    }  # fmt: skip
    assert links["delta.io"].followed is False
    judged = JunkFilter(GapSettings()).page_domains(list(links.values()))
    # Default spam limit 60: cheap-links.net (60) is spam, kappa.org (59) is not; delta.io
    # has only a nofollow link.
    assert judged.quality_domains == {"alpha.com", "kappa.org"}
    assert judged.junk == {"provider-spam": 1, "nofollow": 1}
    stricter = merge_settings(GapSettings(), {"spam_score_limit": 30})
    assert JunkFilter(stricter).page_domains(list(links.values())).quality_domains == {"alpha.com"}


def test_a_moz_export_with_newlines_in_cells_is_read(tmp_path: Path) -> None:
    name = "shop.com-moz-inbound-links.csv"
    assert backlink_columns(Path(name), header_of(name)).kind is ExportKind.MOZ_LINKS
    links = page_links(tmp_path, name)
    assert sorted(links) == ["alpha.com", "delta.io", "spammy-moz.biz"]
    # Domain Authority is the rating; Spam Score (a percentage) the spam score.
    assert (links["alpha.com"].domain_rating, links["alpha.com"].spam_score) == (52.0, 1.0)
    assert links["spammy-moz.biz"].spam_score == 74.0
    assert links["delta.io"].followed is False  # Only rel=nofollow: Yes
    assert links["alpha.com"].followed is True


@pytest.mark.parametrize(
    ("header", "says"),
    [
        # Ahrefs Referring IPs
        ("IP,Subnet,Referring domains,Dofollow referring domains,First seen,Last seen",
         "a referring-IPs export"),
        # Semrush Referring IPs
        ("IP Address,Country,Domains,Backlinks,First seen,Last seen", "a referring-IPs export"),
        # Semrush Indexed pages
        ("Source url,Source title,Response code,Backlinks,Domains,External links,Internal links",
         "an indexed-pages export"),
        # Ahrefs Best by links (indexed pages)
        ("#,Page title,URL,Response code,Referring domains,Dofollow,Nofollow,First seen",
         "an indexed-pages export"),
        # Semrush Backlink Gap (comparison)
        ("Domain,Matches,shop.com,rival.com,other.com", "a backlink comparison (gap) export"),
        # Semrush API answer saved as a file
        ("source_url,source_title,target_url,anchor,nofollow,first_seen,last_seen",
         "an API answer saved as CSV"),
        # Ahrefs API v3 answer saved as a file
        ("url_from,url_to,domain_rating_source,is_dofollow,first_seen", "an API answer"),
    ],
)  # fmt: skip
def test_an_export_of_the_wrong_kind_gets_one_line_naming_the_file_and_what_it_is(
    tmp_path: Path, header: str, says: str
) -> None:
    (tmp_path / "serp.csv").write_text("Position,URL\n1,https://a.com/x\n", encoding="utf-8")
    (tmp_path / "rival-export.csv").write_text(header + "\n", encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        CsvProvider(tmp_path).page_referring_domains([PAGE])
    message = caught.value.message
    assert message.startswith("rival-export.csv is ")
    assert says in message
    assert "\n" not in message


def test_ahrefs_domain_traffic_is_the_domains_traffic_and_first_seen_is_kept(
    tmp_path: Path,
) -> None:
    header = (
        '"Referring page URL","Domain rating","Domain traffic","Target URL","Nofollow",'
        '"First seen","Last seen","Lost"'
    )
    rows = [
        f'"https://www.alpha.com/a","52","1,520","{PAGE}","false","2024-03-02 10:00:00",'
        '"2026-11-01 00:00:00",""',
        # A later link from the same domain: the domain was first seen with the earlier one.
        f'"https://blog.alpha.com/b","52","1,480","{PAGE}","false","2025-07-09 08:30:00",'
        '"2026-11-01 00:00:00",""',
        f'"https://beta.org/c","30","","{PAGE}","true","2026-10-30 00:00:00",'
        '"2026-11-01 00:00:00",""',
    ]
    (tmp_path / "www.shop.com-backlinks-exact.csv").write_text(
        "\r\n".join([header, *rows]) + "\r\n", encoding="utf-8-sig"
    )
    links = CsvProvider(tmp_path).page_referring_domains([PAGE])[PAGE]
    found = {link.domain: (link.traffic, link.first_seen) for link in links}
    assert found == {
        "alpha.com": (1520.0, date(2024, 3, 2)),
        "beta.org": (None, date(2026, 10, 30)),
    }
