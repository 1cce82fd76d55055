"""The scheduled budget function ``genai_observability.budget.lambda_handler``.

Every few minutes (an EventBridge Scheduler schedule) it answers the one question a
CloudWatch dashboard cannot: how much did the LLM calls cost *today*, by the calendar of
the budget's time zone. It reads the deck's ``CostUSD`` {Service} rollup since the start of
today with GetMetricData and publishes the total as ``CostTodayUSD`` {Service}, the number a
calendar-day budget alarm can watch. Optionally it brakes: when today's spend passes the
budget it sets reserved concurrency 0 on the protected functions, records what each had
before in a tag on the function, notifies the alarm topic, and restores them at the start
of the next day.

Environment (set by modules/observability):

* ``GENAI_METRIC_NAMESPACE``: namespace of the deck's metrics (default ``GenAI``);
* ``GENAI_BUDGET_SERVICES``: comma-separated services to add up (required);
* ``GENAI_BUDGET_TIME_ZONE``: IANA time zone of the budget's day (default ``UTC``);
* ``GENAI_BUDGET_USD``: the daily budget in USD; unset publishes the spend only;
* ``GENAI_BUDGET_ACTION``: ``alert`` (default) or ``stop`` (the brake);
* ``GENAI_BUDGET_STOP_FUNCTIONS``: comma-separated names (or ARNs) the brake stops;
* ``GENAI_BUDGET_SNS_TOPIC_ARN``: topic notified when the brake is set, lifted or refused;
* ``GENAI_BUDGET_OWNER``: the name the brake writes in :data:`OWNER_TAG` and searches for
  (default: the running function's name);
* ``GENAI_BUDGET_ACCOUNT_MODEL_IDS``: comma-separated Bedrock model ids whose AWS/Bedrock
  token metrics are priced as the account's spend today (``AccountCostTodayUSD``);
* ``GENAI_BUDGET_ACCOUNT_MANTLE_MODEL_IDS``: comma-separated bedrock-mantle model ids whose
  AWS/BedrockMantle token metrics are added to that spend;
* ``GENAI_MODEL_PRICES``: price overrides, as for the deck's functions.

Missing data counts as 0 spent, and 0 is published: the daily alarms treat a gap in
``CostTodayUSD`` as a failed run. The brake finds every function carrying its tags (the
Resource Groups Tagging API), listed or not, and restores those no longer listed.

Failures are loud: an AWS error is logged as one line and the run goes on with what it can
still do (a failed read publishes nothing and brakes nothing, but a new day still lifts
yesterday's brake); a restore AWS refuses is notified and retried by the next run (its tag
stays). Then :func:`lambda_handler` logs the run and raises :class:`BudgetRunError`, so
Lambda counts an Error (AWS/Lambda ``Errors``) and the deck's alarm on it notifies.
:func:`run_budget` itself returns the record. Invalid settings raise
:class:`~genai_observability.ConfigurationError` (Terraform validates them first). The
standard library and boto3 (part of the Lambda runtime, imported lazily) are all it needs.

Time zones: ``UTC`` needs no data. Other names are read by :mod:`zoneinfo` from the system
time zone database, which the Lambda Python runtimes on Amazon Linux 2023 ship in
/usr/share/zoneinfo (added to the provided.al2023 base in its 2023.3 release, January
2024: github.com/aws/aws-lambda-dotnet/issues/1620 and
github.com/amazonlinux/amazon-linux-2023/issues/615). Where the database or the zone is
missing, the day is counted in UTC and every run says so in one log line and in its
result (``time_zone``), rather than not counting at all.
"""

from __future__ import annotations

import math
import os
import re
import sys
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any

from ._errors import ConfigurationError, GenAIObservabilityError
from ._strict_json import dumps
from .pricing import cost_usd

__all__ = [
    "BRAKE_TAG",
    "OWNER_TAG",
    "BrakeState",
    "BudgetRunError",
    "BudgetSettings",
    "RestoreRefused",
    "account_spend_today",
    "braked_functions",
    "day_start",
    "lambda_handler",
    "load_time_zone",
    "read_brake",
    "resume",
    "run_budget",
    "spend_today",
]

