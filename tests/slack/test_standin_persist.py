"""The stand-in keeps its messages in a file, so a restarted shell finds them as Slack would."""

from __future__ import annotations

from pathlib import Path

from slack_sdk import WebClient

from bot.local.standin import SlackStandIn

GENERAL = "C0GENERAL"


def client(slack: SlackStandIn) -> WebClient:
    return WebClient(token=slack.bot_token, base_url=slack.api_url)


def test_messages_edits_threads_reactions_and_files_come_back_after_a_restart(
    tmp_path: Path,
) -> None:
    kept = tmp_path / "linkgap.slack.json"
    with SlackStandIn() as slack:
        assert slack.keep_messages_in(kept) == 0
        web = client(slack)
        parent = web.chat_postMessage(channel=GENERAL, text="Placement 1 proposed")
        web.chat_update(channel=GENERAL, ts=parent["ts"], text="Placement 1 approved")
        web.chat_postMessage(channel=GENERAL, text="note", thread_ts=parent["ts"])
        web.files_upload_v2(channel=GENERAL, content=b"domain\nexample.org\n",
                            filename="prospects.csv", thread_ts=parent["ts"])  # fmt: skip
        stored = slack.message(GENERAL, parent["ts"])
        assert stored is not None
        slack.add_reaction(stored, "white_check_mark", "U0STANDIN2")
        before = [slack.snapshot(m) for m in slack.store.all()]
        first_file = slack.files()[0].id

    with SlackStandIn() as again:
        assert again.keep_messages_in(kept) == len(before)
        after = [again.snapshot(m) for m in again.store.all()]
        assert [(m["seq"], m["ts"], m["text"]) for m in after] == [
            (m["seq"], m["ts"], m["text"]) for m in before
        ]
        restored = again.message(GENERAL, parent["ts"])
        assert restored is not None
        assert restored.reactions == {"white_check_mark": ["U0STANDIN2"]}
        assert restored.edited
        assert again.files()[0].content == b"domain\nexample.org\n"
        # New messages and files continue the numbering instead of reusing it.
        newer = client(again).chat_postMessage(channel=GENERAL, text="later")
        assert float(newer["ts"]) > max(float(m["ts"]) for m in before)
        assert again.store.all()[-1].seq == len(before) + 1
        client(again).files_upload_v2(channel=GENERAL, content=b"x", filename="again.csv")
        assert len({f.id for f in again.files()}) == 2
        assert first_file in {f.id for f in again.files()}


def test_an_unreadable_file_is_set_aside_and_the_shell_starts_empty(tmp_path: Path) -> None:
    kept = tmp_path / "linkgap.slack.json"
    kept.write_text("{not json", encoding="utf-8")
    with SlackStandIn() as slack:
        assert slack.keep_messages_in(kept) == 0
        assert (tmp_path / "linkgap.slack.json.unreadable").read_text() == "{not json"
        client(slack).chat_postMessage(channel=GENERAL, text="fresh")
    assert '"fresh"' in kept.read_text(encoding="utf-8")
