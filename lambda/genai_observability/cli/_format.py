"""Rendering of result rows as an aligned table, JSON or CSV.

Rows are dicts from column name to value; values are what Logs Insights returns (strings)
or Python numbers from the local report. In a table:

* columns whose name contains ``usd`` or ``cost`` are US dollars: ``$12.35`` from one
  dollar up (cents, thousands separators), three significant digits below one dollar
  (``$0.000123``, ``$0.0357``, ``$0.50``);
* other numbers get thousands separators (``12,345``; ``1,234.57``);
* columns holding only numbers (or lower-bound amounts, ``>= $1.23``) are right-aligned,
  the rest left-aligned;
* a missing value (None) is an empty cell, or the ``missing`` text given (``-``).

JSON turns numeric strings into numbers. JSON and CSV write values as they came, except that
numbers are plain decimals (``0.000051415``, never ``5.1415e-05``, like the payload's
lines) and booleans are ``true``/``false``.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

FORMATS = ("table", "json", "csv")

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_INTEGER = re.compile(r"^[+-]?\d+$")

_CENT = Decimal("0.01")

Row = Mapping[str, Any]


def is_usd_column(name: str) -> bool:
    """Tell whether a column holds US dollars (its name contains ``usd`` or ``cost``).

    Args:
        name: The column name.

    Returns:
        True for names such as ``cost_usd``, ``total_cost``, ``Total_USD``.
    """
    lowered = name.lower()
    return "usd" in lowered or "cost" in lowered


def to_number(value: Any) -> int | float | None:
    """Read a number from a cell value.

    Args:
        value: An int, a float or a string as Logs Insights returns it.

    Returns:
        The number, or None when the value is not a finite number (booleans are not numbers).
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, str):
        text = value.strip()
        if _INTEGER.match(text):
            return int(text)
        if _NUMBER.match(text):
            number = float(text)
            return number if math.isfinite(number) else None
    return None


def format_usd(amount: float) -> str:
    """Format an amount of US dollars for people, rounding half up on the shown digit.

    Args:
        amount: The amount.

    Returns:
        ``$12.35`` for 12.3456, ``$1,234.00`` for 1234, ``$0.000123`` for 0.000123,
        ``$0.0128`` for 0.01275, ``$0.50`` for 0.5, ``$0.00`` for 0, ``-$3.10`` for -3.1.
    """
    exact = Decimal(repr(amount)) if isinstance(amount, float) else Decimal(amount)
    sign = "-" if exact < 0 else ""
    value = abs(exact)
    if value >= 1 or value == 0:
        return f"{sign}${value.quantize(_CENT, rounding=ROUND_HALF_UP):,.2f}"
    # Below one dollar: three significant digits, at least two decimals, at most ten.
    decimals = min(10, max(2, 2 - value.adjusted()))
    rounded = value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if rounded == 0:
        return "$0.00"
    head, tail = f"{rounded:.{decimals}f}".split(".")
    return f"{sign}${head}.{tail.rstrip('0').ljust(2, '0')}"


def format_number(number: float) -> str:
    """Format a number that is not money, with thousands separators.

    Args:
        number: The number.

    Returns:
        ``12,345`` for integers (or integral floats), at most two decimals from one up
        (``1,234.57``, ``150.5``), three significant digits below one (``0.0123``).
    """
    if isinstance(number, int) or float(number).is_integer():
        return f"{int(number):,}"
    if abs(number) >= 1:
        return f"{number:,.2f}".rstrip("0").rstrip(".")
    return f"{number:.3g}"


def format_cell(column: str, value: Any, missing: str = "") -> str:
    """Format one table cell.

    Args:
        column: The column name (decides whether numbers are dollars).
        value: The cell value.
        missing: The text shown for None.

    Returns:
        The text shown in the table.
    """
    if value is None:
        return missing
    if value == "":
        return ""
    number = to_number(value)
    if number is None:
        return str(value)
    if is_usd_column(column):
        return format_usd(number)
    return format_number(number)


LOWER_BOUND = ">= "
"""The mark of a lower-bound amount in a table (``>= $1.23``): it aligns like a number."""


def _aligns_right(value: Any) -> bool:
    if isinstance(value, str) and value.startswith(LOWER_BOUND + "$"):
        return True
    return to_number(value) is not None


def columns_of(rows: Iterable[Row]) -> list[str]:
    """List the columns of rows in order of first appearance.

    Args:
        rows: The rows.

    Returns:
        Every key found, first-seen first.
    """
    seen: dict[str, None] = {}
    for row in rows:
        for key in row:
            seen.setdefault(key, None)
    return list(seen)


