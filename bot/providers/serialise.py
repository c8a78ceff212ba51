"""Provider answers as JSON documents and back, value for value.

The provider cache keeps answers in a JSON column (``jsonb`` on PostgreSQL,
JSON text on SQLite), so a warm analysis must rebuild exactly the
``SerpResult`` values and ``DomainTable`` columns a cold one got: ``None``
stays ``None``, booleans stay booleans and floats come back as the same
floats. Two backend habits are handled here rather than trusted:
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

import numpy as np
import numpy.typing as npt

from bot.gap.domain_table import DomainTable
from bot.gap.models import LinkDetail, SerpResult

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


# -- referring-domain tables ------------------------------------------------------------------


def domain_table_to_json(table: DomainTable) -> JsonObject:
    """A table as parallel JSON lists: compact, and read back without a row of objects.

    The links the domains are known by (linking page, anchor, title, first
    seen, site traffic) travel as five more lists, only when the provider named them.
    """
    document: JsonObject = {
        "domains": list(table.domains),
        "ratings": _floats_to_json(table.ratings, table.rating_values),
        "spam": list(table.spam_flags),
        "spam_scores": _floats_to_json(table.spam_scores, table.score_values),
        "followed": list(table.followed),
    }
    if table.details:
        urls, anchors, titles, first_seen, traffic = zip(*table.details, strict=True)
        document["linking_urls"] = list(urls)
        document["anchors"] = list(anchors)
        document["titles"] = list(titles)
        document["first_seen"] = [None if day is None else day.isoformat() for day in first_seen]
        document["traffic"] = [_float_to_json(value) for value in traffic]
    return document


def domain_table_from_json(document: Any) -> DomainTable:
    """Rebuild what ``domain_table_to_json`` wrote; ``ValueError`` when the shape is wrong.

    Each column is checked by the set of its value types, one C-level pass,
    so a page of 50,000 domains is read without a Python step per domain
    unless a column needs repair (PostgreSQL integers, non-finite numbers).
    """
    if not isinstance(document, Mapping):
        raise ValueError("a cached table must be a JSON object")
    domains = _column(document, "domains")
    spam = _column(document, "spam")
    if not _only(domains, str):
        raise ValueError("cached 'domains' must all be text")
    if not _only(spam, bool):
        raise ValueError("cached 'spam' must all be booleans")
    # Entries cached before links were told apart have no "followed": every domain is.
    followed = _column(document, "followed") if "followed" in document else []
    if not _only(followed, bool):
        raise ValueError("cached 'followed' must all be booleans")
    return DomainTable.from_columns(
        domains,
        _floats_from_json(_column(document, "ratings"), "ratings"),
        spam,
        _floats_from_json(_column(document, "spam_scores"), "spam_scores"),
        followed,
        _details_from_json(document) if "linking_urls" in document else (),
    )


def _details_from_json(document: Mapping[str, Any]) -> list[LinkDetail]:
    """The five link columns back into ``LinkDetail`` values, checked like the others."""
    texts = [_column(document, name) for name in ("linking_urls", "anchors", "titles")]
    if not all(_only(column, str, type(None)) for column in texts):
        raise ValueError("cached link columns must hold text or null")
    days = _column(document, "first_seen")
    if not _only(days, str, type(None)):
        raise ValueError("cached 'first_seen' must hold dates as text or null")
    try:
        first_seen = [None if day is None else date.fromisoformat(day) for day in days]
    except ValueError:
        raise ValueError("cached 'first_seen' holds a value that is not a date") from None
    traffic = _floats_from_json(_column(document, "traffic"), "traffic")
    return list(map(LinkDetail, *texts, first_seen, traffic))


def _column(document: Mapping[str, Any], name: str) -> list[Any]:
    value = _field(document, name)
    if not isinstance(value, list):
        raise ValueError(f"cached {name!r} is not a JSON list")
    return value


def _only(values: list[Any], *kinds: type) -> bool:
    return set(map(type, values)) <= set(kinds)


def _floats_to_json(
    values: tuple[float | None, ...], as_array: npt.NDArray[np.float64]
) -> list[float | str | None]:
    if np.isfinite(as_array[~np.isnan(as_array)]).all():
        return list(values)  # only finite floats and None: JSON as they are
    return [_float_to_json(value) for value in values]


def _floats_from_json(values: list[Any], name: str) -> list[float | None]:
    if _only(values, float, type(None)):
        return values
    return [_optional_float({name: value}, name) for value in values]


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


def _optional_float(item: Mapping[str, Any], name: str) -> float | None:
    value = _field(item, name)
    if value is None:
        return None
    if isinstance(value, str) and value in _NON_FINITE:
        return _NON_FINITE[value]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"cached {name!r} is not a number")
    return float(value)
