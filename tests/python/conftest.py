"""Shared fixtures for the payload tests: a clean environment and request binding."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from genai_observability import _context
from support import ENV_VARS, FakeContext


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test starts without the payload's environment variables and request binding."""
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    _context.bind_request(None)
    yield
    _context.bind_request(None)


@pytest.fixture
def lambda_context() -> FakeContext:
    return FakeContext()
