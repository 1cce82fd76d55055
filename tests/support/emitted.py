"""Helpers for the payload's line tests: read exactly one emitted line, match timestamps."""

from __future__ import annotations

import re
from typing import Any

import pytest

from support import strict_loads

TS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
"""ISO 8601 UTC with milliseconds and ``Z``, as every line's ``timestamp``."""

NOVA = "amazon.nova-micro-v1:0"
"""A model the bundled catalog prices."""


class _AnyTimestamp:
    def __eq__(self, other: object) -> bool:
        return isinstance(other, str) and bool(TS.match(other))


ANY_TS = _AnyTimestamp()
"""Equal to any string shaped like a line's timestamp."""


def one_line(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    """Parse stdout captured so far, which must be exactly one strict JSON line."""
    out = capsys.readouterr().out
    assert out.endswith("\n") and out.count("\n") == 1, out
    return strict_loads(out)
