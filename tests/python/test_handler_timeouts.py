"""The agent handler's Bedrock client ends a stuck call before the function's timeout.

A stalled call must become an ``error`` line (``ReadTimeoutError``), not a process that
Lambda kills with no line. Real HTTP to the fake Bedrock Runtime endpoint, which stalls.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from botocore.exceptions import ReadTimeoutError
from genai_observability import handler
from support import FakeContext, lines_of
from support.fake_bedrock import FakeBedrock, Reply, bedrock_env

NOVA = "amazon.nova-micro-v1:0"


class TimedContext(FakeContext):
    """A Lambda context that says how long the invocation has left."""

    def __init__(self, remaining_ms: int) -> None:
        super().__init__()
        self.remaining_ms = remaining_ms

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeBedrock]:
    with FakeBedrock() as server:
        bedrock_env(monkeypatch, server.url)
        handler.set_client(None)
        yield server
        handler.set_client(None)


def worst_case_s(limits: dict[str, Any]) -> float:
    attempts = limits["retries"]["total_max_attempts"]
    return attempts * (limits["connect_timeout"] + limits["read_timeout"]) + (attempts - 1) * 1.0


@pytest.mark.parametrize("timeout_s", [10, 11, 15, 17, 20, 30, 60, 120, 300, 900])
def test_client_limits_end_before_the_function_timeout(timeout_s: int) -> None:
    limits = handler.client_limits(timeout_s)
    assert limits["retries"]["mode"] == "standard"
    assert 1 <= limits["retries"]["total_max_attempts"] <= 2
    assert limits["read_timeout"] >= 5  # a useful wait for a model's answer
    assert worst_case_s(limits) <= timeout_s - 2


def test_client_limits_retry_once_when_there_is_time() -> None:
    assert handler.client_limits(60) == {
        "connect_timeout": 2.0,
        "read_timeout": 26.5,
        "retries": {"total_max_attempts": 2, "mode": "standard"},
    }
    assert handler.client_limits(10)["retries"]["total_max_attempts"] == 1


@pytest.mark.parametrize("bad", [None, "x", float("nan"), -5, 0])
def test_client_limits_survive_bad_timeouts(bad: Any) -> None:
    limits = handler.client_limits(bad)
    assert limits["read_timeout"] >= 1.0 and limits["connect_timeout"] > 0


def test_module_minimum_timeout_leaves_a_useful_read_timeout() -> None:
    assert handler.client_limits(handler.MIN_TIMEOUT_S)["read_timeout"] >= 5


def test_lambda_handler_records_a_stalled_call_as_a_read_timeout(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GENAI_MODEL_ID", NOVA)
    fake.push(Reply(delay_s=30))  # the model never answers within the invocation
    context = TimedContext(remaining_ms=4_000)  # 1 attempt, 1 s read timeout
    with pytest.raises(ReadTimeoutError):
        handler.lambda_handler({"prompt": "What is 2+2?"}, context)
    (line,) = lines_of(capsys.readouterr().out)
    assert line["status"] == "error" and line["error_type"] == "ReadTimeoutError"
    assert line["model"] == NOVA and line["request_id"] == context.aws_request_id
    assert 1000 <= line["latency_ms"] < 30_000
    assert len(fake.requests) == 1  # no retry: there was no time for one


def test_lambda_handler_client_uses_the_invocations_limits(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GENAI_MODEL_ID", NOVA)
    result = handler.lambda_handler({"prompt": "hi"}, TimedContext(remaining_ms=60_000))
    assert result["input_tokens"] == 12 and result["answer"] == "2 plus 2 is 4"
    config = handler._get_client().meta.config
    assert (config.connect_timeout, config.read_timeout) == (2.0, 26.5)
    assert config.retries == {"total_max_attempts": 2, "mode": "standard"}
    assert "genai-observability/" in fake.requests[0].headers["user-agent"]
