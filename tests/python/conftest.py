"""Shared fixtures for the payload tests: ``lambda/`` on sys.path, a clean environment."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
LAMBDA_DIR = REPO / "lambda"
if str(LAMBDA_DIR) not in sys.path:
    sys.path.insert(0, str(LAMBDA_DIR))

from genai_observability import _context  # noqa: E402

ENV_VARS = (
    "GENAI_SERVICE",
    "GENAI_MODEL_ID",
    "GENAI_PROMPT",
    "GENAI_MODEL_PRICES",
    "GENAI_LOG_CONTENT",
    "AWS_LAMBDA_FUNCTION_NAME",
)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"not strict JSON: {name}")


def strict_loads(line: str) -> Any:
    """json.loads that rejects NaN/Infinity (Python accepts them; CloudWatch does not)."""
    return json.loads(line, parse_constant=_reject_constant)


def lines_of(text: str) -> list[dict[str, Any]]:
    """Parse every line of captured stdout as strict JSON."""
    return [strict_loads(line) for line in text.splitlines() if line]


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test starts without the payload's environment variables and request binding."""
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)
    _context.bind_request(None)
    yield
    _context.bind_request(None)


class FakeContext:
    """The part of the Lambda context object the payload reads."""

    def __init__(self, request_id: str = "c0ffee00-0000-4000-8000-000000000001") -> None:
        self.aws_request_id = request_id
        self.function_name = "genai-agent"


@pytest.fixture
def lambda_context() -> FakeContext:
    return FakeContext()
