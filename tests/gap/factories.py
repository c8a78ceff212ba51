"""Small builders for hand-computed analysis inputs."""

from __future__ import annotations

from bot.gap.models import ReferringDomain, SerpResult


def good(prefix: str, count: int, rating: float = 40.0) -> list[ReferringDomain]:
    """``count`` distinct quality referring domains named ``{prefix}{i}.com``."""
    return [ReferringDomain(f"{prefix}{i}.com", rating) for i in range(count)]


def junk(prefix: str, count: int) -> list[ReferringDomain]:
    """``count`` distinct junk domains (rating below the default minimum of 10)."""
    return [ReferringDomain(f"{prefix}{i}.net", 3.0) for i in range(count)]


def serp(*urls: str) -> list[SerpResult]:
    return [
        SerpResult(position=i + 1, url=url, title=f"Result {i + 1}") for i, url in enumerate(urls)
    ]
