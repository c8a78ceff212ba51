"""Which fetcher a surface uses: the network through ``SafeFetcher``, or the demo's sample web.

Sample data gets sample pages: with the ``demo`` provider nothing is fetched from the
network, so "no network" holds for the whole demo (audit, vetting, live checks, crawls).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from bot.web.fetcher import SafeFetcher


def fetcher_for(
    sample_data: bool,
    targets: Callable[[], Iterable[str]] = tuple,
    topics: Callable[[], Iterable[str]] = tuple,
) -> SafeFetcher:
    """The safe fetcher; over the in-process sample web when the data is the demo's.

    ``targets`` names the target pages the sample web's pages may link to, ``topics``
    the keywords its target sites have pages about.
    """
    if not sample_data:
        return SafeFetcher()
    from bot.web.sample_web import SampleWeb

    return SafeFetcher(transport=SampleWeb(targets, topics))
