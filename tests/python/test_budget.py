"""The budget function against the moto server: spend today by the calendar, the brake.

The server runs on 127.0.0.1 for this module (scripts/emulator.py, stopped by its PID).
Each test uses its own namespace and function names, so tests never see each other's data.
Runs happen "yesterday" (a fixed instant in the past) so every data point is in the past.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import boto3
import pytest
from botocore.stub import Stubber
from genai_observability import ConfigurationError, budget
from genai_observability.budget import BRAKE_TAG, BudgetSettings, day_start, run_budget
from support import lines_of
from support.aws import create_function

pytest.importorskip("moto.server", reason="moto[server] is needed for the emulator")
from emulator import moto_server

REGION = "us-east-1"
ACCOUNT = "123456789012"  # moto's default account
PREFIX = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:"


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    with moto_server() as url:
        yield url


def client(endpoint: str, service: str) -> Any:
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


@pytest.fixture
def clients(endpoint: str) -> dict[str, Any]:
    return {s: client(endpoint, s) for s in ("cloudwatch", "lambda", "sns", "sqs", "iam")}


@pytest.fixture
def namespace() -> str:
    return f"GenAITest{uuid.uuid4().hex[:8]}"


@pytest.fixture
def svc() -> str:
    """A service of its own per test (moto matches dimensions across namespaces)."""
    return f"agent-{uuid.uuid4().hex[:8]}"


def yesterday_start(zone: str) -> datetime:
    """Start of yesterday in ``zone`` (so a run at +5 h is in the past)."""
    now = datetime.now(UTC) - timedelta(days=1)
    return day_start(now, ZoneInfo(zone) if zone != "UTC" else UTC)


def put_cost(cloudwatch: Any, namespace: str, service: str, at: datetime, usd: float) -> None:
    cloudwatch.put_metric_data(
        Namespace=namespace,
        MetricData=[
            {
                "MetricName": "CostUSD",
                "Dimensions": [{"Name": "Service", "Value": service}],
                "Timestamp": at,
                "Value": usd,
                "Unit": "None",
            }
        ],
    )


def published(cloudwatch: Any, namespace: str, service: str, at: datetime) -> list[float]:
    got = cloudwatch.get_metric_data(
        MetricDataQueries=[
            {
                "Id": "today",
                "MetricStat": {
                    "Metric": {
                        "Namespace": namespace,
                        "MetricName": "CostTodayUSD",
                        "Dimensions": [{"Name": "Service", "Value": service}],
                    },
                    "Period": 60,
                    "Stat": "Maximum",
                },
            }
        ],
        StartTime=at - timedelta(minutes=5),
        EndTime=at + timedelta(minutes=5),
    )
    return got["MetricDataResults"][0]["Values"]


def settings(namespace: str, svc: str, **kwargs: Any) -> BudgetSettings:
    values: dict[str, Any] = {"namespace": namespace, "services": (svc,)}
    values.update(kwargs)
    return BudgetSettings(**values)


def spent(clients: dict[str, Any], namespace: str, svc: str, start: datetime, usd: float) -> None:
    """``usd`` spent ten minutes into the day that begins at ``start``."""
    put_cost(clients["cloudwatch"], namespace, svc, start + timedelta(minutes=10), usd)


def run_at(conf: BudgetSettings, clients: dict[str, Any], now: datetime) -> dict[str, Any]:
    """One run at ``now``; the protected functions are named without their ARN prefix."""
    return run_budget(conf, clients, now=now, arn_prefix_=PREFIX)


def run_after_spending(
    clients: dict[str, Any], namespace: str, svc: str, usd: float, **conf: Any
) -> dict[str, Any]:
    """Spend ``usd`` ten minutes into yesterday, then run an hour into it."""
    start = yesterday_start("UTC")
    spent(clients, namespace, svc, start, usd)
    return run_at(settings(namespace, svc, **conf), clients, start + timedelta(hours=1))


def braked_function(
    clients: dict[str, Any], namespace: str, svc: str, reserved: int
) -> tuple[str, datetime, BudgetSettings]:
    """A function braked an hour into the day before yesterday (9 USD of a 1 USD budget):
    its name, that day's start and the budget's settings."""
    name = make_function(clients, reserved=reserved)
    start = yesterday_start("UTC") - timedelta(days=1)
    spent(clients, namespace, svc, start, 9.0)
    conf = settings(namespace, svc, budget_usd=1.0, action="stop", stop_functions=(name,))
    run_at(conf, clients, start + timedelta(hours=1))
    assert concurrency(clients, name) == 0
    return name, start, conf


def make_function(clients: dict[str, Any], reserved: int | None = None) -> str:
    name = f"fn-{uuid.uuid4().hex[:10]}"
    create_function(clients, name)
    if reserved is not None:
        clients["lambda"].put_function_concurrency(
            FunctionName=name, ReservedConcurrentExecutions=reserved
        )
    return name


def concurrency(clients: dict[str, Any], name: str) -> int | None:
    return (
        clients["lambda"]
        .get_function_concurrency(FunctionName=name)
        .get("ReservedConcurrentExecutions")
    )


def brake_tag(clients: dict[str, Any], name: str) -> str | None:
    return clients["lambda"].list_tags(Resource=PREFIX + name)["Tags"].get(BRAKE_TAG)


def topic_with_queue(clients: dict[str, Any]) -> tuple[str, str]:
    """An SNS topic delivering to an SQS queue, to read what the function notified."""
    suffix = uuid.uuid4().hex[:8]
    topic = clients["sns"].create_topic(Name=f"alarms-{suffix}")["TopicArn"]
    queue = clients["sqs"].create_queue(QueueName=f"inbox-{suffix}")["QueueUrl"]
    queue_arn = clients["sqs"].get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    clients["sns"].subscribe(
        TopicArn=topic,
        Protocol="sqs",
        Endpoint=queue_arn,
        Attributes={"RawMessageDelivery": "false"},
    )
    return topic, queue


def notifications(clients: dict[str, Any], queue: str) -> list[str]:
    got = clients["sqs"].receive_message(QueueUrl=queue, MaxNumberOfMessages=10, WaitTimeSeconds=0)
    subjects = []
    for message in got.get("Messages", []):
        subjects.append(json.loads(message["Body"])["Subject"])
        clients["sqs"].delete_message(QueueUrl=queue, ReceiptHandle=message["ReceiptHandle"])
    return subjects


# --- the calendar day ----------------------------------------------------------------------


def test_day_start_is_local_midnight_in_utc() -> None:
    now = datetime(2026, 3, 10, 18, 45, tzinfo=UTC)
    assert day_start(now, UTC) == datetime(2026, 3, 10, tzinfo=UTC)
    # Kolkata is UTC+05:30: at 18:45 UTC it is already 00:15 on 11 March there.
    assert day_start(now, ZoneInfo("Asia/Kolkata")) == datetime(2026, 3, 10, 18, 30, tzinfo=UTC)
    # New York on the day clocks spring forward (8 March 2026): midnight is still EST.
    assert day_start(datetime(2026, 3, 8, 12, tzinfo=UTC), ZoneInfo("America/New_York")) == (
        datetime(2026, 3, 8, 5, tzinfo=UTC)
    )


def test_spend_today_counts_only_points_since_the_start_of_the_day_utc(
    clients: dict[str, Any], namespace: str, svc: str, capsys: pytest.CaptureFixture[str]
) -> None:
    start = yesterday_start("UTC")
    cw = clients["cloudwatch"]
    put_cost(cw, namespace, svc, start - timedelta(minutes=1), 3.0)  # the day before
    put_cost(cw, namespace, svc, start, 0.25)  # the first minute counts
    put_cost(cw, namespace, svc, start + timedelta(minutes=1), 2.0)
    put_cost(cw, namespace, svc, start + timedelta(hours=3), 0.5)
    put_cost(cw, namespace, f"{svc}-other", start + timedelta(hours=1), 9.0)  # not a budget service
    now = start + timedelta(hours=5)

    record = run_budget(settings(namespace, svc), {"cloudwatch": cw}, now=now)

    assert record["spend_usd"] == {svc: 2.75}
    assert record["total_usd"] == 2.75
    assert record["day_start"] == start.isoformat().replace("+00:00", "Z")
    assert record["published"] is True and record["errors"] == []
    assert published(cw, namespace, svc, now) == [2.75]
    (line,) = lines_of(capsys.readouterr().out)
    assert line["event"] == "budget_run" and line["total_usd"] == 2.75


def test_spend_today_follows_the_budget_time_zone(
    clients: dict[str, Any], namespace: str, svc: str
) -> None:
    start = yesterday_start("Asia/Kolkata")  # 18:30 UTC of the day before
    assert (start.hour, start.minute) == (18, 30)
    cw = clients["cloudwatch"]
    put_cost(cw, namespace, svc, start - timedelta(minutes=1), 4.0)  # 23:59 in Kolkata
    put_cost(cw, namespace, svc, start + timedelta(minutes=1), 1.5)  # 00:01 in Kolkata
    now = start + timedelta(hours=2)  # 02:00 in Kolkata, 20:30 UTC: the same UTC day

    local = run_budget(
        settings(namespace, svc, time_zone="Asia/Kolkata"), {"cloudwatch": cw}, now=now
    )
    utc = run_budget(settings(namespace, svc, time_zone="UTC"), {"cloudwatch": cw}, now=now)

    assert local["time_zone"] == "Asia/Kolkata"
    assert (
        local["day"]
        == (start + timedelta(hours=1)).astimezone(ZoneInfo("Asia/Kolkata")).date().isoformat()
    )
    assert local["spend_usd"] == {svc: 1.5}
    assert utc["spend_usd"] == {svc: 5.5}  # both points are on the same UTC day


def test_no_data_is_zero_spent_and_still_published(
    clients: dict[str, Any], namespace: str, svc: str
) -> None:
    now = yesterday_start("UTC") + timedelta(hours=1)
    record = run_budget(
        settings(namespace, svc, services=(svc, f"{svc}-batch"), budget_usd=5.0),
        {"cloudwatch": clients["cloudwatch"]},
        now=now,
    )
    assert record["spend_usd"] == {svc: 0.0, f"{svc}-batch": 0.0}
    assert record["over_budget"] is False and record["errors"] == []
    assert published(clients["cloudwatch"], namespace, f"{svc}-batch", now) == [0.0]


def test_unknown_time_zone_counts_in_utc_and_says_so(
    clients: dict[str, Any], namespace: str, svc: str, capsys: pytest.CaptureFixture[str]
) -> None:
    now = yesterday_start("UTC") + timedelta(hours=1)
    record = run_budget(
        settings(namespace, svc, time_zone="Mars/Olympus_Mons"),
        {"cloudwatch": clients["cloudwatch"]},
        now=now,
    )
    warning, run = lines_of(capsys.readouterr().out)
    assert warning["event"] == "budget_warning" and "Mars/Olympus_Mons" in warning["warning"]
    assert record["time_zone"] == "UTC" and run["time_zone"] == "UTC"


def test_throttled_get_metric_data_is_one_line_and_no_crash(
    capsys: pytest.CaptureFixture[str],
) -> None:
    cw = boto3.client(
        "cloudwatch", region_name=REGION, aws_access_key_id="x", aws_secret_access_key="x"
    )
    with Stubber(cw) as stub:
        stub.add_client_error(
            "get_metric_data",
            service_error_code="Throttling",
            service_message="Rate exceeded",
            http_status_code=400,
        )
        record = run_budget(
            settings("GenAI", "agent", budget_usd=1.0, action="stop", stop_functions=()),
            {"cloudwatch": cw},
            now=datetime(2026, 1, 5, 12, tzinfo=UTC),
        )
        stub.assert_no_pending_responses()  # nothing published after the failed read
    error, run = lines_of(capsys.readouterr().out)
    assert error == {
        "event": "budget_error",
        "operation": "GetMetricData",
        "error": error["error"],
    }
    assert error["error"].startswith("GetMetricData: Throttling: ") and "\n" not in error["error"]
    assert record["spend_usd"] is None and record["published"] is False
    assert record["over_budget"] is False and record["errors"] == [error["error"]]
    assert run["event"] == "budget_run"


# --- the brake -------------------------------------------------------------------------------


def test_brake_sets_zero_records_holds_and_restores_next_day(
    clients: dict[str, Any], namespace: str, svc: str
) -> None:
    reserved, unreserved = make_function(clients, reserved=7), make_function(clients)
    topic, queue = topic_with_queue(clients)
    start = yesterday_start("UTC") - timedelta(days=1)  # two days ago, so "next day" is past
    put_cost(clients["cloudwatch"], namespace, svc, start + timedelta(hours=1), 6.0)
    conf = settings(
        namespace,
        svc,
        budget_usd=5.0,
        action="stop",
        stop_functions=(reserved, unreserved),
        topic_arn=topic,
    )
    day = start.date().isoformat()

    first = run_at(conf, clients, start + timedelta(hours=2))
    assert first["over_budget"] is True and first["total_usd"] == 6.0
    assert first["functions"] == {reserved: "braked", unreserved: "braked"}
    assert concurrency(clients, reserved) == 0 and concurrency(clients, unreserved) == 0
    assert brake_tag(clients, reserved) == f"braked day={day} previous=7"
    assert brake_tag(clients, unreserved) == f"braked day={day} previous=none"
    assert notifications(clients, queue) == [
        "GenAI budget: spend today passed 5.0 USD; functions stopped"
    ]

    # Idempotent: the same day again changes nothing and notifies nobody.
    again = run_at(conf, clients, start + timedelta(hours=2, minutes=5))
    assert again["functions"] == {reserved: "held", unreserved: "held"}
    assert brake_tag(clients, reserved) == f"braked day={day} previous=7"
    assert notifications(clients, queue) == []

    # A new day: restored to what each had, record removed, one notification.
    next_day = run_at(conf, clients, start + timedelta(days=1, minutes=5))
    assert next_day["total_usd"] == 0.0 and next_day["over_budget"] is False
    assert next_day["functions"] == {reserved: "restored", unreserved: "restored"}
    assert concurrency(clients, reserved) == 7 and concurrency(clients, unreserved) is None
    assert brake_tag(clients, reserved) is None and brake_tag(clients, unreserved) is None
    assert notifications(clients, queue) == ["GenAI budget: a new day; functions restored"]

    # And again the next day: nothing left to do.
    later = run_at(conf, clients, start + timedelta(days=1, minutes=10))
    assert later["functions"] == {reserved: "open", unreserved: "open"}
    assert concurrency(clients, reserved) == 7


def test_brake_held_reasserts_zero_when_raised_by_hand(
    clients: dict[str, Any], namespace: str, svc: str
) -> None:
    name = make_function(clients, reserved=3)
    start = yesterday_start("UTC")
    spent(clients, namespace, svc, start, 2.0)
    conf = settings(namespace, svc, budget_usd=1.0, action="stop", stop_functions=(name,))
    run_at(conf, clients, start + timedelta(hours=1))
    clients["lambda"].put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=50)
    held = run_at(conf, clients, start + timedelta(hours=1, minutes=5))
    assert held["functions"] == {name: "held"}
    assert concurrency(clients, name) == 0
    assert brake_tag(clients, name).endswith("previous=3")  # the record is the first one


def test_alert_action_never_touches_functions(
    clients: dict[str, Any], namespace: str, svc: str
) -> None:
    name = make_function(clients, reserved=4)
    record = run_after_spending(
        clients, namespace, svc, 20.0, budget_usd=1.0, action="alert", stop_functions=(name,)
    )
    assert record["over_budget"] is True and record["functions"] == {name: "open"}
    assert concurrency(clients, name) == 4 and brake_tag(clients, name) is None


def test_under_budget_brakes_nothing(clients: dict[str, Any], namespace: str, svc: str) -> None:
    name = make_function(clients)
    record = run_after_spending(
        clients, namespace, svc, 4.99, budget_usd=5.0, action="stop", stop_functions=(name,)
    )
    assert record["over_budget"] is False and record["functions"] == {name: "open"}
    assert concurrency(clients, name) is None


def test_resume_lifts_the_brake_for_the_rest_of_the_day(
    clients: dict[str, Any], namespace: str, svc: str
) -> None:
    name, start, conf = braked_function(clients, namespace, svc, reserved=2)
    day = start.date().isoformat()

    assert budget.resume(clients["lambda"], name, PREFIX + name, day) == "restored"
    assert concurrency(clients, name) == 2
    assert brake_tag(clients, name) == f"resumed day={day}"
    # Still over budget today, but resumed by hand: no new brake today.
    record = run_at(conf, clients, start + timedelta(hours=2))
    assert record["functions"] == {name: "resumed"} and concurrency(clients, name) == 2

    # The next day the resume mark is gone; with new spend over budget it brakes again.
    put_cost(clients["cloudwatch"], namespace, svc, start + timedelta(days=1, minutes=1), 3.0)
    record = run_at(conf, clients, start + timedelta(days=1, hours=1))
    assert record["functions"] == {name: "braked"}
    assert brake_tag(clients, name) == f"braked day={(start + timedelta(days=1)).date()} previous=2"


def test_failed_read_brakes_nothing_but_still_restores_yesterday(
    clients: dict[str, Any], namespace: str, svc: str, capsys: pytest.CaptureFixture[str]
) -> None:
    name, start, conf = braked_function(clients, namespace, svc, reserved=5)

    broken = boto3.client(
        "cloudwatch", region_name=REGION, aws_access_key_id="x", aws_secret_access_key="x"
    )
    with Stubber(broken) as stub:
        stub.add_client_error("get_metric_data", "InternalFailure", http_status_code=500)
        record = run_budget(
            conf,
            {"cloudwatch": broken, "lambda": clients["lambda"]},
            now=start + timedelta(days=1, minutes=5),
            arn_prefix_=PREFIX,
        )
    assert record["functions"] == {name: "restored"} and concurrency(clients, name) == 5
    assert len(record["errors"]) == 1 and record["errors"][0].startswith("GetMetricData:")


def test_a_missing_function_is_one_error_and_the_others_still_brake(
    clients: dict[str, Any], namespace: str, svc: str
) -> None:
    name = make_function(clients)
    stop = ("no-such-function", name)
    record = run_after_spending(
        clients, namespace, svc, 9.0, budget_usd=1.0, action="stop", stop_functions=stop
    )
    assert record["functions"] == {"no-such-function": "error", name: "braked"}
    assert len(record["errors"]) == 1 and "no-such-function" in record["errors"][0]


# --- the Lambda entry point and its settings -------------------------------------------------


class BudgetContext:
    aws_request_id = "b0d6e700-0000-4000-8000-000000000001"
    invoked_function_arn = PREFIX + "deck-budget"


def test_lambda_handler_reads_its_environment(
    endpoint: str,
    clients: dict[str, Any],
    namespace: str,
    svc: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    name = make_function(clients, reserved=9)
    now = datetime.now(UTC)
    start = day_start(now, UTC)
    put_cost(clients["cloudwatch"], namespace, svc, start, 0.75)
    for key, value in {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "GENAI_METRIC_NAMESPACE": namespace,
        "GENAI_BUDGET_SERVICES": svc,
        "GENAI_BUDGET_USD": "0.5",
        "GENAI_BUDGET_ACTION": "stop",
        "GENAI_BUDGET_STOP_FUNCTIONS": name,
    }.items():
        monkeypatch.setenv(key, value)
    record = budget.lambda_handler({}, BudgetContext())
    assert record["spend_usd"] == {svc: 0.75} and record["time_zone"] == "UTC"
    assert record["functions"] == {name: "braked"} and concurrency(clients, name) == 0
    assert lines_of(capsys.readouterr().out)[-1] == record


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "GENAI_BUDGET_SERVICES"),
        ({"GENAI_BUDGET_SERVICES": "a", "GENAI_BUDGET_USD": "-1"}, "positive"),
        ({"GENAI_BUDGET_SERVICES": "a", "GENAI_BUDGET_USD": "nan"}, "positive"),
        ({"GENAI_BUDGET_SERVICES": "a", "GENAI_BUDGET_ACTION": "halt"}, "alert or stop"),
        ({"GENAI_BUDGET_SERVICES": "a", "GENAI_BUDGET_ACTION": "stop"}, "needs GENAI_BUDGET_USD"),
        (
            {"GENAI_BUDGET_SERVICES": "a", "GENAI_BUDGET_STOP_FUNCTIONS": "bad name!"},
            "invalid function names",
        ),
    ],
)
def test_settings_reject_bad_environment(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        BudgetSettings.from_env(env)


def test_settings_defaults_and_lists() -> None:
    got = BudgetSettings.from_env(
        {
            "GENAI_BUDGET_SERVICES": " agent, batch ,agent,",
            "GENAI_BUDGET_USD": "12.5",
            "GENAI_BUDGET_STOP_FUNCTIONS": f"one,{PREFIX}two",
        }
    )
    assert got == BudgetSettings(
        namespace="GenAI",
        services=("agent", "batch"),
        time_zone="UTC",
        budget_usd=12.5,
        action="alert",
        stop_functions=("one", f"{PREFIX}two"),
        topic_arn=None,
    )
