"""The ``csv`` provider: answers the analysis from a folder of Ahrefs / Semrush exports.

A folder holds one SERP file (its name contains ``serp``) and any number of
backlinks exports recognised by their headers (see ``docs/data.md``). Files
are parsed once per provider instance, lazily, on the first question that
needs them, by the columnar engine: local files have no size limit (they are
streamed); a caller that takes files from users (an upload) passes one.
Local files cost nothing, so ``usage`` stays at zero requests.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from bot.errors import DataFileError
from bot.gap.domains import registrable_domain
from bot.gap.models import ReferringDomain, SerpResult
from bot.gap.urls import host_of, normalise_url
from bot.providers.base import ProviderUsage, SerpQuery
from bot.providers.csv_backlinks import BacklinkIndex, site_of_key
from bot.providers.csv_formats import backlink_columns
from bot.providers.csv_serp import SerpFile, read_serp
from bot.providers.csv_source import EXPORT_SUFFIXES, engine_source, export_members
from bot.providers.csv_targets import (
    MAPPING_FILE,
    host_of_token,
    read_mapping,
    site_level,
    token_of_file,
    token_of_url,
)

#: File types read from the folder; anything else (notes, spreadsheets) is left alone.
#: The SERP file is a small plain file (it is read row by row).
_SERP_SUFFIXES = (".csv", ".tsv")
_SHOWN_URLS = 5


class CsvProvider:
    """Serves SERP and referring domains from exports in ``data_dir``."""

    name = "csv"
    sample_data = False

    def __init__(self, data_dir: Path, *, max_file_bytes: int | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.usage = ProviderUsage()
        self._max_file_bytes = max_file_bytes
        self._serp: SerpFile | None = None
        self._index: BacklinkIndex | None = None
        #: Pages whose links are read with their linking page, title and anchor.
        self._link_pages: set[str] = set()

    # -- the Provider protocol -------------------------------------------------------------

    def serp(self, query: SerpQuery) -> list[SerpResult]:
        """Page one from the SERP file: the first ``query.depth`` organic results."""
        return list(self._serp_file().results[: query.depth])

    def page_referring_domains(self, urls: Sequence[str]) -> dict[str, list[ReferringDomain]]:
        """Referring domains of each URL; refused when the exports cover none of them."""
        index = self._backlinks(normalise_url(url) for url in urls)
        answer: dict[str, list[ReferringDomain]] = {}
        covered = False
        for url in urls:
            key, token = normalise_url(url), token_of_url(url)
            covered = covered or index.covers(pages=[key], named=[token])
            answer[url] = index.referring_domains(
                pages=[key], named=[token], own_site=site_of_key(key)
            )
        if urls and not covered:
            shown = ", ".join(urls[:_SHOWN_URLS])
            more = f" and {len(urls) - _SHOWN_URLS} more" if len(urls) > _SHOWN_URLS else ""
            raise DataFileError(
                f"The exports in {self.data_dir} have no backlinks for any SERP URL; export "
                f"backlinks for these pages: {shown}{more}."
            )
        return answer

    def site_referring_domains(self, url: str) -> list[ReferringDomain]:
        """Domains linking to any page on the registrable domain of ``url``."""
        index = self._backlinks()
        site = registrable_domain(host_of(url))
        pages = [key for key in index.page_keys() if site_of_key(key) == site]
        named = [
            token
            for token in index.named_tokens()
            if registrable_domain(host_of_token(token)) == site
        ]
        return index.referring_domains(pages=pages, named=named, sites=[site], own_site=site)

    def domain_rating(self, url: str) -> float | None:
        """The SERP file's rating for the site of ``url``; ``None`` when it gives none."""
        if not self._serp_paths():
            return None
        return self._serp_file().domain_ratings.get(registrable_domain(host_of(url)))

    def organic_traffic(self, url: str) -> float | None:
        """Backlink and SERP exports carry no site traffic estimate: always unknown."""
        return None

    # -- the folder ------------------------------------------------------------------------

    def _files(self) -> list[Path]:
        if not self.data_dir.is_dir():
            raise DataFileError(
                f"The data folder {self.data_dir} does not exist; give --data a folder holding "
                "the SERP file and the backlinks exports."
            )
        return sorted(
            path
            for path in self.data_dir.iterdir()
            if path.is_file()
            and not path.name.startswith(".")
            and path.name.casefold().endswith(EXPORT_SUFFIXES)
        )

    def _serp_paths(self) -> list[Path]:
        return [
            path
            for path in self._files()
            if "serp" in path.name.casefold() and path.suffix.casefold() in _SERP_SUFFIXES
        ]

    def _serp_file(self) -> SerpFile:
        if self._serp is None:
            paths = self._serp_paths()
            if not paths:
                raise DataFileError(
                    f"{self.data_dir} has no SERP file; add the keyword's SERP export as a CSV "
                    "whose name contains 'serp' (e.g. serp.csv with Position, URL, Title columns)."
                )
            if len(paths) > 1:
                names = ", ".join(path.name for path in paths)
                raise DataFileError(
                    f"{self.data_dir} has several SERP files ({names}); keep one per folder."
                )
            self._serp = read_serp(paths[0])
        return self._serp

    def _backlinks(self, pages: Iterable[str] = ()) -> BacklinkIndex:
        """The exports read once; again only when asked for pages whose links were not kept.

        An analysis asks for all its pages at once, before the site, so the
        folder is read once; the links' text is kept for those pages only
        (see ``BacklinkIndex``).
        """
        wanted = {page for page in pages if page}
        if self._index is None or not wanted <= self._link_pages:
            self._link_pages |= wanted
            self._index = self._read_backlinks()
        return self._index

    def _read_backlinks(self) -> BacklinkIndex:
        """Read every export in the folder once; split exports add up in one index."""
        files = self._files()
        mapping_path = next((p for p in files if p.name.casefold() == MAPPING_FILE), None)
        mapping = read_mapping(mapping_path) if mapping_path is not None else {}
        exports = [
            (path, member)
            for path in files
            if path != mapping_path and "serp" not in path.name.casefold()
            for member in export_members(path)
        ]
        # An export is named by its file name, or by its own name inside a zip.
        names = {_export_name(path, member).casefold() for path, member in exports}
        names |= {path.name.casefold() for path in files}
        missing = sorted(name for name in mapping if name not in names)
        if missing and mapping_path is not None:
            raise DataFileError(
                f"{mapping_path.name} lists {', '.join(missing)}, which is not in "
                f"{self.data_dir}; add the file or remove its line."
            )
        index = BacklinkIndex(self._link_pages)
        for path, member in exports:
            name = Path(_export_name(path, member))
            with engine_source(path, member=member, max_bytes=self._max_file_bytes) as source:
                columns = backlink_columns(Path(source.name), source.header)
                if columns.target is not None:
                    index.add_export(source, columns)
                    continue
                target = mapping.get(name.name.casefold())
                token = token_of_file(name)
                if target is not None:
                    index.add_export(source, columns, page=normalise_url(target))
                elif site_level(name):
                    # A whole domain's or prefix's referring domains: site-level data, never
                    # one page's count.
                    site = registrable_domain(host_of_token(token))
                    index.add_export(source, columns, site=site)
                else:
                    index.add_export(source, columns, named=token)
        return index


def _export_name(path: Path, member: str | None) -> str:
    """The file name an export goes by: its own, or its name inside a zip (folders dropped)."""
    if member is not None:
        return Path(member).name
    return path.name[: -len(".gz")] if path.name.casefold().endswith(".gz") else path.name