METRIC = "CostUSD"
TODAY_METRIC = "CostTodayUSD"
ACCOUNT_TODAY_METRIC = "AccountCostTodayUSD"
OWNER_TAG = "genai-obs:budget-owner"
"""Tag next to :data:`BRAKE_TAG`: the budget function that set the brake (one deck never
restores another deck's brake)."""
# Amazon Bedrock's own token metrics by ModelId (namespace AWS/Bedrock; Amazon Bedrock User
# Guide, "Monitor bedrock-runtime inference using CloudWatch metrics"), in the argument
# order of pricing.cost_usd.
BEDROCK_TOKEN_METRICS = (
    "InputTokenCount",
    "OutputTokenCount",
    "CacheReadInputTokenCount",
    "CacheWriteInputTokenCount",
)
# bedrock-mantle's billable token totals by Model (namespace AWS/BedrockMantle; Amazon Bedrock
# User Guide, "Monitor bedrock-mantle inference using CloudWatch metrics"), input then output.
MANTLE_TOKEN_METRICS = ("TotalInputTokens", "TotalOutputTokens")
BRAKE_TAG = "genai-obs:budget-brake"
"""Tag on a protected function recording the brake: ``braked day=D previous=N|none`` or
``resumed day=D`` (lifted by hand for that day)."""

# GetMetricData: at most 500 queries and 100,800 data points per call (CloudWatch API
# Reference, GetMetricData). One-minute periods keep every minute of the day whole (a
# metric filter's data has one-minute resolution) at 1,440 points per service and day.
PERIOD = 60
QUERIES_PER_CALL = 60  # 60 x 1,440 = 86,400 points, under the 100,800 limit
# PutMetricData: at most 1,000 metrics per request (CloudWatch API Reference, PutMetricData).
METRICS_PER_PUT = 500

_ACTIONS = ("alert", "stop")
_FUNCTION_NAME = re.compile(
    r"^(arn:aws[a-zA-Z-]*:lambda:[a-z0-9-]+:\d{12}:function:)?[A-Za-z0-9_-]{1,64}$"
)
_TAG_VALUE = re.compile(
    r"^(?P<state>braked|resumed) day=(?P<day>\d{4}-\d{2}-\d{2})"
    r"(?: previous=(?P<previous>none|\d+))?$"
)


@dataclass(frozen=True)
class BudgetSettings:
    """What one run of the budget function works with (see the module's environment)."""

    namespace: str = "GenAI"
    services: tuple[str, ...] = ()
    time_zone: str = "UTC"
    budget_usd: float | None = None
    action: str = "alert"
    stop_functions: tuple[str, ...] = ()
    topic_arn: str | None = None
    owner: str | None = None
    account_models: tuple[str, ...] = ()
    account_mantle_models: tuple[str, ...] = ()

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> BudgetSettings:
        """Read the settings from the environment.

        Args:
            env: The variables (default ``os.environ``).

        Returns:
            The settings.

        Raises:
            ConfigurationError: A variable is missing or invalid.
        """
        env = dict(os.environ if env is None else env)
        services = _split(env.get("GENAI_BUDGET_SERVICES", ""))
        if not services:
            raise ConfigurationError("GENAI_BUDGET_SERVICES must name at least one service")
        raw_budget = env.get("GENAI_BUDGET_USD", "").strip()
        budget: float | None = None
        if raw_budget:
            try:
                budget = float(raw_budget)
            except ValueError:
                budget = math.nan
            if not math.isfinite(budget) or budget <= 0:
                raise ConfigurationError(
                    f"GENAI_BUDGET_USD must be a positive number of USD, got {raw_budget!r}"
                )
        action = env.get("GENAI_BUDGET_ACTION", "").strip() or "alert"
        if action not in _ACTIONS:
            raise ConfigurationError(f"GENAI_BUDGET_ACTION must be alert or stop, got {action!r}")
        stop = _split(env.get("GENAI_BUDGET_STOP_FUNCTIONS", ""))
        bad = [name for name in stop if not _FUNCTION_NAME.match(name)]
        if bad:
            raise ConfigurationError(
                f"GENAI_BUDGET_STOP_FUNCTIONS holds invalid function names: {', '.join(bad)}"
            )
        if action == "stop" and budget is None:
            raise ConfigurationError("GENAI_BUDGET_ACTION=stop needs GENAI_BUDGET_USD")
        return cls(
            namespace=env.get("GENAI_METRIC_NAMESPACE", "").strip() or "GenAI",
            services=services,
            time_zone=env.get("GENAI_BUDGET_TIME_ZONE", "").strip() or "UTC",
            budget_usd=budget,
            action=action,
            stop_functions=stop,
            topic_arn=env.get("GENAI_BUDGET_SNS_TOPIC_ARN", "").strip() or None,
            owner=env.get("GENAI_BUDGET_OWNER", "").strip() or None,
            account_models=_split(env.get("GENAI_BUDGET_ACCOUNT_MODEL_IDS", "")),
            account_mantle_models=_split(env.get("GENAI_BUDGET_ACCOUNT_MANTLE_MODEL_IDS", "")),
        )


