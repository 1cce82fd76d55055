"""Every alarm the deck ships can reach ALARM at the traffic users have.

Terraform plans modules/observability with every alarm turned on and nothing but its
threshold set (so period, evaluation periods, datapoints to alarm and missing-data handling
are the module's defaults), against the embedded AWS emulator (the budget function's role
reads the account id). The planned ``aws_cloudwatch_metric_alarm`` values are read from
``terraform show -json``, never copied, and evaluated by the strict model of CloudWatch's
alarm evaluation in tests/support/cloudwatch/alarm_eval.py against the raw data points two traffic
patterns produce, where every call is a bad one for the alarm under test:

* one call an hour, for a day;
* 100 calls a minute, for three hours.

The opt-in alarms whose data CloudWatch derives itself (the anomaly detection band, the
Contributor Insights top contributor) are not modelled and are named as such.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from support.cloudwatch.alarm_eval import ALARM, Alarm, Sample, Unsupported, simulate
from support.terraform import plan_json

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER_ZIP = ROOT / "modules" / "function" / "tests" / "fixtures" / "placeholder.zip"
NAME = "alarm-defaults"
SERVICE = "svc"
NAMESPACE = "GenAI"
FUNCTION = "alarm-defaults-fn"
BUDGET_USD = 10.0

pytest.importorskip("moto.server", reason="moto[server] is needed for the emulator")
if shutil.which("terraform") is None:
    pytest.skip("terraform is not installed", allow_module_level=True)

from emulator import moto_server, provider_override  # noqa: E402

# Every alarm on, thresholds only: everything else is the module's default.
ALARMS_INPUT = f"""{{
    daily_cost_budget_usd  = {BUDGET_USD}
    llm_error_rate_percent = 5
    llm_latency_p99_ms     = 8000
    unpriced_calls         = true
    lambda_errors          = true
    lambda_throttles       = true
  }}"""

CONFIG = """
module "deck" {{
  source                 = "{source}"
  name                   = "{name}"
  service_name           = "{service}"
  log_group_name         = "/aws/lambda/{function}"
  function_names         = ["{function}"]
  create_budget_function = true
  package_path           = "{package}"
  alarms                 = {alarms}
}}
"""

NOT_MODELLED = {
    "threshold_metric_id": "anomaly detection band (a model CloudWatch trains on the metric)",
    "INSIGHT_RULE_METRIC": "Contributor Insights top contributor (CloudWatch computes it)",
}


@pytest.fixture(scope="module")
def planned_alarms(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Alarm name -> planned values, from a real plan of the module."""
    work = tmp_path_factory.mktemp("alarm-defaults")
    names = {"name": NAME, "service": SERVICE, "function": FUNCTION}
    with moto_server() as endpoint:
        (work / "emulator_override.tf").write_text(provider_override(endpoint))
        # The module by a relative path (plan_json): Terraform copies a module given by an
        # absolute path, and the module reads the catalog beside it (../../lambda/...).
        plan = plan_json(
            work, CONFIG, provider="", package=PLACEHOLDER_ZIP, alarms=ALARMS_INPUT, **names
        )
    alarms: dict[str, dict[str, Any]] = {}

    def walk(module: dict[str, Any]) -> None:
        for resource in module.get("resources", []):
            if resource["type"] == "aws_cloudwatch_metric_alarm":
                alarms[resource["values"]["alarm_name"]] = resource["values"]
        for child in module.get("child_modules", []):
            walk(child)

    walk(plan["planned_values"]["root_module"])
    return alarms


# --- traffic ---------------------------------------------------------------------------------

DAY = 86400
START = 1_800_000_000 - 1_800_000_000 % DAY  # a UTC midnight


def calls(rate_per_minute: float, hours: int) -> list[float]:
    """Call times: one an hour (at minute 17), or n a minute spread over the minute."""
    if rate_per_minute < 1:
        return [START + h * 3600 + 17 * 60 for h in range(hours)]
    n = int(rate_per_minute)
    return [START + m * 60 + (i * 60) / n for m in range(hours * 60) for i in range(n)]


