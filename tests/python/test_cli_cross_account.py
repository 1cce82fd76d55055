"""A monitoring account's questions name a source account's log group by its ARN."""

from __future__ import annotations

import io

import boto3
from botocore.stub import Stubber
from genai_observability.cli import _insights

ARN = "arn:aws:logs:us-east-1:222222222222:log-group:/aws/lambda/support-agent"
QUERY = 'filter event = "llm_call" | stats count(*) as calls'


def _client_with(expected: dict[str, object]) -> tuple[object, Stubber]:
    client = boto3.client(
        "logs", region_name="us-east-1", aws_access_key_id="t", aws_secret_access_key="t"
    )
    stub = Stubber(client)
    stub.add_response("start_query", {"queryId": "q-1"}, expected)
    results = [[{"field": "calls", "value": "3"}]]
    stub.add_response("get_query_results", {"status": "Complete", "results": results})
    stub.activate()
    return client, stub


def _run(client: object, groups: list[str]) -> _insights.QueryResult:
    return _insights.run_query(
        client,
        log_groups=groups,
        query=QUERY,
        start=100,
        end=200,
        timeout=60,
        progress=_insights.Progress(stream=io.StringIO(), enabled=False),
    )


def test_run_query_sends_arns_as_log_group_identifiers() -> None:
    groups = [ARN, "/aws/lambda/local"]
    client, stub = _client_with(
        {"logGroupIdentifiers": groups, "startTime": 100, "endTime": 200, "queryString": QUERY}
    )
    assert _run(client, groups).rows == [{"calls": "3"}]
    stub.assert_no_pending_responses()


def test_run_query_sends_names_as_log_group_names() -> None:
    groups = ["/aws/lambda/local"]
    client, stub = _client_with(
        {"logGroupNames": groups, "startTime": 100, "endTime": 200, "queryString": QUERY}
    )
    assert _run(client, groups).rows == [{"calls": "3"}]
    stub.assert_no_pending_responses()
