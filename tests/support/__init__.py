"""Helpers shared by the test suites, importable as ``support`` (pytest's ``pythonpath``).

Fixtures stay in each suite's ``conftest.py``; plain functions and classes live here so
test modules import them by name instead of from a conftest.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
LAMBDA_DIR = REPO / "lambda"

ENV_VARS = (
    "GENAI_SERVICE",
    "GENAI_MODEL_ID",
    "GENAI_PROMPT",
    "GENAI_MODEL_PRICES",
    "GENAI_LOG_CONTENT",
    "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "_X_AMZN_TRACE_ID",
)
"""The payload's environment variables; every payload test starts without them."""


def _reject_constant(name: str) -> Any:
    raise ValueError(f"not strict JSON: {name}")


def strict_loads(line: str) -> Any:
    """json.loads that rejects NaN/Infinity (Python accepts them; CloudWatch does not)."""
    return json.loads(line, parse_constant=_reject_constant)


def lines_of(text: str) -> list[dict[str, Any]]:
    """Parse every line of captured stdout as strict JSON."""
    return [strict_loads(line) for line in text.splitlines() if line]


class FakeContext:
    """The part of the Lambda context object the payload reads."""

    def __init__(self, request_id: str = "c0ffee00-0000-4000-8000-000000000001") -> None:
        self.aws_request_id = request_id
        self.function_name = "genai-agent"
