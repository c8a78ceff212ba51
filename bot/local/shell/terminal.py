"""Slack messages and Block Kit as a person reads them in a terminal (the local shell).

Pure functions over plain dicts — the message shapes Slack sends and the
stand-in's snapshots — turned into ``rich`` renderables. Each message is
numbered (``[3] #general · linkgap``) so the shell can refer to it; mrkdwn
reads as formatting, not markup; ephemera, edits, files and reactions show
the way Slack's client shows them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

JsonDict = Mapping[str, Any]

EMOJI = {
    "white_check_mark": "✅",
    "heavy_check_mark": "✔",
    "x": "❌",
    "warning": "⚠",
    "no_entry": "⛔",
    "tada": "🎉",
    "pushpin": "📌",
    "point_right": "👉",
    "broken_heart": "💔",
    "grey_question": "❔",
    "eyes": "👀",
    "+1": "👍",
    "thumbsup": "👍",
    "-1": "👎",
    "thumbsdown": "👎",
    "hourglass_flowing_sand": "⏳",
    "chart_with_upwards_trend": "📈",
    "bar_chart": "📊",
    "link": "🔗",
    "mag": "🔍",
    "memo": "📝",
    "bulb": "💡",
    "rocket": "🚀",
    "calendar": "📅",
    "red_circle": "🔴",
    "large_green_circle": "🟢",
    "large_yellow_circle": "🟡",
    "information_source": "ℹ",
}

CODE = "bold cyan"
LINK = "underline blue"
MENTION = "bold magenta"
INDENT = 4

_CODE_SPAN = re.compile(r"```(.*?)```|`([^`\n]+)`", re.DOTALL)
_ENTITY = re.compile(r"<([^<>\n]+)>")
_EMPHASIS = re.compile(r"(?<![0-9A-Za-z*_~])([*_~])(?=\S)(.+?)(?<=\S)\1(?![0-9A-Za-z*_~])")
_EMPHASIS_STYLES = {"*": "bold", "_": "italic", "~": "strike"}
_EMOJI_CODE = re.compile(r":([a-z0-9_+\-]+):")
_PLACEHOLDER = re.compile("\ue000(\\d+)\ue001")
_RICH_TEXT_STYLES = {"bold": "bold", "italic": "italic", "strike": "strike", "code": CODE}


# -- mrkdwn ------------------------------------------------------------------------------


def emoji(code: str) -> str:
    """A glyph for the few common emoji codes; other codes stay as ``:code:``."""
    return EMOJI.get(code.strip(":"), f":{code.strip(':')}:")


def _emojize(text: str) -> str:
    return _EMOJI_CODE.sub(lambda m: EMOJI.get(m.group(1), m.group(0)), text)


def _unescape(text: str) -> str:
    """Slack escapes only ``&``, ``<`` and ``>``; undo exactly those for display."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def entity_text(inner: str) -> str:
    """What a ``<...>`` entity reads as: a mention, a channel, or ``label (url)``."""
    target, _, label = inner.partition("|")
    target, label = _unescape(target), _unescape(label)
    if target.startswith("@"):
        return f"@{label.lstrip('@')}" if label else target
    if target.startswith("#"):
        return f"#{label.lstrip('#')}" if label else target
    if target.startswith("!"):
        command = target[1:]
        if command.startswith("subteam^"):
            return label if label.startswith("@") else f"@{label or command[8:]}"
        if command.startswith("date^"):
            return label or command
        return f"@{command}"
    if label and label != target:
        return f"{label} ({target})"
    return target


def mrkdwn_to_text(source: str, style: str = "") -> Text:
    """Slack mrkdwn as styled ``rich`` text: bold, italic, strike, code, links, mentions."""
    text = Text(style=style)
    position = 0
    for match in _CODE_SPAN.finditer(source):
        _append_inline(text, source[position : match.start()])
        block, inline = match.group(1), match.group(2)
        code = block.strip("\n") if block is not None else inline
        text.append(_unescape(code), style=CODE)
        position = match.end()
    _append_inline(text, source[position:])
    return text


def plain(source: str) -> str:
    """Slack mrkdwn as plain text (what the styled version reads as)."""
    return mrkdwn_to_text(source).plain


