"""Time ranges for ``--since`` and ``--until``.

Accepted forms:

* a duration back from now: ``90s``, ``30m``, ``24h``, ``7d``, ``2w``;
* ``now``, ``today`` (UTC midnight) and ``yesterday`` (UTC midnight of the day before);
* an ISO 8601 date or time: ``2025-01-31``, ``2025-01-31T12:00``, ``2025-01-31T12:00:00Z``,
  ``2025-01-31T12:00:00+02:00``. A time without an offset is UTC.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from ._errors import UsageError

_DURATION = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$", re.IGNORECASE)
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_HINT = (
    "use a duration such as 30m, 24h or 7d, 'today', 'now', "
    "or an ISO 8601 time such as 2025-01-31T12:00:00Z"
)

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
"""The earliest time StartQuery takes: its startTime and endTime are epoch seconds with
minimum 0 (CloudWatch Logs API model logs/2014-03-28, shape Timestamp: long, min 0)."""
_EPOCH_HINT = "Logs Insights takes times from 1970-01-01T00:00:00Z on"


def now() -> datetime:
    """Return the current time, aware, in UTC (replaced in tests).

    Returns:
        ``datetime.now(UTC)``.
    """
    return datetime.now(UTC)


def utc_midnight(now: datetime) -> datetime:
    """Return the start of ``now``'s day in UTC.

    Args:
        now: An aware datetime.

    Returns:
        Midnight UTC of that day.
    """
    now = now.astimezone(UTC)
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def parse_time(value: str, now: datetime, *, option: str = "time") -> datetime:
    """Parse one end of a time range.

    Args:
        value: The text given on the command line.
        now: The current time (aware), the anchor of durations.
        option: The option name, for the error message.

    Returns:
        An aware datetime in UTC.

    Raises:
        UsageError: When the text is none of the accepted forms.
    """
    text = value.strip()
    lowered = text.lower()
    if lowered == "now":
        return now.astimezone(UTC)
    if lowered == "today":
        return utc_midnight(now)
    if lowered == "yesterday":
        return utc_midnight(now) - timedelta(days=1)
    match = _DURATION.match(text)
    if match:
        amount, unit = int(match.group(1)), match.group(2).lower()
        try:
            moment = now.astimezone(UTC) - timedelta(**{_UNITS[unit]: amount})
        except OverflowError:
            raise UsageError(f"bad {option} {value!r}: the duration is too long") from None
        if moment < EPOCH:
            raise UsageError(f"bad {option} {value!r}: {_EPOCH_HINT}")
        return moment
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(f"bad {option} {value!r}: {_HINT}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        parsed = parsed.astimezone(UTC)
    except OverflowError:
        raise UsageError(f"bad {option} {value!r}: {_EPOCH_HINT}") from None
    if parsed < EPOCH:
        raise UsageError(f"bad {option} {value!r}: {_EPOCH_HINT}")
    return parsed


def parse_range(
    since: str | None,
    until: str | None,
    now: datetime,
    *,
    default_since: str = "24h",
) -> tuple[datetime, datetime]:
    """Parse ``--since`` and ``--until`` into a non-empty range.

    Args:
        since: The start, or None for ``default_since``.
        until: The end, or None for now.
        now: The current time (aware).
        default_since: The start used when ``since`` is None.

    Returns:
        ``(start, end)`` as aware UTC datetimes, start before end.

    Raises:
        UsageError: When either end is malformed or the range is empty.
    """
    start = parse_time(since if since is not None else default_since, now, option="--since")
    end = parse_time(until, now, option="--until") if until is not None else now.astimezone(UTC)
    if start >= end:
        raise UsageError(
            f"bad time range: --since {format_time(start)} is not before --until {format_time(end)}"
        )
    return start, end


def format_time(moment: datetime) -> str:
    """Format a datetime as ISO 8601 UTC to the second, with ``Z``.

    Args:
        moment: An aware datetime.

    Returns:
        For example ``2025-01-31T12:00:00Z``.
    """
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def epoch_seconds(start: datetime, end: datetime) -> tuple[int, int]:
    """Convert a range to the whole epoch seconds StartQuery takes, never narrowing it.

    Args:
        start: The start of the range.
        end: The end of the range.

    Returns:
        ``(floor(start), ceil(end))`` in seconds since the epoch.
    """
    start_s = int(start.timestamp() // 1)
    end_ts = end.timestamp()
    end_s = int(end_ts) if end_ts == int(end_ts) else int(end_ts // 1) + 1
    return start_s, end_s
