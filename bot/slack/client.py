"""The Slack Web API client every part of the app uses.

One place sets the base URL (``SLACK_API_URL``: Slack, or the local stand-in)
and the retry handlers — connection errors and, explicitly, rate limits, which
slack_sdk does not retry by default.
"""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)

from bot.config import Settings


def make_client(settings: Settings, token: str | None = None) -> WebClient:
    bot_token = token or (
        settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    )
    return tokenless_client(settings, bot_token)


def tokenless_client(settings: Settings, token: str | None = None) -> WebClient:
    """A client holding only ``token`` (none by default): in OAuth mode each request's
    workspace supplies its own bot token, so the app's base client must carry none."""
    return WebClient(
        token=token,
        base_url=settings.slack_api_url,
        timeout=15,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=2),
            RateLimitErrorRetryHandler(max_retry_count=3),
        ],
    )