def _append_inline(text: Text, chunk: str) -> None:
    entities: list[str] = []

    def protect(match: re.Match[str]) -> str:
        entities.append(entity_text(match.group(1)))
        return f"\ue000{len(entities) - 1}\ue001"

    protected = _ENTITY.sub(protect, chunk)
    for segment, style in _emphasis(protected, ""):
        position = 0
        for found in _PLACEHOLDER.finditer(segment):
            _append_plain(text, segment[position : found.start()], style)
            entity = entities[int(found.group(1))]
            entity_style = MENTION if entity[:1] in "@#" else LINK
            text.append(entity, style=f"{style} {entity_style}".strip())
            position = found.end()
        _append_plain(text, segment[position:], style)


def _append_plain(text: Text, chunk: str, style: str) -> None:
    if chunk:
        text.append(_emojize(_unescape(chunk)), style=style or None)


def _emphasis(chunk: str, style: str) -> Iterable[tuple[str, str]]:
    """Split ``chunk`` into (text, style) runs, nesting ``*_~`` emphasis."""
    position = 0
    for match in _EMPHASIS.finditer(chunk):
        if match.start() > position:
            yield chunk[position : match.start()], style
        inner_style = f"{style} {_EMPHASIS_STYLES[match.group(1)]}".strip()
        yield from _emphasis(match.group(2), inner_style)
        position = match.end()
    if position < len(chunk):
        yield chunk[position:], style


def text_object(obj: object, style: str = "") -> Text:
    """A Block Kit text object (``plain_text`` or ``mrkdwn``) as rich text."""
    if not isinstance(obj, Mapping):
        return Text(str(obj) if obj is not None else "", style=style)
    raw = str(obj.get("text", ""))
    if obj.get("type") == "mrkdwn":
        return mrkdwn_to_text(raw, style)
    value = _emojize(raw) if obj.get("emoji", True) else raw
    return Text(_unescape(value), style=style)


# -- block elements ------------------------------------------------------------------------


def element_text(element: JsonDict) -> Text:
    """An interactive or context element as a one-line label: ``[ Approve ]``, ``[ Pick ▾ ]``."""
    kind = element.get("type")
    if kind in {"mrkdwn", "plain_text"}:
        return text_object(element)
    if kind == "image":
        return Text(f"[image: {element.get('alt_text', '')}]", style="dim")
    if kind == "button":
        styles = {"primary": "bold green", "danger": "bold red"}
        label = text_object(element.get("text"), styles.get(str(element.get("style")), "bold"))
        shown = Text("[ ").append_text(label).append(" ]")
        if element.get("url"):
            shown.append(f" ({element['url']})", style="dim")
        return shown
    if kind == "overflow":
        return Text("[ ⋯ ]")
    if kind in {"checkboxes", "radio_buttons"}:
        mark = "☐" if kind == "checkboxes" else "○"
        options = [text_object(o.get("text")).plain for o in element.get("options", [])]
        return Text("  ".join(f"{mark} {o}" for o in options))
    if kind in {"plain_text_input", "number_input", "email_text_input", "url_text_input"}:
        hint = text_object(element.get("placeholder")).plain if element.get("placeholder") else ""
        return Text(f"[ {element.get('initial_value') or hint or '…'} ]", style="dim")
    if isinstance(kind, str) and ("select" in kind or kind.endswith("picker")):
        chosen = element.get("initial_option")
        choice = (
            text_object(chosen.get("text")).plain
            if isinstance(chosen, Mapping)
            else element.get("initial_date") or text_object(element.get("placeholder")).plain
        )
        return Text(f"[ {choice or 'choose'} ▾ ]")
    return Text(f"[{kind}]", style="dim")


