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
from botocore.exceptions import ClientError, NoRegionError
from botocore.stub import Stubber
from genai_observability import ConfigurationError, budget, pricing
from genai_observability.budget import BRAKE_TAG, BudgetSettings, day_start, run_budget
from support import lines_of
from support.aws import create_function
from support.cloudwatch.alarm_eval import ALARM, INSUFFICIENT_DATA, OK, Alarm, Sample, simulate

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
    made = {s: client(endpoint, s) for s in ("cloudwatch", "lambda", "sns", "sqs", "iam")}
    made["tagging"] = client(endpoint, "resourcegroupstaggingapi")
    return made


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


# --- failures are loud (issue 18, item 1) ----------------------------------------------------


def owned(namespace: str, svc: str, owner: str, **kwargs: Any) -> BudgetSettings:
    """Settings of a deck whose budget function is ``owner`` (the brake's owner tag)."""
    return settings(namespace, svc, owner=owner, **kwargs)


def braked_pair(
    clients: dict[str, Any], namespace: str, svc: str, owner: str
) -> tuple[str, str, datetime]:
    """Two functions (reserved 3 and unreserved) braked by ``owner`` an hour into the day
    before yesterday; their names and that day's start."""
    kept, dropped = make_function(clients, reserved=3), make_function(clients)
    start = yesterday_start("UTC") - timedelta(days=1)
    spent(clients, namespace, svc, start, 9.0)
    conf = owned(
        namespace, svc, owner, budget_usd=1.0, action="stop", stop_functions=(kept, dropped)
    )
    record = run_at(conf, clients, start + timedelta(hours=1))
    assert record["functions"] == {kept: "braked", dropped: "braked"}
    assert concurrency(clients, kept) == 0 and concurrency(clients, dropped) == 0
    return kept, dropped, start


def owner_tag(clients: dict[str, Any], name: str) -> str | None:
    return clients["lambda"].list_tags(Resource=PREFIX + name)["Tags"].get(budget.OWNER_TAG)


def test_brake_restores_a_function_removed_from_the_stop_list(
    clients: dict[str, Any], namespace: str, svc: str
) -> None:
    owner = f"deck-{uuid.uuid4().hex[:8]}-budget"
    kept, dropped, start = braked_pair(clients, namespace, svc, owner)
    assert owner_tag(clients, dropped) == owner

    conf = owned(namespace, svc, owner, budget_usd=1.0, action="stop", stop_functions=(kept,))
    record = run_at(conf, clients, start + timedelta(hours=2))
    assert record["functions"] == {kept: "held", dropped: "released"}
    assert record["errors"] == []
    assert concurrency(clients, kept) == 0 and concurrency(clients, dropped) is None
    assert brake_tag(clients, dropped) is None and owner_tag(clients, dropped) is None


def test_brake_restores_every_function_when_the_action_is_back_to_alert(
    clients: dict[str, Any], namespace: str, svc: str
) -> None:
    owner = f"deck-{uuid.uuid4().hex[:8]}-budget"
    kept, dropped, start = braked_pair(clients, namespace, svc, owner)
    topic, queue = topic_with_queue(clients)

    # Terraform lists no stop function with budget_action = "alert".
    conf = owned(namespace, svc, owner, budget_usd=1.0, action="alert", topic_arn=topic)
    record = run_at(conf, clients, start + timedelta(hours=2))
    assert record["functions"] == {kept: "released", dropped: "released"}
    assert concurrency(clients, kept) == 3 and concurrency(clients, dropped) is None
    assert notifications(clients, queue) == [
        "GenAI budget: functions no longer protected; brake lifted"
    ]


def test_brake_leaves_another_decks_brake_alone(
    clients: dict[str, Any], namespace: str, svc: str
) -> None:
    owner = f"deck-{uuid.uuid4().hex[:8]}-budget"
    _, dropped, start = braked_pair(clients, namespace, svc, owner)
    other = owned(namespace, svc, "another-deck-budget", budget_usd=1.0, action="alert")
    record = run_at(other, clients, start + timedelta(hours=2))
    assert record["functions"] == {} and concurrency(clients, dropped) == 0


