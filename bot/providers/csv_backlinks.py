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

The link a prospect is pitched from (the linking page, its title, the anchor,
followed or not, first seen) is kept only for the pages asked about
(``link_pages``), one representative link per (page, domain) by the rule of
``representative_links``: a followed link first, then the earliest first
seen, then the first row.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING, TypeVar

from bot.gap.domains import registrable_domain
from bot.gap.models import ReferringDomain
from bot.gap.urls import normalise_url
from bot.providers.csv_domains import host_domains
from bot.providers.csv_engine import link_groups, representative_links, signal_aggregates
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

    def __init__(self, link_pages: Collection[str] = ()) -> None:
        #: Page keys (``normalise_url``) whose links are kept with their text.
        self.link_pages = frozenset(link_pages)
        self._parts: list[pl.DataFrame] = []
        self._link_parts: list[pl.DataFrame] = []
        self._pairs: pl.DataFrame | None = None
        self._signals: pl.DataFrame | None = None
        self._links: pl.DataFrame | None = None
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

        keep = self._kept_cells if self.link_pages else None
        blocks = list(link_groups(source, columns, keep))
        if blocks:
            groups = pl.concat([block.groups for block in blocks])
            domains = self._domains(groups)
            part = self._resolved(groups, domains, page, named, site)
            self._parts.append(part)
            self.rows_read += int(part.get_column("links").sum())
            links = [block.links for block in blocks if block.links is not None]
            if links:
                self._link_parts.append(self._resolved_links(pl.concat(links), domains))
        self._pairs = self._signals = self._links = None

    def _kept_cells(self, cells: list[str]) -> list[str]:
        """The target cells whose page is one of ``link_pages``."""
        return [cell for cell in cells if self._page(cell) in self.link_pages]

    @staticmethod
    def _domains(groups: pl.DataFrame) -> pl.LazyFrame:
        """Each distinct host of the groups with its registrable domain, both categoricals."""
        import polars as pl

        hosts = groups.get_column("host").unique().cast(pl.String)
        return (
            host_domains(hosts).lazy().with_columns(pl.col("host", "domain").cast(pl.Categorical))
        )

    def _resolved_links(self, links: pl.DataFrame, domains: pl.LazyFrame) -> pl.DataFrame:
        """The kept links as one representative per (page, domain), the target site's own
        pages (internal links) left in: ``referring_domains`` drops them as it does pairs."""
        import polars as pl

        targets = links.get_column("target").drop_nulls().unique().cast(pl.String).to_list()
        pages = pl.LazyFrame(
            {"target": targets, "page": [self._page(target) for target in targets]},
            schema={"target": pl.Categorical, "page": pl.Categorical},
        )
        # The joins keep the links' order: the first row wins among equal links.
        resolved = (
            links.lazy()
            .join(domains, on="host", how="left", maintain_order="left")
            .join(pages, on="target", how="left", maintain_order="left")
            .filter(pl.col("domain").cast(pl.String).fill_null("") != "")
        )
        return (
            representative_links(resolved, ("page", "domain"))
            .select("page", "domain", "followed", "first_seen", "url", "title", "anchor")
            .collect()
        )

    def _resolved(
        self, groups: pl.DataFrame, domains: pl.LazyFrame, page: str, named: str, site: str
    ) -> pl.DataFrame:
        """(target, host) pairs as (page, named, site, domain) pairs with their signals.

        Each distinct host's registrable domain is worked out once, in the
        engine (``host_domains``), and each distinct target cell's page key
        once (``normalise_url``, remembered per index); the pairs get both by
        joins. Pages and domains are categoricals (each distinct name stored
        once, rows compared as integer codes): a million-link export has
        ~800,000 pairs over a few thousand pages and ~100,000 domains.
        """
        import polars as pl

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

    def links(self) -> pl.DataFrame:
        """One representative link per (page, domain) of ``link_pages``, over every file."""
        import polars as pl

        if self._links is None:
            if not self._link_parts:
                self._links = pl.DataFrame(
                    schema={
                        "page": pl.Categorical,
                        "domain": pl.Categorical,
                        "followed": pl.Boolean,
                        "first_seen": pl.Date,
                        "url": pl.String,
                        "title": pl.String,
                        "anchor": pl.String,
                    }
                )
            elif len(self._link_parts) == 1:
                self._links = self._link_parts[0]
            else:
                merged = pl.concat(self._link_parts, how="vertical_relaxed")
                self._links = representative_links(merged, ("page", "domain"))
        return self._links

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

        pages = [key for key in pages if key]
        chosen = self._chosen(pages, named, sites)
        domains = (
            chosen.filter(pl.col("domain") != own_site)
            .group_by("domain")
            .agg(pl.col("followed").any(), pl.col("first_seen").min())
            .join(self.signals(), on="domain", how="left")
        )
        shown = self.links().filter(pl.col("page").is_in(pages) & (pl.col("domain") != own_site))
        link = representative_links(shown, ("domain",)).select(
            "domain", link_seen="first_seen", url="url", title="title", anchor="anchor"
        )
        rows = domains.join(link, on="domain", how="left").sort("domain")
        return [
            ReferringDomain(
                domain=name,
                domain_rating=rating,
                is_spam=spam,
                spam_score=score,
                followed=followed,
                # The link shown is dated by its own first sighting; without one, the
                # domain's earliest link to the page.
                first_seen=link_seen if url is not None else first_seen,
                traffic=traffic,
                linking_url=url,
                anchor=anchor,
                linking_title=title,
            )
            for (
                name,
                followed,
                first_seen,
                rating,
                spam,
                score,
                traffic,
                link_seen,
                url,
                title,
                anchor,
            ) in rows.iter_rows()
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
