"""Running Logs Insights queries: find saved query definitions, start, poll, stop.

Clients come from the one factory (:mod:`._aws`), as do the one-line AWS errors.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TextIO

from . import _aws
from ._errors import QueryFailedError, QueryInterruptedError, QueryTimeoutError
from ._format import format_bytes

RUNNING_STATUSES = frozenset({"Scheduled", "Running"})
FAILED_STATUSES = frozenset({"Failed", "Cancelled", "Timeout", "Unknown"})
MAX_ROWS = 10_000
"""Logs Insights returns at most this many rows per query."""

FIRST_DELAY = 0.5
MAX_DELAY = 5.0
BACKOFF = 1.5

# Replaced in tests; the default clock and sleep of run_query.
_clock: Callable[[], float] = time.monotonic
_sleep: Callable[[float], None] = time.sleep


def make_client(region: str | None = None, profile: str | None = None) -> Any:
    """Create a CloudWatch Logs client (the commands' one factory, service ``logs``).

    Args:
        region: The AWS region, or None for the configured default.
        profile: The AWS profile name, or None for the default credential chain.

    Returns:
        A boto3 ``logs`` client.
    """
    return _aws.make_client("logs", region, profile)


def list_definitions(client: Any, prefix: str) -> list[dict[str, Any]]:
    """List the query definitions whose name starts with ``prefix``, all pages.

    Args:
        client: A ``logs`` client.
        prefix: The name prefix, e.g. ``"my-deck/"``.

    Returns:
        The query definitions as DescribeQueryDefinitions returns them.
    """
    definitions: list[dict[str, Any]] = []
    token: str | None = None
    with _aws.aws_errors("logs", "DescribeQueryDefinitions"):
        while True:
            kwargs: dict[str, Any] = {"queryDefinitionNamePrefix": prefix, "maxResults": 1000}
            if token:
                kwargs["nextToken"] = token
            page = client.describe_query_definitions(**kwargs)
            definitions.extend(page.get("queryDefinitions", []))
            token = page.get("nextToken")
            if not token:
                return definitions


def find_definition(client: Any, name: str) -> dict[str, Any] | None:
    """Find the query definition with exactly this name.

    Args:
        client: A ``logs`` client.
        name: The full name, ``<deck_name>/<question>``.

    Returns:
        The definition, or None when none has that exact name.
    """
    for definition in list_definitions(client, name):
        if definition.get("name") == name:
            return definition
    return None


def rows_from_results(
    results: list[list[dict[str, str]]],
) -> tuple[list[str], list[dict[str, str]]]:
    """Turn GetQueryResults rows into dicts, dropping the ``@ptr`` field.

    Args:
        results: The ``results`` of GetQueryResults: a list of rows, each a list of
            ``{"field": ..., "value": ...}``.

    Returns:
        ``(columns, rows)``: the columns in order of first appearance, and the rows.
    """
    columns: dict[str, None] = {}
    rows: list[dict[str, str]] = []
    for result in results:
        row: dict[str, str] = {}
        for cell in result:
            name = cell.get("field", "")
            if name == "@ptr":
                continue
            row[name] = cell.get("value", "")
            columns.setdefault(name, None)
        rows.append(row)
    return list(columns), rows


@dataclass
class Progress:
    """Shows a running query's status and statistics on a stream (stderr).

    On a terminal the line is redrawn in place; otherwise each change is a new line.

    Attributes:
        stream: Where to write.
        enabled: Whether to write at all.
    """

    stream: TextIO = field(default_factory=lambda: sys.stderr)
    enabled: bool = False
    _last: str = field(default="", init=False, repr=False)

    def _is_tty(self) -> bool:
        isatty = getattr(self.stream, "isatty", None)
        return bool(isatty and isatty())

    def update(self, status: str, statistics: dict[str, Any], elapsed: float) -> None:
        """Show the latest status.

        Args:
            status: The query status.
            statistics: The ``statistics`` of GetQueryResults.
            elapsed: Seconds since the query started.
        """
        if not self.enabled:
            return
        text = describe_statistics(status, statistics, elapsed)
        if self._is_tty():
            self.stream.write(f"\r{text}\x1b[K")
        elif text.split(" in ")[0] != self._last.split(" in ")[0]:
            self.stream.write(f"{text}\n")
        self._last = text
        self.stream.flush()

    def done(self) -> None:
        """End the progress display (clears the redrawn line on a terminal)."""
        if self.enabled and self._is_tty() and self._last:
            self.stream.write("\r\x1b[K")
            self.stream.flush()


def describe_scan(statistics: dict[str, Any], elapsed: float) -> str:
    """Describe how much a query scanned, in one line.

    Args:
        statistics: The ``statistics`` of GetQueryResults.
        elapsed: Seconds since the query started.

    Returns:
        For example ``12,345 records scanned, 4.2 MB scanned in 3s``.
    """
    records = int(float(statistics.get("recordsScanned", 0) or 0))
    scanned = float(statistics.get("bytesScanned", 0) or 0)
    return f"{records:,} records scanned, {format_bytes(scanned)} scanned in {elapsed:.0f}s"


def describe_statistics(status: str, statistics: dict[str, Any], elapsed: float) -> str:
    """Describe a query's status and progress in one line.

    Args:
        status: The query status.
        statistics: The ``statistics`` of GetQueryResults.
        elapsed: Seconds since the query started.

    Returns:
        For example ``Running: 12,345 records scanned, 4.2 MB scanned in 3s``.
    """
    return f"{status}: {describe_scan(statistics, elapsed)}"


@dataclass
class QueryResult:
    """The outcome of a completed query.

    Attributes:
        query_id: The Logs Insights query id.
        columns: Column names in order (``@ptr`` dropped).
        rows: The rows.
        statistics: The final statistics (records matched and scanned, bytes scanned).
        elapsed: Seconds the query took, by the client's clock.
    """

    query_id: str
    columns: list[str]
    rows: list[dict[str, str]]
    statistics: dict[str, Any]
    elapsed: float

    @property
    def truncated(self) -> bool:
        """Whether the result may be cut at Logs Insights' 10,000-row limit."""
        return len(self.rows) >= MAX_ROWS


def _stop(client: Any, query_id: str) -> None:
    """Stop a query on AWS, best effort (it may have just finished)."""
    with _aws.ignore_aws_errors():
        client.stop_query(queryId=query_id)


def run_query(
    client: Any,
    *,
    log_groups: list[str],
    query: str,
    start: int,
    end: int,
    timeout: float = 300.0,
    progress: Progress | None = None,
    clock: Callable[[], float] | None = None,
    sleep: Callable[[float], None] | None = None,
) -> QueryResult:
    """Run a Logs Insights query and wait for its results.

    Polls GetQueryResults with a growing delay (0.5 s, x1.5, at most 5 s). On timeout or
    Ctrl-C the query is stopped on AWS too, so it stops scanning (and billing).

    Args:
        client: A ``logs`` client.
        log_groups: The log group names to query.
        query: The query text.
        start: The start of the range, epoch seconds.
        end: The end of the range, epoch seconds.
        timeout: Seconds to wait before stopping the query.
        progress: Where to show the status while the query runs.
        clock: A monotonic clock (default ``time.monotonic``).
        sleep: A sleep function (default ``time.sleep``).

    Returns:
        The completed query's rows and statistics.

    Raises:
        NotFoundError: When a log group does not exist.
        QueryFailedError: When the query ends Failed, Cancelled, Timeout or Unknown.
        QueryTimeoutError: When it runs longer than ``timeout`` seconds.
        QueryInterruptedError: On Ctrl-C (KeyboardInterrupt).
        AWSError: On any other AWS error.
    """
    clock = clock or _clock
    sleep = sleep or _sleep
    progress = progress or Progress()
    query_id = start_query(client, log_groups, query, start, end)
    started = clock()
    delay = FIRST_DELAY
    try:
        while True:
            with _aws.aws_errors("logs", "GetQueryResults"):
                response = client.get_query_results(queryId=query_id)
            status = response.get("status", "Unknown")
            statistics = response.get("statistics", {}) or {}
            elapsed = clock() - started
            progress.update(status, statistics, elapsed)
            if status not in RUNNING_STATUSES:
                progress.done()
                return _finished(query_id, status, response, statistics, elapsed)
            remaining = timeout - elapsed
            if remaining <= 0:
                progress.done()
                _stop(client, query_id)
                raise QueryTimeoutError(
                    f"query {query_id} did not finish within {timeout:g}s and was stopped;"
                    " narrow the time range or raise --timeout"
                )
            sleep(min(delay, remaining))
            delay = min(delay * BACKOFF, MAX_DELAY)
    except KeyboardInterrupt:
        progress.done()
        _stop(client, query_id)
        raise QueryInterruptedError(f"interrupted; stopped query {query_id} on AWS") from None


def start_query(client: Any, log_groups: list[str], query: str, start: int, end: int) -> str:
    """Start a Logs Insights query and return its id.

    A source account's group (in a monitoring account) is named by its ARN, which only
    ``logGroupIdentifiers`` accepts (names are accepted there too).
    """
    groups = list(log_groups)
    key = "logGroupIdentifiers" if any(g.startswith("arn:") for g in groups) else "logGroupNames"
    with _aws.aws_errors("logs", "StartQuery"):
        answer = client.start_query(
            **{key: groups}, startTime=start, endTime=end, queryString=query
        )
    return str(answer["queryId"])


def _finished(
    query_id: str, status: str, response: dict[str, Any], statistics: dict[str, Any], elapsed: float
) -> QueryResult:
    """The result of a query that stopped running: its rows, or the error of its status."""
    if status != "Complete":
        hint = " (Logs Insights stops queries after 60 minutes)" if status == "Timeout" else ""
        raise QueryFailedError(f"query {query_id} ended with status {status} on AWS{hint}")
    columns, rows = rows_from_results(response.get("results", []))
    return QueryResult(query_id, columns, rows, statistics, elapsed)
