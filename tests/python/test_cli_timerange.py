"""Tests of genai_observability.cli._timerange: --since / --until parsing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from genai_observability.cli._errors import UsageError
from genai_observability.cli._timerange import (
    epoch_seconds,
    format_time,
    parse_range,
    parse_time,
    utc_midnight,
)

NOW = datetime(2025, 6, 14, 15, 42, 10, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("30m", NOW - timedelta(minutes=30)),
        ("24h", NOW - timedelta(hours=24)),
        ("7d", NOW - timedelta(days=7)),
        ("2w", NOW - timedelta(weeks=2)),
        ("90s", NOW - timedelta(seconds=90)),
        ("7D", NOW - timedelta(days=7)),
        ("now", NOW),
        ("today", datetime(2025, 6, 14, tzinfo=UTC)),
        ("yesterday", datetime(2025, 6, 13, tzinfo=UTC)),
        ("2025-06-01", datetime(2025, 6, 1, tzinfo=UTC)),
        ("2025-06-01T12:30:00Z", datetime(2025, 6, 1, 12, 30, tzinfo=UTC)),
        ("2025-06-01T12:30", datetime(2025, 6, 1, 12, 30, tzinfo=UTC)),
        ("2025-06-01T14:30:00+02:00", datetime(2025, 6, 1, 12, 30, tzinfo=UTC)),
    ],
)
def test_parse_time_accepts_durations_keywords_and_iso(text: str, expected: datetime) -> None:
    assert parse_time(text, NOW) == expected


@pytest.mark.parametrize("text", ["yesterday-ish", "24x", "-3h", "2025-13-01", ""])
def test_parse_time_rejects_garbage_with_usage_error(text: str) -> None:
    with pytest.raises(UsageError, match="bad --since"):
        parse_time(text, NOW, option="--since")


def test_parse_range_defaults_to_the_last_24_hours() -> None:
    assert parse_range(None, None, NOW) == (NOW - timedelta(hours=24), NOW)


def test_parse_range_rejects_an_empty_range() -> None:
    with pytest.raises(UsageError, match="bad time range"):
        parse_range("2025-06-14T16:00:00Z", None, NOW)


def test_utc_midnight_uses_the_utc_day() -> None:
    late_in_tokyo = datetime(2025, 6, 15, 1, 0, tzinfo=timezone(timedelta(hours=9)))
    assert utc_midnight(late_in_tokyo) == datetime(2025, 6, 14, tzinfo=UTC)


def test_epoch_seconds_never_narrows_the_range() -> None:
    start = datetime(2025, 6, 14, 0, 0, 0, 500000, tzinfo=UTC)
    end = datetime(2025, 6, 14, 0, 0, 10, 100000, tzinfo=UTC)
    base = int(datetime(2025, 6, 14, tzinfo=UTC).timestamp())
    assert epoch_seconds(start, end) == (base, base + 11)


def test_format_time_is_iso_utc_with_z() -> None:
    assert format_time(NOW) == "2025-06-14T15:42:10Z"
