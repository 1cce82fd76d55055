"""Helpers shared by the ``genai-obs`` command tests: a fixed clock, stubbed Logs Insights
answers and the recorded snapshots.

The fixtures that install them (``fake_time``, ``stub``) live in tests/python/conftest.py.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from typing import Any

import boto3
from botocore.stub import Stubber
from genai_observability.cli import build_parser
from genai_observability.cli._errors import CLIError
from genai_observability.cli._questions import DEFAULT_LOG_METRIC, QUESTIONS

from support import REPO

PYTHON_TESTS = REPO / "tests" / "python"
FIXTURE = PYTHON_TESTS / "fixtures" / "llm_calls.jsonl"
SNAPSHOTS = PYTHON_TESTS / "fixtures" / "snapshots"
OBSERVABILITY = REPO / "modules" / "observability"
QUERIES_TF = OBSERVABILITY / "queries.tf"
CONTRIBUTOR_TF = OBSERVABILITY / "contributor_insights.tf"

_HEREDOC = re.compile(
    r'^[ \t]*(?:for [^\n:]+:[ \t]*)?"([a-z0-9${}-]+)"\s*(?:=|=>)\s*'
    r"chomp\(<<-EOT\n(.*?)\n\s*EOT\s*\n\s*\)",
    re.S | re.M,
)


def terraform_queries(path: Any = QUERIES_TF) -> dict[str, str]:
    """The heredoc queries of a module file, rendered as Terraform would (<<-EOT trims the
    indent); ``contributor_insights.tf`` gives the ``cost-by-${k}`` template."""
    queries = {}
    for match in _HEREDOC.finditer(path.read_text(encoding="utf-8")):
        lines = match.group(2).split("\n")
        indent = min(len(line) - len(line.lstrip(" ")) for line in lines if line.strip())
        queries[match.group(1)] = "\n".join(line[indent:] for line in lines)
    return queries


def saved_queries() -> dict[str, str]:
    """Every saved question of the module as it is deployed: the log metric's name is the
    default one, and the per-attribute template is rendered for ``tenant``."""
    queries = {
        name: query.replace("${var.log_metric_name}", DEFAULT_LOG_METRIC)
        for name, query in terraform_queries().items()
    }
    for name, query in terraform_queries(CONTRIBUTOR_TF).items():
        queries[name.replace("${k}", "tenant")] = query.replace("${k}", "tenant")
    return queries


NOW = datetime(2025, 6, 14, 15, 42, 10, tzinfo=UTC)
NOW_S = int(NOW.timestamp())
MIDNIGHT_S = int(datetime(2025, 6, 14, tzinfo=UTC).timestamp())
GROUPS = ["/aws/lambda/chat-prod"]
SAVED_QUERY = QUESTIONS["cost-by-model"].query


def insights_rows(rows: list[dict[str, str]]) -> list[list[dict[str, str]]]:
    """Rows as Logs Insights returns them: one ``{"field", "value"}`` list per row, in order."""
    return [[{"field": k, "value": v} for k, v in row.items()] for row in rows]


# A realistic cost-by-model result, as Logs Insights returns it (strings, @ptr on rows).
SPEND_ROWS = [
    {
        "model": "us.anthropic.claude-sonnet-4-20250514-v1:0",
        "total_cost_usd": "18.430326",
        "calls": "2841",
        "total_input_tokens": "4112337",
        "total_output_tokens": "406221",
    },
    {
        "model": "us.amazon.nova-pro-v1:0",
        "total_cost_usd": "11.8518488",
        "calls": "12450",
        "total_input_tokens": "9876543",
        "total_output_tokens": "1234567",
    },
    {
        "model": "amazon.nova-micro-v1:0",
        "total_cost_usd": "1.23104919",
        "calls": "48210",
        "total_input_tokens": "21345678",
        "total_output_tokens": "3456789",
    },
]
SPEND_RESULTS = insights_rows(SPEND_ROWS)

# The same answer from today's cost-by-model (with the cache sums), and the unpriced-models
# answer for it: 3 Nova Pro calls on the flex tier without a published price.
SPEND_RESULTS_CACHE = insights_rows(
    [
        {**row, "total_cache_read_tokens": read, "total_cache_write_tokens": write}
        for row, (read, write) in zip(
            SPEND_ROWS, [("1520000", "88000"), ("0", "0"), ("0", "0")], strict=True
        )
    ]
)
UNPRICED_RESULTS = [
    [
        {"field": "model", "value": "us.amazon.nova-pro-v1:0"},
        {"field": "tier", "value": "flex"},
        {"field": "latency", "value": "standard"},
        {"field": "call_region", "value": "eu-west-1"},
        {"field": "calls", "value": "3"},
        {"field": "total_input_tokens", "value": "4200"},
        {"field": "total_output_tokens", "value": "610"},
    ],
]


def run_command(argv: list[str]) -> tuple[int, str, str]:
    """Run one command as ``main`` does, on string streams: ``(exit status, out, err)``."""
    args = build_parser().parse_args(argv)
    out, err = io.StringIO(), io.StringIO()
    try:
        code = args.func(args, out, err)
    except CLIError as exc:
        err.write(f"genai-obs: error: {exc}\n")
        code = exc.exit_code
    return code, out.getvalue(), err.getvalue()


def add_saved_question_answered(stubber: Stubber, name: str = "prod/cost-by-model") -> None:
    """Queue a saved question found, started, running once, then complete with the spend."""
    add_definitions(stubber, name, definition(name))
    add_start(stubber)
    add_results(stubber, "Running")
    add_results(stubber, "Complete", SPEND_RESULTS)


def logs_client(region: str = "eu-west-1") -> Any:
    """A real boto3 CloudWatch Logs client with test keys (for a Stubber or moto)."""
    return boto3.client(
        "logs",
        region_name=region,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


class FakeTime:
    """A monotonic clock that only moves when sleep is called; records every sleep."""

    def __init__(self, now: float = 50.0) -> None:
        self.now = now
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def add_definitions(stubber: Stubber, prefix: str, *definitions: dict[str, Any]) -> None:
    """Queue a DescribeQueryDefinitions answer for the deck prefix."""
    stubber.add_response(
        "describe_query_definitions",
        {"queryDefinitions": list(definitions)},
        {"queryDefinitionNamePrefix": prefix, "maxResults": 1000},
    )


def definition(name: str, query: str = SAVED_QUERY, groups: list[str] = GROUPS) -> dict[str, Any]:
    """A saved query definition as DescribeQueryDefinitions returns it."""
    return {
        "queryDefinitionId": f"id-{name}",
        "name": name,
        "queryString": query,
        "logGroupNames": groups,
    }


def add_start(
    stubber: Stubber,
    *,
    query: str = SAVED_QUERY,
    groups: list[str] = GROUPS,
    start: int = NOW_S - 86400,
    end: int = NOW_S,
) -> None:
    """Queue a StartQuery answer (query id q-1) for the expected request."""
    stubber.add_response(
        "start_query",
        {"queryId": "q-1"},
        {"logGroupNames": groups, "startTime": start, "endTime": end, "queryString": query},
    )


def add_results(stubber: Stubber, status: str, results: list | None = None) -> None:
    """Queue a GetQueryResults answer for q-1 (each row gets an @ptr, as AWS adds)."""
    stubber.add_response(
        "get_query_results",
        {
            "status": status,
            "results": [
                [*row, {"field": "@ptr", "value": "CmAKJwojMTIzNDU2Nzg5MDEyOi9hd3MvbGFtYmRh"}]
                for row in (results or [])
            ],
            "statistics": {
                "recordsMatched": 63501.0,
                "recordsScanned": 191204.0,
                "bytesScanned": 48_213_377.0,
            },
        },
        {"queryId": "q-1"},
    )


def snapshot(name: str) -> str:
    """The recorded output tests/python/fixtures/snapshots/NAME."""
    return (SNAPSHOTS / name).read_text(encoding="utf-8")


UNPRICED_QUERY = QUESTIONS["unpriced-models"].query


def add_unpriced(
    stubber: Stubber,
    results: list | None = None,
    *,
    deck: str = "prod",
    groups: list[str] = GROUPS,
    start: int = MIDNIGHT_S,
    end: int = NOW_S,
) -> None:
    """Queue the deck's unpriced-models question (found, started, answered with results)."""
    name = f"{deck}/unpriced-models"
    add_definitions(stubber, name, definition(name, UNPRICED_QUERY, groups))
    add_start(stubber, query=UNPRICED_QUERY, groups=groups, start=start, end=end)
    add_results(stubber, "Complete", results or [])


def cost_explorer_request(day: str, next_day: str) -> dict[str, Any]:
    """The GetCostAndUsage request ``reconcile`` sends for one UTC day (``day`` to ``next_day``)."""
    return {
        "TimePeriod": {"Start": day, "End": next_day},
        "Granularity": "DAILY",
        "Metrics": ["UnblendedCost"],
        "GroupBy": [
            {"Type": "DIMENSION", "Key": "SERVICE"},
            {"Type": "DIMENSION", "Key": "USAGE_TYPE"},
        ],
    }
