"""Overrides of frozen settings dataclasses: the one mechanism analysis and vetting settings share.

A workspace or campaign stores only what it changed; these helpers lay those
changes over the defaults, refuse unknown names with the list of known ones,
normalise term lists and check numbers (finite, in range, whole where it must
be), so a typo or a ``nan`` never passes silently into a rule.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import Field, dataclass, fields, replace
from typing import Any, ClassVar, Protocol, TypeVar

from bot.errors import BadInput


class _Dataclass(Protocol):
    """Any dataclass instance: what ``fields`` and ``replace`` accept."""

    __dataclass_fields__: ClassVar[dict[str, Field[Any]]]


S = TypeVar("S", bound=_Dataclass)


@dataclass(frozen=True)
class NumberRule:
    """What a numeric setting accepts."""

    low: float = 0.0
    high: float | None = None
    whole: bool = False
    #: Said after the range in the refusal, e.g. " (0.25 = 25%)".
    hint: str = ""


def apply_overrides(
    base: S,
    overrides: Iterable[Mapping[str, Any] | None],
    *,
    kind: str,
    coerce: Callable[[str, Any, S], Any],
) -> S:
    """Lay each override over ``base`` in order; ``coerce(key, value, current)`` validates."""
    known = {f.name for f in fields(base)}
    result = base
    for override in overrides:
        if not override:
            continue
        changes: dict[str, Any] = {}
        for key, value in override.items():
            if key not in known:
                raise BadInput(
                    f"Unknown {kind} setting '{key}'. Known settings: {', '.join(sorted(known))}."
                )
            changes[key] = coerce(key, value, result)
        result = replace(result, **changes)
    return result


def term_list(value: Any, *, strip_leading_dots: bool = True) -> tuple[str, ...]:
    """Comma-separated text or a list → trimmed, lower-cased, de-duplicated terms in order."""
    items = value.split(",") if isinstance(value, str) else list(value)
    cleaned = [" ".join(str(item).split()).lower() for item in items]
    if strip_leading_dots:
        cleaned = [item.lstrip(".") for item in cleaned]
    return tuple(dict.fromkeys(item for item in cleaned if item))


_YES = {"yes", "true", "on", "1"}
_NO = {"no", "false", "off", "0"}


def yes_or_no(key: str, value: Any) -> bool:
    """A switch setting: a boolean, or yes/no, true/false, on/off written out."""
    if isinstance(value, bool):
        return value
    word = str(value).strip().casefold()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise BadInput(f"Setting '{key}' is a switch: give yes or no, got {value!r}.")


def number(key: str, value: Any, rule: NumberRule) -> float | int:
    """A finite number within ``rule``, or ``BadInput`` naming the setting and the rule."""
    if isinstance(value, bool):
        raise BadInput(f"Setting '{key}' must be a number, got {value!r}.")
    try:
        result = float(value)
    except (TypeError, ValueError):
        raise BadInput(f"Setting '{key}' must be a number, got {value!r}.") from None
    if not math.isfinite(result):
        raise BadInput(f"Setting '{key}' must be a finite number, got {value!r}.")
    if rule.whole:
        if result < rule.low or result != int(result):
            raise BadInput(
                f"Setting '{key}' must be a whole number of at least {rule.low:g}, got {value!r}."
            )
        return int(result)
    if result < rule.low or (rule.high is not None and result > rule.high):
        span = (
            f"between {rule.low:g} and {rule.high:g}"
            if rule.high is not None
            else f"at least {rule.low:g}"
        )
        raise BadInput(f"Setting '{key}' must be {span}{rule.hint}, got {value!r}.")
    return result
