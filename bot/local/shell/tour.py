"""``linkgap shell --tour``: a first-time user's walk through gap → track → vet → approve → digest.

Each step says what is about to happen, waits for Enter (at a terminal; piped or in
a test it runs straight through) and types its lines into the shell as a user
would, so the tour shows the real app's real answers on the demo's sample data.
A line can depend on what happened before (which message to react to), so it is
written when its step runs.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.local.shell import Shell

KEYWORD = "trail running shoes"
PAGE = "https://www.example.com/trail-shoes"
ON_TOPIC = "https://www.runnersweekly.com/trail-running-shoes-review"
OFF_TOPIC = "https://sourdoughkitchen.com/recipes/starter"

Line = str | Callable[["Shell"], str]


@dataclass(frozen=True)
class Step:
    """One stop of the tour: what it shows, and the lines typed to show it."""

    title: str
    explanation: str
    lines: tuple[Line, ...]


def latest_seq(shell: Shell, marker: str) -> int:
    """The number of the newest message that mentions ``marker`` (what a user would look up)."""
    for message in reversed(shell.standin.messages(include_ephemeral=False)):
        if marker in json.dumps(shell.standin.snapshot(message), ensure_ascii=False):
            return message.seq
    raise LookupError(f"no message mentions {marker!r}")


def placement_number(shell: Shell, prospect: str) -> int:
    """The placement proposed for ``prospect``, read from its vetting message."""
    message = shell.standin.message_by_seq(latest_seq(shell, prospect))
    if message is None:
        raise LookupError(f"the vetting message of {prospect} is gone")
    after = json.dumps(shell.standin.snapshot(message)).split("Placement ", 1)[1]
    return int(after.split(" ", 1)[0])


STEPS: tuple[Step, ...] = (
    Step(
        "The link gap",
        "How many quality referring domains your page needs to rank, measured against the "
        "weakest comparable pages that outrank it, and the sites that could close the gap.",
        (f'/linkgap gap "{KEYWORD}" {PAGE}',),
    ),
    Step(
        "Track a campaign",
        "A campaign refreshes the data daily, posts a weekly digest in #seo and sends proposed "
        "placements to the approver you name (ben).",
        (f'/linkgap track "{KEYWORD}" {PAGE} #seo approvers @ben', "in #seo"),
    ),
    Step(
        "Vet an off-topic prospect",
        "A sourdough recipe page for a running-shoe campaign: the sample web serves the page "
        "and the relevance check reads it.",
        (f'/linkgap vet {OFF_TOPIC} {PAGE} "trail shoes guide" in-content',),
    ),
    Step(
        "Vet an on-topic prospect",
        "A running magazine's review of trail running shoes: relevant, so it can go to the "
        "approver.",
        (f'/linkgap vet {ON_TOPIC} {PAGE} "trail shoes guide" in-content',),
    ),
    Step(
        "Approve it, then check it is live",
        "ben approves with ✅ on the vetting message; once the link is published, /linkgap live "
        "fetches the page and checks that it links to your page.",
        (
            "as ben",
            lambda shell: f"+:white_check_mark: {latest_seq(shell, ON_TOPIC)}",
            "as ana",
            lambda shell: f"/linkgap live {placement_number(shell, ON_TOPIC)} {ON_TOPIC}",
        ),
    ),
    Step(
        "The weekly digest",
        "What the channel gets every week: growth, the gap left, approvals, one next step and "
        "a chart (written to the attachments folder).",
        ("/linkgap digest",),
    ),
)


def tour_lines(shell: Shell, pause: Callable[[str], object]) -> Iterator[str]:
    """The tour's lines for ``shell``; ``pause`` is called before each step (Enter to go on)."""
    for number, step in enumerate(STEPS, start=1):
        shell.console.print()
        shell.say(f"── Tour {number}/{len(STEPS)}: {step.title}")
        shell.say(f"   {step.explanation}")
        pause("   press Enter to run it ")
        for line in step.lines:
            yield line if isinstance(line, str) else line(shell)
    shell.console.print()
    shell.say("── End of the tour. Type your own commands now (help lists them), or quit.")
