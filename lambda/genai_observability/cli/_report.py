"""The deck's spend, latency and error summary computed from local JSON lines.

Input is what the payload prints: one JSON object per line, the contract's
``event = "llm_call"`` lines among others (Lambda's START/END/REPORT lines, other events,
``log_metric`` lines). Lines that are not JSON objects and events other than ``llm_call``
are skipped and counted.

Percentiles use the nearest-rank method: the p-th percentile of n sorted values is the
value at 1-based rank ``ceil(p / 100 * n)``, so it is always one of the observed values
(Logs Insights' ``pct()`` is approximate and may differ slightly on large sets).

Costs are summed exactly in decimal (each ``cost_usd`` read as its shortest decimal
text), then converted to float once: 0.1 + 0.2 gives 0.3, not 0.30000000000000004.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

MODEL_COLUMNS = (
    "model",
    "total_cost_usd",
    "calls",
    "total_input_tokens",
    "total_output_tokens",
    "total_cache_read_tokens",
    "total_cache_write_tokens",
    "errors",
    "unpriced_calls",
    "p50_ms",
    "p90_ms",
    "p99_ms",
    "cost_is_lower_bound",
)
"""Columns per model: the first five are those of the deck's ``cost-by-model`` question.

``cost_is_lower_bound`` is true when some of the calls had no price (``cost_usd`` null):
the cost shown is then what the priced calls cost, a lower bound."""
TOKEN_KEYS = ("input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens")
MAX_COUNT = 10**15
"""Largest token count, as in the payload (``_sanitize.MAX_COUNT``)."""
MAX_COST = 10**15
"""Largest ``cost_usd`` the report sums, in dollars."""
MAX_LATENCY_MS = 86_400_000
"""Longest ``latency_ms`` a call can take: one day. Generous on purpose: Bedrock's longest
documented inference takes up to 60 minutes (Amazon Nova user guide, "Important: Timeout
Configuration"); a Lambda invocation at most 15."""
ERROR_COLUMNS = ("error_type", "model", "errors")
TOTAL_LABEL = "TOTAL"
UNKNOWN_MODEL = "(none)"
UNKNOWN_ERROR = "(none)"


def percentile(values: list[int | float], p: float) -> int | float | None:
    """Return the nearest-rank percentile.

    Args:
        values: The observations (any order).
        p: The percentile, 0 < p <= 100.

    Returns:
        The value at rank ``ceil(p / 100 * n)`` of the sorted values, or None when empty.
    """
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def valid_counts(line: dict[str, Any]) -> bool:
    """Tell whether every number on a line is one a call can have.

    A token count is absent, null, or an integer from 0 to 10**15 (not a bool, a float
    or text); a numeric ``cost_usd`` is finite and from 0 to :data:`MAX_COST`; a
    ``latency_ms`` is absent, null (the payload's unknown), or a finite number from 0 to
    :data:`MAX_LATENCY_MS` (not a bool or text). A line breaking this is skipped, not
    summed, and counted.

    Args:
        line: The parsed llm_call line.

    Returns:
        True when every key of :data:`TOKEN_KEYS` is absent, null or a valid count.
    """
    for key in TOKEN_KEYS:
        value = line.get(key)
        if value is None:
            continue
        if type(value) is not int or not 0 <= value <= MAX_COUNT:
            return False
    latency = line.get("latency_ms")
    if latency is not None and (
        isinstance(latency, bool)
        or not isinstance(latency, int | float)
        or not 0 <= latency <= MAX_LATENCY_MS  # False for NaN
    ):
        return False
    cost = line.get("cost_usd")
    if isinstance(cost, int | float) and not isinstance(cost, bool):
        # A cost is at most MAX_COST dollars: more than 10**15 tokens could cost at any
        # published price; a negative, infinite or larger one is not a cost.
        return math.isfinite(cost) and 0 <= cost <= MAX_COST
    return True


def _int(value: Any) -> int:
    return value if type(value) is int else 0


def _number(value: Any) -> int | float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value if math.isfinite(value) else None


@dataclass
class ModelStats:
    """Running totals for one model.

    Attributes:
        model: The model id.
        calls: Number of llm_call lines.
        errors: Lines with ``status = "error"``.
        input_tokens: Sum of ``input_tokens``.
        output_tokens: Sum of ``output_tokens``.
        cache_read_tokens: Sum of ``cache_read_tokens``.
        cache_write_tokens: Sum of ``cache_write_tokens``.
        cost: Exact sum of non-null ``cost_usd`` (shown as null when no call had a price).
        unpriced_calls: Lines whose ``cost_usd`` is null or missing.
        latencies: Every ``latency_ms``.
    """

    model: str
    calls: int = 0
    errors: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0
    cost: Decimal = Decimal(0)
    unpriced_calls: int = 0
    latencies: list[int | float] = field(default_factory=list)

    def add(self, line: dict[str, Any]) -> None:
        """Count one llm_call line.

        Args:
            line: The parsed JSON object.
        """
        self.calls += 1
        if line.get("status") == "error":
            self.errors += 1
        self.input_tokens += _int(line.get("input_tokens"))
        self.output_tokens += _int(line.get("output_tokens"))
        self.cache_read_tokens += _int(line.get("cache_read_tokens"))
        self.cache_write_tokens += _int(line.get("cache_write_tokens"))
        cost = _number(line.get("cost_usd"))
        if cost is None:
            self.unpriced_calls += 1
        else:
            self.cost += Decimal(repr(cost))
        latency = _number(line.get("latency_ms"))
        if latency is not None:
            self.latencies.append(latency)

    def merge(self, other: ModelStats) -> None:
        """Add another model's totals into this one.

        Args:
            other: The totals to add.
        """
        self.calls += other.calls
        self.errors += other.errors
        self.input_tokens += other.input_tokens
        self.output_tokens += other.output_tokens
        self.cache_read_tokens += other.cache_read_tokens
        self.cache_write_tokens += other.cache_write_tokens
        self.cost += other.cost
        self.unpriced_calls += other.unpriced_calls
        self.latencies.extend(other.latencies)

    def row(self) -> dict[str, Any]:
        """Return the row shown for this model.

        Returns:
            A dict with the :data:`MODEL_COLUMNS`.
        """
        return {
            "model": self.model,
            "total_cost_usd": float(self.cost) if self.unpriced_calls < self.calls else None,
            "calls": self.calls,
            "total_input_tokens": self.input_tokens,
            "total_output_tokens": self.output_tokens,
            "total_cache_read_tokens": self.cache_read_tokens,
            "total_cache_write_tokens": self.cache_write_tokens,
            "errors": self.errors,
            "unpriced_calls": self.unpriced_calls,
            "p50_ms": percentile(self.latencies, 50),
            "p90_ms": percentile(self.latencies, 90),
            "p99_ms": percentile(self.latencies, 99),
            "cost_is_lower_bound": 0 < self.unpriced_calls < self.calls,
        }


@dataclass
class Report:
    """The summary of a JSON-lines stream.

    Attributes:
        models: Totals per model.
        errors: Failed calls per ``(error_type, model)``.
        lines: Lines read (blank lines excluded).
        llm_calls: Lines that were llm_call events.
        other_events: JSON objects that were not llm_call events.
        non_json: Lines that were not JSON objects (or nested too deeply to read).
        invalid_counts: llm_call lines skipped for a token count, cost or latency that no
            call can have.
    """

    models: dict[str, ModelStats] = field(default_factory=dict)
    errors: Counter[tuple[str, str]] = field(default_factory=Counter)
    lines: int = 0
    llm_calls: int = 0
    other_events: int = 0
    non_json: int = 0
    invalid_counts: int = 0

    def add_line(self, text: str) -> None:
        """Read one line.

        Args:
            text: The line, with or without its newline.
        """
        text = text.strip()
        if not text:
            return
        self.lines += 1
        try:
            line = json.loads(text)
        except (ValueError, RecursionError):  # RecursionError: nested too deeply
            self.non_json += 1
            return
        if not isinstance(line, dict):
            self.non_json += 1
            return
        if line.get("event") != "llm_call":
            self.other_events += 1
            return
        self.llm_calls += 1
        if not valid_counts(line):
            self.invalid_counts += 1
            return
        model = line.get("model")
        model = model if isinstance(model, str) and model else UNKNOWN_MODEL
        self.models.setdefault(model, ModelStats(model)).add(line)
        if line.get("status") == "error":
            error_type = line.get("error_type")
            error_type = error_type if isinstance(error_type, str) and error_type else UNKNOWN_ERROR
            self.errors[(error_type, model)] += 1

    def model_rows(self) -> list[dict[str, Any]]:
        """Rows per model, most expensive first (then by calls, then by name).

        Returns:
            One row per model.
        """
        ordered = sorted(self.models.values(), key=lambda m: (-m.cost, -m.calls, m.model))
        return [m.row() for m in ordered]

    def total_row(self) -> dict[str, Any]:
        """The total over all models (percentiles over all calls).

        Returns:
            A row labelled ``TOTAL``.
        """
        total = ModelStats(TOTAL_LABEL)
        for stats in self.models.values():
            total.merge(stats)
        return total.row()

    def error_rows(self) -> list[dict[str, Any]]:
        """Failed calls by error type and model, most frequent first.

        Returns:
            One row per ``(error_type, model)``.
        """
        ordered = sorted(self.errors.items(), key=lambda item: (-item[1], item[0]))
        return [
            {"error_type": error_type, "model": model, "errors": count}
            for (error_type, model), count in ordered
        ]

    def counts(self) -> dict[str, int]:
        """Line counts.

        Returns:
            ``lines``, ``llm_calls``, ``other_events``, ``non_json`` and
            ``invalid_counts``.
        """
        return {
            "lines": self.lines,
            "llm_calls": self.llm_calls,
            "other_events": self.other_events,
            "non_json": self.non_json,
            "invalid_counts": self.invalid_counts,
        }


def build_report(lines: Iterable[str]) -> Report:
    """Summarise JSON lines.

    Args:
        lines: The lines (a file object works).

    Returns:
        The report.
    """
    report = Report()
    for text in lines:
        report.add_line(text)
    return report
