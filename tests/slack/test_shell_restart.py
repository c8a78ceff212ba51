"""``linkgap shell`` as a person uses it over two sittings: a form filled in, then a restart.

The vet form is answered field by field through a pipe (with one answer the app
refuses, asked again), the shell is quit, and a second ``linkgap shell`` on the
same database approves the placement by reacting to the message posted in the
first: the stand-in's messages are kept beside the database.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

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


@pytest.fixture(scope="module")
def sittings(tmp_path_factory: pytest.TempPathFactory) -> tuple[Transcript, Transcript]:
    folder = tmp_path_factory.mktemp("restart")
    first = run_shell([TRACK, *VET_FORM], folder)
    placement = re.search(r"\[(\d+)\] #seo · linkgap\n.*Placement 1 for", first.stdout)
    assert placement, first.stdout
    second = run_shell(["as ben", f"+:white_check_mark: {placement.group(1)}"], folder)
    return first, second


def test_the_vet_form_is_filled_in_at_the_prompt_and_refusals_asked_again(
    sittings: tuple[Transcript, Transcript],
) -> None:
    first, _ = sittings
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
    sittings: tuple[Transcript, Transcript], tmp_path: Path
) -> None:
    first, second = sittings
    assert second.returncode == 0, second.stderr
    assert "from earlier sessions" in second.stdout
    reacted = second.answers[next(a for a in second.answers if a.startswith("+:"))]
    assert "Approved by @ben" in reacted
    assert "Placement 1 approved by @ben." in reacted
    kept = json.loads((first.folder / "shell.slack.json").read_text(encoding="utf-8"))
    assert kept["format"] == 1
    assert any("(warn, approved)" in m["text"] for m in kept["messages"])