def render_table(
    columns: Sequence[str],
    rows: Sequence[Row],
    *,
    total: Row | None = None,
    missing: str = "",
) -> str:
    """Render rows as an aligned plain-text table.

    Args:
        columns: The columns, in order.
        rows: The rows.
        total: An optional total row, printed under a rule.
        missing: The text shown for None values.

    Returns:
        The table, one line per row, ending with a newline; ``(no results)`` when there
        are no rows.
    """
    if not rows:
        return "(no results)\n"
    body = [[format_cell(c, row.get(c), missing) for c in columns] for row in rows]
    footer = [format_cell(c, total.get(c), missing) for c in columns] if total is not None else None
    numeric = []
    for column in columns:
        present = [row.get(column) for row in rows if row.get(column) not in (None, "")]
        numeric.append(bool(present) and all(_aligns_right(v) for v in present))
    widths = [len(c) for c in columns]
    for line in [*body, *([footer] if footer else [])]:
        widths = [max(w, len(cell)) for w, cell in zip(widths, line, strict=True)]

    def fmt(cells: Sequence[str]) -> str:
        parts = [
            cell.rjust(width) if right else cell.ljust(width)
            for cell, width, right in zip(cells, widths, numeric, strict=True)
        ]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    lines = [fmt(columns), rule, *(fmt(line) for line in body)]
    if footer is not None:
        lines += [rule, fmt(footer)]
    return "\n".join(lines) + "\n"


def _json_value(value: Any) -> Any:
    if isinstance(value, str):
        number = to_number(value)
        return value if number is None else number
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def render_json(
    columns: Sequence[str],
    rows: Sequence[Row],
    *,
    total: Row | None = None,
    extra: Mapping[str, Any] | None = None,
) -> str:
    """Render rows as JSON.

    Args:
        columns: The columns, in order (missing values become null).
        rows: The rows.
        total: An optional total row.
        extra: Optional further top-level keys.

    Returns:
        A JSON list of row objects; or, when a total or extra keys are given, an object
        ``{"rows": [...], "total": {...}, ...}``. Ends with a newline.
    """
    items = [{c: _json_value(row.get(c)) for c in columns} for row in rows]
    document: Any = items
    if total is not None or extra:
        document = {"rows": items}
        if total is not None:
            document["total"] = {c: _json_value(total.get(c)) for c in columns}
        if extra:
            document.update(extra)
    return _dumps_plain(document) + "\n"


def _dumps_plain(document: Any) -> str:
    """``json.dumps`` with floats as plain decimals (``0.000051415``, not ``5.1415e-05``)."""
    from .._strict_json import dumps  # the payload's one encoder (a leaf module)

    return dumps(document, indent=2, ensure_ascii=False)


def plain_decimal(value: Any) -> Any:
    """Write a number without an exponent, as the payload's lines do.

    Args:
        value: A cell value.

    Returns:
        ``"0.000051415"`` for ``5.1415e-05`` (float or numeric text), ``"true"``/``"false"``
        for booleans; other values unchanged.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and math.isfinite(value):
        text = repr(value)
    elif isinstance(value, str) and "e" in value.lower() and to_number(value) is not None:
        text = value.strip()
    else:
        return value
    plain = format(Decimal(text), "f")
    if "." in plain:
        plain = plain.rstrip("0").rstrip(".") or "0"
    return plain


def render_csv(
    columns: Sequence[str],
    rows: Sequence[Row],
    *,
    total: Row | None = None,
) -> str:
    """Render rows as CSV with a header line (the total row last, when given).

    Args:
        columns: The columns, in order.
        rows: The rows.
        total: An optional total row.

    Returns:
        The CSV text with ``\\n`` line ends.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in [*rows, *([total] if total is not None else [])]:
        writer.writerow(["" if row.get(c) is None else plain_decimal(row.get(c)) for c in columns])
    return buffer.getvalue()


def render(
    fmt: str,
    columns: Sequence[str],
    rows: Sequence[Row],
    *,
    total: Row | None = None,
    extra: Mapping[str, Any] | None = None,
    missing: str = "",
) -> str:
    """Render rows in one of :data:`FORMATS`.

    Args:
        fmt: ``table``, ``json`` or ``csv``.
        columns: The columns, in order.
        rows: The rows.
        total: An optional total row.
        extra: Optional further top-level keys (JSON only).
        missing: The text a table shows for None values.

    Returns:
        The rendered text, ending with a newline.
    """
    if fmt == "json":
        return render_json(columns, rows, total=total, extra=extra)
    if fmt == "csv":
        return render_csv(columns, rows, total=total)
    return render_table(columns, rows, total=total, missing=missing)


def format_bytes(count: float) -> str:
    """Format a byte count with decimal units (``12.3 MB``).

    Args:
        count: The number of bytes.

    Returns:
        The count in B, kB, MB, GB or TB.
    """
    value = float(count)
    for unit in ("B", "kB", "MB", "GB"):
        if abs(value) < 1000:
            return f"{int(value)} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} TB"