class BudgetRunError(GenAIObservabilityError):
    """A budget run could not read, publish, brake or restore (its errors are in the log)."""


@dataclass
class BrakeState:
    """The brake record of one function, read from its :data:`BRAKE_TAG` tag."""

    state: str  # "braked" or "resumed"
    day: str
    previous: int | None = None  # reserved concurrency before the brake; None = unreserved

    def tag_value(self) -> str:
        if self.state == "resumed":
            return f"resumed day={self.day}"
        previous = "none" if self.previous is None else str(self.previous)
        return f"braked day={self.day} previous={previous}"

    @classmethod
    def parse(cls, value: str | None) -> BrakeState | None:
        match = _TAG_VALUE.match(value or "")
        if match is None:
            return None
        previous = match.group("previous")
        return cls(
            state=match.group("state"),
            day=match.group("day"),
            previous=None if previous in (None, "none") else int(previous),
        )


@dataclass
class RunResult:
    """What one run did; returned by the handler and logged as one line."""

    time_zone: str
    day: str
    day_start: str
    spend_usd: dict[str, float] | None
    total_usd: float | None
    budget_usd: float | None
    action: str
    over_budget: bool = False
    published: bool = False
    account_usd: float | None = None
    functions: dict[str, str] = field(default_factory=dict)
    refused: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "event": "budget_run",
            "time_zone": self.time_zone,
            "day": self.day,
            "day_start": self.day_start,
            "spend_usd": self.spend_usd,
            "total_usd": self.total_usd,
            "budget_usd": self.budget_usd,
            "over_budget": self.over_budget,
            "action": self.action,
            "published": self.published,
            "account_usd": self.account_usd,
            "functions": self.functions,
            "refused": self.refused,
            "errors": self.errors,
        }


def _split(value: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(part.strip() for part in value.split(",") if part.strip()))


def _log(record: dict[str, Any]) -> None:
    sys.stdout.write(dumps(record) + "\n")
    sys.stdout.flush()


def _aws_error(operation: str, exc: Exception) -> str:
    """One line for an AWS error: operation, error code and message, never a traceback."""
    response = getattr(exc, "response", None)
    code = response.get("Error", {}).get("Code") if isinstance(response, dict) else None
    message = " ".join(str(exc).split())[:500]
    line = f"{operation}: {code or type(exc).__name__}: {message}"
    _log({"event": "budget_error", "operation": operation, "error": line})
    return line


def load_time_zone(name: str) -> tuple[tzinfo, str]:
    """Return the zone named ``name`` and the name actually used.

    ``UTC`` needs no time zone database. Another name without data (no database in the
    runtime, or an unknown zone) falls back to UTC with one log line.

    Args:
        name: An IANA time zone name such as ``Europe/Paris``.

    Returns:
        ``(zone, name_used)``; name_used is ``"UTC"`` after a fallback.
    """
    if name in ("UTC", "Etc/UTC", "Z"):
        return UTC, "UTC"
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name), name
    except Exception as exc:  # ZoneInfoNotFoundError, ValueError (bad key), OSError
        _log(
            {
                "event": "budget_warning",
                "warning": f"time zone {name!r} not found ({type(exc).__name__}); "
                "counting the day in UTC",
            }
        )
        return UTC, "UTC"


def day_start(now: datetime, zone: tzinfo) -> datetime:
    """Return the start of ``now``'s calendar day in ``zone``, as an aware UTC datetime.

    Args:
        now: An aware datetime.
        zone: The budget's time zone.

    Returns:
        Local midnight (or the first instant of the day where midnight is skipped by a
        daylight-saving change) in UTC.
    """
    local = now.astimezone(zone)
    midnight = datetime(local.year, local.month, local.day, tzinfo=zone)
    # A midnight that does not exist (clocks jump at 00:00) resolves, with fold=0, to the
    # offset before the jump: the instant of the jump, the day's first real instant.
    return midnight.astimezone(UTC)


