"""The comparable filter: which results are realistic competitors for the target page.

Each result is kept or excluded with one reason the user sees (DESIGN 2.2):
the user's own site, a giant platform, a government or education site, or a
page of the other type (homepage vs inner page). Checked in that order, so a
reason is stable and explainable.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.gap.domains import split_domain
from bot.gap.models import ExcludedReason
from bot.gap.settings import GapSettings
from bot.gap.urls import host_of, is_homepage

#: Labels of a public suffix that mark government, military or education registries
#: (``gov``, ``gov.uk``, ``mil``, ``edu``, ``edu.au``, ``gob.mx``, ``gouv.fr`` ...).
GOV_EDU_LABELS = frozenset({"gov", "govt", "gob", "gouv", "gv", "mil", "edu"})
#: Second-level labels that mean the same only under a country code (``ac.uk``, ``go.jp``);
#: as top-level domains (``.ac``, ``.go``) they mean something else.
GOV_EDU_SECOND_LEVEL = frozenset({"ac", "go"})


@dataclass(frozen=True)
class TargetSite:
    """What the filter needs to know about the page the user wants to rank."""

    domain: str
    is_homepage: bool

    @classmethod
    def of(cls, url: str) -> TargetSite:
        return cls(domain=split_domain(host_of(url))[0], is_homepage=is_homepage(url))


def is_platform(domain: str, suffix: str, platforms: tuple[str, ...]) -> bool:
    """A platform entry is a name (``amazon``, any country variant) or a full domain (``x.com``)."""
    name = domain[: -len(suffix) - 1] if suffix and domain.endswith("." + suffix) else domain
    return any(domain == entry if "." in entry else name == entry for entry in platforms)


def is_gov_edu(suffix: str) -> bool:
    labels = suffix.split(".") if suffix else []
    if GOV_EDU_LABELS.intersection(labels):
        return True
    return len(labels) >= 2 and labels[0] in GOV_EDU_SECOND_LEVEL


def excluded_reason(url: str, target: TargetSite, settings: GapSettings) -> ExcludedReason | None:
    """Why the result at ``url`` is not a comparable page, or ``None`` when it is one."""
    domain, suffix = split_domain(host_of(url))
    if domain == target.domain:
        return "own-site"
    if is_platform(domain, suffix, settings.platforms):
        return "platform"
    if is_gov_edu(suffix):
        return "gov-edu"
    if is_homepage(url) != target.is_homepage:
        return "page-type"
    return None
