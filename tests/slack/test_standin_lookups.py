"""The stand-in's read-back methods a resumed job uses, in the shapes Slack documents.

``conversations.history`` and ``conversations.replies`` (message metadata only
with ``include_all_metadata``, cursor pagination), ``files.info`` (``shares``
by visibility and channel, ``thread_ts`` for a file shared in a thread), and
``hold_next``, which keeps a caller waiting after its call took effect.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.local.standin import SlackStandIn

GENERAL = "C0GENERAL"
META = {"event_type": "linkgap_effect", "event_payload": {"effect": "job:1:progress"}}


@pytest.fixture
def slack() -> Iterator[SlackStandIn]:
    with SlackStandIn() as standin:
        yield standin


@pytest.fixture
def client(slack: SlackStandIn) -> WebClient:
    return WebClient(token=slack.bot_token, base_url=slack.api_url)


def test_replies_list_the_parent_then_its_replies_with_metadata_on_request(
    client: WebClient,
) -> None:
    parent = client.chat_postMessage(channel=GENERAL, text="Link gap report")["ts"]
    first = client.chat_postMessage(channel=GENERAL, thread_ts=parent, text="a", metadata=META)
    client.chat_postMessage(channel=GENERAL, thread_ts=parent, text="b")
    client.chat_postMessage(channel=GENERAL, text="elsewhere")

    plain = client.conversations_replies(channel=GENERAL, ts=parent)
    with_meta = client.conversations_replies(
        channel=GENERAL, ts=first["ts"], include_all_metadata=True
    )

    assert [m["text"] for m in plain["messages"]] == ["Link gap report", "a", "b"]
    head = plain["messages"][0]
    assert (head["ts"], head["thread_ts"], head["reply_count"]) == (parent, parent, 2)
    assert head["latest_reply"] == plain["messages"][-1]["ts"]
    assert all(m["thread_ts"] == parent for m in plain["messages"][1:])
    assert all("parent_user_id" in m for m in plain["messages"][1:])
    assert "metadata" not in plain["messages"][1]
    assert with_meta["messages"][1]["metadata"] == META  # any ts of the thread names it
    assert plain["has_more"] is False
    assert plain["response_metadata"] == {"next_cursor": ""}


def test_replies_of_an_unknown_ts_are_thread_not_found(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as raised:
        client.conversations_replies(channel=GENERAL, ts="1700000000.000001")
    assert raised.value.response["error"] == "thread_not_found"


def test_history_pages_newest_first_by_cursor(client: WebClient) -> None:
    sent = [client.chat_postMessage(channel=GENERAL, text=str(n))["ts"] for n in range(5)]

    first = client.conversations_history(channel=GENERAL, limit=2)
    cursor = first["response_metadata"]["next_cursor"]
    second = client.conversations_history(channel=GENERAL, limit=2, cursor=cursor)
    since = client.conversations_history(channel=GENERAL, oldest=sent[3])

    assert [m["ts"] for m in first["messages"]] == [sent[4], sent[3]]
    assert first["has_more"] is True
    assert cursor
    assert [m["ts"] for m in second["messages"]] == [sent[2], sent[1]]
    assert [m["ts"] for m in since["messages"]] == [sent[4], sent[3]]


def test_files_info_shows_where_a_file_is_shared(client: WebClient) -> None:
    parent = client.chat_postMessage(channel=GENERAL, text="report")["ts"]
    reserved = client.files_getUploadURLExternal(filename="prospects.csv", length=3)
    never_completed = client.files_getUploadURLExternal(filename="lost.csv", length=3)
    shared = client.files_upload_v2(
        channel=GENERAL, thread_ts=parent, content="a,b", filename="p.csv", title="Prospects"
    )["file"]["id"]

    info = client.files_info(file=shared)["file"]
    unshared = client.files_info(file=never_completed["file_id"])["file"]

    (share,) = info["shares"]["public"][GENERAL]
    assert share["thread_ts"] == parent
    assert share["ts"] != parent
    assert info["title"] == "Prospects"
    assert info["channels"] == [GENERAL]
    assert unshared["shares"] == {}
    assert unshared["channels"] == []
    assert reserved["file_id"] != never_completed["file_id"]
    with pytest.raises(SlackApiError) as raised:
        client.files_info(file="F0NOSUCH")
    assert raised.value.response["error"] == "file_not_found"


def test_a_held_call_takes_effect_before_its_caller_hears_back(
    slack: SlackStandIn, client: WebClient
) -> None:
    hold = slack.hold_next("chat.postMessage")
    answered = threading.Event()

    def post() -> None:
        client.chat_postMessage(channel=GENERAL, text="in flight")
        answered.set()

    thread = threading.Thread(target=post)
    thread.start()
    assert hold.reached.wait(5)
    assert [m.text for m in slack.messages(GENERAL)] == ["in flight"]
    assert not answered.wait(0.2)
    hold.release()
    thread.join(5)
    assert answered.is_set()
