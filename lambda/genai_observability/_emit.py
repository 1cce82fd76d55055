"""The line writer: sanitized values, one ``write`` call per JSON line, never an exception.

Everything here is on the hot path of every recorded call, so it is standard library only,
imports nothing heavy at import time (``json`` is loaded on first use by the slow path) and
keeps per-call work small:

* :func:`timestamp` formats ISO 8601 UTC with milliseconds, reusing the ``YYYY-MM-DDTHH:MM:SS``
  prefix for the whole second;
* :func:`json_str` escapes a string with the C encoder of the ``json`` module;
* :func:`write_line` takes a finished line (with its trailing newline) and writes it to
  ``sys.stdout`` with a single ``write`` call under a lock, so concurrent threads never
  interleave halves of lines. A missing, closed or broken stdout drops the line silently.

Sinks registered with :func:`add_sink` (used by :func:`genai_observability.capture`) see
every line before it is written.
"""

from __future__ import annotations

import _thread
import math
import sys
import time

try:  # the same class as collections.abc.Mapping, already loaded at interpreter start-up
    from _collections_abc import Mapping
except ImportError:  # pragma: no cover - other interpreters
    from collections.abc import Mapping

TYPE_CHECKING = False  # keep typing (~10 ms) out of the cold start
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

try:  # The C accelerator ships with CPython; the pure-Python fallback is equivalent.
    from _json import encode_basestring_ascii as _c_escape
except ImportError:  # pragma: no cover - other interpreters
    from json.encoder import encode_basestring_ascii as _c_escape

MAX_STRING = 1024
"""Longest string value kept in a line; longer values are cut and end with ``...``."""

MAX_KEY = 128
"""Longest attribute name kept in a line."""

MAX_ITEMS = 64
"""Most items kept from one list or mapping attribute value."""

MAX_DEPTH = 4
"""Deepest nesting kept in an attribute value; deeper values are stringified."""

MAX_LINE = 65536
"""Longest line written; a longer line loses its extra attributes (CloudWatch caps events)."""

_MAX_INT_BITS = 13000  # str() of larger ints raises (sys.int_info.default_max_str_digits)

_lock = _thread.RLock()  # re-entrant: a custom stdout that records must not deadlock
_sinks: list[Callable[[str], None]] = []
_ts_cache: tuple[int, str] = (-1, "")
_MS = tuple(f".{i:03d}Z" for i in range(1000))


def timestamp(now: float | None = None) -> str:
    """Return ``now`` (default: the current time) as ISO 8601 UTC with milliseconds and ``Z``.

    Args:
        now: Seconds since the epoch.

    Returns:
        A string such as ``2026-07-18T09:30:00.123Z``.
    """
    if now is None:
        now = time.time()
    ms = int(now * 1000)
    sec = ms // 1000
    cached = _ts_cache
    prefix = cached[1] if cached[0] == sec else ts_prefix(sec)
    return prefix + _MS[ms - sec * 1000]


def ts_prefix(sec: int) -> str:
    """Return ``YYYY-MM-DDTHH:MM:SS`` for ``sec`` (UTC), caching the latest second."""
    global _ts_cache
    prefix = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(sec))
    _ts_cache = (sec, prefix)
    return prefix


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
    return _c_escape(value)


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


_encoder: Callable[[Any], str] | None = None


def dumps(obj: Any) -> str:
    """Serialize an already cleaned object compactly (``,`` and ``:`` separators, ASCII)."""
    global _encoder
    if _encoder is None:
        import json

        _encoder = json.JSONEncoder(
            separators=(",", ":"), allow_nan=False, check_circular=False, default=to_str
        ).encode
    return _encoder(obj)


def write_line(line: str) -> bool:
    """Write one finished line (ending with a newline) to ``sys.stdout``; never raises.

    Args:
        line: A complete JSON line including its trailing ``"\\n"``.

    Returns:
        True when the line was handed to stdout, False when it was dropped.
    """
    if _sinks:
        for sink in tuple(_sinks):
            try:
                sink(line[:-1])
            except Exception:
                continue
    try:
        out = sys.stdout
        with _lock:
            out.write(line)
        return True
    except Exception:
        return False


def add_sink(sink: Callable[[str], None]) -> None:
    """Register ``sink`` to receive every emitted line (without its newline)."""
    with _lock:
        _sinks.append(sink)


def remove_sink(sink: Callable[[str], None]) -> None:
    """Unregister a sink added by :func:`add_sink`; unknown sinks are ignored."""
    with _lock:
        if sink in _sinks:
            _sinks.remove(sink)


_warned: set[str] = set()


def warn_once(key: str, message: str) -> None:
    """Write ``message`` to stderr once per ``key`` for the life of the process."""
    if key in _warned:
        return
    _warned.add(key)
    try:
        sys.stderr.write(f"genai_observability: {message}\n")
    except Exception:
        return
