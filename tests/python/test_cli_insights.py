"""Tests of genai_observability.cli._insights against botocore's Stubber and moto."""

from __future__ import annotations

import contextlib
import io
import time
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import NoCredentialsError
from botocore.stub import Stubber
from genai_observability.cli import _insights
from genai_observability.cli._errors import (
    AWSError,
    NotFoundError,
    QueryFailedError,
    QueryInterruptedError,
    QueryTimeoutError,
)
from support.cli import FakeTime, logs_client

QUERY = 'filter event = "llm_call" | stats count(*) as calls by model'
GROUPS = ["/aws/lambda/chat"]


def _start(stub: Stubber, query_id: str = "q-1") -> None:
    stub.add_response(
        "start_query",
        {"queryId": query_id},
        {"logGroupNames": GROUPS, "startTime": 100, "endTime": 200, "queryString": QUERY},
    )


def _results(stub: Stubber, status: str, results: list | None = None, **stats: float) -> None:
    stub.add_response(
        "get_query_results",
        {
            "status": status,
            "results": results or [],
            "statistics": {
                "recordsMatched": stats.get("matched", 0.0),
                "recordsScanned": stats.get("scanned", 0.0),
                "bytesScanned": stats.get("bytes", 0.0),
            },
        },
        {"queryId": "q-1"},
    )


def _run(client: Any, fake: FakeTime, **kwargs: Any) -> _insights.QueryResult:
    kwargs.setdefault("sleep", fake.sleep)
    return _insights.run_query(
        client, log_groups=GROUPS, query=QUERY, start=100, end=200, clock=fake.clock, **kwargs
    )


@contextlib.contextmanager
def _started() -> Iterator[tuple[Any, FakeTime, Stubber]]:
    """A Logs client whose ``start_query`` answers ``q-1``, its stubber, and a fake clock."""
    client, fake = logs_client(), FakeTime(1000.0)
    with Stubber(client) as stub:
        _start(stub)
        yield client, fake, stub


def _interrupted_sleep(seconds: float) -> None:
    raise KeyboardInterrupt  # the user presses Ctrl-C while the command waits


ROW = [
    {"field": "model", "value": "amazon.nova-micro-v1:0"},
    {"field": "calls", "value": "12"},
    {"field": "@ptr", "value": "CmAKJwoj..."},
]


def test_run_query_polls_running_until_complete_with_backoff() -> None:
    with _started() as (client, fake, stub):
        _results(stub, "Scheduled")
        _results(stub, "Running", scanned=500, bytes=20_000)
        _results(stub, "Running", scanned=1500, bytes=60_000)
        _results(stub, "Complete", [ROW], matched=12, scanned=2000, bytes=80_000)
        result = _run(client, fake)
        stub.assert_no_pending_responses()
    assert result.query_id == "q-1"
    assert result.columns == ["model", "calls"]
    assert result.rows == [{"model": "amazon.nova-micro-v1:0", "calls": "12"}]
    assert result.statistics["recordsScanned"] == 2000
    assert fake.sleeps == [0.5, 0.75, 1.125]
    assert result.elapsed == pytest.approx(2.375)


def test_run_query_backoff_is_capped_at_five_seconds() -> None:
    with _started() as (client, fake, stub):
        for _ in range(9):
            _results(stub, "Running")
        _results(stub, "Complete")
        _run(client, fake, timeout=1000)
    assert max(fake.sleeps) == 5.0
    assert fake.sleeps[-2:] == [5.0, 5.0]


@pytest.mark.parametrize("status", ["Failed", "Cancelled", "Timeout", "Unknown"])
def test_run_query_raises_on_terminal_status(status: str) -> None:
    with _started() as (client, fake, stub):
        _results(stub, "Running")
        _results(stub, status)
        with pytest.raises(QueryFailedError, match=f"q-1 ended with status {status}"):
            _run(client, fake)
        stub.assert_no_pending_responses()


def test_run_query_stops_the_query_after_the_timeout() -> None:
    with _started() as (client, fake, stub):
        # Sleeps 0.5, 0.75, 1.125, then 0.625 (what remains of 3 s): 4 polls, then stop.
        for _ in range(5):
            _results(stub, "Running")
        stub.add_response("stop_query", {"success": True}, {"queryId": "q-1"})
        with pytest.raises(QueryTimeoutError, match="did not finish within 3s"):
            _run(client, fake, timeout=3)
        stub.assert_no_pending_responses()
    assert fake.sleeps == [0.5, 0.75, 1.125, 0.625]


def test_run_query_stops_the_query_on_ctrl_c() -> None:
    with _started() as (client, fake, stub):
        _results(stub, "Running")
        stub.add_response("stop_query", {"success": True}, {"queryId": "q-1"})
        with pytest.raises(QueryInterruptedError, match="stopped query q-1") as caught:
            _run(client, fake, sleep=_interrupted_sleep)
        stub.assert_no_pending_responses()
    assert caught.value.exit_code == 130


def test_run_query_ctrl_c_survives_a_query_that_already_finished() -> None:
    with _started() as (client, fake, stub):
        _results(stub, "Running")
        stub.add_client_error("stop_query", "InvalidParameterException", "query is complete")
        with pytest.raises(QueryInterruptedError):
            _run(client, fake, sleep=_interrupted_sleep)


def test_run_query_reports_missing_log_group_as_not_found() -> None:
    client, fake = logs_client(), FakeTime(1000.0)
    with Stubber(client) as stub:
        stub.add_client_error(
            "start_query", "ResourceNotFoundException", "Log group '/aws/lambda/x' does not exist"
        )
        with pytest.raises(NotFoundError, match="StartQuery: not found: Log group"):
            _run(client, fake)


