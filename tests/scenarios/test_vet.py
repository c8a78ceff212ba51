"""``/linkgap vet`` end to end (DESIGN section 3): inline and modal proposals, bad input, restarts.

A proposal is vetted on the job workers against a prospect page served on
loopback (through the real safe fetcher), stored once and posted once to the
campaign's approvals channel; bad input gets a clear answer and stores nothing.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

import bot.slack.jobs.vet as vet_job
from bot.jobs.worker import JobWorker
from bot.services.approvals import VETTING_MESSAGE
from bot.slack.jobs.vet import make_vet_handler
from bot.store.models import Job, JobStatus, Placement, SlackMessage
from bot.store.repositories.jobs import claim_job
from bot.store.types import utc_now
from tests.scenarios.harness import (
    ANA,
    BEN,
    GENERAL,
    ON_TOPIC_PAGE,
    PLACEMENT_KEYWORD,
    PLACEMENT_TARGET,
    PROSPECT_HOST,
    SEO,
    SlackApp,
    approval_message,
    blocks_of,
    plain_texts,
    propose,
    running_app,
    serving_pages,
    track_campaign,
)

PAGES = {"/trail-shoes-review": ON_TOPIC_PAGE}
CHECK_NAMES = (
    "domain-quality",
    "new-referring-domain",
    "topical-fit",
    "editorial-context",
    "page-relevance",
    "anchor",
)
VERDICT_ICONS = {"pass": ":white_check_mark:", "warn": ":warning:", "fail": ":x:"}
VET_JOB = Job.kind == "vet"
VETTING = SlackMessage.kind == VETTING_MESSAGE
USAGE = "/linkgap vet &lt;prospect-url&gt; &lt;target-url&gt;"


def _checks(placement: Any) -> dict[str, dict[str, str]]:
    return {check["name"]: check for check in placement.checks}


def _nothing_stored_or_posted(app: SlackApp) -> None:
    assert app.count(Placement) == 0
    assert app.count(Job, VET_JOB) == 0
    assert app.run_jobs() == 0
    assert app.slack.calls("chat.postMessage") == []


def test_vet_posts_one_approval_message_with_every_check_to_the_approvals_channel(
    database_url: str,
) -> None:
    with (
        running_app(database_url) as app,
        serving_pages(app, PAGES, hosts=(PROSPECT_HOST,)) as server,
    ):
        campaign = track_campaign(app)
        placement, message = propose(app, server, anchor="these trail shoe tests")

        assert placement.campaign_id == campaign.id
        assert placement.status == "proposed"
        assert placement.proposed_by == ANA
        assert placement.anchor == "these trail shoe tests"
        assert placement.placement_type == "in-content"
        checks = _checks(placement)
        assert list(checks) == list(CHECK_NAMES)
        assert checks["topical-fit"]["verdict"] == "pass"  # the served page is on topic
        assert checks["editorial-context"]["verdict"] == "pass"
        assert checks["page-relevance"]["verdict"] == "pass"

        (posted,) = app.slack.calls("chat.postMessage")
        assert posted.params["channel"] == SEO
        assert message.channel == SEO
        assert message.ts == posted.response["ts"]
        text = str(message.blocks)
        assert f"*Placement {placement.id}*" in text
        assert PLACEMENT_KEYWORD in text
        assert f"{PROSPECT_HOST}:{server.port}/trail-shoes-review" in text
        assert "example.com/trail-shoes" in text
        assert "“these trail shoe tests”" in text
        for name, check in checks.items():
            assert f"{VERDICT_ICONS[check['verdict']]} *{name}*: " in text, name
        assert "Proposed by <@U0STANDIN1>" in text
        assert "Waiting for approval" in text
        # How to approve, naming who can: ben, not ana (her own reaction would not count).
        assert f"(one approver): <@{BEN}> react :white_check_mark: to approve or :x: to reject" in (
            text
        )

        # The proposer hears the verdict privately; nothing lands in the channel they typed in.
        (told,) = app.slack.calls("response_url")
        assert told.params["response_type"] == "ephemeral"
        assert f"Placement {placement.id} vetted: *{placement.verdict}*" in told.params["text"]
        for shown in app.slack.messages(GENERAL, include_ephemeral=False):
            assert "Placement" not in str(shown.blocks)  # only the campaign's own report


@pytest.mark.parametrize(
    ("text", "says"),
    [
        (f'vet not-a-url {PLACEMENT_TARGET} "trail shoes"', "Give the prospect page's URL"),
        (f'vet ftp://blog.trailpost.com/x {PLACEMENT_TARGET} "shoes"', "http:// or https://"),
        (f'vet https://localhost/x {PLACEMENT_TARGET} "shoes"', "has no valid host name"),
        (
            f'vet https://blog.trailpost.com/{"p" * 2050} {PLACEMENT_TARGET} "shoes"',
            "the limit is 2048",
        ),
        (
            'vet https://blog.trailpost.com/x https://www.other-site.example/page "shoes"',
            "No campaign tracks a page on other-site.example",
        ),
        (
            f'vet https://blog.trailpost.com/x {PLACEMENT_TARGET} "{"a" * 301}"',
            "the limit is 300",
        ),
        (
            f'vet https://blog.trailpost.com/x {PLACEMENT_TARGET} "shoes" campaign 99',
            "There is no campaign 99",
        ),
        (
            f'vet https://blog.trailpost.com/x {PLACEMENT_TARGET} "great shoes" sponsored',
            "Unknown placement type 'sponsored'. Valid placement types: in-content, author-bio",
        ),
        ('vet https://blog.trailpost.com/x "great shoes"', "Give your target page's URL"),
        (f"vet https://blog.trailpost.com/x {PLACEMENT_TARGET}", "anchor text is missing"),
        (f'vet https://blog.trailpost.com/x {PLACEMENT_TARGET} ""', "anchor text is missing"),
        (
            f"vet https://blog.trailpost.com/x {PLACEMENT_TARGET} great shoes header",
            "Unknown placement type 'shoes header'",
        ),
        (
            f'vet https://blog.trailpost.com/x {PLACEMENT_TARGET} "shoes" header',
            "Unknown placement type 'header'",
        ),
        (
            f'vet http://169.254.169.254/latest/meta-data/ {PLACEMENT_TARGET} "shoes"',
            "is an IP address (169.254.169.254)",
        ),
        (f'vet http://2852039166/ {PLACEMENT_TARGET} "shoes"', "is an IP address"),
        (f'vet http://0251.0376.0251.0376/ {PLACEMENT_TARGET} "shoes"', "is an IP address"),
        (f'vet http://0xa9fea9fe/ {PLACEMENT_TARGET} "shoes"', "is an IP address"),
        (f'vet http://[::ffff:a9fe:a9fe]/ {PLACEMENT_TARGET} "shoes"', "is an IP address"),
        (
            f'vet https://shop.example.com/deals {PLACEMENT_TARGET} "shoes"',
            "is on your own site (example.com)",
        ),
        (
            f'vet blog.trailpost.com/x {PLACEMENT_TARGET} "shoes"',
            "did you mean `https://blog.trailpost.com/x`?",
        ),
        (
            f"vet https://a.example/x https://b.example/y {PLACEMENT_TARGET} shoes",
            "Give two URLs",
        ),
    ],
    ids=[
        "not-a-url",
        "ftp",
        "no-host",
        "url-too-long",
        "target-off-site",
        "anchor-too-long",
        "unknown-campaign",
        "unknown-placement-type",
        "one-url",
        "no-anchor",
        "empty-anchor",
        "unquoted-anchor-then-unknown-type",
        "unknown-type-header",
        "ip-dotted",
        "ip-decimal",
        "ip-octal",
        "ip-hex",
        "ip-v6-mapped",
        "own-site",
        "no-scheme",
        "three-urls",
    ],
)
def test_bad_inline_input_gets_a_clear_usage_answer_and_stores_nothing(
    database_url: str, text: str, says: str
) -> None:
    with running_app(database_url) as app:
        track_campaign(app)
        response = app.command(text)
        assert response.status_code == 200
        answer = response.json()
        assert answer["response_type"] == "ephemeral"
        assert says in answer["text"]
        assert USAGE in str(answer["blocks"])
        _nothing_stored_or_posted(app)


def test_vet_without_any_campaign_says_how_to_start_one(database_url: str) -> None:
    with running_app(database_url) as app:
        for text in ("vet", f'vet https://blog.trailpost.com/x {PLACEMENT_TARGET} "shoes"'):
            answer = app.command(text).json()
            assert answer["response_type"] == "ephemeral"
            assert "/linkgap track" in answer["text"]
        assert app.slack.calls("views.open") == []
        _nothing_stored_or_posted(app)


def test_the_words_after_the_anchor_are_the_placement_type_even_in_several_words(
    database_url: str,
) -> None:
    """``Author Bio`` and ``in content`` are types, never part of the anchor."""
    with (
        running_app(database_url) as app,
        serving_pages(app, PAGES, hosts=(PROSPECT_HOST,)) as server,
    ):
        track_campaign(app)
        prospect = server.url("/trail-shoes-review", PROSPECT_HOST)
        answer = app.command(f'vet {prospect} {PLACEMENT_TARGET} "great shoes" Author Bio').json()
        assert "“great shoes”" in answer["text"]
        assert "author-bio" in answer["text"]
        other = server.url("/trail-shoes-review?ref=2", PROSPECT_HOST)
        answer = app.command(f"vet {other} {PLACEMENT_TARGET} Example in content").json()
        assert "“Example”" in answer["text"]
        assert "in-content" in answer["text"]
        assert app.run_jobs() == 2
        content, bio = sorted(app.rows(Placement), key=lambda p: p.anchor)
        assert (bio.anchor, bio.placement_type) == ("great shoes", "author-bio")
        assert _checks(bio)["editorial-context"]["verdict"] == "warn"
        assert (content.anchor, content.placement_type) == ("Example", "in-content")


def test_a_target_off_the_campaign_site_fails_page_relevance_with_a_clear_verdict(
    database_url: str,
) -> None:
    with (
        running_app(database_url) as app,
        serving_pages(app, PAGES, hosts=(PROSPECT_HOST,)) as server,
    ):
        campaign = track_campaign(app)
        prospect = server.url("/trail-shoes-review", PROSPECT_HOST)
        off_site = "https://www.other-site.example/page"
        answer = app.command(f'vet {prospect} {off_site} "great shoes" campaign {campaign.id}')
        assert answer.json()["response_type"] == "ephemeral"
        assert app.run_jobs() == 1
        (placement,) = app.rows(Placement)
        relevance = _checks(placement)["page-relevance"]
        assert relevance["verdict"] == "fail"
        assert "example.com" in relevance["reason"]
        assert placement.verdict == "fail"
        message = approval_message(app, placement.id)
        assert ":x: *page-relevance*" in str(message.blocks)
        (job,) = app.rows(Job, VET_JOB)
        assert job.status == JobStatus.DONE.value


@pytest.mark.parametrize(
    "where",
    ["missing-page", "unresolvable-host", "not-html"],
)
def test_a_prospect_that_cannot_be_fetched_warns_topic_unknown(
    database_url: str, where: str
) -> None:
    pages: dict[str, str | tuple[str, str]] = {
        **PAGES,
        "/feed.json": ("application/json", '{"title": "trail running shoes"}'),
    }
    with (
        running_app(database_url) as app,
        serving_pages(app, pages, hosts=(PROSPECT_HOST,)) as server,
    ):
        track_campaign(app)
        prospect = {
            "missing-page": server.url("/gone", PROSPECT_HOST),
            "unresolvable-host": server.url("/x", "nowhere.trailpost.com"),
            "not-html": server.url("/feed.json", PROSPECT_HOST),
        }[where]
        answer = app.command(f'vet {prospect} {PLACEMENT_TARGET} "trail shoe tests" in-content')
        assert answer.json()["response_type"] == "ephemeral"
        assert app.run_jobs() == 1
        (placement,) = app.rows(Placement)
        fit = _checks(placement)["topical-fit"]
        assert fit["verdict"] == "warn"
        assert fit["reason"].startswith("The page could not be fetched (")
        assert fit["reason"].endswith("so its topic is unknown")
        assert placement.verdict in {"warn", "fail"}
        message = approval_message(app, placement.id)
        assert ":warning: *topical-fit*" in str(message.blocks)
        assert app.count(SlackMessage, VETTING) == 1


def _modal_values(campaign: str, prospect: str, anchor: str, kind: str) -> dict[str, Any]:
    def text(value: str) -> dict[str, Any]:
        return {"value": {"type": "plain_text_input", "value": value}}

    def choice(value: str) -> dict[str, Any]:
        option = {"text": {"type": "plain_text", "text": value}, "value": value}
        return {"value": {"type": "static_select", "selected_option": option if value else None}}

    return {
        "campaign": choice(campaign),
        "prospect_url": {"value": {"type": "url_text_input", "value": prospect}},
        "target_url": {"value": {"type": "url_text_input", "value": None}},
        "anchor": text(anchor),
        "placement_type": choice(kind),
        "note": text("Editor agreed to a contextual link."),
    }


def test_the_vet_modal_opens_with_the_campaigns_checks_fields_and_queues_the_vetting(
    database_url: str,
) -> None:
    with (
        running_app(database_url) as app,
        serving_pages(app, PAGES, hosts=(PROSPECT_HOST,)) as server,
    ):
        campaign = track_campaign(app)
        response = app.command("vet", user=BEN)
        assert response.status_code == 200
        (opened,) = app.slack.wait_for("views.open")
        assert opened.ok, opened.response
        view = app.slack.views()[-1]
        assert view["callback_id"] == "linkgap_vet"
        labels = plain_texts(blocks_of({"view": view}))
        assert f"{campaign.id} · {PLACEMENT_KEYWORD}" in labels
        assert {"in-content", "author-bio", "footer"} <= set(labels)

        unchosen = _modal_values("", server.url("/x", PROSPECT_HOST), "shoes", "in-content")
        answer = app.submit_view(view, unchosen, user=BEN).json()
        assert answer["errors"] == {"campaign": "Choose a campaign."}
        bad = _modal_values(str(campaign.id), "ftp://blog.trailpost.com/x", "a" * 301, "sponsored")
        refused = app.submit_view(view, bad, user=BEN)
        assert refused.status_code == 200
        answer = refused.json()
        assert answer["response_action"] == "errors"
        errors = answer["errors"]
        assert set(errors) == {"prospect_url", "anchor", "placement_type"}
        assert "http:// or https://" in errors["prospect_url"]
        assert "the limit is 300" in errors["anchor"]
        assert "Unknown placement type" in errors["placement_type"]
        for prospect, says in (
            ("http://169.254.169.254/latest/meta-data/", "is an IP address"),
            ("https://shop.example.com/deals", "on your own site"),
        ):
            values = _modal_values(str(campaign.id), prospect, "shoes", "in-content")
            answer = app.submit_view(view, values, user=BEN).json()
            assert says in answer["errors"]["prospect_url"]
        no_anchor = _modal_values(str(campaign.id), server.url("/x", PROSPECT_HOST), "", "footer")
        answer = app.submit_view(view, no_anchor, user=BEN).json()
        assert "anchor text is missing" in answer["errors"]["anchor"]
        gone = app.submit_view(
            view, _modal_values("999", server.url("/x", PROSPECT_HOST), "shoes", "in-content")
        )
        assert gone.json()["errors"] == {"campaign": "That campaign no longer exists."}
        assert app.count(Job, VET_JOB) == 0

        prospect = server.url("/trail-shoes-review", PROSPECT_HOST)
        good = _modal_values(str(campaign.id), prospect, "trail shoe tests", "author-bio")
        accepted = app.submit_view(view, good, user=BEN)
        assert accepted.status_code == 200
        assert accepted.content == b""  # a plain ack closes the modal
        assert app.count(Job, VET_JOB) == 1
        assert app.run_jobs() == 1
        (placement,) = app.rows(Placement)
        assert placement.proposed_by == BEN
        assert placement.target_url == PLACEMENT_TARGET  # left empty: the campaign's page
        assert placement.placement_type == "author-bio"
        assert placement.note == "Editor agreed to a contextual link."
        message = approval_message(app, placement.id)
        assert message.channel == SEO
        text = str(message.blocks)
        assert f"Proposed by <@{BEN}>" in text
        assert "Editor agreed to a contextual link." in text
        (posted,) = app.slack.calls("chat.postMessage")
        assert posted.params["channel"] == SEO


class WorkerDied(BaseException):
    """The process running the job went away (no ``except Exception`` sees it)."""


def test_a_vet_job_that_died_after_storing_posts_exactly_one_approval_message(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with (
        running_app(database_url) as app,
        serving_pages(app, PAGES, hosts=(PROSPECT_HOST,)) as server,
    ):
        track_campaign(app)
        prospect = server.url("/trail-shoes-review", PROSPECT_HOST)
        app.command(f'vet {prospect} {PLACEMENT_TARGET} "trail shoe tests" in-content')
        job = claim_job(app.runtime.sessions, "dead-host:1/0", lease=timedelta(seconds=30))
        assert job is not None

        def die(*args: Any, **kwargs: Any) -> Any:  # reached only once the placement is stored
            raise WorkerDied

        monkeypatch.setattr(vet_job, "client_for_workspace", die)
        with pytest.raises(WorkerDied):
            make_vet_handler(app.runtime)(job)
        monkeypatch.undo()
        (stored,) = app.rows(Placement)
        assert stored.job_id == job.id
        assert app.slack.calls("chat.postMessage") == []

        later = JobWorker(
            app.runtime.sessions,
            {"vet": make_vet_handler(app.runtime)},
            max_workers=2,
            clock=lambda: utc_now() + timedelta(minutes=2),
        )
        assert later.run_until_idle(timeout=60) == 1
        assert later.run_until_idle(timeout=60) == 0
        (row,) = app.rows(Job, VET_JOB)
        assert row.status == JobStatus.DONE.value
        assert row.attempts == 2
        (placement,) = app.rows(Placement)
        assert placement.id == stored.id
        (posted,) = app.slack.calls("chat.postMessage")
        assert posted.params["channel"] == SEO
        assert len(app.slack.messages(SEO, include_ephemeral=False)) == 1
        assert app.count(SlackMessage, VETTING) == 1
        assert approval_message(app, placement.id).ts == posted.response["ts"]

        # Running the finished job's handler yet again changes nothing either.
        make_vet_handler(app.runtime)(job)
        assert len(app.slack.calls("chat.postMessage")) == 1
        assert app.count(Placement) == 1


def test_the_same_page_proposed_again_links_to_the_open_placement(database_url: str) -> None:
    with (
        running_app(database_url) as app,
        serving_pages(app, PAGES, hosts=(PROSPECT_HOST,)) as server,
    ):
        track_campaign(app)
        first, message = propose(app, server)
        app.slack.clear_calls()
        prospect = server.url("/trail-shoes-review", PROSPECT_HOST)
        for again in (prospect, prospect.replace("http://", "http://www.") + "/"):
            answer = app.command(f'vet {again} {PLACEMENT_TARGET} "other words" footer').json()
            assert answer["response_type"] == "ephemeral"
            shown = str(answer["blocks"])
            assert f"This page is already placement {first.id} for this target (proposed)" in shown
            (permalink,) = app.slack.calls("chat.getPermalink")
            assert permalink.params["message_ts"] == message.ts
            assert f"<{permalink.response['permalink']}|see its approval message>" in shown
            app.slack.clear_calls()
        assert app.count(Job, VET_JOB) == 1
        assert len(app.rows(Placement)) == 1
