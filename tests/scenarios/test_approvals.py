"""Emoji approvals end to end (DESIGN section 4): signed reaction events decide placements.

Each test proposes a placement with ``/linkgap vet`` (vetted against a page
served on loopback), then reacts on its approval message the way Slack does:
the reaction lands on the stand-in's message, then the signed event reaches
the app. Listeners run after the ack, so tests wait for the vote log or for
the Web API calls a decision makes.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

import httpx
import pytest

from bot.local.standin import StoredMessage
from bot.store.models import ProcessedEvent
from tests.scenarios.harness import (
    ANA,
    BEN,
    CHLOE,
    ON_TOPIC_PAGE,
    PROSPECT_HOST,
    SEO,
    SlackApp,
    another_process,
    blocks_of,
    placement_row,
    propose,
    reaction_event,
    running_app,
    serving_pages,
    track_campaign,
    votes_of,
    wait_until,
)
from tests.web import LocalServer

PAGES: dict[str, str | tuple[str, str]] = {"/trail-shoes-review": ON_TOPIC_PAGE}
APPROVE, REJECT = "white_check_mark", "x"
BOT_USER, BOT_ID = "U0LINKGAP", "B0LINKGAP"
RETRY = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
#: Long enough for a listener that would (wrongly) act on an ignored reaction to have done so.
SETTLE = 0.3


@contextmanager
def proposal_setup(
    database_url: str,
    *,
    approvers: tuple[str, ...] = (ANA, BEN),
    settings: dict[str, Any] | None = None,
) -> Iterator[tuple[SlackApp, LocalServer]]:
    with (
        running_app(database_url) as app,
        serving_pages(
            app, {"/trail-shoes-review": ON_TOPIC_PAGE}, hosts=(PROSPECT_HOST,)
        ) as server,
    ):
        track_campaign(app, approvers=approvers, settings=settings)
        yield app, server


def _updates_of(app: SlackApp, message: StoredMessage) -> list[Any]:
    return [
        call
        for call in app.slack.calls("chat.update")
        if (call.params["channel"], call.params["ts"]) == (message.channel, message.ts)
    ]


def _wait_for_votes(app: SlackApp, placement_id: int, count: int) -> list[Any]:
    wait_until(lambda: len(votes_of(app, placement_id)) >= count, what=f"{count} votes logged")
    return votes_of(app, placement_id)


def _wait_for_decision(app: SlackApp, message: StoredMessage, updates: int = 1) -> None:
    """The message updated ``updates`` times and the thread reply of the latest decision."""
    wait_until(lambda: len(_updates_of(app, message)) >= updates, what="chat.update")
    wait_until(
        lambda: len(app.slack.thread(message.channel, message.ts)) >= updates, what="thread reply"
    )


def _current(app: SlackApp, message: StoredMessage) -> str:
    shown = app.slack.message(message.channel, message.ts)
    assert shown is not None
    return str(shown.blocks)


def test_an_approvers_reaction_approves_the_message_in_place_and_records_who(
    database_url: str,
) -> None:
    with proposal_setup(database_url) as (app, server):
        placement, message = propose(app, server)
        assert "Waiting for approval" in _current(app, message)
        app.slack.clear_calls()

        assert app.react(message, APPROVE, BEN, event_id="Ev0APPROVE1").status_code == 200
        _wait_for_decision(app, message)

        (update,) = app.slack.calls("chat.update")
        assert (update.params["channel"], update.params["ts"]) == (SEO, message.ts)
        assert update.ok
        shown = _current(app, message)
        assert f"*Approved* by <@{BEN}> on " in shown
        assert "Waiting for approval" not in shown
        assert f"`/linkgap live {placement.id} &lt;url&gt;`" in shown
        assert f"`/linkgap reopen {placement.id}`" in shown
        assert "*topical-fit*" in shown  # the checks stay on the updated message
        (reply,) = app.slack.thread(SEO, message.ts)
        assert reply.text == f"Placement {placement.id} approved by <@{BEN}>."
        # Updated in place: the channel still holds one message, plus the reply in its thread.
        top_level = [m for m in app.slack.messages(SEO, include_ephemeral=False) if not m.is_reply]
        assert [m.ts for m in top_level] == [message.ts]

        row = placement_row(app, placement.id)
        assert row.status == "approved"
        assert row.decided_by == [BEN]
        assert row.decided_at is not None
        (vote,) = votes_of(app, placement.id)
        assert (vote.user_id, vote.emoji, vote.action, vote.counted) == (BEN, APPROVE, "add", True)
        assert vote.event_id == "Ev0APPROVE1"


def test_reactions_from_the_proposer_non_approvers_and_bots_are_logged_but_ignored(
    database_url: str,
) -> None:
    with proposal_setup(database_url, approvers=(ANA, BEN)) as (app, server):
        placement, message = propose(app, server, user=ANA)  # ana proposes and approves
        app.slack.clear_calls()

        app.react(message, APPROVE, ANA, event_id="Ev0OWN")
        app.react(message, APPROVE, CHLOE, event_id="Ev0OUTSIDER")
        app.react(message, APPROVE, BOT_USER, event_id="Ev0SELF", bot_id=BOT_ID)
        app.react(message, APPROVE, "U0OTHERBOT", event_id="Ev0BOT", bot_id="B0OTHER")
        app.react(message, "tada", BEN, event_id="Ev0PARTY")
        votes = _wait_for_votes(app, placement.id, 4)
        time.sleep(SETTLE)

        # Bolt drops the app's own reaction before any listener; other bots' are logged.
        logged = {vote.event_id: (vote.user_id, vote.counted, vote.note) for vote in votes}
        assert logged == {
            "Ev0OWN": (ANA, False, "the proposer's own reaction"),
            "Ev0OUTSIDER": (CHLOE, False, "not an approver"),
            "Ev0BOT": ("U0OTHERBOT", False, "bot"),
            "Ev0PARTY": (BEN, False, "not an approval emoji"),
        }
        assert placement_row(app, placement.id).status == "proposed"
        assert app.slack.calls("chat.update") == []
        assert app.slack.thread(SEO, message.ts) == []

        # The control: an approver who did not propose it decides with the same emoji.
        app.react(message, APPROVE, BEN, event_id="Ev0BEN")
        _wait_for_decision(app, message)
        assert placement_row(app, placement.id).decided_by == [BEN]


def test_a_retried_or_duplicated_reaction_event_counts_once(database_url: str) -> None:
    with proposal_setup(database_url, approvers=(ANA, BEN), settings={"quorum": 2}) as (
        app,
        server,
    ):
        placement, message = propose(app, server, user=CHLOE)
        app.slack.clear_calls()
        added = reaction_event(message, APPROVE, BEN)

        app.react(message, APPROVE, BEN, event_id="Ev0BENADD")
        _wait_for_votes(app, placement.id, 1)
        assert app.event(added, event_id="Ev0BENADD", headers=RETRY).status_code == 200
        assert app.event(added, event_id="Ev0BENADD").status_code == 200
        app.react(message, APPROVE, BEN, event_id="Ev0BENREMOVE", added=False)
        _wait_for_votes(app, placement.id, 2)
        # Slack's retry of the old "added" arrives after ben took his vote back.
        assert app.event(added, event_id="Ev0BENADD", headers=RETRY).status_code == 200
        time.sleep(SETTLE)

        votes = votes_of(app, placement.id)
        assert [(v.event_id, v.action) for v in votes] == [
            ("Ev0BENADD", "add"),
            ("Ev0BENREMOVE", "remove"),
        ]
        assert app.count(ProcessedEvent, ProcessedEvent.event_id == "Ev0BENADD") == 1

        # Had the retry counted again, ben's vote would be back and ana's would decide.
        app.react(message, APPROVE, ANA, event_id="Ev0ANAADD")
        _wait_for_votes(app, placement.id, 3)
        time.sleep(SETTLE)
        assert placement_row(app, placement.id).status == "proposed"
        assert app.slack.calls("chat.update") == []

        app.react(message, APPROVE, BEN, event_id="Ev0BENAGAIN")
        _wait_for_decision(app, message)
        assert placement_row(app, placement.id).decided_by == [ANA, BEN]


def _at_once(*posts: Callable[[], httpx.Response]) -> list[httpx.Response]:
    """Run each post on its own thread, all released by one barrier."""
    barrier = threading.Barrier(len(posts))
    answers: list[httpx.Response | BaseException] = [RuntimeError("not run")] * len(posts)

    def run(index: int, post: Callable[[], httpx.Response]) -> None:
        barrier.wait()
        try:
            answers[index] = post()
        except BaseException as error:
            answers[index] = error

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    for answer in answers:
        if isinstance(answer, BaseException):
            raise answer
    return answers  # type: ignore[return-value]


def _assert_decided_once(app: SlackApp, placement_id: int, message: StoredMessage) -> None:
    _wait_for_votes(app, placement_id, 2)
    _wait_for_decision(app, message)
    time.sleep(SETTLE)
    assert len(_updates_of(app, message)) == 1
    (reply,) = app.slack.thread(SEO, message.ts)
    row = placement_row(app, placement_id)
    assert row.status == "approved"
    assert len(row.decided_by) == 1
    (decider,) = row.decided_by
    assert reply.text == f"Placement {placement_id} approved by <@{decider}>."
    votes = {vote.user_id: (vote.counted, vote.note) for vote in votes_of(app, placement_id)}
    assert votes == {
        decider: (True, ""),
        ({ANA, BEN} - {decider}).pop(): (False, "already approved"),
    }


@pytest.mark.parametrize("processes", [1, 2], ids=["one-process", "two-processes"])
def test_two_approvers_reacting_at_the_same_moment_decide_once(
    database_url: str, processes: int
) -> None:
    with (
        proposal_setup(database_url, approvers=(ANA, BEN)) as (app, server),
        another_process(app) if processes == 2 else _same(app) as other,
    ):
        for round_number in range(3):  # a few rounds: a race lost once is lost rarely
            # One page per round: a page with an open placement cannot be proposed again.
            path = f"/trail-shoes-review?round={round_number}"
            placement, message = propose(app, server, user=CHLOE, path=path)
            app.slack.add_reaction(message, APPROVE, ANA)
            app.slack.add_reaction(message, APPROVE, BEN)
            ana = reaction_event(message, APPROVE, ANA)
            ben = reaction_event(message, APPROVE, BEN)
            answers = _at_once(
                partial(app.event, ana, event_id=f"Ev0ANA{round_number}"),
                partial(other.event, ben, event_id=f"Ev0BEN{round_number}"),
            )
            assert [answer.status_code for answer in answers] == [200, 200]
            _assert_decided_once(app, placement.id, message)


@contextmanager
def _same(app: SlackApp) -> Iterator[SlackApp]:
    yield app


def test_quorum_two_needs_two_approvals_and_two_rejections_reject(database_url: str) -> None:
    with proposal_setup(database_url, approvers=(ANA, BEN), settings={"quorum": 2}) as (
        app,
        server,
    ):
        placement, message = propose(app, server, user=CHLOE)
        assert "(2 approvers)" in _current(app, message)
        app.slack.clear_calls()

        app.react(message, f"{APPROVE}::skin-tone-3", ANA, event_id="Ev0Q1")
        _wait_for_votes(app, placement.id, 1)
        time.sleep(SETTLE)
        assert placement_row(app, placement.id).status == "proposed"
        assert app.slack.calls("chat.update") == []

        app.react(message, APPROVE, BEN, event_id="Ev0Q2")
        _wait_for_decision(app, message)
        row = placement_row(app, placement.id)
        assert row.status == "approved"
        assert row.decided_by == [ANA, BEN]
        assert f"*Approved* by <@{ANA}>, <@{BEN}>" in _current(app, message)
        (reply,) = app.slack.thread(SEO, message.ts)
        assert reply.text == f"Placement {placement.id} approved by <@{ANA}>, <@{BEN}>."

        # A second proposal: one rejection and one approval decide nothing; a second ❌ does.
        second, second_message = propose(app, server, user=CHLOE, path="/trail-shoes-review?b")
        app.react(second_message, REJECT, ANA, event_id="Ev0Q3")
        app.react(second_message, APPROVE, BEN, event_id="Ev0Q4")
        _wait_for_votes(app, second.id, 2)
        time.sleep(SETTLE)
        assert placement_row(app, second.id).status == "proposed"
        assert _updates_of(app, second_message) == []

        app.react(second_message, REJECT, BEN, event_id="Ev0Q5")
        _wait_for_decision(app, second_message)
        rejected = placement_row(app, second.id)
        assert rejected.status == "rejected"
        assert rejected.decided_by == [ANA, BEN]
        assert f"*Rejected* by <@{ANA}>, <@{BEN}>" in _current(app, second_message)
        (reply,) = app.slack.thread(SEO, second_message.ts)
        assert reply.text == f"Placement {second.id} rejected by <@{ANA}>, <@{BEN}>."


def test_removing_a_reaction_before_the_decision_withdraws_the_vote(database_url: str) -> None:
    with proposal_setup(database_url, approvers=(ANA, BEN), settings={"quorum": 2}) as (
        app,
        server,
    ):
        placement, message = propose(app, server, user=CHLOE)
        app.slack.clear_calls()

        app.react(message, APPROVE, ANA, event_id="Ev0W1")
        app.react(message, APPROVE, ANA, event_id="Ev0W2", added=False)
        _wait_for_votes(app, placement.id, 2)
        app.react(message, APPROVE, BEN, event_id="Ev0W3")
        _wait_for_votes(app, placement.id, 3)
        time.sleep(SETTLE)
        assert placement_row(app, placement.id).status == "proposed"
        assert app.slack.calls("chat.update") == []

        app.react(message, APPROVE, ANA, event_id="Ev0W4")  # ana votes again: now two
        _wait_for_decision(app, message)
        assert placement_row(app, placement.id).decided_by == [ANA, BEN]

        # Once decided, taking a reaction back changes nothing: only reopen undoes a decision.
        app.react(message, APPROVE, BEN, event_id="Ev0W5", added=False)
        (*_, late) = _wait_for_votes(app, placement.id, 5)
        assert (late.action, late.counted, late.note) == ("remove", False, "already approved")
        time.sleep(SETTLE)
        assert placement_row(app, placement.id).status == "approved"
        assert len(_updates_of(app, message)) == 1


def _home_text(app: SlackApp, user: str, event_id: str) -> str:
    published = len(app.slack.calls("views.publish"))
    assert app.home_opened(user, event_id=event_id).status_code == 200
    call = app.slack.wait_for("views.publish", published + 1)[-1]
    assert call.ok
    assert call.params["user_id"] == user
    return str(blocks_of(dict(call.params)))


def test_app_home_lists_a_pending_placement_for_its_approvers_but_not_its_proposer(
    database_url: str,
) -> None:
    with proposal_setup(database_url, approvers=(ANA, BEN)) as (app, server):
        placement, message = propose(app, server, user=ANA)

        bens = _home_text(app, BEN, "Ev0HOMEBEN1")
        assert "*Waiting for your approval* (1)" in bens
        assert f"*Placement {placement.id}*" in bens
        assert f"proposed by <@{ANA}>" in bens
        anas = _home_text(app, ANA, "Ev0HOMEANA1")
        assert "Waiting for your approval" not in anas  # her own vote would not count
        chloes = _home_text(app, CHLOE, "Ev0HOMECHLOE1")
        assert "Waiting for your approval" not in chloes  # not an approver

        app.react(message, APPROVE, BEN, event_id="Ev0HOMEAPPROVE")
        _wait_for_decision(app, message)
        assert "Waiting for your approval" not in _home_text(app, BEN, "Ev0HOMEBEN2")


def test_members_of_the_approver_user_group_approve_and_see_it_on_their_home(
    database_url: str,
) -> None:
    with proposal_setup(database_url, approvers=("S0LINKERS",)) as (app, server):
        app.slack.set_usergroup("S0LINKERS", [CHLOE])
        placement, message = propose(app, server, user=ANA)
        assert "<!subteam^S0LINKERS>" in _current(app, message)
        assert f"*Placement {placement.id}*" in _home_text(app, CHLOE, "Ev0GROUPHOME")
        assert "Waiting for your approval" not in _home_text(app, BEN, "Ev0NOTGROUPHOME")

        app.react(message, APPROVE, BEN, event_id="Ev0NOTMEMBER")
        _wait_for_votes(app, placement.id, 1)
        app.react(message, APPROVE, CHLOE, event_id="Ev0MEMBER")
        _wait_for_decision(app, message)
        row = placement_row(app, placement.id)
        assert (row.status, row.decided_by) == ("approved", [CHLOE])
        assert [(v.user_id, v.counted) for v in votes_of(app, placement.id)] == [
            (BEN, False),
            (CHLOE, True),
        ]


def test_a_removal_delivered_before_its_add_still_withdraws_the_vote(database_url: str) -> None:
    """Slack does not promise delivery order (and a retried add comes late): Slack's event
    time, not arrival, says which of a person's reactions is the latest."""
    with proposal_setup(database_url, approvers=(ANA, BEN), settings={"quorum": 2}) as (
        app,
        server,
    ):
        placement, message = propose(app, server, user=CHLOE)
        app.slack.clear_calls()
        app.slack.add_reaction(message, APPROVE, ANA)
        added = reaction_event(message, APPROVE, ANA)
        time.sleep(0.01)
        app.slack.remove_reaction(message, APPROVE, ANA)
        removed = reaction_event(message, APPROVE, ANA, added=False)

        app.event(removed, event_id="Ev0LATEREMOVE")
        _wait_for_votes(app, placement.id, 1)
        app.event(added, event_id="Ev0LATEADD")
        _wait_for_votes(app, placement.id, 2)
        app.react(message, APPROVE, BEN, event_id="Ev0BENVOTE")
        _wait_for_votes(app, placement.id, 3)
        time.sleep(SETTLE)
        assert placement_row(app, placement.id).status == "proposed"  # only ben's vote stands
        assert app.slack.calls("chat.update") == []
