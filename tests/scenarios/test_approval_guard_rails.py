"""Guard rails on approvals, end to end: a ✅ on a placement whose vetting failed is held.

The approver who reacts gets a private note (``chat.postEphemeral``) naming
the failed checks with an "Approve anyway" button; pressing it (a signed
``block_actions`` request) approves the placement, and the override (who,
which checks) is kept in the vote log and said in the message's thread.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from bot.local.standin import StandInUser, StoredMessage
from bot.store.models import VoteExplanation
from tests.scenarios.harness import (
    ANA,
    BEN,
    CHLOE,
    ON_TOPIC_PAGE,
    PROSPECT_HOST,
    SEO,
    SlackApp,
    another_process,
    placement_row,
    propose,
    running_app,
    serving_pages,
    track_campaign,
    votes_of,
    wait_until,
)
from tests.web import LocalServer

APPROVE, REJECT = "white_check_mark", "x"
#: A page about cooking: nothing to do with trail running shoes, so topical fit fails.
OFF_TOPIC_PAGE = (
    "<html><head><title>Slow cooker chili recipes</title></head><body>"
    "<h1>Our favourite slow cooker chili</h1><main><p>Brown the beef, add beans, tomatoes, "
    "cumin and smoked paprika, then let the slow cooker do the rest for eight hours. "
    "Serve the chili with rice, sour cream and grated cheese.</p><h2>Vegetarian chili</h2>"
    "<p>Swap the beef for lentils and sweet potato.</p></main></body></html>"
)


@contextmanager
def failed_placement(
    database_url: str,
    settings: dict[str, Any] | None = None,
    approvers: tuple[str, ...] = (ANA, BEN),
) -> Iterator[tuple[SlackApp, LocalServer, Any, StoredMessage]]:
    """A placement ana proposed on an off-topic page (vetting failed); approvers ana and ben."""
    with (
        running_app(database_url) as app,
        serving_pages(app, {"/chili": OFF_TOPIC_PAGE}, hosts=(PROSPECT_HOST,)) as server,
    ):
        track_campaign(app, approvers=approvers, settings=settings)
        placement, message = propose(app, server, user=ANA, path="/chili")
        assert placement.verdict == "fail"
        app.slack.clear_calls()
        yield app, server, placement, message


def _failed_names(placement: Any) -> list[str]:
    return [check["name"] for check in placement.checks if check["verdict"] == "fail"]


def _notes_to(app: SlackApp, user: str) -> list[StoredMessage]:
    return [m for m in app.slack.ephemeral(user) if m.source == "chat.postEphemeral"]


def test_a_tick_on_a_failed_placement_is_held_and_approve_anyway_approves_and_records_it(
    database_url: str,
) -> None:
    with failed_placement(database_url) as (app, _server, placement, message):
        failed = _failed_names(placement)
        assert "topical-fit" in failed
        shown = str(app.slack.message(SEO, message.ts).blocks)  # type: ignore[union-attr]
        assert "Vetting failed, so a :white_check_mark: alone does not approve it" in shown

        app.react(message, APPROVE, BEN, event_id="Ev0HELD")
        wait_until(lambda: len(_notes_to(app, BEN)) == 1, what="the private note")

        # Held: the vote counts, but nothing is decided, updated or said in the channel.
        row = placement_row(app, placement.id)
        assert (row.status, row.decided_by) == ("proposed", [])
        (vote,) = votes_of(app, placement.id)
        assert (vote.user_id, vote.counted, vote.overridden_checks) == (BEN, True, None)
        assert app.slack.calls("chat.update") == []
        assert app.slack.thread(SEO, message.ts) == []
        (note,) = _notes_to(app, BEN)
        old_copy = copy.deepcopy(note)  # as a second client still shows it
        (call,) = app.slack.calls("chat.postEphemeral")
        assert (call.params["channel"], call.params["user"]) == (SEO, BEN)
        said = str(note.blocks)
        assert f"*Placement {placement.id} failed vetting*" in said
        assert "your :white_check_mark: does not approve it by itself" in said
        for name in failed:
            assert f":x: *{name}*: " in said
        assert "'text': 'Approve anyway'" in said
        assert _notes_to(app, ANA) == []
        assert _notes_to(app, CHLOE) == []

        # Someone who is not an approver cannot use the button (a forged click changes nothing).
        assert app.press_button(note, "approve_anyway", user=CHLOE).status_code == 200
        assert placement_row(app, placement.id).status == "proposed"
        refused = app.slack.calls("response_url")[-1]
        assert (
            refused.params["text"]
            == "Your approval does not count (not an approver). Nothing changed."
        )

        app.press_button(note, "approve_anyway", user=BEN)
        wait_until(lambda: len(app.slack.thread(SEO, message.ts)) == 1, what="thread note")
        row = placement_row(app, placement.id)
        assert (row.status, row.decided_by) == ("approved", [BEN])
        override = votes_of(app, placement.id)[-1]
        assert (override.user_id, override.emoji, override.action) == (BEN, APPROVE, "add")
        assert override.overridden_checks == failed
        assert override.note == "approved anyway; failed checks: " + ", ".join(failed)
        (reply,) = app.slack.thread(SEO, message.ts)
        assert reply.text == (
            f"Placement {placement.id} approved anyway by <@{BEN}> although vetting failed: "
            + ", ".join(failed) + "."
        )  # fmt: skip
        assert "*Approved* by <@U0STANDIN2>" in str(app.slack.message(SEO, message.ts).blocks)  # type: ignore[union-attr]
        # The private note now says what happened, so there is no button left to press.
        (replaced,) = _notes_to(app, BEN)
        assert replaced.text == (
            f"Placement {placement.id} approved anyway; the failed checks "
            f"({', '.join(failed)}) are recorded with your name."
        )
        assert "approve_anyway" not in str(replaced.blocks)

        # A second click (from an old copy of the note) decides nothing twice.
        app.press_button(old_copy, "approve_anyway", user=BEN)
        assert app.slack.calls("response_url")[-1].params["text"] == (
            f"Placement {placement.id} is already approved. Nothing changed."
        )
        assert len(app.slack.thread(SEO, message.ts)) == 1


def test_at_quorum_two_the_tick_that_reaches_the_quorum_is_held_and_its_override_decides(
    database_url: str,
) -> None:
    with failed_placement(database_url, settings={"quorum": 2}, approvers=(ANA, BEN, CHLOE)) as (
        app, _server, placement, message,
    ):  # fmt: skip
        app.react(message, APPROVE, BEN, event_id="Ev0FIRST")
        wait_until(lambda: len(votes_of(app, placement.id)) == 1, what="the first vote")
        # One ✅ of the two needed: nothing is held yet, so nobody is asked.
        assert app.slack.calls("chat.postEphemeral") == []

        app.react(message, APPROVE, CHLOE, event_id="Ev0SECOND")
        wait_until(lambda: len(_notes_to(app, CHLOE)) == 1, what="chloe's private note")
        assert _notes_to(app, BEN) == []
        assert placement_row(app, placement.id).status == "proposed"

        app.press_button(_notes_to(app, CHLOE)[0], "approve_anyway", user=CHLOE)
        wait_until(lambda: len(app.slack.thread(SEO, message.ts)) == 1, what="thread note")
        row = placement_row(app, placement.id)
        assert (row.status, row.decided_by) == ("approved", [BEN, CHLOE])
        overrides = [v.user_id for v in votes_of(app, placement.id) if v.overridden_checks]
        assert overrides == [CHLOE]


# -- votes that do not count are explained, privately and once -----------------------------

ON_TOPIC_PAGES: dict[str, str | tuple[str, str]] = {"/trail-shoes-review": ON_TOPIC_PAGE}
OTHER_BOT = "U0OTHERBOT"


def _explanations(app: SlackApp, user: str) -> list[str]:
    return [m.text for m in _notes_to(app, user)]


def test_a_vote_that_does_not_count_is_explained_privately_once_per_placement(
    database_url: str,
) -> None:
    with (
        running_app(database_url) as app,
        serving_pages(app, ON_TOPIC_PAGES, hosts=(PROSPECT_HOST,)) as server,
    ):
        app.slack.add_user(StandInUser(OTHER_BOT, "otherbot", is_bot=True))
        campaign = track_campaign(app, approvers=(ANA, BEN))
        placement, message = propose(app, server, user=ANA)
        app.slack.clear_calls()
        pid = placement.id

        app.react(message, APPROVE, ANA, event_id="Ev0OWN")
        app.react(message, APPROVE, CHLOE, event_id="Ev0OUTSIDER")
        app.react(message, APPROVE, OTHER_BOT, event_id="Ev0BOT", bot_id="B0OTHER")
        app.react(message, "tada", BEN, event_id="Ev0PARTY")
        wait_until(lambda: len(app.slack.calls("chat.postEphemeral")) == 3, what="3 notes")
        assert _explanations(app, ANA) == [
            f"Your :white_check_mark: on placement {pid} does not count: you proposed it, and "
            f"a proposer's own vote never counts. It is decided by <@{BEN}>."
        ]
        assert _explanations(app, CHLOE) == [
            f"Your :white_check_mark: on placement {pid} does not count: only the campaign's "
            f"approvers decide (<@{BEN}>). To become one, ask them to add you with "
            f"`/linkgap edit {campaign.id} approvers` followed by everyone who should approve."
        ]
        assert _explanations(app, OTHER_BOT) == [
            f"Reactions from bots never count as votes: placement {pid} is decided by <@{BEN}>."
        ]
        assert _explanations(app, BEN) == []  # 🎉 is not a vote: nothing to explain
        for call in app.slack.calls("chat.postEphemeral"):
            assert call.params["channel"] == SEO
            assert call.ok

        # Once per placement and person, remembered in the database: reacting again, with the
        # other emoji, or through another process of the app tells nobody anything new.
        app.react(message, APPROVE, CHLOE, event_id="Ev0OUTSIDER2", added=False)
        app.react(message, REJECT, CHLOE, event_id="Ev0OUTSIDER3")
        with another_process(app) as second:
            second.react(message, APPROVE, ANA, event_id="Ev0OWN2", added=False)
            second.react(message, APPROVE, ANA, event_id="Ev0OWN3")
        wait_until(lambda: len(votes_of(app, pid)) == 8, what="every reaction logged")
        assert len(app.slack.calls("chat.postEphemeral")) == 3
        explained = {(row.user_id, row.reason) for row in app.rows(VoteExplanation)}
        assert explained == {
            (ANA, "the proposer's own reaction"),
            (CHLOE, "not an approver"),
            (OTHER_BOT, "bot"),
        }

        # After the decision, an approver's late vote is explained too.
        app.react(message, APPROVE, BEN, event_id="Ev0DECIDE")
        wait_until(lambda: placement_row(app, pid).status == "approved", what="approval")
        app.react(message, REJECT, BEN, event_id="Ev0LATE")
        wait_until(lambda: len(_explanations(app, BEN)) == 1, what="ben's note")
        assert _explanations(app, BEN) == [
            f"Placement {pid} is already approved, so your :x: changes nothing. An approver "
            f"can put it back up with `/linkgap reopen {pid}`."
        ]
