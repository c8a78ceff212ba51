"""Page-level referring domains from any number of exports that add up.

The count that matters is distinct registrable domains per page. Each export
is reduced by the columnar engine (``csv_engine``) to its live links per
(target cell, source host); here each distinct host gets its registrable
domain (Public Suffix List) and each distinct target cell its page key
(``normalise_url``) once, and the pairs are merged into one table of
(page, domain, followed) plus one of per-domain signals: the highest rating
any row gives the domain and whether any row flagged it as spam (both are
properties of the linking domain, not of one link). A domain is followed on
a page when at least one of its live links to that page carries no
nofollow, UGC or sponsored mark.

Memory grows with distinct (page, domain) pairs, never with rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, TypeVar

from bot.gap.domains import registrable_domain
from bot.gap.models import ReferringDomain
from bot.gap.urls import normalise_url
from bot.providers.csv_domains import host_domains
from bot.providers.csv_engine import link_groups, signal_aggregates
from bot.providers.csv_formats import BacklinkColumns
from bot.providers.csv_source import EngineSource

if TYPE_CHECKING:
    import polars as pl

    FrameT = TypeVar("FrameT", pl.DataFrame, pl.LazyFrame)


class BacklinkIndex:
    """Referring domains per page, built from every export of a folder.

    A backlinks export names each row's target; a referring-domains export
    belongs to one page, known by its URL (``page``) or only by a token from
    its file name (``named``, see ``bot.providers.csv_targets``), or to a whole
    site (``site``, its registrable domain: a domain-, subdomains- or
    prefix-mode export), which counts for the site, never for a page.
    """

    def __init__(self) -> None:
        self._parts: list[pl.DataFrame] = []
        self._pairs: pl.DataFrame | None = None
        self._signals: pl.DataFrame | None = None
        self._page_of_target: dict[str, str] = {}
        #: Live links read and kept, over every file.
        self.rows_read = 0

    # -- reading ---------------------------------------------------------------------------

    def add_export(
        self,
        source: EngineSource,
        columns: BacklinkColumns,
        *,
        page: str = "",
        named: str = "",
        site: str = "",
    ) -> None:
        """Read one export; rows without a target column belong to ``page``, ``named`` or
        ``site``."""
        import polars as pl

        blocks = list(link_groups(source, columns))
        if blocks:
            part = self._resolved(pl.concat(blocks), page, named, site)
            self._parts.append(part)
            self.rows_read += int(part.get_column("links").sum())
        self._pairs = self._signals = None

    def _resolved(self, groups: pl.DataFrame, page: str, named: str, site: str) -> pl.DataFrame:
        """(target, host) pairs as (page, named, site, domain) pairs with their signals.

        Each distinct host's registrable domain is worked out once, in the
        engine (``host_domains``), and each distinct target cell's page key
        once (``normalise_url``, remembered per index); the pairs get both by
        joins. Pages and domains are categoricals (each distinct name stored
        once, rows compared as integer codes): a million-link export has
        ~800,000 pairs over a few thousand pages and ~100,000 domains.
        """
        import polars as pl

        hosts = groups.get_column("host").unique().cast(pl.String)
        domains = (
            host_domains(hosts).lazy().with_columns(pl.col("host", "domain").cast(pl.Categorical))
        )
        resolved = groups.lazy().join(domains, on="host", how="left")
        if page or named or site:
            resolved = resolved.with_columns(
                page=pl.lit(page).cast(pl.Categorical), named=pl.lit(named), site=pl.lit(site)
            )
        else:
            targets = groups.get_column("target").drop_nulls().unique().cast(pl.String).to_list()
            pages = pl.LazyFrame(
                {"target": targets, "page": [self._page(target) for target in targets]},
                schema={"target": pl.Categorical, "page": pl.Categorical},
            )
            resolved = resolved.join(pages, on="target", how="left").with_columns(
                named=pl.lit(""), site=pl.lit("")
            )
        owner = (
            (pl.col("page").cast(pl.String).fill_null("") != "")
            | (pl.col("named") != "")
            | (pl.col("site") != "")
        )
        usable = (pl.col("domain").cast(pl.String).fill_null("") != "") & owner
        # One file's rows share named and site: its pairs are merged on (page, domain) alone.
        pairs = _pairs_of_one_file(resolved.filter(usable).collect())
        return pairs.with_columns(named=pl.lit(named), site=pl.lit(site)).select(
            "page",
            "named",
            "site",
            "domain",
            "followed",
            "rating",
            "spam",
            "score",
            "traffic",
            "first_seen",
            "links",
        )

    def _page(self, target: str) -> str:
        key = self._page_of_target.get(target)
        if key is None:
            key = self._page_of_target[target] = normalise_url(target) if target.strip() else ""
        return key

    # -- the merged tables -----------------------------------------------------------------

    def pairs(self) -> pl.DataFrame:
        """One row per (page, named, site, domain): ``followed`` when any of its links is."""

        if self._pairs is None:
            merged = self._all()
            if len(self._parts) > 1:
                # Split exports add up: a pair seen in two files is one pair.
                merged = _pairs_with_signals(merged)
            self._pairs = merged.select("page", "named", "site", "domain", "followed", "first_seen")
        return self._pairs

    def signals(self) -> pl.DataFrame:
        """One row per domain: its best ``rating`` (null when unrated) and any ``spam`` flag."""
        import polars as pl

        if self._signals is None:
            self._signals = (
                self._all()
                .group_by("domain")
                .agg(
                    pl.col("rating").max(),
                    pl.col("spam").any(),
                    pl.col("score").max(),
                    pl.col("traffic").max(),
                )
            )
        return self._signals

    def _all(self) -> pl.DataFrame:
        import polars as pl

        if not self._parts:
            return pl.DataFrame(
                schema={
                    "page": pl.Categorical,
                    "named": pl.String,
                    "site": pl.String,
                    "domain": pl.Categorical,
                    "followed": pl.Boolean,
                    "rating": pl.Float64,
                    "spam": pl.Boolean,
                    "score": pl.Float64,
                    "traffic": pl.Float64,
                    "first_seen": pl.Date,
                    "links": pl.UInt32,
                }
            )
        if len(self._parts) == 1:
            return self._parts[0]
        return pl.concat(self._parts, how="vertical_relaxed")

    def page_keys(self) -> list[str]:
        """Every page key that has referring domains (targets of backlinks exports)."""
        return [key for key in self.pairs().get_column("page").unique().to_list() if key]

    def named_tokens(self) -> list[str]:
        """Every file-name token of a referring-domains export without a known URL."""
        return [token for token in self.pairs().get_column("named").unique().to_list() if token]

    # -- answering -------------------------------------------------------------------------

    def referring_domains(
        self,
        *,
        pages: Iterable[str] = (),
        named: Iterable[str] = (),
        sites: Iterable[str] = (),
        own_site: str,
    ) -> list[ReferringDomain]:
        """One ``ReferringDomain`` per registrable domain linking to any of the pages, by name.

        Links from the page's own site are internal links, not referring domains.
        A domain is ``followed`` when any of its live links to any of the pages is.
        """
        import polars as pl

        chosen = self._chosen(pages, named, sites)
        domains = (
            chosen.filter(pl.col("domain") != own_site)
            .group_by("domain")
            .agg(pl.col("followed").any(), pl.col("first_seen").min())
            .join(self.signals(), on="domain", how="left")
            .sort("domain")
        )
        return [
            ReferringDomain(
                domain=name,
                domain_rating=rating,
                is_spam=spam,
                spam_score=score,
                followed=followed,
                first_seen=first_seen,
                traffic=traffic,
            )
            for name, followed, first_seen, rating, spam, score, traffic in domains.iter_rows()
        ]

    def covers(self, *, pages: Iterable[str] = (), named: Iterable[str] = ()) -> bool:
        """Whether any export has a referring domain for one of the pages."""
        return self._chosen(pages, named, ()).height > 0

    def _chosen(
        self, pages: Iterable[str], named: Iterable[str], sites: Iterable[str]
    ) -> pl.DataFrame:
        """The pairs of the pages given by key or by file-name token, and of whole sites."""
        import polars as pl

        wanted_pages = [key for key in pages if key]
        wanted_named = [token for token in named if token]
        wanted_sites = [site for site in sites if site]
        return self.pairs().filter(
            pl.col("page").is_in(wanted_pages)
            | pl.col("named").is_in(wanted_named)
            | pl.col("site").is_in(wanted_sites)
        )


def _pairs_of_one_file(frame: pl.DataFrame) -> pl.DataFrame:
    """``_pairs_with_signals`` for rows of one file, where only page and domain vary.

    The two categorical codes make one integer key; sorted, polars groups it
    as runs of equal keys instead of a list of row numbers per group, which
    halves the memory the merge takes (on a million-link export, 114 -> 54 MB
    above the pairs themselves, and it is what grows with file size).
    """
    import polars as pl

    code = pl.col("page").to_physical().cast(pl.UInt64) * (1 << 32)
    code = code + pl.col("domain").to_physical().cast(pl.UInt64)
    return (
        frame.with_columns(pair=code)
        .sort("pair")
        .group_by("pair", maintain_order=True)
        .agg(
            pl.col("page").first(),
            pl.col("domain").first(),
            *signal_aggregates(),
            pl.col("links").sum(),
        )
        .drop("pair")
    )


def _pairs_with_signals(frame: FrameT) -> FrameT:
    """One row per (page, named, site, domain): any link followed, best rating, any spam,
    links."""
    import polars as pl

    return frame.group_by("page", "named", "site", "domain").agg(
        *signal_aggregates(), pl.col("links").sum()
    )


def site_of_key(key: str) -> str:
    """The registrable domain of a ``normalise_url`` key."""
    host = key.split("/", 1)[0].split("?", 1)[0]
    return registrable_domain(host.rsplit(":", 1)[0] if host.count(":") == 1 else host)
