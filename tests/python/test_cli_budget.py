"""``genai-obs budget status`` / ``resume`` against the moto server.

The budget function is created in the emulator with the environment modules/observability
gives it; the brake is set by the real budget code (run_budget), then shown and lifted by
the command.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from genai_observability.budget import BRAKE_TAG, BudgetSettings, day_start, run_budget
from genai_observability.cli import main

pytest.importorskip("moto.server", reason="moto[server] is needed for the emulator")
from emulator import moto_server
from support.aws import create_function

REGION = "us-east-1"
PREFIX = f"arn:aws:lambda:{REGION}:123456789012:function:"


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    with moto_server() as url:
        yield url


@pytest.fixture
def aws(endpoint: str, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    for key, value in {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
    }.items():
        monkeypatch.setenv(key, value)
    for key in ("AWS_PROFILE", "GENAI_OBS_DECK"):
        monkeypatch.delenv(key, raising=False)
    return {s: boto3.client(s, region_name=REGION) for s in ("cloudwatch", "lambda", "iam")}


@pytest.fixture
def deck(aws: dict[str, Any]) -> dict[str, str]:
    """A deck whose budget (1 USD) is spent: its agent function is braked."""
    suffix = uuid.uuid4().hex[:8]
    deck, agent, service = f"deck{suffix}", f"agent{suffix}", f"svc{suffix}"
    namespace = f"GenAI{suffix}"
    create_function(aws, agent)
    aws["lambda"].put_function_concurrency(FunctionName=agent, ReservedConcurrentExecutions=4)
    env = {
        "GENAI_METRIC_NAMESPACE": namespace,
        "GENAI_BUDGET_SERVICES": service,
        "GENAI_BUDGET_USD": "1",
        "GENAI_BUDGET_ACTION": "stop",
        "GENAI_BUDGET_STOP_FUNCTIONS": agent,
    }
    create_function(aws, f"{deck}-budget", env)
    now = datetime.now(UTC)
    aws["cloudwatch"].put_metric_data(
        Namespace=namespace,
        MetricData=[
            {
                "MetricName": "CostUSD",
                "Dimensions": [{"Name": "Service", "Value": service}],
                "Timestamp": day_start(now, UTC),
                "Value": 1.75,
            }
        ],
    )
    run_budget(BudgetSettings.from_env(env), aws, now=now, arn_prefix_=PREFIX)
    return {"deck": deck, "agent": agent}


def cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_budget_status_shows_spend_and_the_brake(
    aws: dict[str, Any], deck: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    code, out, err = cli(["budget", "status", "--deck", deck["deck"], "--format", "json"], capsys)
    assert (code, err) == (0, "")
    got = json.loads(out)
    assert got["spent_today_usd"] == 1.75 and got["budget_usd"] == 1.0
    assert got["over_budget"] is True and got["action"] == "stop"
    (row,) = got["rows"]
    assert row["function"] == deck["agent"]
    assert row["reserved_concurrency"] == 0 and row["brake"] == "braked"
    assert row["before_brake"] == 4

    code, out, _ = cli(["budget", "status", "--function", f"{deck['deck']}-budget"], capsys)
    assert code == 0
    assert "spent today      1.75 USD of 1.0 USD (over budget)" in out
    assert deck["agent"] in out and "braked" in out


def test_budget_resume_restores_and_keeps_the_brake_off_today(
    aws: dict[str, Any], deck: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    code, out, err = cli(["budget", "resume", "--deck", deck["deck"]], capsys)
    assert (code, err) == (0, "")
    assert f"{deck['agent']}: brake lifted; reserved concurrency restored" in out
    lam = aws["lambda"]
    assert (
        lam.get_function_concurrency(FunctionName=deck["agent"])["ReservedConcurrentExecutions"]
        == 4
    )
    tags = lam.list_tags(Resource=PREFIX + deck["agent"])["Tags"]
    assert tags[BRAKE_TAG].startswith("resumed day=")

    code, out, _ = cli(["budget", "status", "--deck", deck["deck"], "--format", "json"], capsys)
    (row,) = json.loads(out)["rows"]
    assert (row["brake"], row["reserved_concurrency"]) == ("resumed", 4)


def test_budget_errors_are_one_line(
    aws: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(["budget", "status", "--deck", "no-such-deck"], capsys)
    assert code == 1 and out == ""
    assert err.startswith("genai-obs: error: ") and err.count("\n") == 1
    assert "no-such-deck-budget" in err

    code, _, err = cli(["budget", "status"], capsys)
    assert code == 2 and "--deck NAME" in err and err.count("\n") == 1

    code, _, err = cli(["budget"], capsys)
    assert code == 2 and "status" in err and "resume" in err


def test_budget_status_refuses_a_function_that_is_not_a_budget_function(
    aws: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    name = f"plain{uuid.uuid4().hex[:8]}"
    create_function(aws, name)
    code, _, err = cli(["budget", "status", "--function", name], capsys)
    assert code == 1 and "is not a budget function" in err and err.count("\n") == 1