def bad_samples(alarm: Alarm, values: dict[str, Any], times: list[float]) -> list[Sample]:
    """The raw data points of calls that are all bad for this alarm."""
    metrics = {alarm.metric.metric} if alarm.metric else {q.metric for q in alarm.queries.values()}
    namespaces = (
        {alarm.metric.namespace} if alarm.metric else {q.namespace for q in alarm.queries.values()}
    )
    period = alarm.period
    per_period = max(1.0, len(times) / ((times[-1] - times[0]) / period + 1))
    svc = {"Service": SERVICE}
    out: list[Sample] = []
    if namespaces == {"AWS/Lambda"}:
        (metric,) = metrics
        # Each Lambda alarm's own function (the deck's, or the budget function).
        dims = dict(alarm.metric.dimensions) if alarm.metric else {"FunctionName": FUNCTION}
        return [Sample.of(t, "AWS/Lambda", metric, dims, 1) for t in times]
    if metrics == {"CostTodayUSD"}:
        # The budget function: every 5 minutes, the sum of CostUSD since UTC midnight.
        cost = 2 * alarm.threshold / len([t for t in times if t < START + DAY])
        i = 0
        for run in range(START, int(times[-1]) + 600, 300):
            while i < len(times) and times[i] < run:
                i += 1
            day_start = run - run % DAY
            today = sum(cost for t in times[:i] if t >= day_start)
            out.append(Sample.of(run, NAMESPACE, "CostTodayUSD", svc, today))
        return out
    for t in times:
        if "CostUSD" in metrics:
            out.append(Sample.of(t, NAMESPACE, "CostUSD", svc, 2 * alarm.threshold / per_period))
        out.append(Sample.of(t, NAMESPACE, "Calls", svc, 1))
        if "Errors" in metrics:
            out.append(Sample.of(t, NAMESPACE, "Errors", svc, 1))
        if "LatencyMs" in metrics:
            out.append(Sample.of(t, NAMESPACE, "LatencyMs", svc, 2 * alarm.threshold))
        if "UnpricedCalls" in metrics:
            out.append(Sample.of(t, NAMESPACE, "UnpricedCalls", svc, 1))
    unknown = metrics - {"CostUSD", "Calls", "Errors", "LatencyMs", "UnpricedCalls"}
    if unknown:
        raise Unsupported(f"{values['alarm_name']}: no traffic model for {sorted(unknown)}")
    return out


def modelled(values: dict[str, Any]) -> str | None:
    """None when the model covers the alarm, else why not."""
    if values.get("threshold_metric_id"):
        return NOT_MODELLED["threshold_metric_id"]
    for q in values.get("metric_query") or []:
        if "INSIGHT_RULE_METRIC" in (q.get("expression") or ""):
            return NOT_MODELLED["INSIGHT_RULE_METRIC"]
    return None


def test_the_plan_holds_every_shipped_alarm(planned_alarms: dict[str, dict[str, Any]]) -> None:
    expected = {
        f"{NAME}-daily-cost",
        f"{NAME}-cost-pace",
        f"{NAME}-llm-error-rate",
        f"{NAME}-llm-latency-p99",
        f"{NAME}-unpriced-calls",
        f"{NAME}-lambda-errors-{FUNCTION}",
        f"{NAME}-lambda-throttles-{FUNCTION}",
    }
    assert expected <= set(planned_alarms)
    assert all(modelled(v) is None for v in planned_alarms.values())


@pytest.mark.parametrize(
    ("rate_per_minute", "hours"),
    [(1 / 60, 24), (100, 3)],
    ids=["one-call-an-hour", "100-calls-a-minute"],
)
def test_every_default_alarm_can_reach_alarm(
    planned_alarms: dict[str, dict[str, Any]], rate_per_minute: float, hours: int
) -> None:
    times = calls(rate_per_minute, hours)
    never: dict[str, str] = {}
    for name, values in sorted(planned_alarms.items()):
        alarm = Alarm.from_plan(values)
        samples = bad_samples(alarm, values, times)
        end = int(times[-1]) + 2 * 3600
        for aligned in (False, True):  # CloudWatch does not document the alignment
            states = simulate(alarm, samples, START, end, aligned=aligned)
            if not any(state == ALARM for _, state in states):
                never[f"{name} ({'aligned' if aligned else 'sliding'})"] = (
                    f"period {alarm.period}s, {alarm.datapoints_to_alarm} of "
                    f"{alarm.evaluation_periods}, missing data {alarm.treat_missing_data}"
                )
    assert never == {}, f"never reach ALARM at {rate_per_minute:g} calls a minute: {never}"
