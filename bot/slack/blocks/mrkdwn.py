"""Escaping outside text for Slack's mrkdwn, and the templates that rely on it.

Every string that did not come from our own templates (keywords, URLs, titles,
domains, anchors, user input) is escaped (``&``, ``<``, ``>``), so nobody can
inject ``<!channel>``, ``<@U…>`` or a disguised link through the bot. The
templates make that the default: every ``{{ … }}`` is escaped for mrkdwn and
then for JSON, and only values wrapped in ``Mrkdwn`` (built by our own code)
skip the first step.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined


class Mrkdwn(str):
    """Text that is already mrkdwn built by linkgap itself: not escaped again."""


class RawJson(str):
    """A JSON value serialised by our own code, inserted into a template as is."""


def escape(text: object) -> str:
    """Make outside text inert in mrkdwn: ``&`` ``<`` ``>`` become entities."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


#: Longest escaped URL put in a link: a 2,048-character URL full of ``&`` escapes to
#: several thousand characters, more than a whole section text may hold.
MAX_LINK_URL = 1500


def link(url: str, label: str | None = None) -> Mrkdwn:
    """A mrkdwn link whose URL and label are both escaped (``|`` cannot end a label early).

    A URL too long to fit in a message once escaped is shown as its label, unlinked.
    """
    shown = escape(label if label is not None else url).replace("|", "¦")
    target = escape(url).replace("|", "%7C")
    if len(target) > MAX_LINK_URL:
        return Mrkdwn(shown if label is not None else shown[: MAX_LINK_URL - 1] + "…")
    return Mrkdwn(f"<{target}|{shown}>")


def _json_string_body(value: object) -> str:
    """What goes between the quotes of a JSON string in a template."""
    if value is None:
        return ""
    if isinstance(value, RawJson):
        return str(value)
    text = value if isinstance(value, Mrkdwn) else escape(value)
    return json.dumps(str(text), ensure_ascii=False)[1:-1]


_PARTIAL_ENTITY = re.compile(r"&[a-z]{0,3}$")


def _truncate(text: object, limit: int) -> Mrkdwn:
    """Cut to ``limit`` characters as Slack receives them: escaped first, no entity split."""
    value = text if isinstance(text, Mrkdwn) else Mrkdwn(escape(text))
    if len(value) <= limit:
        return value
    return Mrkdwn(_PARTIAL_ENTITY.sub("", value[: limit - 1]).rstrip() + "…")


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("bot.slack.blocks", "templates"),
        finalize=_json_string_body,
        autoescape=False,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["truncate_text"] = _truncate
    env.filters["link"] = link
    # plain_text fields cannot mention or link, and Slack shows entities there literally.
    env.filters["plain"] = lambda value: Mrkdwn(str(value))
    env.filters["json"] = lambda value: RawJson(json.dumps(value, ensure_ascii=False))
    return env


def render_view(template: str, **context: Any) -> dict[str, Any]:
    """Render a ``templates/*.json.j2`` file into one Block Kit view (a modal, App Home)."""
    view = json.loads(environment().get_template(template).render(**context))
    if not isinstance(view, dict):
        raise ValueError(f"{template} must render a JSON object (a view)")
    return view


def render_blocks(template: str, **context: Any) -> list[dict[str, Any]]:
    """Render a ``templates/*.json.j2`` file into a list of Block Kit blocks."""
    text = environment().get_template(template).render(**context)
    blocks = json.loads(text)
    if not isinstance(blocks, list):
        raise ValueError(f"{template} must render a JSON list of blocks")
    return blocks
