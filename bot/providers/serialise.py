"""Provider answers as JSON documents and back, value for value.

The provider cache keeps answers in a JSON column (``jsonb`` on PostgreSQL,
JSON text on SQLite), so a warm analysis must rebuild exactly the
``SerpResult`` and ``ReferringDomain`` values a cold one got: ``None`` stays
``None``, booleans stay booleans, dates come back as dates and floats as the
same floats. Two backend habits are handled here rather than trusted:
PostgreSQL prints a large float such as ``1e16`` as an integer, so numbers are
read back with ``float()``; and JSON has no NaN or infinity, so those travel as
the strings ``"NaN"``, ``"Infinity"`` and ``"-Infinity"``.

Readers are strict: a document of the wrong shape raises ``ValueError``, so the
cache can treat it as a miss instead of handing the analysis a bad value.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from bot.gap.models import ReferringDomain, SerpResult

JsonObject = dict[str, Any]

_NON_FINITE = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


# -- SERP results ------------------------------------------------------------------------------


def serp_results_to_json(results: Iterable[SerpResult]) -> list[JsonObject]:
    """The results as JSON objects, in order (position order is the provider's)."""
    return [
        {
            "position": result.position,
            "url": result.url,
            "title": result.title,
            "domain_rating": _float_to_json(result.domain_rating),
            "page_type": result.page_type,
        }
        for result in results
    ]


def serp_results_from_json(document: Any) -> list[SerpResult]:
    """Rebuild what ``serp_results_to_json`` wrote; ``ValueError`` when the shape is wrong."""
    return [
        SerpResult(
            position=_int(item, "position"),
            url=_str(item, "url"),
            title=_str(item, "title"),
            domain_rating=_optional_float(item, "domain_rating"),
            page_type=_optional_str(item, "page_type"),
        )
        for item in _objects(document)
    ]


# -- referring domains -------------------------------------------------------------------------


def referring_domains_to_json(domains: Iterable[ReferringDomain]) -> list[JsonObject]:
    """The referring domains as JSON objects, in the provider's order."""
    return [
        {
            "domain": domain.domain,
            "domain_rating": _float_to_json(domain.domain_rating),
            "is_spam": domain.is_spam,
            "spam_score": _float_to_json(domain.spam_score),
            "first_seen": domain.first_seen.isoformat() if domain.first_seen else None,
        }
        for domain in domains
    ]


def referring_domains_from_json(document: Any) -> list[ReferringDomain]:
    """Rebuild what ``referring_domains_to_json`` wrote; ``ValueError`` when the shape is wrong."""
    return [
        ReferringDomain(
            domain=_str(item, "domain"),
            domain_rating=_optional_float(item, "domain_rating"),
            is_spam=_bool(item, "is_spam"),
            spam_score=_optional_float(item, "spam_score"),
            first_seen=_optional_date(item, "first_seen"),
        )
        for item in _objects(document)
    ]


# -- a lone rating -----------------------------------------------------------------------------


def rating_to_json(rating: float | None) -> JsonObject:
    """A rating wrapped in an object: ``None`` is an answer, and a bare null is no payload."""
    return {"rating": _float_to_json(rating)}


def rating_from_json(document: Any) -> float | None:
    """Rebuild what ``rating_to_json`` wrote; ``ValueError`` when the shape is wrong."""
    if not isinstance(document, Mapping):
        raise ValueError("a cached rating must be a JSON object")
    return _optional_float(document, "rating")


# -- field readers -----------------------------------------------------------------------------


def _float_to_json(value: float | None) -> float | str | None:
    if value is None:
        return None
    number = float(value)
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "Infinity" if number > 0 else "-Infinity"
    return number


def _objects(document: Any) -> list[Mapping[str, Any]]:
    if not isinstance(document, list):
        raise ValueError("a cached answer must be a JSON list")
    if not all(isinstance(item, Mapping) for item in document):
        raise ValueError("every item of a cached answer must be a JSON object")
    return document


def _field(item: Mapping[str, Any], name: str) -> Any:
    if name not in item:
        raise ValueError(f"a cached item has no {name!r}")
    return item[name]


def _int(item: Mapping[str, Any], name: str) -> int:
    value = _field(item, name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"cached {name!r} is not an integer")
    return value


def _str(item: Mapping[str, Any], name: str) -> str:
    value = _field(item, name)
    if not isinstance(value, str):
        raise ValueError(f"cached {name!r} is not text")
    return value


def _optional_str(item: Mapping[str, Any], name: str) -> str | None:
    return None if _field(item, name) is None else _str(item, name)


def _bool(item: Mapping[str, Any], name: str) -> bool:
    value = _field(item, name)
    if not isinstance(value, bool):
        raise ValueError(f"cached {name!r} is not a boolean")
    return value


def _optional_float(item: Mapping[str, Any], name: str) -> float | None:
    value = _field(item, name)
    if value is None:
        return None
    if isinstance(value, str) and value in _NON_FINITE:
        return _NON_FINITE[value]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"cached {name!r} is not a number")
    return float(value)


def _optional_date(item: Mapping[str, Any], name: str) -> date | None:
    value = _field(item, name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"cached {name!r} is not a date")
    return date.fromisoformat(value)
