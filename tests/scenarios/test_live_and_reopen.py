"""After the decision (DESIGN section 4): ``/linkgap reopen ID`` and ``/linkgap live ID URL``.

Reopening is for approvers only and resets the votes; marking live fetches
the page through the safe fetcher (a local server here) and goes live only
when the page really links to the placement's target.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from apscheduler.schedulers.background import BackgroundScheduler

from bot.local.standin import StoredMessage
from bot.providers.base import Provider
from bot.providers.registry import make_provider
from bot.scheduler import Clock
from bot.services import campaign_refresh
from bot.services.gap_store import WorkspaceRef
from bot.services.providers import cached
from bot.slack.client import make_client
from bot.slack.jobs.digest import DigestSender
from bot.store.db import transaction
from bot.store.repositories.placements import current_votes
from bot.web.fetcher import SafeFetcher
from tests.providers.live_fixtures import APIS, ENVIRON, DataForSeoApi
from tests.scenarios.harness import (
    ANA,
    BEN,
    CHLOE,
    ON_TOPIC_PAGE,
    PLACEMENT_TARGET,
    PROSPECT_HOST,
    SEO,
    SlackApp,
    approval_message,
    placement_row,
    propose,
    running_app,
    serving_pages,
    track_campaign,
    votes_of,
    wait_until,
)
from tests.web import LocalServer

APPROVE = "white_check_mark"
REOPEN_USAGE = "/linkgap reopen &lt;placement number&gt;"
LIVE_USAGE = "/linkgap live &lt;placement number&gt;"


def _page_linking_to(*hrefs: str) -> str:
    links = "".join(f'<p>See <a href="{href}">this review</a>.</p>' for href in hrefs)
    return (
        "<html><head><title>Trail running roundup</title></head><body><main>"
        f"<h1>Our favourite trail running shoes</h1>{links}</main></body></html>"
    )


@contextmanager
def approved_placement(
    database_url: str, pages: dict[str, str | tuple[str, str]] | None = None
) -> Iterator[tuple[SlackApp, LocalServer, Any, StoredMessage]]:
    """A placement ana proposed and ben approved (campaign approvers: ana and ben)."""
    served: dict[str, str | tuple[str, str]] = {"/trail-shoes-review": ON_TOPIC_PAGE}
    served.update(pages or {})
    with (
        running_app(database_url) as app,
        serving_pages(app, served, hosts=(PROSPECT_HOST,)) as server,
    ):
        track_campaign(app, approvers=(ANA, BEN))
        placement, message = propose(app, server, user=ANA)
        app.react(message, APPROVE, BEN, event_id="Ev0APPROVED")
        _wait_for_updates(app, message, 1)
        wait_until(lambda: len(app.slack.thread(SEO, message.ts)) == 1, what="decision reply")
        assert placement_row(app, placement.id).status == "approved"
        yield app, server, placement, message


def _updates_of(app: SlackApp, message: StoredMessage) -> list[Any]:
    return [
        call
        for call in app.slack.calls("chat.update")
        if (call.params["channel"], call.params["ts"]) == (message.channel, message.ts)
    ]


def _wait_for_updates(app: SlackApp, message: StoredMessage, count: int) -> None:
    wait_until(lambda: len(_updates_of(app, message)) >= count, what=f"{count} chat.update")


def _current(app: SlackApp, message: StoredMessage) -> str:
    shown = app.slack.message(message.channel, message.ts)
    assert shown is not None
    return str(shown.blocks)


def _private_answer(app: SlackApp, text: str, user: str) -> str:
    response = app.command(text, user=user)
    assert response.status_code == 200
    answer = response.json()
    assert answer["response_type"] == "ephemeral"
    return str(answer["text"])


def _current_votes(app: SlackApp, placement_id: int) -> dict[str, set[str]]:
    with transaction(app.runtime.sessions) as session:
        return current_votes(session, placement_id)


# -- reopen -------------------------------------------------------------------------------


def test_an_approver_reopens_a_decided_placement_on_a_fresh_message_that_takes_the_votes(
    database_url: str,
) -> None:
    with approved_placement(database_url) as (app, _server, placement, old):
        said = _private_answer(app, f"reopen {placement.id}", BEN)
        assert said == (
            f"Placement {placement.id} is open for approval again; its votes were reset "
            "and a fresh approval message takes the new votes."
        )

        row = placement_row(app, placement.id)
        assert row.status == "proposed"
        assert row.decided_by == []
        assert row.decided_at is None
        assert _current_votes(app, placement.id) == {}
        withdrawn = votes_of(app, placement.id)[-1]
        assert (withdrawn.user_id, withdrawn.action) == (BEN, "remove")
        assert withdrawn.note == f"withdrawn when {BEN} reopened"

        # A fresh message in the same channel, without the old reactions, waiting for votes.
        new = approval_message(app, placement.id)
        assert new.ts != old.ts
        assert new.channel == SEO
        assert new.reactions == {}
        assert "Waiting for approval" in _current(app, new)
        top_level = [
            m.ts for m in app.slack.messages(SEO, include_ephemeral=False) if not m.is_reply
        ]
        assert top_level == [old.ts, new.ts]
        # The old one says it was superseded and links to the new one; its thread says so too.
        permalink = app.slack.calls("chat.getPermalink")[-1].response["permalink"]
        assert permalink.endswith(f"/archives/{SEO}/p{new.ts.replace('.', '')}")
        shown = _current(app, old)
        assert f"*Reopened* by <@{BEN}>: this message no longer takes votes." in shown
        assert f"React on <{permalink}|the new approval message>." in shown
        assert "Waiting for approval" not in shown
        assert "*Approved*" not in shown
        replies = [reply.text for reply in app.slack.thread(SEO, old.ts)]
        assert replies[-1] == (
            f"Reopened by <@{BEN}>: votes reset. React on <{permalink}|the new approval message>."
        )

        # Reactions on the old message count for nothing; on the new one they decide.
        votes_before = len(votes_of(app, placement.id))
        app.react(old, "x", BEN, event_id="Ev0OLDMESSAGE")
        app.react(old, APPROVE, BEN, event_id="Ev0OLDREMOVE", added=False)
        assert len(votes_of(app, placement.id)) == votes_before
        assert placement_row(app, placement.id).status == "proposed"
        app.react(new, APPROVE, BEN, event_id="Ev0APPROVEAGAIN")
        wait_until(lambda: placement_row(app, placement.id).status == "approved", what="approval")
        assert f"*Approved* by <@{BEN}>" in _current(app, new)
        assert "*Reopened* by" in _current(app, old)
        (reply,) = app.slack.thread(SEO, new.ts)
        assert reply.text == f"Placement {placement.id} approved by <@{BEN}>."


def test_a_non_approver_cannot_reopen_and_nothing_changes(database_url: str) -> None:
    with approved_placement(database_url) as (app, _server, placement, message):
        before = placement_row(app, placement.id)
        said = _private_answer(app, f"reopen {placement.id}", CHLOE)
        assert f"Only the approvers of placement {placement.id}'s campaign can reopen it" in said
        after = placement_row(app, placement.id)
        assert (after.status, after.version, after.decided_by) == (
            "approved",
            before.version,
            [BEN],
        )
        assert _current_votes(app, placement.id) == {APPROVE: {BEN}}
        assert len(_updates_of(app, message)) == 1
        assert len(app.slack.thread(SEO, message.ts)) == 1


@pytest.mark.parametrize(
    ("text", "says", "usage"),
    [
        ("reopen", "Give the placement's number", REOPEN_USAGE),
        ("reopen 999", "There is no placement 999", ""),
        ("reopen {id} now", "`reopen` takes only the placement's number", REOPEN_USAGE),
        ("live {id}", "Give the placement's number and the URL", LIVE_USAGE),
        ("live {id} ftp://x.example/y", "http:// or https://", LIVE_USAGE),
        (
            "live {id} blog.trailpost.com/roundup",
            "needs its scheme: did you mean `https://blog.trailpost.com/roundup`?",
            "/linkgap live {id} https://blog.trailpost.com/roundup",
        ),
        ("live 999 https://x.example/y", "There is no placement 999", ""),
    ],
)
def test_bad_reopen_and_live_commands_get_a_clear_private_answer(
    database_url: str, text: str, says: str, usage: str
) -> None:
    with approved_placement(database_url) as (app, _server, placement, message):
        calls = len(app.slack.calls())
        response = app.command(text.format(id=placement.id), user=BEN)
        answer = response.json()
        assert answer["response_type"] == "ephemeral"
        assert says in answer["text"]
        assert usage.format(id=placement.id) in str(answer.get("blocks", ""))
        assert app.run_jobs() == 0
        assert placement_row(app, placement.id).status == "approved"
        assert len(app.slack.calls()) == calls
        assert len(_updates_of(app, message)) == 1


def test_reopen_and_live_refuse_a_placement_still_waiting_for_approval(
    database_url: str,
) -> None:
    with (
        running_app(database_url) as app,
        serving_pages(
            app, {"/trail-shoes-review": ON_TOPIC_PAGE}, hosts=(PROSPECT_HOST,)
        ) as server,
    ):
        track_campaign(app, approvers=(ANA, BEN))
        placement, _message = propose(app, server, user=ANA)
        said = _private_answer(app, f"reopen {placement.id}", BEN)
        assert f"Placement {placement.id} is proposed; only approved or rejected" in said
        said = _private_answer(app, f"live {placement.id} https://x.example/y", BEN)
        assert "only approved placements can go live" in said
        assert app.run_jobs() == 0
        assert placement_row(app, placement.id).status == "proposed"


# -- live ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "href",
    [
        "https://www.example.com/trail-shoes",
        "http://www.example.com/trail-shoes",
        "https://example.com/trail-shoes",
        "http://example.com/trail-shoes/",
        "https://www.example.com/trail-shoes/#reviews",
    ],
    ids=["same", "http", "no-www", "http-no-www-slash", "slash-fragment"],
)
def test_live_marks_the_placement_live_when_the_page_links_to_the_target(
    database_url: str, href: str
) -> None:
    page = _page_linking_to("https://elsewhere.example/", href)
    with approved_placement(database_url, {"/roundup": page}) as (app, server, placement, message):
        live_url = server.url("/roundup", PROSPECT_HOST)
        said = _private_answer(app, f"live {placement.id} {live_url}", ANA)
        assert said.startswith(f"Checking that the page links to placement {placement.id}")
        assert app.run_jobs() == 1

        row = placement_row(app, placement.id)
        assert row.status == "live"
        assert row.live_url == live_url
        assert row.live_at is not None
        assert row.decided_by == [BEN]
        _wait_for_updates(app, message, 2)
        shown = _current(app, message)
        assert "*Live* at" in shown
        assert f"{PROSPECT_HOST}:{server.port}/roundup" in shown
        assert f"(approved by <@{BEN}>)" in shown
        assert "Mark it live" not in shown  # it is live: no hint to do it again
        replies = [reply.text for reply in app.slack.thread(SEO, message.ts)]
        assert replies[-1] == f"Live at {live_url}, checked for <@{ANA}>."
        (told,) = app.slack.calls("response_url")[-1:]
        assert told.params["response_type"] == "ephemeral"
        assert (
            told.params["text"]
            == f"Placement {placement.id} is live: the page links to your target."
        )


def test_live_leaves_the_placement_approved_when_the_page_does_not_link(
    database_url: str,
) -> None:
    page = _page_linking_to("https://www.example.com/other-page", "https://elsewhere.example/")
    with approved_placement(database_url, {"/roundup": page}) as (app, server, placement, message):
        live_url = server.url("/roundup", PROSPECT_HOST)
        _private_answer(app, f"live {placement.id} {live_url}", ANA)
        assert app.run_jobs() == 1

        assert placement_row(app, placement.id).status == "approved"
        told = app.slack.calls("response_url")[-1]
        assert told.params["response_type"] == "ephemeral"
        assert told.params["text"] == (
            f"The page {live_url} has 2 links but none to https://www.example.com/trail-shoes, "
            f"so placement {placement.id} stays approved."
        )
        assert len(_updates_of(app, message)) == 1
        assert "*Approved* by" in _current(app, message)


@pytest.mark.parametrize(
    "address",
    ["10.0.0.5", "192.168.1.20", "100.64.0.1", "127.0.0.1", "::ffff:10.0.0.1"],
    ids=["10/8", "192.168/16", "cgnat", "loopback", "ipv4-mapped"],
)
def test_live_refuses_a_page_whose_site_resolves_to_a_private_address(
    database_url: str, address: str
) -> None:
    with approved_placement(database_url) as (app, _server, placement, message):
        # Production's fetcher (no loopback), with the prospect's name resolving privately.
        app.runtime.fetcher_factory = lambda: SafeFetcher(resolver=lambda host, port: [address])
        live_url = f"https://{PROSPECT_HOST}/roundup"
        _private_answer(app, f"live {placement.id} {live_url}", ANA)
        assert app.run_jobs() == 1

        assert placement_row(app, placement.id).status == "approved"
        told = app.slack.calls("response_url")[-1]
        assert told.params["response_type"] == "ephemeral"
        text = told.params["text"]
        assert text.startswith(f"Could not check {live_url}: ")
        assert "private or reserved network address" in text
        assert "only public web pages can be fetched" in text
        assert len(_updates_of(app, message)) == 1


@pytest.mark.parametrize(
    ("live_url", "on"),
    [
        ("https://www.other-blog.com/roundup", "other-blog.com"),
        ("https://trailpost.co.uk/roundup", "trailpost.co.uk"),
        ("https://trailpost.com.evil.net/roundup", "evil.net"),
        ("http://10.0.0.5/roundup", "10.0.0.5"),
    ],
    ids=["other-site", "other-suffix", "lookalike", "ip-address"],
)
def test_live_only_takes_a_page_on_the_approved_prospects_site(
    database_url: str, live_url: str, on: str
) -> None:
    with approved_placement(database_url) as (app, _server, placement, _message):
        calls = len(app.slack.calls())
        said = _private_answer(app, f"live {placement.id} {live_url}", ANA)
        assert said == (
            f"{live_url} is on {on}, but placement {placement.id} was approved on trailpost.com: "
            "give the address of the page on trailpost.com that links to you."
        )
        assert app.run_jobs() == 0
        assert placement_row(app, placement.id).status == "approved"
        assert len(app.slack.calls()) == calls


def test_live_is_for_the_proposer_or_an_approver(database_url: str) -> None:
    page = _page_linking_to("https://www.example.com/trail-shoes")
    with (
        running_app(database_url) as app,
        serving_pages(
            app, {"/trail-shoes-review": ON_TOPIC_PAGE, "/roundup": page}, hosts=(PROSPECT_HOST,)
        ) as server,
    ):
        track_campaign(app, approvers=(ANA, BEN))
        placement, message = propose(app, server, user=CHLOE)  # chloe proposes, not an approver
        app.react(message, APPROVE, BEN, event_id="Ev0APPROVED")
        assert placement_row(app, placement.id).status == "approved"
        live_url = server.url("/roundup", PROSPECT_HOST)

        said = _private_answer(app, f"live {placement.id} {live_url}", "U0STRANGER")
        assert said == (
            f"Only the person who proposed placement {placement.id} or an approver of its "
            "campaign can mark it live."
        )
        assert app.run_jobs() == 0

        said = _private_answer(app, f"live {placement.id} {live_url}", CHLOE)
        assert said.startswith(f"Checking that the page links to placement {placement.id}")
        assert app.run_jobs() == 1
        assert placement_row(app, placement.id).status == "live"


def test_the_daily_refresh_marks_a_placement_the_provider_sees_live_and_says_so(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The clock's real refresh against DataForSEO's stand-in, whose target page now has the link.

    The analysis, the day's snapshot, the detection and the Slack update all
    run; only the network is the stand-in (DataForSEO's documented answers),
    with the prospect's site added to the target page's referring domains.
    """
    with approved_placement(database_url) as (app, _server, placement, message):
        runtime = app.runtime
        domain = placement_row(app, placement.id).prospect_domain
        api = APIS["dataforseo"]()

        def target_page_with_the_link(request: httpx.Request) -> httpx.Response:
            answer = api.answer("page", request)
            if DataForSeoApi.task(request)["target"] != PLACEMENT_TARGET:
                return answer
            items = answer.json()["tasks"][0]["result"][0]["items"]
            rows = [
                (i["domain_from"], float(i["domain_from_rank"]), i["backlink_spam_score"] > 50)
                for i in items
            ]
            linked = DataForSeoApi.backlinks(PLACEMENT_TARGET, [*rows, (domain, 45.0, False)])
            return httpx.Response(200, json=linked)

        api.fail("page", target_page_with_the_link)

        def stand_in_provider(
            _settings: object, _default: str, sessions: Any, workspace: WorkspaceRef,
            **_options: object,
        ) -> Provider:  # fmt: skip
            inner = make_provider(
                "dataforseo", environ=ENVIRON["dataforseo"], transport=httpx.MockTransport(api)
            )
            return cached(inner, sessions, workspace)

        monkeypatch.setattr(campaign_refresh, "workspace_provider", stand_in_provider)
        clock = Clock(
            runtime, DigestSender(runtime, make_client(runtime.settings), owner="clock"),
            BackgroundScheduler(timezone="UTC"),
        )  # fmt: skip
        clock.refresh(placement.campaign_id)

        assert api.count("serp") == 1  # a whole analysis ran, not only the detection
        assert placement_row(app, placement.id).status == "live"
        _wait_for_updates(app, message, 2)
        notes = [reply.text for reply in app.slack.thread(SEO, message.ts)]
        assert any("provider now sees this site" in note for note in notes)


