"""Slack messages rendered for the terminal: what a person in the local shell reads."""

from __future__ import annotations

from typing import Any

import pytest
from rich.console import Console

from bot.local.shell.terminal import plain, render_message, render_view
from bot.local.standin import SlackStandIn


def _shown(message: dict[str, Any]) -> list[str]:
    console = Console(record=True, width=100, color_system=None)
    render_message(message, console)
    return [line.rstrip() for line in console.export_text().splitlines()]


def _message(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "seq": 3,
        "channel": "C0GENERAL",
        "channel_name": "general",
        "username": "linkgap",
        "ts": "1700000000.000100",
        "text": "",
    }
    return {**base, **fields}


def _plain_text(text: str) -> dict[str, str]:
    return {"type": "plain_text", "text": text}


def _mrkdwn(text: str) -> dict[str, str]:
    return {"type": "mrkdwn", "text": text}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("*bold* and _italic_ and ~gone~", "bold and italic and gone"),
        ("run `linkgap gap` now", "run linkgap gap now"),
        ("see <https://x.example/a_b|the report>", "see the report (https://x.example/a_b)"),
        ("bare <https://x.example>", "bare https://x.example"),
        ("ask <@U123> or <@U456|ben>", "ask @U123 or @ben"),
        ("in <#C1|seo> and <#C2>", "in #seo and #C2"),
        ("<!here> <!subteam^S1|@approvers>", "@here @approvers"),
        ("AT&amp;T &lt;b&gt; not bold", "AT&T <b> not bold"),
        ("*&lt;!channel&gt;* stays text", "<!channel> stays text"),
        (":white_check_mark: done :party_parrot:", "✅ done :party_parrot:"),
        ("snake_case_name and 2*3*4", "snake_case_name and 2*3*4"),
        ("*bold _and italic_*", "bold and italic"),
    ],
)
def test_mrkdwn_reads_as_plain_text(source: str, expected: str) -> None:
    assert plain(source) == expected


def test_header_line_numbers_the_message_with_channel_and_author() -> None:
    lines = _shown(_message(text="hello"))

    assert lines[0] == "[3] #general · linkgap"
    assert lines[1].strip() == "hello"


def test_blocks_show_header_section_fields_context_and_buttons() -> None:
    blocks = [
        {"type": "header", "text": _plain_text("Link gap for “trail running shoes”")},
        {
            "type": "section",
            "text": _mrkdwn("*Entry target:* 14 quality referring domains (gap 9)"),
            "accessory": {"type": "button", "text": _plain_text("Details")},
        },
        {"type": "section", "fields": [_mrkdwn("*Position*\n#4"), _mrkdwn("*Own RDs*\n5")]},
        {"type": "divider"},
        {"type": "context", "elements": [_mrkdwn("data: demo"), _plain_text("sample data")]},
        {
            "type": "actions",
            "elements": [
                {"type": "button", "style": "primary", "text": _plain_text("Approve")},
                {"type": "button", "style": "danger", "text": _plain_text("Reject")},
                {"type": "static_select", "placeholder": _plain_text("Placement")},
            ],
        },
        {
            "type": "image",
            "image_url": "https://img.example/rd.png",
            "alt_text": "RD growth",
            "title": _plain_text("Referring domains"),
        },
    ]

    lines = _shown(_message(text="fallback only", blocks=blocks))
    text = "\n".join(lines)

    assert "fallback only" not in text  # with blocks, text is only the notification fallback
    assert "Link gap for “trail running shoes”" in lines[1]
    assert "Entry target: 14 quality referring domains (gap 9)   [ Details ]" in text
    assert any(line.split() == ["Position", "Own", "RDs"] for line in lines)
    assert any(line.split() == ["#4", "5"] for line in lines)
    assert "─" * 20 in text
    assert "data: demo · sample data" in text
    assert "[ Approve ]  [ Reject ]  [ Placement ▾ ]" in text
    assert "[image: RD growth] Referring domains (https://img.example/rd.png)" in text


