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
* :func:`line_writer` builds, from one ordered list of fields, the function that makes a
  line's event dict and its JSON text together, stamps the time and writes it;
* :func:`warn_once` says a problem on stderr once per process.

What goes into a line is made safe by :mod:`genai_observability._sanitize`.
"""

from __future__ import annotations

import _thread
import sys
import time

from ._sanitize import escape, plain_number  # noqa: F401 - the generated writer uses both

TYPE_CHECKING = False  # keep typing (~10 ms) out of the cold start
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

__all__ = [
    "MAX_LINE",
    "add_sink",
    "line_writer",
    "remove_sink",
    "sinks",
    "timestamp",
    "warn_once",
    "write_line",
]

MAX_LINE = 65536
"""Longest line written; a longer line loses its extra attributes (CloudWatch caps events)."""

_lock = _thread.RLock()  # re-entrant: a custom stdout that records must not deadlock
_acquire = _lock.acquire
_release = _lock.release
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
    ms = int((time.time() if now is None else now) * 1000)
    sec = ms // 1000
    cached = _ts_cache
    return (cached[1] if cached[0] == sec else _prefix(sec)) + _MS[ms - sec * 1000]


def _prefix(sec: int) -> str:
    """Return ``YYYY-MM-DDTHH:MM:SS`` for ``sec`` (UTC), caching the latest second."""
    global _ts_cache
    prefix = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(sec))
    _ts_cache = (sec, prefix)
    return prefix


_JSON_OF = {
    # kind: how a value becomes JSON inside the line's f-string (VALUE stands for the key)
    "now": '"{VALUE}"',  # the current timestamp, made by the function itself
    "word": '"{VALUE}"',  # a str that needs no escaping (a fixed vocabulary word)
    "text": "{VALUE_json}",  # a str, escaped (the last one's JSON is remembered)
    "cached": "{VALUE_json}",  # a str whose JSON literal the caller passes as <key>_json
    "count": "{VALUE}",  # an int
    # a finite number or None: repr() unless it has an exponent (then plain_number)
    "number": "{'null' if VALUE is None else (VALUE_r if 'e' not in (VALUE_r := repr(VALUE))"
    " else plain_number(VALUE))}",
    "flag": "true",  # True
}
_KNOWN_JSON_OF = {  # the same, as an expression, for a key written only when known
    "word": "'\"' + VALUE + '\"'",
    "text": "escape(VALUE)",
    "cached": "VALUE_json",
    "count": "str(VALUE)",
    "number": "plain_number(VALUE)",
    "flag": "'true'",
}


_LOCALS = frozenset(
    {"cached", "event", "extra", "line", "make", "memo", "ms", "sec", "tail", "write"}
)  # names the generated line writer uses for itself


def line_writer(fields: tuple[tuple[str, str, Any], ...]) -> Callable[..., dict[str, Any]]:
    """Build ``write(*values, extra, tail) -> event`` from an ordered list of fields.

    Each field is ``(key, kind, when)``: ``kind`` is ``"literal"`` (a constant str or int,
    given in place of ``when``), ``"now"`` (the current timestamp), ``"word"``, ``"text"``,
    ``"cached"``, ``"count"``, ``"number"`` or ``"flag"`` (see ``_JSON_OF``); ``when`` is
    ``"always"`` or ``"known"`` (left out of the line and the event while the value is None).

    The function takes, positionally and in the order of ``fields``, the value of each key
    that is not a literal or ``now`` (followed by its JSON literal for "cached" keys), then
    ``extra`` (a dict appended to the event, or None) and ``tail`` (the same members as JSON
    text, ``,"k":v...``). It builds the event with one dict display and the line with one
    f-string, writes the line like :func:`write_line` and returns the event. It is generated
    once, so the hot path runs as fast as code written by hand while the key order lives
    only in ``fields``. The last JSON of each always-present "text" key is remembered, so a
    repeated model or operation is escaped once.
    """
    params: list[str] = []
    display: list[str] = []  # the dict display, up to the first run of several "known" keys
    split: list[tuple[int, str]] = []  # a lone "known" key inside the display: (where, key)
    later: list[str] = []  # statements that add the keys after it, in order
    parts: list[str] = []  # the line's f-string, between its braces
    memos: list[str] = []  # "text" keys: the last value and its JSON, reused when it repeats
    clock: list[str] = []  # the statements that make the "now" key's timestamp
    run: list[tuple[str, str]] = []  # consecutive "known" keys: (key, JSON expression)

    def flush_run() -> None:
        # One test for a run of "known" keys that are usually all None: the dict and the
        # line skip the whole run at once.
        if not run:
            return
        if len(run) == 1:
            key, value = run[0]
            if not later and not split:  # two displays, with and without it
                split.append((len(display), key))
            else:
                later.append(f"    if {key} is not None:\n        event[{key!r}] = {key}")
            parts.append("{" + f"'' if {key} is None else {value}" + "}")
        else:
            flag = f"_none{len(later)}"
            later.append(f"    {flag} = " + " and ".join(f"{key} is None" for key, _ in run))
            later.append(f"    if not {flag}:")
            later.extend(
                f"        if {key} is not None:\n            event[{key!r}] = {key}"
                for key, _ in run
            )
            joined = " + ".join(f"('' if {key} is None else {value})" for key, value in run)
            parts.append("{" + f"'' if {flag} else {joined}" + "}")
        run.clear()

    for key, kind, when in fields:
        member = f',"{key}":'
        if when != "known" or kind == "literal":
            flush_run()
        if kind == "literal":
            value = escape(when) if type(when) is str else str(int(when))
            if later:
                later.append(f"    event[{key!r}] = {when!r}")
            else:
                display.append(f"{key!r}: {when!r}")
            parts.append(member + value)
            continue
        if not key.isidentifier() or key.startswith("_") or key in _LOCALS:
            raise ValueError(f"field name {key!r} cannot be a parameter of the line writer")
        if kind == "now":
            clock = [
                "    ms = time.time_ns() // 1000000",
                "    sec = ms // 1000",
                "    cached = _ts_cache",
                f"    {key} = (cached[1] if cached[0] == sec else _prefix(sec)) + _MS[ms % 1000]",
            ]
        else:
            params.append(key)
        if kind == "cached":
            params.append(key + "_json")
        if when == "always":
            if later:
                later.append(f"    event[{key!r}] = {key}")
            else:
                display.append(f"{key!r}: {key}")
            parts.append(member + _JSON_OF[kind].replace("VALUE", key))
            if kind == "text":
                memos.append(key)
            continue
        value = _KNOWN_JSON_OF[kind].replace("VALUE", key)
        run.append((key, f"'{member}' + {value}"))
    flush_run()
    memo_code = [
        line.replace("VALUE", key)
        for key in memos
        for line in (
            "    memo = memo_VALUE",
            "    if VALUE == memo[0]:",
            "        VALUE_json = memo[1]",
            "    else:",
            "        VALUE_json = escape(VALUE)",
            "        memo_VALUE = (VALUE, VALUE_json)",
        )
    ]
    make_event = ["    event = {" + ", ".join(display) + "}"]
    if split:
        at, key = split[0]
        with_key = [*display[:at], f"{key!r}: {key}", *display[at:]]
        make_event = [
            f"    if {key} is None:",
            "    " + make_event[0],
            "    else:",
            "        event = {" + ", ".join(with_key) + "}",
        ]
    source = "\n".join(
        [
            "def make():",
            *(f"  memo_{key} = (None, 'null')" for key in memos),
            f"  def write({', '.join(params)}, extra, tail):",
            *(f"    nonlocal memo_{key}" for key in memos),
            *memo_code,
            *clock,
            *make_event,
            *later,
            "    if extra:",
            "        event.update(extra)",
            "    line = f'''{{" + "".join(parts)[1:] + "{tail}}}\\n'''",
            "    if _sinks:",
            "        write_line(line)",
            "    else:  # write_line without sinks, inline",
            "        try:",
            "            _acquire()  # _lock, without the context manager's cost",
            "            try:",
            "                sys.stdout.write(line)",
            "            finally:",
            "                _release()",
            "        except Exception:",
            "            pass",
            "    return event",
            "  return write",
        ]
    )
    namespace: dict[str, Any] = {}
    exec(compile(source + "\n", "<line writer>", "exec"), globals(), namespace)
    return namespace["make"]()


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
