"""Shared fixtures: a clean environment and request binding (payload tests); the fake
Bedrock endpoint (capture tests); a fixed clock and a stubbed CloudWatch Logs client
(``genai-obs`` command tests)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import genai_observability as obs
import pytest
from botocore.stub import Stubber
from genai_observability import _context
from genai_observability.cli import _insights, _timerange
from support import ENV_VARS, FakeContext
from support.cli import NOW, FakeTime, logs_client
from support.fake_bedrock import FakeBedrock, bedrock_env


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test starts without the payload's environment variables and request binding."""
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    _context.follow_runtime(None)
    _context.bind_request(None)
    yield
    _context.follow_runtime(None)
    _context.bind_request(None)


@pytest.fixture(scope="module")
def bedrock_server() -> Iterator[FakeBedrock]:
    """The fake Bedrock on 127.0.0.1 (bedrock-runtime and the compatible APIs), one per module."""
    with FakeBedrock() as fake:
        yield fake


@pytest.fixture
def fake_bedrock(
    bedrock_server: FakeBedrock, monkeypatch: pytest.MonkeyPatch
) -> Iterator[FakeBedrock]:
    """The fake endpoint, reset, every new AWS client pointed at it; recording off after."""
    bedrock_server.reset()
    bedrock_env(monkeypatch, bedrock_server.url)
    yield bedrock_server
    obs.uninstrument_all()


@pytest.fixture
def lambda_context() -> FakeContext:
    return FakeContext()


@pytest.fixture
def fake_time(monkeypatch: pytest.MonkeyPatch) -> FakeTime:
    """The command's clock and sleep are a FakeTime; "now" is support.cli.NOW."""
    fake = FakeTime()
    monkeypatch.setattr(_insights, "_clock", fake.clock)
    monkeypatch.setattr(_insights, "_sleep", fake.sleep)
    monkeypatch.setattr(_timerange, "now", lambda: NOW)
    monkeypatch.delenv("GENAI_OBS_DECK", raising=False)
    return fake


@pytest.fixture
def stub(monkeypatch: pytest.MonkeyPatch, fake_time: FakeTime) -> Iterator[Stubber]:
    """The command's Logs client, stubbed; every queued answer must be used."""
    client = logs_client()
    calls: list[tuple[Any, Any]] = []

    def make_client(region: str | None = None, profile: str | None = None) -> Any:
        calls.append((region, profile))
        return client

    monkeypatch.setattr(_insights, "make_client", make_client)
    with Stubber(client) as stubber:
        stubber.make_client_calls = calls  # type: ignore[attr-defined]
        yield stubber
        stubber.assert_no_pending_responses()