def test_run_query_reports_malformed_query_in_one_line() -> None:
    client, fake = logs_client(), FakeTime(1000.0)
    with Stubber(client) as stub:
        stub.add_client_error("start_query", "MalformedQueryException", "unexpected\nsymbol")
        with pytest.raises(AWSError) as caught:
            _run(client, fake)
    assert str(caught.value) == "Logs Insights rejected the query: unexpected symbol"


def test_run_query_shows_progress_lines_when_enabled() -> None:
    stream = io.StringIO()
    with _started() as (client, fake, stub):
        _results(stub, "Running", scanned=1500, bytes=4_200_000)
        _results(stub, "Complete", scanned=2000, bytes=5_000_000)
        _run(client, fake, progress=_insights.Progress(stream=stream, enabled=True))
    assert stream.getvalue() == (
        "Running: 1,500 records scanned, 4.2 MB scanned in 0s\n"
        "Complete: 2,000 records scanned, 5.0 MB scanned in 0s\n"
    )


def test_run_query_shows_nothing_when_progress_disabled() -> None:
    stream = io.StringIO()
    with _started() as (client, fake, stub):
        _results(stub, "Complete")
        _run(client, fake, progress=_insights.Progress(stream=stream, enabled=False))
    assert stream.getvalue() == ""


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_redraws_one_line_on_a_terminal() -> None:
    stream = _Tty()
    progress = _insights.Progress(stream=stream, enabled=True)
    progress.update("Running", {"recordsScanned": 10.0, "bytesScanned": 999.0}, 1.2)
    progress.done()
    assert stream.getvalue() == (
        "\rRunning: 10 records scanned, 999 B scanned in 1s\x1b[K" + "\r\x1b[K"
    )


def test_find_definition_follows_next_token_and_matches_exact_name() -> None:
    client = logs_client()
    with Stubber(client) as stub:
        stub.add_response(
            "describe_query_definitions",
            {
                "queryDefinitions": [
                    {"queryDefinitionId": "1", "name": "prod/daily-cost-v2", "queryString": "x"}
                ],
                "nextToken": "page-2",
            },
            {"queryDefinitionNamePrefix": "prod/daily-cost", "maxResults": 1000},
        )
        stub.add_response(
            "describe_query_definitions",
            {
                "queryDefinitions": [
                    {
                        "queryDefinitionId": "2",
                        "name": "prod/daily-cost",
                        "queryString": "fields @message",
                        "logGroupNames": GROUPS,
                    }
                ]
            },
            {
                "queryDefinitionNamePrefix": "prod/daily-cost",
                "maxResults": 1000,
                "nextToken": "page-2",
            },
        )
        definition = _insights.find_definition(client, "prod/daily-cost")
        stub.assert_no_pending_responses()
    assert definition is not None
    assert definition["queryDefinitionId"] == "2"


def test_find_definition_returns_none_when_only_prefixes_match() -> None:
    client = logs_client()
    with Stubber(client) as stub:
        stub.add_response(
            "describe_query_definitions",
            {"queryDefinitions": [{"name": "prod/daily-cost-v2", "queryString": "x"}]},
        )
        assert _insights.find_definition(client, "prod/daily-cost") is None


def test_list_definitions_translates_no_credentials() -> None:
    class NoCreds:
        def describe_query_definitions(self, **kwargs: Any) -> dict:
            raise NoCredentialsError

    with pytest.raises(AWSError, match="no AWS credentials found"):
        _insights.list_definitions(NoCreds(), "prod/")


def test_rows_from_results_drops_ptr_and_keeps_first_seen_order() -> None:
    columns, rows = _insights.rows_from_results(
        [
            [{"field": "a", "value": "1"}, {"field": "@ptr", "value": "p"}],
            [{"field": "b", "value": "2"}, {"field": "a", "value": "3"}],
        ]
    )
    assert columns == ["a", "b"]
    assert rows == [{"a": "1"}, {"b": "2", "a": "3"}]


def test_query_result_flags_the_10000_row_limit() -> None:
    rows = [{"a": "1"}] * _insights.MAX_ROWS
    assert _insights.QueryResult("q", ["a"], rows, {}, 0.0).truncated
    assert not _insights.QueryResult("q", ["a"], rows[:-1], {}, 0.0).truncated


# moto serves StartQuery / GetQueryResults (not query definitions or StopQuery).


@pytest.fixture
def moto_logs(monkeypatch: pytest.MonkeyPatch) -> Any:
    moto = pytest.importorskip("moto")
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.setenv(name, "testing")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    with moto.mock_aws():
        yield boto3.client("logs", region_name="eu-west-1")


def test_run_query_on_moto_reports_missing_log_group(moto_logs: Any) -> None:
    with pytest.raises(NotFoundError, match="log group does not exist"):
        _run(moto_logs, FakeTime(1000.0))


def test_run_query_on_moto_completes_for_an_existing_log_group(moto_logs: Any) -> None:
    now = int(time.time())
    moto_logs.create_log_group(logGroupName=GROUPS[0])
    moto_logs.create_log_stream(logGroupName=GROUPS[0], logStreamName="s")
    moto_logs.put_log_events(
        logGroupName=GROUPS[0],
        logStreamName="s",
        logEvents=[{"timestamp": now * 1000, "message": '{"event":"llm_call"}'}],
    )
    result = _insights.run_query(
        moto_logs,
        log_groups=GROUPS,
        query="fields @message | limit 5",
        start=now - 60,
        end=now + 60,
        clock=FakeTime().clock,
        sleep=FakeTime().sleep,
    )
    assert result.rows == [{"@message": '{"event":"llm_call"}'}]
