"""The Slack stand-in, driven by a real slack_sdk WebClient as the app drives Slack."""

from __future__ import annotations

import json
import queue
import threading
import time
import urllib.request
from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.webhook import WebhookClient

from bot.local.standin import Change, SlackStandIn, StandInUser

GENERAL = "C0GENERAL"
ANA = "U0STANDIN1"  # admin, Europe/London
BEN = "U0STANDIN2"


@pytest.fixture
def slack() -> Iterator[SlackStandIn]:
    with SlackStandIn(usergroups={"S0APPROVERS": [ANA, BEN]}) as standin:
        yield standin


@pytest.fixture
def client(slack: SlackStandIn) -> WebClient:
    return WebClient(token=slack.bot_token, base_url=slack.api_url)


def _error_of(excinfo: pytest.ExceptionInfo[SlackApiError]) -> str:
    return str(excinfo.value.response["error"])


# -- messages ------------------------------------------------------------------------------


def test_post_message_answers_ts_channel_and_message(
    slack: SlackStandIn, client: WebClient
) -> None:
    metadata = {"event_type": "gap_posted", "event_payload": {"analysis_id": 7}}
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "*Entry target:* 14"}}]

    response = client.chat_postMessage(
        channel=GENERAL, text="Entry target: 14", blocks=blocks, metadata=metadata
    )

    assert response["ok"] is True
    assert response["channel"] == GENERAL
    assert response["message"]["ts"] == response["ts"]
    assert response["message"]["blocks"] == blocks
    assert response["message"]["metadata"] == metadata
    assert response["message"]["bot_id"] == slack.identity.bot_id
    stored = slack.message(GENERAL, response["ts"])
    assert stored is not None
    assert (stored.seq, stored.text, stored.metadata) == (1, "Entry target: 14", metadata)


def test_form_encoded_blocks_and_metadata_arrive_decoded(
    slack: SlackStandIn, client: WebClient
) -> None:
    blocks = [{"type": "divider"}]
    metadata = {"event_type": "x", "event_payload": {"n": 1}}

    client.api_call(
        "chat.postMessage",
        params={
            "channel": GENERAL,
            "text": "form",
            "blocks": json.dumps(blocks),
            "metadata": json.dumps(metadata),
        },
    )

    (call,) = slack.calls("chat.postMessage")
    assert call.params["blocks"] == blocks
    assert call.params["metadata"] == metadata
    assert slack.messages(GENERAL)[0].blocks == blocks


def test_update_shows_current_content_and_keeps_history(
    slack: SlackStandIn, client: WebClient
) -> None:
    posted = client.chat_postMessage(channel=GENERAL, text="Analysing… 0%")
    client.chat_update(channel=GENERAL, ts=posted["ts"], text="Analysing… 50%")

    response = client.chat_update(channel=GENERAL, ts=posted["ts"], text="Done")

    assert response["text"] == "Done"
    stored = slack.message(GENERAL, posted["ts"])
    assert stored is not None
    assert stored.text == "Done"
    assert [v.text for v in stored.history] == ["Analysing… 0%", "Analysing… 50%"]
    assert stored.seq == 1
    assert len(slack.messages()) == 1


def test_update_of_unknown_message_is_message_not_found(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_update(channel=GENERAL, ts="1.000001", text="x")
    assert _error_of(excinfo) == "message_not_found"


def test_thread_reply_is_listed_under_its_parent(slack: SlackStandIn, client: WebClient) -> None:
    parent = client.chat_postMessage(channel=GENERAL, text="Weekly digest")

    reply = client.chat_postMessage(channel=GENERAL, text="Details", thread_ts=parent["ts"])

    assert reply["message"]["thread_ts"] == parent["ts"]
    assert [m.text for m in slack.thread(GENERAL, parent["ts"])] == ["Details"]
    assert slack.snapshot(slack.thread(GENERAL, parent["ts"])[0])["parent_seq"] == 1


def test_post_to_unknown_channel_is_channel_not_found(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel="C0NOWHERE", text="hello")
    assert _error_of(excinfo) == "channel_not_found"


def test_ephemeral_message_is_kept_for_one_user(slack: SlackStandIn, client: WebClient) -> None:
    response = client.chat_postEphemeral(channel=GENERAL, user=ANA, text="Usage: /linkgap help")

    assert response["message_ts"]
    (ephemeral,) = slack.ephemeral(ANA)
    assert ephemeral.text == "Usage: /linkgap help"
    assert slack.ephemeral(BEN) == []
    assert slack.messages(GENERAL, include_ephemeral=False) == []


def test_delete_removes_the_message(slack: SlackStandIn, client: WebClient) -> None:
    posted = client.chat_postMessage(channel=GENERAL, text="oops")

    client.chat_delete(channel=GENERAL, ts=posted["ts"])

    assert slack.message(GENERAL, posted["ts"]) is None
    assert slack.messages(GENERAL, include_deleted=True)[0].deleted


def test_blocks_beyond_slacks_limit_are_invalid_blocks(
    slack: SlackStandIn, client: WebClient
) -> None:
    too_many = [{"type": "divider"}] * 51

    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel=GENERAL, text="big", blocks=too_many)

    assert _error_of(excinfo) == "invalid_blocks"
    assert slack.messages() == []


