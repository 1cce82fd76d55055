"""The line writer and its sinks: one ``write`` call per JSON line, never an exception.

Everything here is on the hot path of every recorded call, so it is standard library only
and keeps per-call work small:

* :func:`timestamp` formats ISO 8601 UTC with milliseconds, reusing the ``YYYY-MM-DDTHH:MM:SS``
  prefix for the whole second;
* :func:`write_line` takes a finished line (with its trailing newline), hands it to every
  sink registered with :func:`add_sink` (used by :func:`genai_observability.capture`), then
  writes it to ``sys.stdout`` with a single ``write`` call under a lock, so concurrent
  threads never interleave halves of lines. A missing, closed or broken stdout drops the line
  silently;
* :func:`warn_once` says a problem on stderr once per process.

What goes into a line is made safe by :mod:`genai_observability._sanitize` and encoded by
:mod:`genai_observability._strict_json`.
"""

from __future__ import annotations

import _thread
import sys
import time

TYPE_CHECKING = False  # keep typing (~10 ms) out of the cold start
if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "MAX_LINE",
    "add_sink",
    "remove_sink",
    "sinks",
    "timestamp",
    "warn_once",
    "write_line",
]

MAX_LINE = 65536
"""Longest line written; a longer line loses its extra attributes (CloudWatch caps events)."""

_lock = _thread.RLock()  # re-entrant: a custom stdout that records must not deadlock
_sinks: list[Callable[[str], None]] = []
_ts_cache: tuple[int, str] = (-1, "")  # (second, its prefix), replaced whole
_MS = tuple(f".{i:03d}Z" for i in range(1000))


def timestamp(now: float | None = None) -> str:
    """Return ``now`` (default: the current time) as ISO 8601 UTC with milliseconds and ``Z``.

    Args:
        now: Seconds since the epoch.

    Returns:
        A string such as ``2026-07-18T09:30:00.123Z``.
    """
    ms = time.time_ns() // 1_000_000 if now is None else int(now * 1000)
    sec = ms // 1000
    cached_second, prefix = _ts_cache
    if cached_second != sec:
        prefix = _prefix(sec)
    return prefix + _MS[ms - sec * 1000]


def _prefix(sec: int) -> str:
    """Return ``YYYY-MM-DDTHH:MM:SS`` for ``sec`` (UTC), caching the latest second."""
    global _ts_cache
    prefix = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(sec))
    _ts_cache = (sec, prefix)
    return prefix


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


def sinks() -> tuple[Callable[[str], None], ...]:
    """Return the sinks registered now, in order."""
    return tuple(_sinks)


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
