"""URL validation and normalisation, so one page is one page however it is written.

Matching rules: scheme and a leading ``www.`` ignored, host case-folded,
default port, trailing slash and fragment dropped. Ad-click and analytics
parameters (``utm_*``, ``gclid``, ``srsltid``, ...) say how a visitor arrived,
not which page they saw, so they are dropped; every other parameter is kept,
because ``?lang=en`` or ``?id=2`` may well be another page.
``http://www.site.com/page/?utm_source=news`` and ``https://site.com/page``
are the same page.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import unquote_plus, urlsplit

from bot.errors import BadInput

MAX_URL_LENGTH = 2048
_DEFAULT_PORTS = {"http": 80, "https": 443}

#: Parameters added by ad platforms, shopping listings, e-mail tools and cross-domain
#: analytics to say where a click came from; any ``utm_`` parameter is one too.
TRACKING_PARAMETERS = frozenset(
    {
        "gclid",
        "gclsrc",
        "gad",
        "gad_source",
        "dclid",
        "gbraid",
        "wbraid",
        "fbclid",
        "msclkid",
        "yclid",
        "srsltid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
    }
)


def validate_url(url: str, *, what: str = "URL") -> str:
    """Return ``url`` trimmed if it is an absolute http(s) URL within limits, else refuse it."""
    candidate = url.strip()
    if not candidate:
        raise BadInput(
            f"The {what} is empty. Give a full address such as https://www.example.com/page."
        )
    if len(candidate) > MAX_URL_LENGTH:
        raise BadInput(
            f"The {what} is {len(candidate)} characters long; the limit is {MAX_URL_LENGTH}."
        )
    try:
        parts = urlsplit(candidate)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        raise BadInput(f"The {what} {candidate!r} is not a valid address.") from None
    if parts.scheme.lower() not in _DEFAULT_PORTS:
        raise BadInput(
            f"The {what} {candidate!r} must start with http:// or https:// "
            "(for example https://www.example.com/page)."
        )
    if not host or "." not in host.strip("."):
        raise BadInput(f"The {what} {candidate!r} has no valid host name.")
    return candidate


@lru_cache(maxsize=65536)
def normalise_url(url: str) -> str:
    """The matching key of a URL: ``host[:port]/path[?query]``.

    Scheme, a leading ``www.``, default ports, the fragment, a trailing slash and
    tracking parameters (``without_tracking``) are dropped.

    Never raises on odd input: a string that is not a URL is returned trimmed
    and case-folded, so it simply matches nothing else.
    """
    text = url.strip()
    if "://" not in text:
        text = "http://" + text.lstrip("/")
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").rstrip(".")
        port = parts.port
    except ValueError:
        return url.strip().casefold()
    if host.startswith("www."):
        host = host[4:]
    if port is not None and port != _DEFAULT_PORTS.get(parts.scheme.lower()):
        host = f"{host}:{port}"
    path = parts.path.rstrip("/")
    key = host + path
    query = without_tracking(parts.query)
    if query:
        key += "?" + query
    return key


def is_tracking_parameter(name: str) -> bool:
    """Whether a query parameter only records where a click came from (case ignored)."""
    folded = unquote_plus(name).strip().casefold()
    return folded.startswith("utm_") or folded in TRACKING_PARAMETERS


def without_tracking(query: str) -> str:
    """``query`` with its tracking parameters left out; the others kept as written, in order.

    Pieces are cut on ``&`` and compared by name only, so values and the
    encoding of the parameters kept are never rewritten.
    """
    if not query:
        return ""
    kept = [
        piece
        for piece in query.split("&")
        if piece and not is_tracking_parameter(piece.split("=", 1)[0])
    ]
    return "&".join(kept)


def host_of(url: str) -> str:
    """The lower-cased host of a URL or bare ``host/path``, without ``www.``; '' when none."""
    key = normalise_url(url)
    host = key.split("/", 1)[0].split("?", 1)[0]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def is_homepage(url: str) -> bool:
    """A homepage has an empty or ``/`` path after normalisation (DESIGN section 2.2)."""
    key = normalise_url(url)
    rest = key.split("?", 1)[0]
    return "/" not in rest