def _sum_metrics(
    cloudwatch: Any, metrics: dict[str, dict[str, Any]], start: datetime, end: datetime
) -> dict[str, float]:
    """Sum each metric (query id -> ``Metric``) from ``start`` to ``end``; no data is 0.

    Raises:
        botocore.exceptions.ClientError / BotoCoreError: GetMetricData failed.
    """
    totals = dict.fromkeys(metrics, 0.0)
    # Whole minutes: the end is rounded up so the current minute is included.
    end = end.replace(second=0, microsecond=0) + timedelta(minutes=1)
    ids = list(metrics)
    for offset in range(0, len(ids), QUERIES_PER_CALL):
        queries = [
            {
                "Id": query_id,
                "MetricStat": {"Metric": metrics[query_id], "Period": PERIOD, "Stat": "Sum"},
                "ReturnData": True,
            }
            for query_id in ids[offset : offset + QUERIES_PER_CALL]
        ]
        token: str | None = None
        while True:
            kwargs: dict[str, Any] = {
                "MetricDataQueries": queries,
                "StartTime": start,
                "EndTime": end,
                "ScanBy": "TimestampAscending",
            }
            if token:
                kwargs["NextToken"] = token
            page = cloudwatch.get_metric_data(**kwargs)
            for result in page.get("MetricDataResults", []):
                query_id = result.get("Id", "")
                if query_id not in totals:
                    continue
                stamps = result.get("Timestamps", [])
                values = result.get("Values", [])
                for stamp, value in zip(stamps, values, strict=False):
                    # Only points of today: the start is inclusive, the end exclusive.
                    if _aware(stamp) >= start and math.isfinite(value):
                        totals[query_id] += float(value)
            token = page.get("NextToken")
            if not token:
                break
    return totals


def spend_today(
    cloudwatch: Any, namespace: str, services: tuple[str, ...], start: datetime, end: datetime
) -> dict[str, float]:
    """Sum ``CostUSD`` {Service} from ``start`` to ``end`` for each service.

    A service without data points spent 0.

    Args:
        cloudwatch: A boto3 CloudWatch client.
        namespace: The deck's metric namespace.
        services: The Service dimension values.
        start: Start of the day (aware; a whole minute).
        end: Now (aware).

    Returns:
        Service to USD.

    Raises:
        botocore.exceptions.ClientError / BotoCoreError: GetMetricData failed.
    """
    metrics = {
        f"s{i}": {
            "Namespace": namespace,
            "MetricName": METRIC,
            "Dimensions": [{"Name": "Service", "Value": service}],
        }
        for i, service in enumerate(services)
    }
    totals = _sum_metrics(cloudwatch, metrics, start, end)
    return {service: round(totals[f"s{i}"], 10) for i, service in enumerate(services)}


def _token_queries(
    namespace: str, dimension: str, names: tuple[str, ...], models: tuple[str, ...], key: str
) -> dict[str, dict[str, Any]]:
    """GetMetricData queries ``<key><i>k<k>``: each model's token metrics in ``namespace``."""
    return {
        f"{key}{i}k{k}": {
            "Namespace": namespace,
            "MetricName": name,
            "Dimensions": [{"Name": dimension, "Value": model}],
        }
        for i, model in enumerate(models)
        for k, name in enumerate(names)
    }


def account_spend_today(
    cloudwatch: Any,
    models: tuple[str, ...],
    start: datetime,
    end: datetime,
    region: str | None = None,
    mantle_models: tuple[str, ...] = (),
) -> tuple[float, list[str]]:
    """Price the account's Amazon Bedrock token metrics of ``models`` (AWS/Bedrock, by
    ModelId) and ``mantle_models`` (AWS/BedrockMantle, by Model) from ``start`` to ``end``.

    The same catalog and ``GENAI_MODEL_PRICES`` overrides as the deck's functions; token
    kinds whose price is unknown (a cache price the catalog lacks) are left out, as the
    deck's account view does, and the model is named in the second value. bedrock-mantle
    publishes billable input and output totals only, priced as plain input and output.

    Returns:
        ``(USD, models not fully priced)``.

    Raises:
        botocore.exceptions.ClientError / BotoCoreError: GetMetricData failed.
    """
    metrics = _token_queries("AWS/Bedrock", "ModelId", BEDROCK_TOKEN_METRICS, models, "m")
    metrics |= _token_queries(
        "AWS/BedrockMantle", "Model", MANTLE_TOKEN_METRICS, mantle_models, "n"
    )
    totals = _sum_metrics(cloudwatch, metrics, start, end)
    usd, unpriced = 0.0, []
    sides = (("m", models, BEDROCK_TOKEN_METRICS), ("n", mantle_models, MANTLE_TOKEN_METRICS))
    for key, ids, names in sides:
        for i, model in enumerate(ids):
            tokens = [round(totals[f"{key}{i}k{k}"]) for k in range(len(names))]
            cost = cost_usd(model, *tokens, region=region)
            if cost is None:
                unpriced.append(model)
                cost = cost_usd(model, tokens[0], tokens[1], region=region)
            usd += cost or 0.0
    return round(usd, 10), unpriced


