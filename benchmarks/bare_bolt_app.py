"""The baseline of the ack benchmark: a minimal Bolt app whose ``/linkgap`` listener only acks.

DESIGN section 11 measures linkgap's slash-command acknowledgement against
"a minimal Bolt app that only acks, measured in the same run". This is that
app, built the way linkgap's is (a signing secret, a ``WebClient`` with the
bot token and ``SLACK_API_URL``, token verification on, so Bolt's
``auth.test`` at start-up goes to the local Slack stand-in) and served the
way linkgap is: gunicorn gthread workers, Bolt's WSGI adapter. Start it with

    SLACK_SIGNING_SECRET=… SLACK_BOT_TOKEN=… SLACK_API_URL=http://127.0.0.1:…/api/ \\
    python -m gunicorn benchmarks.bare_bolt_app:app --worker-class gthread …

The app is built at import, i.e. in each gunicorn worker after the fork.
"""

from __future__ import annotations

import os

from slack_bolt import Ack, App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

EVENTS_PATH = "/slack/events"


def build_bare_app() -> App:
    bolt = App(
        signing_secret=os.environ["SLACK_SIGNING_SECRET"],
        client=WebClient(
            token=os.environ["SLACK_BOT_TOKEN"],
            base_url=os.environ.get("SLACK_API_URL", "https://slack.com/api/"),
        ),
        raise_error_for_unhandled_request=False,
    )

    @bolt.command("/linkgap")
    def linkgap(ack: Ack) -> None:
        ack()

    return bolt


app = SlackRequestHandler(build_bare_app(), path=EVENTS_PATH)
