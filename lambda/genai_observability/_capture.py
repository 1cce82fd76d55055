"""A capture helper for tests: collect the events this library emits."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from . import _emit


class CapturedEvents(list[dict[str, Any]]):
    """The events emitted inside a :func:`capture` block, in order, parsed from their lines."""

    @property
    def llm_calls(self) -> list[dict[str, Any]]:
        """The ``llm_call`` events."""
        return [e for e in self if e.get("event") == "llm_call"]

    def metrics(self, name: str | None = None) -> list[dict[str, Any]]:
        """The ``log_metric`` events, optionally only those of metric ``name``."""
        return [e for e in self if "metric" in e and (name is None or e["metric"] == name)]


@contextmanager
def capture() -> Iterator[CapturedEvents]:
    """Collect every line emitted while the block runs, as parsed JSON objects.

    The lines are still written to stdout. Capture is process-wide: lines emitted by other
    threads during the block are collected too.

    Yields:
        A list of event dicts, filled as lines are emitted.

    Example:
        >>> from genai_observability import capture, record_llm_call
        >>> with capture() as events:
        ...     _ = record_llm_call("amazon.nova-micro-v1:0", 10, 5, 12.5)  # doctest: +SKIP
        >>> events.llm_calls[0]["cost_usd"]  # doctest: +SKIP
        1.05e-06
    """
    events = CapturedEvents()

    def sink(line: str) -> None:
        events.append(json.loads(line))

    _emit.add_sink(sink)
    try:
        yield events
    finally:
        _emit.remove_sink(sink)
