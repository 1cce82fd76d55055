"""Scenarios the transports' tests share: record with ``instrument_all``, script the fake
Bedrock to fail, make one call, and check the one line it wrote.

Each transport (botocore, aiobotocore, the Anthropic SDK over httpx) is asked the same
questions: is a throttled call the SDK retried one ``ok`` line, and is a failed call one
``error`` line with the error raised unchanged?
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import genai_observability as obs
import pytest

from support import lines_of
from support.fake_bedrock import FakeBedrock, Reply

if TYPE_CHECKING:
    from collections.abc import Callable


def retried_once(
    fake: FakeBedrock, capsys: pytest.CaptureFixture[str], call: Callable[[], Any]
) -> Any:
    """``call()`` after one scripted throttle: the SDK retried once and wrote one ok line.

    Returns what ``call()`` returned.
    """
    obs.instrument_all()
    fake.push(Reply(error="ThrottlingException", status=429))
    result = call()
    assert len(fake.requests) == 2  # the SDK retried once
    (line,) = lines_of(capsys.readouterr().out)
    assert line["status"] == "ok" and line["input_tokens"] == 12
    return result


def failed_call(
    fake: FakeBedrock,
    capsys: pytest.CaptureFixture[str],
    call: Callable[[], Any],
    raises: type[BaseException],
    *replies: Reply,
) -> tuple[pytest.ExceptionInfo[BaseException], dict[str, Any]]:
    """``call()`` after the scripted ``replies`` raises ``raises``: one line, the last error's.

    Returns what was raised and the line.
    """
    obs.instrument_all()
    fake.push(*replies)
    with pytest.raises(raises) as caught:
        call()
    (line,) = lines_of(capsys.readouterr().out)
    error = replies[-1].error or replies[-1].stream_error
    assert line["status"] == "error" and line["error_type"] == error
    return caught, line