def _rich_text_inline(elements: Iterable[JsonDict]) -> Text:
    text = Text()
    for element in elements:
        kind = element.get("type")
        if kind == "text":
            flags = element.get("style") or {}
            style = " ".join(s for name, s in _RICH_TEXT_STYLES.items() if flags.get(name))
            text.append(str(element.get("text", "")), style=style or None)
        elif kind == "link":
            url = str(element.get("url", ""))
            label = element.get("text")
            text.append(f"{label} ({url})" if label else url, style=LINK)
        elif kind == "user":
            text.append(f"@{element.get('user_id', '')}", style=MENTION)
        elif kind == "channel":
            text.append(f"#{element.get('channel_id', '')}", style=MENTION)
        elif kind == "usergroup":
            text.append(f"@{element.get('usergroup_id', '')}", style=MENTION)
        elif kind == "broadcast":
            text.append(f"@{element.get('range', 'here')}", style=MENTION)
        elif kind == "emoji":
            text.append(emoji(str(element.get("name", ""))))
        elif kind == "date":
            text.append(str(element.get("fallback", element.get("timestamp", ""))))
    return text


def rich_text(block: JsonDict) -> list[RenderableType]:
    """A ``rich_text`` block: sections, bullet/ordered lists, preformatted text, quotes."""
    lines: list[RenderableType] = []
    for part in block.get("elements", []):
        kind = part.get("type")
        inline = part.get("elements", [])
        if kind == "rich_text_section":
            lines.append(_rich_text_inline(inline))
        elif kind == "rich_text_preformatted":
            lines.append(Padding(_rich_text_inline(inline).copy(), (0, 0, 0, 2), style=CODE))
        elif kind == "rich_text_quote":
            lines.append(Text("│ ", style="dim").append_text(_rich_text_inline(inline)))
        elif kind == "rich_text_list":
            indent = "  " * int(part.get("indent", 0))
            for number, item in enumerate(inline, start=int(part.get("offset", 0)) + 1):
                bullet = f"{number}." if part.get("style") == "ordered" else "•"
                line = Text(f"{indent}{bullet} ")
                lines.append(line.append_text(_rich_text_inline(item.get("elements", []))))
    return lines


# -- blocks ----------------------------------------------------------------------------------


def block_renderables(blocks: Iterable[JsonDict]) -> list[RenderableType]:
    """Every block as terminal renderables, in order; unknown blocks are named, not dropped."""
    rendered: list[RenderableType] = []
    for block in blocks:
        rendered.extend(_block(block))
    return rendered


def _block(block: JsonDict) -> list[RenderableType]:
    kind = block.get("type")
    if kind == "header":
        return [text_object(block.get("text"), "bold underline")]
    if kind == "section":
        return _section(block)
    if kind == "context":
        parts = [element_text(e) for e in block.get("elements", [])]
        return [Text(" · ", style="dim").join(parts).copy()]
    if kind == "divider":
        # A fixed-width rule: inside non-expanding padding a Rule shrinks to one character.
        return [Text("─" * 40, style="dim")]
    if kind == "actions":
        return [Text("  ").join(element_text(e) for e in block.get("elements", []))]
    if kind == "image":
        title = text_object(block.get("title")).plain if block.get("title") else ""
        label = f"[image: {block.get('alt_text', '')}]" + (f" {title}" if title else "")
        return [Text(f"{label} ({block.get('image_url', '')})", style="dim")]
    if kind == "rich_text":
        return rich_text(block)
    if kind == "input":
        field = text_object(block.get("label"), "bold")
        line = field.append("  ").append_text(element_text(block.get("element") or {}))
        shown: list[RenderableType] = [line]
        if block.get("hint"):
            shown.append(text_object(block.get("hint"), "dim"))
        return shown
    return [Text(f"[unsupported block: {kind}]", style="dim")]


def _section(block: JsonDict) -> list[RenderableType]:
    shown: list[RenderableType] = []
    text = text_object(block["text"]) if block.get("text") else None
    accessory = block.get("accessory")
    if text is not None:
        if isinstance(accessory, Mapping):
            text.append("   ").append_text(element_text(accessory))
        shown.append(text)
    fields = [text_object(f) for f in block.get("fields", [])]
    if fields:
        grid = Table.grid(padding=(0, 4))
        grid.add_column(ratio=1)
        grid.add_column(ratio=1)
        for index in range(0, len(fields), 2):
            grid.add_row(*fields[index : index + 2])
        shown.append(grid)
    if text is None and isinstance(accessory, Mapping):
        shown.append(element_text(accessory))
    return shown


# -- messages and views ------------------------------------------------------------------------