def test_reactions_show_on_the_message(slack: SlackStandIn, client: WebClient) -> None:
    posted = client.chat_postMessage(channel=GENERAL, text="Approve?")
    stored = slack.message(GENERAL, posted["ts"])
    assert stored is not None

    assert slack.add_reaction(stored, ":white_check_mark:", ANA)
    assert not slack.add_reaction(stored, "white_check_mark", ANA)
    client.reactions_add(channel=GENERAL, timestamp=posted["ts"], name="eyes")

    assert slack.snapshot(stored)["reactions"] == [
        {"name": "white_check_mark", "users": [ANA], "count": 1},
        {"name": "eyes", "users": [slack.identity.bot_user_id], "count": 1},
    ]


def test_concurrent_posts_get_unique_increasing_ts(slack: SlackStandIn, client: WebClient) -> None:
    def post(worker: int) -> None:
        for n in range(10):
            client.chat_postMessage(channel=GENERAL, text=f"{worker}-{n}")

    threads = [threading.Thread(target=post, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    messages = slack.messages(GENERAL)
    timestamps = [m.ts for m in messages]
    assert len(set(timestamps)) == 80
    assert [m.seq for m in messages] == list(range(1, 81))
    assert [float(ts) for ts in timestamps] == sorted(float(ts) for ts in timestamps)
    assert {len(ts.split(".")[1]) for ts in timestamps} == {6}


# -- workspace ---------------------------------------------------------------------------


def test_auth_test_names_the_bot(slack: SlackStandIn, client: WebClient) -> None:
    response = client.auth_test()

    assert response["user_id"] == slack.identity.bot_user_id
    assert response["team_id"] == slack.identity.team_id
    assert response["bot_id"] == slack.identity.bot_id


def test_users_info_reports_timezone_and_roles(slack: SlackStandIn, client: WebClient) -> None:
    slack.add_user(StandInUser("U0LISBON", "rui", "Rui Reviewer", tz="Europe/Lisbon"))

    ana = client.users_info(user=ANA)["user"]
    rui = client.users_info(user="U0LISBON")["user"]

    assert (ana["tz"], ana["is_admin"], ana["is_bot"]) == ("Europe/London", True, False)
    assert (rui["tz"], rui["is_admin"], rui["real_name"]) == (
        "Europe/Lisbon",
        False,
        "Rui Reviewer",
    )
    assert isinstance(rui["tz_offset"], int)
    with pytest.raises(SlackApiError) as excinfo:
        client.users_info(user="U0NOBODY")
    assert _error_of(excinfo) == "user_not_found"


def test_usergroup_members_are_listed(client: WebClient) -> None:
    assert client.usergroups_users_list(usergroup="S0APPROVERS")["users"] == [ANA, BEN]
    with pytest.raises(SlackApiError) as excinfo:
        client.usergroups_users_list(usergroup="S0MISSING")
    assert _error_of(excinfo) == "no_such_subteam"


def test_conversations_info_describes_the_channel(client: WebClient) -> None:
    channel = client.conversations_info(channel=GENERAL)["channel"]

    assert (channel["id"], channel["name"], channel["is_private"]) == (GENERAL, "general", False)


# -- views -------------------------------------------------------------------------------


def test_views_publish_stores_the_home_tab(slack: SlackStandIn, client: WebClient) -> None:
    home = {"type": "home", "blocks": [{"type": "header", "text": _plain("Campaigns")}]}

    first = client.views_publish(user_id=ANA, view=home)
    second = client.views_publish(user_id=ANA, view=home, hash=first["view"]["hash"])

    assert second["view"]["id"] == first["view"]["id"]
    stored = slack.home_view(ANA)
    assert stored is not None
    assert stored["blocks"] == home["blocks"]
    with pytest.raises(SlackApiError) as excinfo:
        client.views_publish(user_id=ANA, view=home, hash="stale")
    assert _error_of(excinfo) == "hash_conflict"


def test_views_open_needs_a_fresh_trigger_then_updates(
    slack: SlackStandIn, client: WebClient
) -> None:
    modal = {"type": "modal", "title": _plain("Vet a placement"), "blocks": []}
    trigger = slack.trigger_id(ANA)

    opened = client.views_open(trigger_id=trigger, view=modal)
    updated = client.views_update(
        view_id=opened["view"]["id"], view={**modal, "title": _plain("Vetting…")}
    )

    assert updated["view"]["title"]["text"] == "Vetting…"
    with pytest.raises(SlackApiError) as excinfo:
        client.views_open(trigger_id=trigger, view=modal)
    assert _error_of(excinfo) == "invalid_trigger_id"


# -- files -------------------------------------------------------------------------------


def test_files_upload_v2_shares_the_file_in_the_channel(
    slack: SlackStandIn, client: WebClient
) -> None:
    content = b"domain,competitors_linked\nexample.org,3\n"

    response = client.files_upload_v2(
        channel=GENERAL,
        content=content,
        filename="prospects.csv",
        title="Prospects for trail shoes",
        initial_comment="Here are the prospects",
    )

    assert response["file"]["title"] == "Prospects for trail shoes"
    (message,) = slack.messages(GENERAL)
    assert message.text == "Here are the prospects"
    (stored,) = message.files
    assert (stored.title, stored.name, stored.content) == (
        "Prospects for trail shoes",
        "prospects.csv",
        content,
    )
    assert [c.method for c in slack.calls()] == [
        "files.getUploadURLExternal",
        "upload",
        "files.completeUploadExternal",
    ]
    download = urllib.request.Request(
        response["file"]["url_private"], headers={"Authorization": f"Bearer {slack.bot_token}"}
    )
    with urllib.request.urlopen(download, timeout=5) as answer:
        assert answer.read() == content


# -- response_url --------------------------------------------------------------------------


def test_response_url_replace_original_edits_the_actions_message(
    slack: SlackStandIn, client: WebClient
) -> None:
    posted = client.chat_postMessage(channel=GENERAL, text="Approve placement #4?")
    url = slack.response_url(GENERAL, user=ANA, message_ts=posted["ts"])

    answer = WebhookClient(url).send(text="Approved by @ana", replace_original=True)

    assert answer.status_code == 200
    stored = slack.message(GENERAL, posted["ts"])
    assert stored is not None
    assert stored.text == "Approved by @ana"
    assert [v.text for v in stored.history] == ["Approve placement #4?"]
    assert len(slack.messages()) == 1
    (call,) = slack.calls("response_url")
    assert call.params["replace_original"] is True


def test_response_url_is_ephemeral_unless_in_channel(slack: SlackStandIn) -> None:
    webhook = WebhookClient(slack.response_url(GENERAL, user=BEN))

    webhook.send(text="Working on it…")
    webhook.send(text="Result for everyone", response_type="in_channel")
    webhook.send(text="Done", replace_original=True)

    first, second = slack.messages(GENERAL)
    assert (first.ephemeral_to, first.text) == (BEN, "Done")  # the first response is the original
    assert (second.ephemeral_to, second.text) == (None, "Result for everyone")


def test_response_url_delete_original_and_use_limit(slack: SlackStandIn, client: WebClient) -> None:
    posted = client.chat_postMessage(channel=GENERAL, text="Pick one")
    webhook = WebhookClient(slack.response_url(GENERAL, message_ts=posted["ts"], max_uses=2))

    assert webhook.send(text="", delete_original=True).status_code == 200
    assert webhook.send(text="again").status_code == 200
    refused = webhook.send(text="third time")

    assert slack.message(GENERAL, posted["ts"]) is None
    assert refused.status_code == 404
    assert json.loads(refused.body)["error"] == "used_url"


def test_respond_without_http_follows_the_same_rules(slack: SlackStandIn) -> None:
    url = slack.response_url(GENERAL, user=ANA)

    slack.respond(url, {"text": "Working…"})
    answer = slack.respond(url, {"text": "Done", "replace_original": True})

    assert answer == {"ok": True}
    (message,) = slack.ephemeral(ANA)
    assert message.text == "Done"
    assert [c.method for c in slack.calls()] == ["response_url", "response_url"]


def test_post_to_a_user_id_lands_in_their_dm(slack: SlackStandIn, client: WebClient) -> None:
    response = client.chat_postMessage(channel=BEN, text="Your approval is needed")

    assert response["channel"].startswith("D")
    assert slack.snapshot(slack.messages(response["channel"])[0])["channel_name"] == "ben"


# -- auth, unknown methods, faults ----------------------------------------------------------


def test_wrong_token_is_invalid_auth(slack: SlackStandIn) -> None:
    intruder = WebClient(token="xoxb-not-the-right-one", base_url=slack.api_url)

    with pytest.raises(SlackApiError) as excinfo:
        intruder.chat_postMessage(channel=GENERAL, text="hi")

    assert _error_of(excinfo) == "invalid_auth"
    assert slack.messages() == []
    assert "token" not in slack.calls("chat.postMessage")[0].params


def test_missing_token_is_not_authed(slack: SlackStandIn) -> None:
    anonymous = WebClient(base_url=slack.api_url)

    with pytest.raises(SlackApiError) as excinfo:
        anonymous.auth_test()

    assert _error_of(excinfo) == "not_authed"


def test_unknown_method_is_unknown_method(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as excinfo:
        client.api_call("chat.teleport", json={"channel": GENERAL})

    assert _error_of(excinfo) == "unknown_method"


def test_rate_limit_is_retried_after_retry_after(slack: SlackStandIn) -> None:
    patient = WebClient(
        token=slack.bot_token,
        base_url=slack.api_url,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)],
    )
    slack.fail_next("chat.postMessage", status=429, retry_after=1)

    response = patient.chat_postMessage(channel=GENERAL, text="digest")

    assert response["ok"] is True
    limited, accepted = slack.calls("chat.postMessage")
    assert (limited.status, limited.response, limited.faulted) == (
        429,
        {"ok": False, "error": "ratelimited"},
        True,
    )
    assert accepted.status == 200
    assert accepted.time - limited.time >= 1.0
    assert len(slack.messages()) == 1


def test_rate_limit_without_a_handler_surfaces_429_and_retry_after(
    slack: SlackStandIn, client: WebClient
) -> None:
    slack.fail_next("chat.update", status=429, retry_after=7)

    with pytest.raises(SlackApiError) as excinfo:
        client.chat_update(channel=GENERAL, ts="1.000001", text="x")

    assert excinfo.value.response.status_code == 429
    assert excinfo.value.response.headers["Retry-After"] == "7"
    assert _error_of(excinfo) == "ratelimited"


def test_answer_error_fakes_a_slack_error_once(slack: SlackStandIn, client: WebClient) -> None:
    slack.answer_error("chat.postMessage", "not_in_channel")

    with pytest.raises(SlackApiError) as excinfo:
        client.chat_postMessage(channel=GENERAL, text="first")
    client.chat_postMessage(channel=GENERAL, text="second")

    assert _error_of(excinfo) == "not_in_channel"
    assert [m.text for m in slack.messages()] == ["second"]
    assert [c.faulted for c in slack.calls("chat.postMessage")] == [True, False]


# -- record and subscribers -------------------------------------------------------------------


def test_wait_for_sees_calls_made_from_another_thread(
    slack: SlackStandIn, client: WebClient
) -> None:
    def later() -> None:
        time.sleep(0.1)
        client.chat_postMessage(channel=GENERAL, text="from a worker")

    worker = threading.Thread(target=later)
    worker.start()
    try:
        (call,) = slack.wait_for("chat.postMessage", count=1, timeout=5)
    finally:
        worker.join()

    assert call.params["text"] == "from a worker"
    with pytest.raises(TimeoutError, match=r"chat\.update called 0 time"):
        slack.wait_for("chat.update", timeout=0.05)


def test_subscribers_hear_new_and_edited_messages(slack: SlackStandIn, client: WebClient) -> None:
    changes: queue.Queue[Change] = queue.Queue()
    unsubscribe = slack.subscribe(changes.put)

    posted = client.chat_postMessage(channel=GENERAL, text="v1")
    client.chat_update(channel=GENERAL, ts=posted["ts"], text="v2")
    unsubscribe()
    client.chat_postMessage(channel=GENERAL, text="unheard")

    heard = [changes.get_nowait() for _ in range(changes.qsize())]
    assert [(c.kind, c.message["text"] if c.message else None) for c in heard] == [
        ("posted", "v1"),
        ("updated", "v2"),
    ]
    assert heard[0].message is not None
    assert heard[0].message["seq"] == 1


def _plain(text: str) -> dict[str, str]:
    return {"type": "plain_text", "text": text}