def refuse(monkeypatch: pytest.MonkeyPatch, lambda_client: Any) -> None:
    """Make Lambda refuse every concurrency change, as it does at the account's minimum of
    100 unreserved executions."""
    error = ClientError(
        {
            "Error": {
                "Code": "InvalidParameterValueException",
                "Message": "Specified ReservedConcurrentExecutions for function decreases "
                "account's UnreservedConcurrentExecution below its minimum value of [100].",
            }
        },
        "PutFunctionConcurrency",
    )

    def refused(**_: Any) -> None:
        raise error

    monkeypatch.setattr(lambda_client, "put_function_concurrency", refused)
    monkeypatch.setattr(lambda_client, "delete_function_concurrency", refused)


def test_refused_restore_notifies_keeps_the_tag_and_is_retried(
    clients: dict[str, Any], namespace: str, svc: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    owner = f"deck-{uuid.uuid4().hex[:8]}-budget"
    kept, dropped, start = braked_pair(clients, namespace, svc, owner)
    topic, queue = topic_with_queue(clients)
    conf = owned(
        namespace, svc, owner, budget_usd=1.0, action="stop", stop_functions=(kept,),
        topic_arn=topic,
    )  # fmt: skip
    day = start + timedelta(days=1)  # a new day: both brakes are due to be lifted

    with monkeypatch.context() as patch:
        refuse(patch, clients["lambda"])
        record = run_at(conf, clients, day + timedelta(minutes=5))
    assert record["functions"] == {kept: "error", dropped: "error"}
    assert sorted(record["refused"]) == sorted([kept, dropped])
    assert all("InvalidParameterValueException" in e for e in record["errors"])
    assert notifications(clients, queue) == ["GenAI budget: a brake could not be lifted"]
    assert concurrency(clients, kept) == 0 and brake_tag(clients, dropped) is not None

    record = run_at(conf, clients, day + timedelta(minutes=10))  # the next run retries
    assert record["functions"] == {kept: "restored", dropped: "released"}
    assert record["errors"] == [] and record["refused"] == []
    assert concurrency(clients, kept) == 3 and concurrency(clients, dropped) is None


def test_denied_tag_write_brakes_nothing_and_is_an_error(
    clients: dict[str, Any], namespace: str, svc: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = make_function(clients, reserved=4)
    denied = ClientError(
        {"Error": {"Code": "AccessDeniedException", "Message": "not authorized"}}, "TagResource"
    )

    def deny(**_: Any) -> None:
        raise denied

    monkeypatch.setattr(clients["lambda"], "tag_resource", deny)
    record = run_after_spending(
        clients, namespace, svc, 9.0, budget_usd=1.0, action="stop", stop_functions=(name,)
    )
    assert record["functions"] == {name: "error"}
    assert record["errors"][0].startswith(f"brake {name}: AccessDeniedException")
    # The record is written before the brake: without it, no brake (nothing to restore).
    assert concurrency(clients, name) == 4 and brake_tag(clients, name) is None


def test_tag_search_failure_is_an_error_of_the_run(
    clients: dict[str, Any], namespace: str, svc: str
) -> None:
    tagging = client("http://127.0.0.1:1", "resourcegroupstaggingapi")
    now = yesterday_start("UTC") + timedelta(hours=1)
    record = run_budget(
        owned(namespace, svc, "deck-budget"),
        {"cloudwatch": clients["cloudwatch"], "lambda": clients["lambda"], "tagging": tagging},
        now=now,
    )
    assert record["published"] is True
    assert len(record["errors"]) == 1 and record["errors"][0].startswith("GetResources: ")


def test_lambda_handler_ends_in_a_function_error_after_logging_the_run(
    svc: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # An endpoint that refuses every connection: CloudWatch unreachable.
    for key, value in {
        "AWS_ENDPOINT_URL": "http://127.0.0.1:1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_MAX_ATTEMPTS": "1",
        "GENAI_BUDGET_SERVICES": svc,
        "GENAI_BUDGET_USD": "5",
    }.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(budget.BudgetRunError, match="GetMetricData: EndpointConnectionError"):
        budget.lambda_handler({}, BudgetContext())
    *errors, run = lines_of(capsys.readouterr().out)
    assert [e["event"] for e in errors] == ["budget_error"]
    assert run["event"] == "budget_run" and run["published"] is False
    assert run["errors"] == [errors[0]["error"]]


def test_lambda_handler_without_a_client_ends_in_a_function_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GENAI_BUDGET_SERVICES", "agent")

    def no_region(_: BudgetSettings) -> dict[str, Any]:
        raise NoRegionError()

    monkeypatch.setattr(budget, "_clients", no_region)
    with pytest.raises(budget.BudgetRunError, match="client: NoRegionError"):
        budget.lambda_handler({}, BudgetContext())
    (line,) = lines_of(capsys.readouterr().out)
    assert line["event"] == "budget_error" and line["operation"] == "client"


def test_lambda_handler_owner_is_its_own_function_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GENAI_BUDGET_SERVICES", "agent")
    seen: list[BudgetSettings] = []

    def record_run(conf: BudgetSettings, *_: Any, **__: Any) -> dict[str, Any]:
        seen.append(conf)
        return {"errors": []}

    monkeypatch.setattr(budget, "_clients", lambda _: {})
    monkeypatch.setattr(budget, "run_budget", record_run)

    class Named(BudgetContext):
        function_name = "deck-budget"

    budget.lambda_handler({}, Named())
    assert seen[0].owner == "deck-budget"
    monkeypatch.setenv("GENAI_BUDGET_OWNER", "set-by-terraform")
    budget.lambda_handler({}, Named())
    assert seen[1].owner == "set-by-terraform"


def daily_alarm(treat_missing_data: str) -> Alarm:
    """The daily budget alarm as alarms.tf renders it (tests/budget_function.tftest.hcl checks
    the same values in the plan)."""
    return Alarm.from_plan(
        {
            "alarm_name": "deck-daily-cost",
            "namespace": "GenAI",
            "metric_name": "CostTodayUSD",
            "dimensions": {"Service": "deck"},
            "statistic": "Maximum",
            "period": 300,
            "evaluation_periods": 1,
            "datapoints_to_alarm": 1,
            "threshold": 10.0,
            "comparison_operator": "GreaterThanThreshold",
            "treat_missing_data": treat_missing_data,
        }
    )


def test_daily_alarm_notifies_when_the_budget_function_stops_publishing() -> None:
    # The function publishes every 5 minutes (0 on a quiet day) for two hours, then stops.
    t0 = 1_767_225_600  # 2026-01-01T00:00Z
    samples = [
        Sample.of(t0 + minute * 60, "GenAI", "CostTodayUSD", {"Service": "deck"}, 0.0)
        for minute in range(0, 120, 5)
    ]
    end = t0 + 4 * 3600
    states = dict(simulate(daily_alarm("breaching"), samples, t0 + 60, end))
    assert states[t0 + 119 * 60] == OK  # a quiet day is OK, not a silent gap
    first_alarm = min(t for t, state in states.items() if state == ALARM)
    assert t0 + 115 * 60 < first_alarm <= t0 + 115 * 60 + 20 * 60  # within 20 minutes
    assert all(state == ALARM for t, state in states.items() if t >= first_alarm)
    # Before: missing data stayed missing, and the alarm went quiet (INSUFFICIENT_DATA, which
    # notifies no one).
    quiet = dict(simulate(daily_alarm("missing"), samples, t0 + 60, end))
    assert ALARM not in quiet.values() and quiet[end - 60] == INSUFFICIENT_DATA


# --- the account's calendar day (issue 18, item 2) -------------------------------------------


def test_account_spend_prices_bedrock_metrics_since_the_start_of_the_day(
    clients: dict[str, Any], namespace: str, svc: str
) -> None:
    model = "amazon.nova-micro-v1:0"  # 0.035 in, 0.14 out per 1M tokens in the catalog
    start = yesterday_start("Europe/Paris") - timedelta(days=2)
    for at, tokens in (
        (start - timedelta(minutes=5), 9_000_000),
        (start + timedelta(minutes=7), 1_000_000),
    ):
        clients["cloudwatch"].put_metric_data(
            Namespace="AWS/Bedrock",
            MetricData=[
                {
                    "MetricName": name,
                    "Dimensions": [{"Name": "ModelId", "Value": model}],
                    "Timestamp": at,
                    "Value": tokens,
                }
                for name in ("InputTokenCount", "OutputTokenCount")
            ],
        )
    now = start + timedelta(hours=1)
    conf = settings(namespace, svc, time_zone="Europe/Paris", account_models=(model,))
    record = run_at(conf, clients, now)
    assert record["account_usd"] == pytest.approx(0.175) and record["errors"] == []
    got = clients["cloudwatch"].get_metric_data(
        MetricDataQueries=[
            {
                "Id": "account",
                "MetricStat": {
                    "Metric": {"Namespace": namespace, "MetricName": "AccountCostTodayUSD"},
                    "Period": 60,
                    "Stat": "Maximum",
                },
            }
        ],
        StartTime=now - timedelta(minutes=5),
        EndTime=now + timedelta(minutes=5),
    )
    assert got["MetricDataResults"][0]["Values"] == [pytest.approx(0.175)]


def test_account_spend_adds_bedrock_mantle_token_totals(
    clients: dict[str, Any], namespace: str, svc: str
) -> None:
    bedrock, mantle = "amazon.nova-micro-v1:0", "openai.gpt-oss-20b"
    start = yesterday_start("UTC") - timedelta(days=1)
    for ns, dim, names, model in (
        ("AWS/Bedrock", "ModelId", ("InputTokenCount", "OutputTokenCount"), bedrock),
        ("AWS/BedrockMantle", "Model", ("TotalInputTokens", "TotalOutputTokens"), mantle),
    ):
        clients["cloudwatch"].put_metric_data(
            Namespace=ns,
            MetricData=[
                {
                    "MetricName": name,
                    "Dimensions": [{"Name": dim, "Value": model}],
                    "Timestamp": start + timedelta(minutes=7),
                    "Value": 1_000_000,
                }
                for name in names
            ],
        )
    conf = settings(namespace, svc, account_models=(bedrock,), account_mantle_models=(mantle,))
    record = run_at(conf, clients, start + timedelta(hours=1))
    # Nova Micro 0.035 + 0.14; the mantle id is priced as openai.gpt-oss-20b-1:0.
    expected = 0.175 + pricing.cost_usd(mantle, 1_000_000, 1_000_000)
    assert record["errors"] == [] and record["account_usd"] == pytest.approx(expected)
    assert expected > 0.175  # the mantle side is priced, not left out


def test_account_spend_read_failure_is_an_error_of_the_run() -> None:
    cw = boto3.client(
        "cloudwatch", region_name=REGION, aws_access_key_id="x", aws_secret_access_key="x"
    )
    with Stubber(cw) as stub:
        stub.add_response("get_metric_data", {"MetricDataResults": []})
        stub.add_response("put_metric_data", {})
        stub.add_client_error("get_metric_data", "Throttling", http_status_code=400)
        record = run_budget(
            settings("GenAI", "agent", account_models=("amazon.nova-micro-v1:0",)),
            {"cloudwatch": cw},
            now=datetime(2026, 1, 5, 12, tzinfo=UTC),
        )
    assert record["account_usd"] is None
    assert record["errors"][0].startswith("GetMetricData AWS/Bedrock: Throttling")


def test_settings_read_owner_and_account_models() -> None:
    got = BudgetSettings.from_env(
        {
            "GENAI_BUDGET_SERVICES": "agent",
            "GENAI_BUDGET_OWNER": "deck-budget",
            "GENAI_BUDGET_ACCOUNT_MODEL_IDS": "amazon.nova-micro-v1:0, us.amazon.nova-lite-v1:0",
        }
    )
    assert got.owner == "deck-budget"
    assert got.account_models == ("amazon.nova-micro-v1:0", "us.amazon.nova-lite-v1:0")
