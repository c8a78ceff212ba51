"""Refusals at the edge of vetting: what a proposal must look like before it is judged.

The Slack command, its form and the CLI all call ``validate_proposal`` on what
a marketer typed, so a bad proposal is refused the same way everywhere, with a
message that says how to fix it (``ProposalError``, naming the field), instead
of being judged on nonsense or posted to approvers. A prospect must be a public
host name: an IP address in any spelling is refused here, before anything is
stored or fetched (the safe fetcher still guards every fetch on its own).
"""

from __future__ import annotations

import ipaddress
import re
from typing import Literal
from urllib.parse import urlsplit

from bot.errors import BadInput
from bot.gap.domains import split_domain
from bot.gap.urls import validate_url
from bot.vetting.anchors import MAX_ANCHOR_LENGTH
from bot.vetting.models import PLACEMENT_TYPES, Placement, PlacementType, Proposal


def parse_placement_type(text: str) -> PlacementType:
    """A placement type from what a person typed: case, spaces and underscores forgiven."""
    candidate = "-".join(text.strip().lower().replace("_", " ").split())
    if candidate not in PLACEMENT_TYPES:
        raise BadInput(
            f"Unknown placement type {text.strip()!r}. "
            f"Valid placement types: {', '.join(PLACEMENT_TYPES)}."
        )
    return candidate


def validate_anchor(anchor: str) -> str:
    """The anchor as given, refused when longer than any real anchor text."""
    if len(anchor.strip()) > MAX_ANCHOR_LENGTH:
        raise BadInput(
            f"The anchor text is {len(anchor.strip())} characters long; the limit is "
            f"{MAX_ANCHOR_LENGTH}. Give the linked words, not the sentence around them."
        )
    return anchor


def validate_placement(placement: Placement | Proposal) -> Placement:
    """The placement with trimmed URLs and a known placement type, or ``BadInput``."""
    return Placement(
        prospect_url=validate_url(placement.prospect_url, what="prospect URL"),
        target_url=validate_url(placement.target_url, what="target URL"),
        anchor=validate_anchor(placement.anchor),
        placement_type=parse_placement_type(placement.placement_type),
    )


ProposalField = Literal["prospect_url", "target_url", "anchor", "placement_type"]
#: WHATWG URL: a host whose last label is a number (decimal, octal or 0x hex) is an IPv4
#: address however it is spelled (``2852039166``, ``0251.0376.0251.0376``, ``0xa9fea9fe``).
_NUMERIC_LABEL = re.compile(r"(?:0x[0-9a-f]*|[0-9]+)", re.IGNORECASE)


class ProposalError(BadInput):
    """A proposed placement refused at input: each wrong value with what is wrong with it.

    ``errors`` maps the field to its message, so a form can show each beside
    its field; ``message`` says them all, for a command line.
    """

    def __init__(self, errors: dict[ProposalField, str]) -> None:
        super().__init__(" ".join(errors.values()))
        self.errors = errors


def is_ip_literal(host: str) -> bool:
    """Whether a URL host is an IP address in any spelling a browser or resolver accepts."""
    text = host.strip().strip("[]").rstrip(".")
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return bool(text) and _NUMERIC_LABEL.fullmatch(text.rsplit(".", 1)[-1]) is not None
    return True


def public_host(url: str, *, what: str) -> str:
    """The registrable domain of ``url``'s host, refused unless it is a public host name.

    Public means under a suffix of the Public Suffix List with a name of its
    own: ``blog.example.co.uk`` is, ``localhost``, ``intranet.corp`` and
    ``co.uk`` are not.
    """
    host = (urlsplit(url).hostname or "").rstrip(".")
    if is_ip_literal(host):
        raise _ip_refusal(url, what)
    domain, suffix = split_domain(host)
    if not suffix or domain == suffix:
        raise BadInput(
            f"The {what} {url!r} is not on a public host name ({host!r} is not under a "
            "public suffix such as .com or .co.uk): give the page's public address."
        )
    return domain


def _names_an_ip(url: str) -> bool:
    try:
        return is_ip_literal((urlsplit(url.strip()).hostname or "").rstrip("."))
    except ValueError:
        return False


def _ip_refusal(url: str, what: str = "prospect URL") -> BadInput:
    host = urlsplit(url).hostname or url
    return BadInput(
        f"The {what} {url!r} is an IP address ({host}), not a site: give the page's "
        "public address, such as https://www.example.com/page."
    )


def validate_proposal(placement: Placement | Proposal) -> Placement:
    """A proposal as typed (CLI, slash command or form), checked the same way everywhere.

    On top of ``validate_placement``: the anchor is required, the prospect is
    a public host name and it is not on the target's own site (a link from
    your own site adds no referring domain). Raises ``ProposalError`` naming
    every wrong field at once.
    """
    errors: dict[ProposalField, str] = {}
    prospect_url, prospect_site = placement.prospect_url.strip(), ""
    try:
        prospect_url = validate_url(placement.prospect_url, what="prospect URL")
        prospect_site = public_host(prospect_url, what="prospect URL")
    except BadInput as error:
        ip = _names_an_ip(prospect_url)
        errors["prospect_url"] = _ip_refusal(prospect_url).message if ip else error.message
    target_url = placement.target_url.strip()
    try:
        target_url = validate_url(placement.target_url, what="target URL")
    except BadInput as error:
        errors["target_url"] = error.message
    target_site = split_domain((urlsplit(target_url).hostname or "").rstrip("."))[0]
    if prospect_site and "target_url" not in errors and prospect_site == target_site:
        errors["prospect_url"] = (
            f"The prospect {prospect_url!r} is on your own site ({prospect_site}): a link "
            "from your own site adds no referring domain. Propose a page on another site."
        )
    anchor = placement.anchor
    try:
        if not anchor.strip():
            raise BadInput('The anchor text is missing: give the linked words, e.g. "Example".')
        anchor = validate_anchor(anchor)
    except BadInput as error:
        errors["anchor"] = error.message
    placement_type: PlacementType = "unknown"
    try:
        placement_type = parse_placement_type(placement.placement_type)
    except BadInput as error:
        errors["placement_type"] = error.message
    if errors:
        raise ProposalError(errors)
    return Placement(
        prospect_url=prospect_url,
        target_url=target_url,
        anchor=anchor,
        placement_type=placement_type,
    )
