"""A small, strict evaluator of the CloudWatch Logs JSON filter patterns the deck renders.

Importable as ``support.cloudwatch.metric_filter``. A metric filter goes in as the deck's
``metric_filters`` output shape (``pattern``, ``value``, ``dimensions``) and a log line goes
in as text; out comes what the filter publishes for that line. The subset: ``{ cond && cond
... }`` where a condition is ``$.path op "string"`` (``=``, ``!=``) or ``$.path op number``
(``=``, ``!=``, ``>``, ``<``, ``>=``, ``<=``); a missing key, null, text or a boolean fails a
numeric comparison; a line that is not a JSON object matches nothing. Anything else (``||``,
``IS NULL``, ``EXISTS``, space-delimited or term patterns) raises AssertionError rather than
passing silently. Semantics: the CloudWatch Logs User Guide, "Filter pattern syntax for
metric filters" > "Using metric filters to match terms in JSON log events".
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

__all__ = [
    "dimension_values",
    "is_number",
    "lookup",
    "matches",
    "metric_value",
    "pattern_conditions",
    "published",
    "referenced_keys",
]

_COND = re.compile(
    r"""^\$\.(?P<path>[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)\s*
        (?P<op>=|!=|>=|<=|>|<)\s*
        (?:"(?P<string>[^"]*)"|(?P<number>-?\d+(?:\.\d+)?))$""",
    re.VERBOSE,
)


def lookup(event: dict[str, Any], path: str) -> tuple[bool, Any]:
    """(found, value) at a dotted JSON path of an event."""
    value: Any = event
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            return False, None
        value = value[part]
    return True, value


def is_number(value: Any) -> bool:
    """A finite JSON number (a boolean is not one)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def pattern_conditions(pattern: str) -> list[re.Match[str]]:
    """Split ``{ $.a = "x" && $.b >= 0 }`` into its conditions; reject anything else."""
    m = re.fullmatch(r"\{\s*(.*?)\s*\}", pattern.strip())
    assert m, f"not a JSON filter pattern: {pattern!r}"
    assert "||" not in m.group(1), f"|| is outside the evaluated subset: {pattern!r}"
    conditions = []
    for part in m.group(1).split("&&"):
        cond = _COND.match(part.strip())
        assert cond, f"condition outside the evaluated subset: {part!r} in {pattern!r}"
        conditions.append(cond)
    return conditions


def matches(pattern: str, line: str) -> bool:
    """Evaluate a JSON filter pattern (the deck's subset) the way CloudWatch Logs does."""
    try:
        event = json.loads(line)
    except ValueError:
        return False
    if not isinstance(event, dict):
        return False
    for cond in pattern_conditions(pattern):
        found, value = lookup(event, cond["path"])
        if not found:
            return False
        op = cond["op"]
        if cond["string"] is not None:
            equal = isinstance(value, str) and value == cond["string"]
            if op not in ("=", "!="):
                return False
            if equal != (op == "="):
                return False
            continue
        if not is_number(value):  # null, text and booleans fail numeric comparisons
            return False
        target = float(cond["number"])
        ok = {
            "=": value == target,
            "!=": value != target,
            ">": value > target,
            "<": value < target,
            ">=": value >= target,
            "<=": value <= target,
        }[op]
        if not ok:
            return False
    return True


def metric_value(selector: str, line: str) -> float | None:
    """The value a metric transformation publishes for a matching line (None: nothing)."""
    if re.fullmatch(r"-?\d+(?:\.\d+)?", selector):
        return float(selector)
    assert selector.startswith("$."), selector
    found, value = lookup(json.loads(line), selector[2:])
    return float(value) if found and is_number(value) else None


def dimension_values(dimensions: dict[str, str] | None, line: str) -> dict[str, Any] | None:
    """Dimension values for a line; None when one is missing (no data point)."""
    out = {}
    for name, selector in (dimensions or {}).items():
        found, value = lookup(json.loads(line), selector[2:])
        if not found or not isinstance(value, str) or not value:
            return None
        out[name] = value
    return out


def published(filters: dict[str, dict[str, Any]], line: str) -> dict[str, float]:
    """Metric filter key -> value each filter publishes for the line."""
    out = {}
    for key, f in filters.items():
        if not matches(f["pattern"], line):
            continue
        value = metric_value(f["value"], line)
        if value is not None and dimension_values(f["dimensions"], line) is not None:
            out[key] = value
    return out


def referenced_keys(f: dict[str, Any]) -> set[str]:
    """The top-level keys a filter's pattern, value and dimensions read."""
    text = " ".join([f["pattern"], f["value"], *(f["dimensions"] or {}).values()])
    return {m.split(".")[0] for m in re.findall(r"\$\.([A-Za-z0-9_.]+)", text)}
