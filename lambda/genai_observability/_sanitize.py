"""The sanitizer: any value in, something that always encodes to strict JSON out; never raises.

Every value a caller hands the library passes through here before it reaches a line:

* :func:`to_str` / :func:`clean_str` / :func:`json_str`: strings cut to a limit (default
  :data:`MAX_STRING`, then ``...``), lone surrogates replaced, unprintable objects named;
* :func:`label`: a short optional string (a tier, a Region, a trace id) or None;
* :func:`count`: a token count (a non-negative number, floats rounded) or None;
* :func:`milliseconds`: a non-negative finite duration rounded to microseconds, or None;
* :func:`clean_value` / :func:`clean_attributes`: attribute values (NaN and infinities become
  ``None``, containers capped in items and depth, other objects their ``str()``).

Encoding is :mod:`genai_observability._strict_json`'s (``dumps``, ``escape`` and
``plain_number`` are re-exported here). Standard library only, nothing heavy at import.
"""

from __future__ import annotations

import math

from ._strict_json import dumps, escape, plain_number

try:  # the same class as collections.abc.Mapping, already loaded at interpreter start-up
    from _collections_abc import Mapping
except ImportError:  # pragma: no cover - other interpreters
    from collections.abc import Mapping

TYPE_CHECKING = False  # keep typing (~10 ms) out of the cold start
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "MAX_COUNT",
    "MAX_DEPTH",
    "MAX_ITEMS",
    "MAX_KEY",
    "MAX_STRING",
    "Mapping",
    "clean_attributes",
    "clean_str",
    "clean_value",
    "count",
    "dumps",
    "escape",
    "json_str",
    "label",
    "milliseconds",
    "plain_number",
    "to_str",
]

MAX_STRING = 1024
"""Longest string value kept in a line; longer values are cut and end with ``...``."""

MAX_KEY = 128
"""Longest attribute name kept in a line."""

MAX_ITEMS = 64
"""Most items kept from one list or mapping attribute value."""

MAX_DEPTH = 4
"""Deepest nesting kept in an attribute value; deeper values are stringified."""

MAX_COUNT = 10**15
"""Largest token count accepted; a larger one is not a count."""

_MAX_INT_BITS = 13000  # str() of larger ints raises (sys.int_info.default_max_str_digits)
_MAX_INT_MS = 10**12
_INF = math.inf


def clean_str(value: str, limit: int = MAX_STRING) -> str:
    """Return ``value`` cut to ``limit`` characters, with lone surrogates replaced.

    Args:
        value: Any string.
        limit: Longest result kept before the ``...`` marker.

    Returns:
        A string that encodes to UTF-8 and to strict JSON.
    """
    if len(value) > limit:
        value = value[:limit] + "..."
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            value = value.encode("utf-8", "replace").decode("utf-8")
    return value


def to_str(value: Any, limit: int = MAX_STRING) -> str:
    """Return a clean string for any value; never raises."""
    if type(value) is not str:
        try:
            value = str(value)
            if type(value) is not str:  # a __str__ returning a str subclass
                value = str.__str__(value)
        except Exception:
            try:
                value = f"<{type(value).__name__}>"
            except Exception:
                value = "<unrepresentable>"
    return clean_str(value, limit)


def json_str(value: Any, limit: int = MAX_STRING) -> str:
    """Return ``value`` as a JSON string literal (quotes included); never raises."""
    if type(value) is not str or len(value) > limit or not value.isascii():
        value = to_str(value, limit)
    return escape(value)


def label(value: Any, limit: int = 64) -> str | None:
    """Return a non-empty string cut like :func:`to_str` (``limit`` then ``...``), else None.

    For optional keys whose value is a word the caller may not know: anything that is not a
    non-empty string is left out rather than written.
    """
    if not isinstance(value, str) or not value:
        return None
    if type(value) is str and len(value) <= limit and value.isascii():
        return value
    return to_str(value, limit)


def count(value: Any) -> int | None:
    """Return a token count as an int (floats rounded), or None when it is not a valid count.

    A valid count is a number (not a bool) from 0 to :data:`MAX_COUNT`; NaN, infinities,
    negative numbers and anything else are not counts.
    """
    if type(value) is int:
        return value if 0 <= value <= MAX_COUNT else None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        if not 0 <= value <= MAX_COUNT:  # False for NaN
            return None
        return round(value)
    except Exception:
        return None


def milliseconds(value: Any) -> float | int | None:
    """Return a duration in ms rounded to 3 decimals, or None unless it is finite and >= 0."""
    if type(value) is float:
        return round(value, 3) if 0.0 <= value < _INF else None
    if type(value) is int and 0 <= value <= _MAX_INT_MS:
        return value
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        value = float(value)
    except Exception:
        return None
    if not 0.0 <= value < _INF:
        return None
    return round(value, 3)


def clean_value(value: Any, depth: int = 0) -> Any:
    """Return ``value`` as something the JSON encoder always accepts as strict JSON.

    Strings are cut to :data:`MAX_STRING`; NaN and infinities become ``None``; ints too large
    to print become ``None``; lists, tuples, sets and mappings are cleaned recursively (at most
    :data:`MAX_ITEMS` items, :data:`MAX_DEPTH` levels, mapping keys as strings); any other
    object becomes its ``str()``.

    Args:
        value: Any object.
        depth: Current nesting level.

    Returns:
        A JSON-safe value.
    """
    t = type(value)
    if t is str:
        return value if len(value) <= MAX_STRING and value.isascii() else clean_str(value)
    if value is None or t is bool:
        return value
    if t is int:
        return value if value.bit_length() <= _MAX_INT_BITS else None
    if t is float:
        return value if math.isfinite(value) else None
    try:
        if isinstance(value, bool):
            return bool(value)
        if isinstance(value, int):
            return clean_value(int(value), depth)
        if isinstance(value, float):
            return clean_value(float(value), depth)
        if isinstance(value, str):
            return clean_str(str.__str__(value))
        if depth < MAX_DEPTH:
            if isinstance(value, Mapping):
                out = {}
                for i, (k, v) in enumerate(value.items()):
                    if i >= MAX_ITEMS:
                        break
                    out[to_str(k, MAX_KEY)] = clean_value(v, depth + 1)
                return out
            if isinstance(value, (list, tuple, set, frozenset)):
                out_list = []
                for i, v in enumerate(value):
                    if i >= MAX_ITEMS:
                        break
                    out_list.append(clean_value(v, depth + 1))
                return out_list
    except Exception:
        pass
    if isinstance(value, (bytes, bytearray, memoryview)):
        return to_str(f"<{len(value)} bytes>")
    return to_str(value)


def clean_attributes(attributes: Mapping[Any, Any], reserved: frozenset[str]) -> dict[str, Any]:
    """Return the user attributes cleaned, without keys that would shadow ``reserved`` ones."""
    out: dict[str, Any] = {}
    try:
        for k, v in attributes.items():
            key = k if type(k) is str and len(k) <= MAX_KEY and k.isascii() else to_str(k, MAX_KEY)
            if key in reserved:
                continue
            out[key] = clean_value(v)
    except Exception:
        pass
    return out
