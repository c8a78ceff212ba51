"""Fixtures of the fetcher tests: sockets may reach the loopback servers and nothing else."""

from __future__ import annotations

import pytest

from . import ConnectionSpy


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> ConnectionSpy:
    """Allows connections to 127.0.0.1 only, and records every attempt."""
    connections = ConnectionSpy()
    connections.allowed.add("127.0.0.1")
    connections.install(monkeypatch)
    return connections