def _aware(stamp: Any) -> datetime:
    if isinstance(stamp, datetime):
        return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)
    return datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))


def publish(cloudwatch: Any, namespace: str, spend: dict[str, float], now: datetime) -> None:
    """Publish ``CostTodayUSD`` {Service} for each service.

    Raises:
        botocore.exceptions.ClientError / BotoCoreError: PutMetricData failed.
    """
    data = [
        {
            "MetricName": TODAY_METRIC,
            "Dimensions": [{"Name": "Service", "Value": service}],
            "Timestamp": now,
            "Value": value,
            "Unit": "None",
        }
        for service, value in spend.items()
    ]
    for offset in range(0, len(data), METRICS_PER_PUT):
        cloudwatch.put_metric_data(
            Namespace=namespace, MetricData=data[offset : offset + METRICS_PER_PUT]
        )


def publish_account(cloudwatch: Any, namespace: str, usd: float, now: datetime) -> None:
    """Publish ``AccountCostTodayUSD`` (no dimension): the account's Bedrock spend today.

    Raises:
        botocore.exceptions.ClientError / BotoCoreError: PutMetricData failed.
    """
    cloudwatch.put_metric_data(
        Namespace=namespace,
        MetricData=[
            {"MetricName": ACCOUNT_TODAY_METRIC, "Timestamp": now, "Value": usd, "Unit": "None"}
        ],
    )


def function_arn(name: str, prefix: str | None) -> str:
    """The ARN of a function given by name (and the ``arn:...:function:`` prefix) or ARN."""
    if name.startswith("arn:"):
        return name
    if not prefix:
        raise ConfigurationError(f"cannot tell the ARN of function {name!r}")
    return prefix + name


def arn_prefix(context: Any) -> str | None:
    """``arn:<partition>:lambda:<region>:<account>:function:`` of the running function."""
    arn = getattr(context, "invoked_function_arn", None)
    if not isinstance(arn, str) or ":function:" not in arn:
        return None
    return arn.split(":function:", 1)[0] + ":function:"


def read_brake(lambda_client: Any, arn: str) -> BrakeState | None:
    """Read the brake record of one function (None when it has none)."""
    tags = lambda_client.list_tags(Resource=arn).get("Tags", {})
    return BrakeState.parse(tags.get(BRAKE_TAG))


def reserved_concurrency(lambda_client: Any, name: str) -> int | None:
    """The function's reserved concurrency, None when it has none."""
    value = lambda_client.get_function_concurrency(FunctionName=name).get(
        "ReservedConcurrentExecutions"
    )
    return None if value is None else int(value)


class RestoreRefused(Exception):
    """AWS refused to give a braked function its concurrency back (the cause says why)."""


def _restore(lambda_client: Any, name: str, previous: int | None) -> None:
    # Lambda keeps at least 100 unreserved executions per account, so giving back a
    # reservation can be refused (Lambda Developer Guide, "Configuring reserved
    # concurrency"); the tag stays and the next run tries again.
    try:
        if previous is None:
            lambda_client.delete_function_concurrency(FunctionName=name)
        else:
            lambda_client.put_function_concurrency(
                FunctionName=name, ReservedConcurrentExecutions=previous
            )
    except Exception as exc:
        raise RestoreRefused(name) from exc


def braked_functions(tagging: Any, owner: str) -> list[str]:
    """ARNs of every function whose brake ``owner`` set, listed or not (GetResources)."""
    arns: list[str] = []
    kwargs: dict[str, Any] = {
        "TagFilters": [{"Key": BRAKE_TAG}, {"Key": OWNER_TAG, "Values": [owner]}],
        "ResourceTypeFilters": ["lambda:function"],
    }
    while True:
        page = tagging.get_resources(**kwargs)
        arns.extend(m["ResourceARN"] for m in page.get("ResourceTagMappingList", []))
        token = page.get("PaginationToken")
        if not token:
            return arns
        kwargs["PaginationToken"] = token


