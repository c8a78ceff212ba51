"""The project's one error vocabulary.

Edges raise these; each surface turns them into a user message in exactly one
place (the CLI's exit codes, the Slack app's error handler). Messages are
written for the person who typed the command: what was wrong and how to do it
right. They never carry secrets or stack traces.
"""

from __future__ import annotations


class LinkgapError(Exception):
    """Base of every error whose message is fit to show a user."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class BadInput(LinkgapError):
    """The user's input (arguments, URLs, files) cannot be used as given."""

    exit_code = 2


class DataFileError(BadInput):
    """An uploaded or local data file (CSV export) is unreadable or of an unknown shape."""


class ConfigError(BadInput):
    """A setting in the environment is missing or malformed."""


class ProviderError(LinkgapError):
    """A data provider failed; nothing it answered is cached or reported as complete."""

    exit_code = 3

    def __init__(self, provider: str, message: str) -> None:
        super().__init__(message)
        self.provider = provider


class ProviderAuthError(ProviderError):
    """The provider rejected the credentials or the plan does not include the call."""


class ProviderRateLimited(ProviderError):
    """The provider kept answering 'too many requests' past the retry budget."""


class ProviderUnavailable(ProviderError):
    """Timeouts, connection errors or 5xx answers past the retry budget."""


class ProviderBadResponse(ProviderError):
    """The provider answered something that is not its documented shape."""


class FetchRefused(LinkgapError):
    """The safe fetcher refused a URL (private address, bad scheme, too large, ...)."""

    exit_code = 2