def message_header(message: JsonDict) -> Text:
    """``[3] #general · linkgap`` with thread, edit and ephemeral marks."""
    header = Text()
    if message.get("seq") is not None:
        header.append(f"[{message['seq']}] ", style="bold yellow")
    channel = message.get("channel_name") or message.get("channel") or "?"
    is_dm = str(message.get("channel", "")).startswith("D")
    header.append(f"@{channel}" if is_dm else f"#{channel}", style="bold")
    author = message.get("username") or message.get("user") or "unknown"
    header.append(" · ").append(str(author), style="bold")
    thread_ts = message.get("thread_ts")
    if thread_ts and thread_ts != message.get("ts"):
        parent = message.get("parent_seq")
        header.append(" · ↳ reply" + (f" to [{parent}]" if parent else " in thread"), style="dim")
    if message.get("is_edited") or message.get("edited"):
        header.append(" (edited)", style="dim")
    return header


def _files_line(file: JsonDict) -> Text:
    title = file.get("title") or file.get("name") or file.get("id", "file")
    details = [str(file["name"])] if file.get("name") and file.get("name") != title else []
    if isinstance(file.get("size"), int):
        details.append(_size(file["size"]))
    line = Text("📎 ").append(str(title), style="bold")
    if details:
        line.append(f" ({', '.join(details)})", style="dim")
    return line


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def _reactions_line(reactions: Iterable[JsonDict]) -> Text | None:
    parts = []
    for reaction in reactions:
        name = str(reaction.get("name", ""))
        if not name:
            continue
        glyph = f"{EMOJI[name]} " if name in EMOJI else ""
        count = reaction.get("count", len(reaction.get("users", [])))
        parts.append(Text(f"{glyph}:{name}: {count}"))
    return Text("   ").join(parts) if parts else None


def message_body(message: JsonDict) -> list[RenderableType]:
    """What a message shows under its header: blocks (or text), files, reactions."""
    if message.get("deleted"):
        return [Text("(message deleted)", style="dim italic")]
    body: list[RenderableType] = []
    if message.get("ephemeral") or message.get("ephemeral_to"):
        body.append(Text("👁 only visible to you", style="dim italic"))
    blocks = message.get("blocks") or []
    if blocks:
        body.extend(block_renderables(blocks))
    elif message.get("text"):
        body.append(mrkdwn_to_text(str(message["text"])))
    for attachment in message.get("attachments") or []:
        inner = attachment.get("blocks") or []
        shown = block_renderables(inner) if inner else []
        if not inner and (attachment.get("text") or attachment.get("fallback")):
            shown = [mrkdwn_to_text(str(attachment.get("text") or attachment.get("fallback")))]
        body.extend(Padding(r, (0, 0, 0, 2)) for r in shown)
    body.extend(_files_line(f) for f in message.get("files") or [])
    reactions = _reactions_line(message.get("reactions") or [])
    if reactions is not None:
        body.append(reactions)
    return body


def message_renderable(message: JsonDict) -> RenderableType:
    """One message: its header line, then its body indented beneath it."""
    return Group(
        message_header(message),
        Padding(Group(*message_body(message)), (0, 0, 0, INDENT), expand=False),
    )


def render_message(message: JsonDict, console: Console) -> None:
    """Print one message (a Slack message dict or a stand-in snapshot) to ``console``."""
    console.print(message_renderable(message))


def render_view(view: JsonDict, console: Console) -> None:
    """Print a modal or Home tab: title, blocks, then its submit/close buttons."""
    title = text_object(view.get("title")).plain if view.get("title") else "Home"
    kind = "modal" if view.get("type") == "modal" else "home tab"
    console.print(Rule(Text(f"{title} ({kind})", style="bold")))
    for renderable in block_renderables(view.get("blocks") or []):
        console.print(Padding(renderable, (0, 0, 0, 2), expand=False))
    buttons = [
        element_text({"type": "button", "text": view[key], "style": style})
        for key, style in (("close", ""), ("submit", "primary"))
        if view.get(key)
    ]
    if buttons:
        console.print(Padding(Text("  ").join(buttons), (0, 0, 0, 2), expand=False))
    console.print(Rule(style="dim"))