def release_function(lambda_client: Any, arn: str) -> str:
    """Lift the brake of a function that is no longer protected; ``released`` or ``open``."""
    record = read_brake(lambda_client, arn)
    if record is not None and record.state == "braked":
        _restore(lambda_client, arn, record.previous)
    lambda_client.untag_resource(Resource=arn, TagKeys=[BRAKE_TAG, OWNER_TAG])
    return "released" if record is not None and record.state == "braked" else "open"


def _short(name: str) -> str:
    return name.rsplit(":function:", 1)[-1]


def brake_function(
    lambda_client: Any,
    name: str,
    arn: str,
    today: str,
    over_budget: bool,
    stop: bool,
    owner: str | None = None,
) -> str:
    """Bring one function to the state today's spend asks for; idempotent.

    Returns:
        What happened: ``braked``, ``held`` (braked earlier today), ``restored`` (a brake of
        an earlier day lifted), ``resumed`` (lifted by hand today), or ``open``.
    """
    record = read_brake(lambda_client, arn)
    if record is not None and record.day != today:
        if record.state == "braked":
            _restore(lambda_client, name, record.previous)
        lambda_client.untag_resource(Resource=arn, TagKeys=[BRAKE_TAG, OWNER_TAG])
        outcome = "restored" if record.state == "braked" else "open"
        record = None
    else:
        outcome = "open"
    if record is not None and record.state == "resumed":
        return "resumed"
    if record is not None and record.state == "braked":
        # Held: re-assert 0 if someone raised it without `genai-obs budget resume`.
        if reserved_concurrency(lambda_client, name) != 0:
            lambda_client.put_function_concurrency(
                FunctionName=name, ReservedConcurrentExecutions=0
            )
        return "held"
    if not (stop and over_budget):
        return outcome
    previous = reserved_concurrency(lambda_client, name)
    # Record first: if the brake call then fails, the record is removed again; if the run
    # dies in between, the next run finds the record and re-asserts 0 ("held").
    tags = {BRAKE_TAG: BrakeState("braked", today, previous).tag_value()}
    if owner:
        tags[OWNER_TAG] = owner
    lambda_client.tag_resource(Resource=arn, Tags=tags)
    try:
        lambda_client.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=0)
    except Exception:
        lambda_client.untag_resource(Resource=arn, TagKeys=[BRAKE_TAG, OWNER_TAG])
        raise
    return "braked"


def resume(lambda_client: Any, name: str, arn: str, today: str) -> str:
    """Lift the brake of one function for the rest of ``today`` (``genai-obs budget resume``).

    Returns:
        ``restored`` when a brake was lifted, ``resumed`` when there was none.
    """
    record = read_brake(lambda_client, arn)
    outcome = "resumed"
    if record is not None and record.state == "braked":
        _restore(lambda_client, name, record.previous)
        outcome = "restored"
    lambda_client.tag_resource(Resource=arn, Tags={BRAKE_TAG: f"resumed day={today}"})
    return outcome


def _notify(sns: Any, topic_arn: str, subject: str, message: str, result: RunResult) -> None:
    try:
        sns.publish(TopicArn=topic_arn, Subject=subject[:100], Message=message)
    except Exception as exc:
        result.errors.append(_aws_error("Publish", exc))


def run_budget(
    settings: BudgetSettings,
    clients: dict[str, Any],
    now: datetime | None = None,
    arn_prefix_: str | None = None,
) -> dict[str, Any]:
    """One run: spend today, ``CostTodayUSD``, the account's spend, and the brake.

    Never raises on AWS errors: each is one line and one entry of ``errors`` (see
    :func:`lambda_handler`, which turns them into a function error).

    Args:
        settings: The budget's settings.
        clients: boto3 clients ``cloudwatch``, ``lambda``, ``tagging``
            (resourcegroupstaggingapi) and ``sns`` (the last three only used with stop
            functions, an owner / a topic).
        now: The current time (aware; default now).
        arn_prefix_: ``arn:...:function:`` prefix for function names given without ARN.

    Returns:
        The run's record (also logged as one ``budget_run`` line).
    """
    now = (now or datetime.now(UTC)).astimezone(UTC)
    zone, zone_name = load_time_zone(settings.time_zone)
    start = day_start(now, zone)
    result = RunResult(
        time_zone=zone_name,
        day=now.astimezone(zone).date().isoformat(),
        day_start=start.isoformat().replace("+00:00", "Z"),
        spend_usd=None,
        total_usd=None,
        budget_usd=settings.budget_usd,
        action=settings.action,
    )
    today = _Today(settings, clients, start, now, result)
    spend_known = _read_and_publish(today)
    if settings.account_models or settings.account_mantle_models:
        _account_spend(today)
    _apply_brakes(settings, clients, arn_prefix_, spend_known, result)
    if settings.owner:
        _release_unlisted(settings, clients, arn_prefix_, result)
    if settings.topic_arn:
        _notify_changes(clients, settings.topic_arn, result)
    record = result.as_dict()
    _log(record)
    return record


