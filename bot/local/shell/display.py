"""The shell's own words, and what Slack's client adds when it shows a message.

The app writes ``<#C0SEO>`` and ``<@U0STANDIN2>``; Slack's client shows them as
#seo and @ben. The renderer in ``bot.local.shell.terminal`` is pure and knows no
workspace, so the shell adds the names from the stand-in's directory first.
A new reaction on a long report is shown as one line, not the report again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from rich.text import Text
from sqlalchemy.engine import make_url

from bot.config import Settings
from bot.local.shell.terminal import EMOJI, message_header

EXAMPLES = (
    '/linkgap gap "trail running shoes" https://www.example.com/trail-shoes',
    '/linkgap track "trail running shoes" https://www.example.com/trail-shoes #seo approvers @ben',
    "+:white_check_mark: 1",
)

SHELL_HELP = """\
What you can type:
  /linkgap …              the slash command, as typed in Slack (/linkgap help lists them);
                          #seo and @ben become Slack's references, links are wrapped
  +:emoji: N / -:emoji: N add or remove a reaction on message N (the [N] before each message)
  press N.K               press button K of message N (shown as [N.K]); press home.K on the Home tab
  (a form)                opens at the prompt: answer field by field; Enter keeps the value in
                          [brackets], - empties an optional field, cancel closes the form
  home                    open the linkgap App Home tab
  as ben                  act as another user (ana, ben, chloe)
  in #seo                 type in another channel (#general, #seo)
  help                    this help
  quit, exit, Ctrl-D      leave (data and messages stay for the next session)"""

_BARE_REFERENCE = re.compile(r"<([#@])([A-Z0-9]{3,})>")


def label_references(value: Any, name_of: Callable[[str, str], str | None]) -> Any:
    """A copy of ``value`` where every bare ``<#C…>``/``<@U…>`` carries its name as a label.

    ``name_of(sigil, id)`` answers the name, or ``None`` to leave the reference as it is.
    """
    if isinstance(value, str):

        def labelled(match: re.Match[str]) -> str:
            sigil, ident = match.groups()
            name = name_of(sigil, ident)
            return match.group(0) if name is None else f"<{sigil}{ident}|{name}>"

        return _BARE_REFERENCE.sub(labelled, value)
    if isinstance(value, Mapping):
        return {key: label_references(item, name_of) for key, item in value.items()}
    if isinstance(value, list):
        return [label_references(item, name_of) for item in value]
    return value


def reactions_line(message: Mapping[str, Any]) -> Text:
    """``[1] #general · linkgap  ✅ :white_check_mark: 1`` — a message's header and reactions."""
    line = message_header(message)
    parts = []
    for reaction in message.get("reactions") or []:
        name = str(reaction.get("name", ""))
        glyph = f"{EMOJI[name]} " if name in EMOJI else ""
        parts.append(f"{glyph}:{name}: {reaction.get('count', len(reaction.get('users', [])))}")
    line.append("   " + ("   ".join(parts) if parts else "no reactions"), style="")
    return line


def _restored(count: int) -> str:
    if count == 0:
        return ""
    return f" ({count} from earlier sessions: react to them or press their buttons as before)"


def banner_lines(
    settings: Settings,
    user_name: str,
    channel_name: str,
    *,
    messages: Path | None = None,
    restored: int = 0,
) -> list[Text]:
    """What this is, where its data comes from, who types where, and lines to try."""
    provider = settings.linkgap_provider
    data = (
        "sample data from the demo provider (set LINKGAP_PROVIDER for live data)"
        if provider == "demo"
        else f"live data from the {provider} provider"
    )
    database = make_url(settings.database_url).render_as_string(hide_password=True)
    return [
        Text("linkgap shell", style="bold").append(
            " — the real bot, running against a local stand-in of Slack", style=""
        ),
        Text(f"  {data}"),
        Text(f"  database: {database}"),
        *(
            [Text(f"  Slack messages kept in {messages}" + _restored(restored))]
            if messages is not None
            else []
        ),
        Text(f"  you are {user_name} in #{channel_name}; try:"),
        *(Text(f"    {example}") for example in EXAMPLES),
        Text("  help lists what the shell understands; quit or Ctrl-D leaves."),
    ]