def test_rich_text_sections_lists_code_and_quotes() -> None:
    section = {
        "type": "rich_text_section",
        "elements": [
            {"type": "text", "text": "Check "},
            {"type": "text", "text": "these", "style": {"bold": True}},
            {"type": "text", "text": " with "},
            {"type": "user", "user_id": "U123"},
            {"type": "text", "text": ": "},
            {"type": "link", "url": "https://x.example", "text": "site"},
            {"type": "emoji", "name": "eyes"},
        ],
    }
    listing = {
        "type": "rich_text_list",
        "style": "ordered",
        "elements": [
            {"type": "rich_text_section", "elements": [{"type": "text", "text": "first"}]},
            {"type": "rich_text_section", "elements": [{"type": "text", "text": "second"}]},
        ],
    }
    bullets = {**listing, "style": "bullet", "indent": 1}
    code = {"type": "rich_text_preformatted", "elements": [{"type": "text", "text": "a = 1"}]}
    quote = {"type": "rich_text_quote", "elements": [{"type": "text", "text": "quoted"}]}
    block = {"type": "rich_text", "elements": [section, listing, bullets, code, quote]}

    lines = [line.strip() for line in _shown(_message(blocks=[block]))]

    assert "Check these with @U123: site (https://x.example)👀" in lines
    assert lines[2:4] == ["1. first", "2. second"]
    assert lines[4:6] == ["• first", "• second"]
    assert "a = 1" in lines
    assert "│ quoted" in lines


def test_ephemeral_message_is_marked_only_visible_to_you() -> None:
    lines = _shown(_message(text="Usage: `/linkgap help`", ephemeral=True, ephemeral_to="U1"))

    assert lines[1].strip() == "👁 only visible to you"
    assert lines[2].strip() == "Usage: /linkgap help"


def test_edited_message_shows_current_content_only() -> None:
    message = _message(
        text="Analysis done", is_edited=True, history=[{"text": "Analysing…", "blocks": []}]
    )

    lines = _shown(message)

    assert lines[0] == "[3] #general · linkgap (edited)"
    assert "Analysing" not in "\n".join(lines)
    assert lines[1].strip() == "Analysis done"


def test_thread_reply_names_its_parent() -> None:
    message = _message(seq=5, text="details", thread_ts="1700000000.000100", ts="1700000001.0")

    assert _shown({**message, "parent_seq": 3})[0] == "[5] #general · linkgap · ↳ reply to [3]"


def test_file_and_reactions_lines() -> None:
    message = _message(
        text="Here are the prospects",
        files=[{"title": "Prospects for trail shoes", "name": "prospects.csv", "size": 2048}],
        reactions=[
            {"name": "white_check_mark", "users": ["U1", "U2"], "count": 2},
            {"name": "party_parrot", "users": ["U1"], "count": 1},
        ],
    )

    lines = [line.strip() for line in _shown(message)]

    assert "📎 Prospects for trail shoes (prospects.csv, 2.0 KB)" in lines
    assert lines[-1] == "✅ :white_check_mark: 2   :party_parrot: 1"


def test_deleted_message_says_so() -> None:
    lines = _shown(_message(text="gone", deleted=True))

    assert lines[1].strip() == "(message deleted)"


def test_unknown_block_is_named_not_dropped() -> None:
    lines = _shown(_message(blocks=[{"type": "video", "title": _plain_text("x")}]))

    assert lines[1].strip() == "[unsupported block: video]"


def test_modal_shows_title_inputs_and_buttons() -> None:
    view = {
        "type": "modal",
        "title": _plain_text("Vet a placement"),
        "submit": _plain_text("Vet"),
        "close": _plain_text("Cancel"),
        "blocks": [
            {
                "type": "input",
                "label": _plain_text("Prospect URL"),
                "element": {"type": "plain_text_input", "placeholder": _plain_text("https://")},
            }
        ],
    }
    console = Console(record=True, width=100, color_system=None)

    render_view(view, console)
    text = console.export_text()

    assert "Vet a placement (modal)" in text
    assert "Prospect URL  [ https:// ]" in text
    assert "[ Cancel ]  [ Vet ]" in text


def test_renders_a_stand_in_snapshot() -> None:
    with SlackStandIn() as slack:
        message = slack.post_as_user("C0GENERAL", "/linkgap help", "U0STANDIN1")
        snapshot = slack.snapshot(message)

    assert _shown(snapshot)[0] == "[1] #general · ana"