@dataclass(frozen=True)
class _Today:
    """What the spend steps of one run share: the settings, the clients, the day, the record."""

    settings: BudgetSettings
    clients: dict[str, Any]
    start: datetime
    now: datetime
    result: RunResult


def _read_and_publish(today: _Today) -> bool:
    """Read today's spend into ``result`` and publish it; False when it could not be read."""
    settings, result = today.settings, today.result
    try:
        spend = spend_today(
            today.clients["cloudwatch"],
            settings.namespace,
            settings.services,
            today.start,
            today.now,
        )
    except Exception as exc:
        result.errors.append(_aws_error("GetMetricData", exc))
        return False
    result.spend_usd = spend
    result.total_usd = round(sum(spend.values()), 10)
    result.over_budget = settings.budget_usd is not None and result.total_usd > settings.budget_usd
    try:
        publish(today.clients["cloudwatch"], settings.namespace, spend, today.now)
        result.published = True
    except Exception as exc:
        result.errors.append(_aws_error("PutMetricData", exc))
    return True


def _account_spend(today: _Today) -> None:
    """Price the account's Bedrock metrics since the start of the day; publish the total."""
    settings, result = today.settings, today.result
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or None
    try:
        usd, unpriced = account_spend_today(
            today.clients["cloudwatch"],
            settings.account_models,
            today.start,
            today.now,
            region,
            settings.account_mantle_models,
        )
    except Exception as exc:
        result.errors.append(_aws_error("GetMetricData AWS/Bedrock", exc))
        return
    if unpriced:
        _log(
            {
                "event": "budget_warning",
                "warning": "token kinds without a price left out of the account's spend: "
                + ", ".join(unpriced),
            }
        )
    result.account_usd = usd
    try:
        publish_account(today.clients["cloudwatch"], settings.namespace, usd, today.now)
    except Exception as exc:
        result.errors.append(_aws_error("PutMetricData AccountCostTodayUSD", exc))


def _record_failure(result: RunResult, short: str, exc: Exception) -> None:
    """One error line for a function the run could not bring to its state."""
    if isinstance(exc, ConfigurationError):
        result.errors.append(str(exc))
    elif isinstance(exc, RestoreRefused):
        result.refused.append(short)
        cause = exc.__cause__ if isinstance(exc.__cause__, Exception) else exc
        result.errors.append(_aws_error(f"restore {short}", cause))
    else:
        result.errors.append(_aws_error(f"brake {short}", exc))
    result.functions[short] = "error"


def _apply_brakes(
    settings: BudgetSettings,
    clients: dict[str, Any],
    arn_prefix_: str | None,
    spend_known: bool,
    result: RunResult,
) -> None:
    """Bring every protected function to the state today's spend asks for."""
    stop = settings.action == "stop"
    for name in settings.stop_functions:
        short = _short(name)
        try:
            arn = function_arn(name, arn_prefix_)
            # Without today's spend (a failed read) nothing is braked; yesterday's brake is
            # still lifted, because that depends on the day only.
            over = result.over_budget and spend_known
            result.functions[short] = brake_function(
                clients["lambda"], name, arn, result.day, over, stop, settings.owner
            )
        except Exception as exc:
            _record_failure(result, short, exc)


def _release_unlisted(
    settings: BudgetSettings,
    clients: dict[str, Any],
    arn_prefix_: str | None,
    result: RunResult,
) -> None:
    """Restore every function this budget braked that it no longer protects: removed from
    the stop list, or the action is back to ``alert``."""
    listed: set[str] = set()
    if settings.action == "stop":
        for name in settings.stop_functions:
            try:
                listed.add(function_arn(name, arn_prefix_))
            except ConfigurationError:
                continue
    try:
        found = braked_functions(clients["tagging"], settings.owner or "")
    except Exception as exc:
        result.errors.append(_aws_error("GetResources", exc))
        return
    for arn in found:
        if arn in listed:
            continue
        short = _short(arn)
        try:
            result.functions[short] = release_function(clients["lambda"], arn)
        except Exception as exc:
            _record_failure(result, short, exc)


