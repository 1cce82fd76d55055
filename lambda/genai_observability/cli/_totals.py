"""Totals and lower bounds: what every cost table shares.

* :func:`total_row` sums a result's additive columns (costs exactly, in decimal);
* a cost that leaves unpriced calls out is a lower bound: :func:`mark_unpriced` and
  :func:`mark_total` flag it (``cost_is_lower_bound``; a cost with every call unpriced is
  unknown, never 0), :func:`mark_lower_bound` shows it as ``>= $X`` in a table, and
  :func:`render_marked_table` draws such a table and says whether it needs
  :func:`lower_bound_note` under it.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from ._format import LOWER_BOUND, format_usd, render, to_number
from ._report import TOTAL_LABEL

__all__ = [
    "COST",
    "LOWER_BOUND_FLAG",
    "lower_bound_note",
    "mark_lower_bound",
    "mark_total",
    "mark_unpriced",
    "render_marked_table",
    "total_row",
]

COST = "total_cost_usd"
"""The cost column of the deck's cost-by-model question."""
LOWER_BOUND_FLAG = "cost_is_lower_bound"
"""The column that says a row's cost leaves unpriced calls out."""

_NOT_ADDITIVE = ("avg", "mean", "min", "max", "pct", "p50", "p90", "p95", "p99", "per_", "latency")


def _is_additive(column: str) -> bool:
    lowered = column.lower()
    return not any(part in lowered for part in _NOT_ADDITIVE)


def total_row(columns: list[str], rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Sum the additive numeric columns of rows (costs exactly, in decimal).

    Columns of averages, percentiles, minima, maxima, rates and latencies are left empty.
    The first column that is not numeric holds ``TOTAL``.

    Args:
        columns: The columns.
        rows: The rows, values as strings or numbers.

    Returns:
        The total row.
    """
    total: dict[str, Any] = {}
    label_column = None
    for column in columns:
        values = [row.get(column) for row in rows if row.get(column) not in (None, "")]
        numbers = [to_number(v) for v in values]
        if values and all(n is not None for n in numbers):
            if _is_additive(column):
                if all(isinstance(n, int) for n in numbers):
                    total[column] = sum(numbers)  # type: ignore[arg-type]
                else:
                    exact = sum((Decimal(str(v).strip()) for v in values), Decimal(0))
                    total[column] = float(exact)
        elif label_column is None:
            label_column = column
    total[label_column or columns[0]] = TOTAL_LABEL
    return total


def int_of(value: Any) -> int:
    """A cell as an int: its integer value, or 0."""
    number = to_number(value)
    return number if isinstance(number, int) else 0


def _marked(row: dict[str, Any], calls: int, count: int, cost: str) -> dict[str, Any]:
    new = {**row, "unpriced_calls": count, LOWER_BOUND_FLAG: 0 < count < calls}
    if calls and count >= calls:
        new[cost] = None
    return new


def mark_unpriced(
    rows: list[dict[str, Any]], unpriced: dict[str, int], *, cost: str = COST
) -> list[dict[str, Any]]:
    """Give cost-by-model rows ``unpriced_calls`` and ``cost_is_lower_bound``.

    A model some of whose calls are unpriced has a cost that is a lower bound; one whose
    calls are all unpriced has an unknown cost (None), never 0, whatever the query summed.

    Args:
        rows: The cost-by-model rows (``model``, ``calls``, the cost column).
        unpriced: Unpriced calls per model.
        cost: The cost column.

    Returns:
        New rows. The unpriced count is capped at the row's calls (lines that arrived
        between the two queries are not the cost query's).
    """
    marked = []
    for row in rows:
        calls = int_of(row.get("calls"))
        count = min(unpriced.get(str(row.get("model") or ""), 0), calls)
        marked.append(_marked(row, calls, count, cost))
    return marked


def mark_total(
    total: dict[str, Any], rows: list[dict[str, Any]], *, cost: str = COST
) -> dict[str, Any]:
    """The total row of rows marked by :func:`mark_unpriced`, marked the same way."""
    calls = sum(int_of(r.get("calls")) for r in rows)
    count = sum(r.get("unpriced_calls") or 0 for r in rows)
    return _marked(total, calls, count, cost)


def mark_lower_bound(
    row: dict[str, Any], cost: str = COST, flag: str = LOWER_BOUND_FLAG
) -> dict[str, Any]:
    """The row as a table shows it: a lower-bound cost as ``>= $X``."""
    amount = to_number(row.get(cost))
    if not row.get(flag) or amount is None:
        return row
    return {**row, cost: f"{LOWER_BOUND}{format_usd(amount)}"}


def lower_bound_note(column: str = "unpriced_calls") -> str:
    """The footnote under a table with a ``>=`` cost (as ``report`` prints it)."""
    return f">= : at least this much; some calls have no price (see {column})\n"


def render_marked_table(
    columns: Sequence[str],
    rows: list[dict[str, Any]],
    total: dict[str, Any] | None,
    *,
    cost: str = COST,
    flag: str = LOWER_BOUND_FLAG,
    missing: str = "-",
) -> tuple[str, bool]:
    """A table whose lower-bound costs show as ``>= $X`` (the flag column left out).

    Returns:
        The table, and whether any row (or the total) is a lower bound.
    """
    shown = [mark_lower_bound(row, cost, flag) for row in [*rows, *([total] if total else [])]]
    text = render(
        "table",
        [c for c in columns if c != flag],
        shown[:-1] if total else shown,
        total=shown[-1] if total else None,
        missing=missing,
    )
    return text, any(row.get(flag) for row in shown)
