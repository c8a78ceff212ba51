"""``linkgap shell`` as a person uses it over three sittings: forms, restarts, a button.

The vet form is answered field by field through a pipe (with one answer the app
refuses, asked again) and an off-topic prospect is vetted inline; the shell is
quit, and a second ``linkgap shell`` on the same database approves the first
placement by reacting to the message posted in the first sitting (the
stand-in's messages are kept beside the database). Its ✅ on the off-topic one
is held with an "Approve anyway" button, which a third sitting presses.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.slack.test_shell import KEYWORD, TARGET, Transcript, run_shell

TRACK = f'/linkgap track "{KEYWORD}" {TARGET} #seo approvers @ben'
VET_FORM = [
    "/linkgap vet",
    "1",  # campaign
    "http://169.254.169.254/latest/meta-data/",  # refused by the app: asked again below
    "",  # target: the campaign's page
    "trail shoes",
    "author bio",
    "",  # no note
    "https://www.runnersweekly.com/trail-running-shoes-review",
]
OFF_TOPIC = (
    "/linkgap vet https://www.sourdoughkitchen.com/recipes/starter "
    f'{TARGET} "trail shoes" campaign 1'
)


def message_number(transcript: Transcript, pattern: str) -> str:
    """The [N] of the message whose first line matches ``pattern``."""
    found = re.search(r"\[(\d+)\] #seo · linkgap\n\s*(?:👁 only visible to you\s*\n\s*)?" + pattern,
                      transcript.stdout)  # fmt: skip
    assert found, transcript.stdout
    return found.group(1)


@pytest.fixture(scope="module")
def sittings(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Transcript, Transcript, Transcript]:
    folder = tmp_path_factory.mktemp("restart")
    first = run_shell([TRACK, *VET_FORM, OFF_TOPIC], folder)
    on_topic = message_number(first, r".*Placement 1 for")
    off_topic = message_number(first, r".*Placement 2 for")
    second = run_shell(
        ["as ben", f"+:white_check_mark: {on_topic}", f"+:white_check_mark: {off_topic}"], folder
    )
    held = message_number(second, r"⚠ Placement 2 failed vetting")
    third = run_shell(["as ben", f"press {held}.1"], folder)
    return first, second, third


def test_the_vet_form_is_filled_in_at_the_prompt_and_refusals_asked_again(
    sittings: tuple[Transcript, Transcript, Transcript],
) -> None:
    first = sittings[0]
    assert first.returncode == 0, first.stderr
    answer = first.answers["/linkgap vet"]
    assert "Propose a placement (modal)" in answer
    assert "Page that would link to you: http://169.254.169.254/latest/meta-data/" in answer
    assert "   Page that would link to you: " in answer  # the app's reason, under the field
    assert answer.count("Page that would link to you") >= 3  # asked, refused, asked again
    assert "submitted; the form closed" in answer
    assert "Placement 1 for trail running shoes" in answer
    assert "author-bio" in answer
    assert "169.254" not in answer.split("submitted; the form closed")[1]


def test_a_restarted_shell_keeps_the_messages_and_reactions_still_approve(
    sittings: tuple[Transcript, Transcript, Transcript],
) -> None:
    first, second, _ = sittings
    assert second.returncode == 0, second.stderr
    assert "from earlier sessions" in second.stdout
    reacted = second.answers[next(a for a in second.answers if a.startswith("+:"))]
    assert "Approved by @ben" in reacted
    assert "Placement 1 approved by @ben." in reacted
    kept = json.loads((first.folder / "shell.slack.json").read_text(encoding="utf-8"))
    assert kept["format"] == 1
    assert any("(warn, approved)" in m["text"] for m in kept["messages"])


def test_a_button_shown_before_a_restart_is_pressed_after_it(
    sittings: tuple[Transcript, Transcript, Transcript],
) -> None:
    _, second, third = sittings
    assert re.search(r"\[ \d+\.1 Approve anyway \]", second.stdout)
    assert third.returncode == 0, third.stderr
    pressed = third.answers[next(a for a in third.answers if a.startswith("press "))]
    assert "Approved by @ben" in pressed
    assert "Placement 2 approved anyway by @ben although vetting failed: topical-fit." in pressed