def _notify_changes(clients: dict[str, Any], topic_arn: str, result: RunResult) -> None:
    """Tell the topic which functions this run braked, restored, or could not restore."""
    braked = [f for f, what in result.functions.items() if what == "braked"]
    restored = [f for f, what in result.functions.items() if what == "restored"]
    released = [f for f, what in result.functions.items() if what == "released"]
    day, zone_name, budget = result.day, result.time_zone, result.budget_usd
    if braked:
        _notify(
            clients["sns"],
            topic_arn,
            f"GenAI budget: spend today passed {budget} USD; functions stopped",
            f"LLM spend today ({day}, {zone_name}) is {result.total_usd} USD, over the "
            f"{budget} USD budget. Reserved concurrency 0 was set on: {', '.join(braked)}. "
            "It is restored at the start of the next day, or now with "
            "`genai-obs budget resume`.",
            result,
        )
    if restored:
        _notify(
            clients["sns"],
            topic_arn,
            "GenAI budget: a new day; functions restored",
            f"A new budget day ({day}, {zone_name}) began; the reserved concurrency of "
            f"{', '.join(restored)} is back to what it was before the brake.",
            result,
        )
    if released:
        _notify(
            clients["sns"],
            topic_arn,
            "GenAI budget: functions no longer protected; brake lifted",
            f"{', '.join(released)} left the brake's list (removed from the stop functions, "
            "or budget_action is alert); their reserved concurrency is back to what it was "
            "before the brake.",
            result,
        )
    if result.refused:
        _notify(
            clients["sns"],
            topic_arn,
            "GenAI budget: a brake could not be lifted",
            f"AWS refused to restore the reserved concurrency of {', '.join(result.refused)} "
            f"({day}, {zone_name}); they stay at 0 and every run tries again. Lambda keeps at "
            "least 100 unreserved executions per account: free some, or raise the quota. "
            f"Errors: {'; '.join(result.errors)}",
            result,
        )


def _clients(settings: BudgetSettings) -> dict[str, Any]:
    import boto3
    from botocore.config import Config

    from . import __version__

    config = Config(
        user_agent_extra=f"genai-observability/{__version__}",
        retries={"max_attempts": 3, "mode": "standard"},
        connect_timeout=5,
        read_timeout=20,
    )
    clients = {"cloudwatch": boto3.client("cloudwatch", config=config)}
    if settings.stop_functions or settings.owner:
        clients["lambda"] = boto3.client("lambda", config=config)
    if settings.owner:
        clients["tagging"] = boto3.client("resourcegroupstaggingapi", config=config)
    if settings.topic_arn:
        clients["sns"] = boto3.client("sns", config=config)
    return clients


def lambda_handler(event: Any, context: Any) -> dict[str, Any]:
    """Run the budget once (the schedule invokes it every 5 minutes).

    Args:
        event: Ignored.
        context: The Lambda context (its ARN tells the ARNs of the protected functions; its
            name is the brake's owner unless ``GENAI_BUDGET_OWNER`` says otherwise).

    Returns:
        The run's record: ``time_zone``, ``day``, ``day_start``, ``spend_usd`` by service,
        ``total_usd``, ``budget_usd``, ``over_budget``, ``action``, ``published``,
        ``account_usd``, ``functions`` (what the brake did to each), ``refused`` and
        ``errors``.

    Raises:
        ConfigurationError: The environment is invalid.
        BudgetRunError: The run could not read, publish, brake or restore (after it did all
            it could and logged its record), so Lambda counts an Error.
    """
    settings = BudgetSettings.from_env()
    owner = getattr(context, "function_name", None)
    if settings.owner is None and isinstance(owner, str) and owner:
        settings = replace(settings, owner=owner)
    try:
        clients = _clients(settings)
    except Exception as exc:  # boto3 missing or no region: one line, then a function error
        line = _aws_error("client", exc)
        raise BudgetRunError(line) from exc
    record = run_budget(settings, clients, arn_prefix_=arn_prefix(context))
    if record["errors"]:
        raise BudgetRunError(
            f"the budget run had {len(record['errors'])} error(s): " + "; ".join(record["errors"])
        )
    return record