# -- withdraw -----------------------------------------------------------------------------


def test_the_proposer_withdraws_a_proposed_placement_and_votes_no_longer_decide_it(
    database_url: str,
) -> None:
    with (
        running_app(database_url) as app,
        serving_pages(app, {"/trail-shoes-review": ON_TOPIC_PAGE}, hosts=(PROSPECT_HOST,)) as s,
    ):
        track_campaign(app, approvers=(ANA, BEN))
        placement, message = propose(app, s, user=CHLOE)  # chloe proposes, not an approver

        said = _private_answer(app, f"withdraw {placement.id}", "U0STRANGER")
        assert said == (
            f"Only the person who proposed placement {placement.id} or an approver of its "
            "campaign can withdraw it."
        )
        assert placement_row(app, placement.id).status == "proposed"

        said = _private_answer(app, f"withdraw {placement.id}", CHLOE)
        assert said == (
            f"Placement {placement.id} is withdrawn: it no longer waits for approval and will "
            "not be marked live."
        )
        row = placement_row(app, placement.id)
        assert (row.status, row.decided_by) == ("withdrawn", [CHLOE])
        shown = _current(app, message)
        assert f":wastebasket: *Withdrawn* by <@{CHLOE}> on " in shown
        assert "Waiting for approval" not in shown
        (reply,) = app.slack.thread(SEO, message.ts)
        assert reply.text == f"Withdrawn by <@{CHLOE}>."

        # An approver's ✅ afterwards decides nothing, and is told why.
        app.react(message, APPROVE, BEN, event_id="Ev0AFTERWITHDRAW")
        assert placement_row(app, placement.id).status == "withdrawn"
        (note,) = [m for m in app.slack.ephemeral(BEN) if m.source == "chat.postEphemeral"]
        assert note.text == (
            f"Placement {placement.id} is already withdrawn, so your :white_check_mark: "
            "changes nothing."
        )
        # Nor can it be withdrawn twice, reopened or marked live.
        said = _private_answer(app, f"withdraw {placement.id}", BEN)
        assert f"Placement {placement.id} is withdrawn; only a proposed or approved" in said
        said = _private_answer(app, f"reopen {placement.id}", BEN)
        assert f"Placement {placement.id} is withdrawn; only approved or rejected" in said
        said = _private_answer(app, f"live {placement.id} {s.url('/x', PROSPECT_HOST)}", BEN)
        assert "only approved placements can go live" in said
        assert app.run_jobs() == 0


def test_an_approver_withdraws_an_approved_placement(database_url: str) -> None:
    with approved_placement(database_url) as (app, _server, placement, message):
        said = _private_answer(app, f"withdraw {placement.id}", BEN)
        assert said.startswith(f"Placement {placement.id} is withdrawn")
        assert placement_row(app, placement.id).status == "withdrawn"
        _wait_for_updates(app, message, 2)
        assert f"*Withdrawn* by <@{BEN}>" in _current(app, message)
        replies = [reply.text for reply in app.slack.thread(SEO, message.ts)]
        assert replies == [
            f"Placement {placement.id} approved by <@{BEN}>.",
            f"Withdrawn by <@{BEN}>.",
        ]
