"""A simulated day on the deck's real dashboard: the numbers docs/dashboard.svg shows.

Three steps, all offline and deterministic:

1. :func:`plan_deck` renders the observability module the way a user deploys it (budget
   function, alarms, a function, attribution, the account view): ``terraform test``
   applies it against the module's own mock provider (tests/mocks) and prints the state,
   so the dashboard body, the metric filters and the alarms are the module's own, with
   no credentials and no network. (A plan with the real provider leaves the body unknown:
   it holds the alarms' ARNs.)
2. :func:`simulate_lines` writes a day of LLM calls with the payload's own
   ``record_llm_call`` (seeded), each line stamped at its simulated time.
3. :func:`widget_data` passes those lines through the deck's own evaluators in
   support.cloudwatch (metric_filter for the filters, metric_math for metric math,
   insights_eval for the Logs Insights tables, alarm_eval for statistics and alarm states) and
   returns, per widget, what the console would show at :data:`NOW`. Two sources have no
   model in the tests and are simulated from the same lines: AWS/Lambda and AWS/Bedrock
   count the calls (plus :func:`untracked_calls`, a caller the deck never sees), and the
   Contributor Insights rule sums ``cost_usd`` by tenant per hour, as its definition says.

So every number of the picture agrees with the others: spent today is the sum of the
lines' cost and of the split by model; the account's spend minus the deck's is the
untracked caller's; the daily cost alarm is OK below the budget.

It lives with the tests because it runs their evaluators (scripts/ never imports tests/).
Redraw the picture after a dashboard change, from the repository root::

    PYTHONPATH=lambda:scripts:tests python -m support.dashboard_day -o docs/dashboard.svg

tests/repo/test_render_dashboard.py fails until the committed picture is the one drawn now.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from genai_observability import record_llm_call
from render_dashboard import render

from support.cloudwatch.alarm_eval import Alarm, MetricStat, Sample, SampleIndex, simulate
from support.cloudwatch.insights_eval import events_from_lines, run
from support.cloudwatch.metric_filter import dimension_values, published
from support.cloudwatch.metric_math import evaluate_expression

ROOT = Path(__file__).resolve().parents[2]

DECK = "genai-deck"
SERVICE = "support-bot"
FUNCTION = "genai-agent"
BUDGET_USD = 5
DAY = datetime(2026, 1, 15, tzinfo=UTC)
NOW = DAY + timedelta(hours=18)
"""The picture shows the deck at 18:00 UTC: every line of the day so far is in."""

MODELS = (
    "us.anthropic.claude-haiku-4-5-20251001-v1:0",
    "amazon.nova-lite-v1:0",
    "amazon.nova-micro-v1:0",
)
UNTRACKED_MODEL = "amazon.nova-lite-v1:0"
"""A caller the deck does not instrument uses this model too (the account view sees it)."""
TENANTS = ("acme", "globex", "initech", "umbrella")
_TIMESTAMP = re.compile(r'"timestamp":\s*"[^"]*"')


def _configuration(source: str) -> dict[str, Any]:
    """The root module (Terraform's JSON syntax): the deck as a user deploys it."""
    deck = {
        "source": source,
        "name": DECK,
        "service_name": SERVICE,
        "log_group_name": f"/aws/lambda/{FUNCTION}",
        "function_names": [FUNCTION],
        "create_budget_function": True,
        "package_path": "package.zip",
        "attribution_keys": ["tenant"],
        "account_model_ids": list(MODELS),
        "alarms": {
            "daily_cost_budget_usd": BUDGET_USD,
            "llm_error_rate_percent": 5,
            "llm_latency_p99_ms": 8000,
            "unpriced_calls": True,
            "lambda_errors": True,
        },
    }
    outputs = ("dashboard_body", "metric_filters")
    return {
        "terraform": {"required_providers": {"aws": {"source": "hashicorp/aws"}}},
        "module": {"deck": deck},
        "output": {name: {"value": f"${{module.deck.{name}}}"} for name in outputs},
    }


# `terraform test -verbose -json` prints the state of an apply run: the module applied
# against the module's own mock provider (tests/mocks), offline and without credentials.
RUN = """
mock_provider "aws" {
  source = "./tests/mocks"
}

override_data {
  target = module.deck.data.aws_region.current
  values = { name = "us-east-1" }
}

run "day" {
  command = apply
}
"""


@dataclass
class Deck:
    """What the plan renders: the body, the metric filters and the alarms' planned values."""

    body: dict[str, Any]
    filters: dict[str, dict[str, Any]]
    alarms: list[dict[str, Any]] = field(default_factory=list)


def _terraform(args: list[str], cwd: Path) -> str:
    env = dict(os.environ, TF_IN_AUTOMATION="1", CHECKPOINT_DISABLE="1")
    env["TF_DATA_DIR"] = str(cwd / ".terraform")
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc.stdout


def _applied_state(work: Path, binary: str) -> dict[str, Any]:
    module = ROOT / "modules" / "observability"
    source = Path(os.path.relpath(module, work)).as_posix()  # relative, as the examples
    (work / "main.tf.json").write_text(json.dumps(_configuration(source), indent=2), "utf-8")
    (work / "tests").mkdir()
    (work / "tests" / "day.tftest.hcl").write_text(RUN, encoding="utf-8")
    (work / "tests" / "mocks").mkdir()
    shutil.copy(module / "tests" / "mocks" / "aws.tfmock.hcl", work / "tests" / "mocks")
    with zipfile.ZipFile(work / "package.zip", "w") as archive:
        archive.writestr("placeholder.txt", "the module only hashes this file")
    _terraform([binary, "init", "-backend=false", "-input=false", "-no-color"], work)
    out = _terraform([binary, "test", "-verbose", "-json", "-no-color"], work)
    for line in out.splitlines():
        message = json.loads(line)
        if message.get("type") == "test_state":
            return message["test_state"]
    raise RuntimeError(f"terraform test printed no state:\n{out}")


def plan_deck(terraform: str | None = None) -> Deck:
    """Apply the observability module against its mock provider; return what it renders.

    Raises:
        RuntimeError: terraform is missing or the run failed.
    """
    binary = terraform or shutil.which("terraform")
    if binary is None:
        raise RuntimeError("terraform is not installed")
    with tempfile.TemporaryDirectory(prefix="dashboard-day-") as tmp:
        state = _applied_state(Path(tmp), binary)
    outputs = {k: v["value"] for k, v in state["outputs"].items()}
    resources = [
        r for m in state["root_module"].get("child_modules", []) for r in m.get("resources", [])
    ]
    # The deck's alarms, as the alarm widget lists them (the budget function's own errors
    # alarm comes with the function and is not on the widget).
    alarms = [
        r["values"]
        for r in resources
        if r["type"] == "aws_cloudwatch_metric_alarm" and r["name"] != "budget_function_errors"
    ]
    return Deck(json.loads(outputs["dashboard_body"]), outputs["metric_filters"], alarms)


# --------------------------------------------------------------------------- the day's lines


@contextlib.contextmanager
def _captured() -> Iterator[io.StringIO]:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        yield buffer


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _call(rng: random.Random, request_id: str) -> tuple[str, float]:
    """One call through the payload's ``record_llm_call``: its line and its latency (ms)."""
    model = rng.choices(MODELS, weights=(4, 3, 3))[0]
    error = rng.random() < 0.015
    stream = rng.random() < 0.3 and not error
    latency = round(rng.lognormvariate(6.6 if model == MODELS[0] else 6.0, 0.45), 1)
    with _captured() as out:
        record_llm_call(
            model,
            0 if error else rng.randint(4000, 30000),
            0 if error else rng.randint(300, 2500),
            latency,
            operation="converse_stream" if stream else "converse",
            status="error" if error else "ok",
            error_type="ThrottlingException" if error else None,
            service=SERVICE,
            request_id=request_id,
            ttft_ms=round(latency * rng.uniform(0.15, 0.35), 1) if stream else None,
            cache_read_tokens=0 if error else rng.choice((0, 0, 1024)),
            tenant=rng.choice(TENANTS),
        )
    return out.getvalue().strip(), latency


def simulate_lines(seed: int = 19) -> list[str]:
    """The day's lines, from 00:00 UTC to :data:`NOW`, written by ``record_llm_call``.

    Invocations of the function come every 1 to 4 minutes in office hours (09:00-17:00
    UTC) and every 5 to 15 minutes otherwise; each makes one or two calls. Every line is
    the payload's own, byte for byte, but for its ``timestamp``: the simulated moment.
    """
    os.environ.pop("GENAI_MODEL_PRICES", None)
    rng = random.Random(seed)
    lines = []
    at, invocation = DAY + timedelta(minutes=7), 0
    while at < NOW:
        moment = at
        for _ in range(rng.choice((1, 1, 2))):
            line, latency = _call(rng, f"req-{invocation:05d}")
            lines.append(_TIMESTAMP.sub(f'"timestamp":"{_stamp(moment)}"', line, count=1))
            moment += timedelta(milliseconds=latency + 25)
        invocation += 1
        busy = 9 <= at.hour < 17
        at += timedelta(seconds=rng.randint(60, 240) if busy else rng.randint(300, 900))
    return lines


# --------------------------------------------------------------------------- metrics


def _seconds(event: dict[str, Any]) -> float:
    return datetime.fromisoformat(event["timestamp"].replace("Z", "+00:00")).timestamp()


def deck_samples(deck: Deck, lines: list[str]) -> list[Sample]:
    """Every raw value the day gives CloudWatch: what the deck's metric filters publish for
    each line, CostTodayUSD as the budget function publishes it, and what AWS/Lambda and
    AWS/Bedrock count for the same calls (and for the untracked ones)."""
    samples = []
    for line in lines:
        at = _seconds(json.loads(line))
        for key, value in published(deck.filters, line).items():
            f = deck.filters[key]
            dims = dimension_values(f["dimensions"], line) or {}
            samples.append(Sample.of(at, "GenAI", f["metric_name"], dims, value))
    events = [json.loads(line) for line in lines]
    return samples + _budget_samples(samples) + _lambda_samples(events) + _bedrock_samples(events)


def _budget_samples(samples: list[Sample]) -> list[Sample]:
    """CostTodayUSD {Service} as the budget function publishes it every 5 minutes: the
    CostUSD {Service} sum since 00:00 UTC (budget_time_zone is UTC here). Each run is
    stamped a second before its tick, so the run at :data:`NOW` is in the last period."""
    costs = [(s.time, s.value) for s in samples if s.metric == "CostUSD" and len(s.dimensions) == 1]
    ticks = range(int(DAY.timestamp()) + 300, int(NOW.timestamp()) + 1, 300)
    return [
        Sample.of(tick - 1, "GenAI", "CostTodayUSD", {"Service": SERVICE}, spent)
        for tick in ticks
        for spent in [sum(v for t, v in costs if t < tick)]
    ]


def _lambda_samples(events: list[dict[str, Any]]) -> list[Sample]:
    """AWS/Lambda of the function: one invocation per request id, lasting its calls."""
    fn = {"FunctionName": FUNCTION}
    invocations: dict[str, list[dict[str, Any]]] = {}
    for e in events:
        invocations.setdefault(e["request_id"], []).append(e)
    out = []
    for calls in invocations.values():
        at = _seconds(calls[0])
        duration = sum(c["latency_ms"] + 25 for c in calls) + 40
        for metric, value in (
            ("Invocations", 1),
            ("Errors", 0),
            ("Throttles", 0),
            ("Duration", duration),
            ("ConcurrentExecutions", 1),
        ):
            out.append(Sample.of(at, "AWS/Lambda", metric, fn, value))
    return out


def untracked_calls() -> list[dict[str, Any]]:
    """Calls of an application the deck does not instrument: one an hour, 08:15-17:15."""
    rng = random.Random(7)
    return [
        {
            "timestamp": _stamp(DAY + timedelta(hours=h, minutes=15)),
            "model": UNTRACKED_MODEL,
            "status": "ok",
            "input_tokens": rng.randint(20000, 90000),
            "output_tokens": rng.randint(500, 4000),
            "cache_read_tokens": 0,
        }
        for h in range(8, 18)
    ]


def _bedrock_samples(events: list[dict[str, Any]]) -> list[Sample]:
    """AWS/Bedrock by ModelId: the deck's calls and the untracked ones."""
    out = []
    for e in events + untracked_calls():
        at, model = _seconds(e), {"ModelId": e["model"]}
        if e["status"] == "error":
            out.append(Sample.of(at, "AWS/Bedrock", "InvocationThrottles", model, 1))
            continue
        if "ttft_ms" in e:
            out.append(Sample.of(at, "AWS/Bedrock", "TimeToFirstToken", model, e["ttft_ms"]))
        tokens = e["input_tokens"] + e["output_tokens"]
        for metric, value in (
            ("InputTokenCount", e["input_tokens"]),
            ("OutputTokenCount", e["output_tokens"]),
            ("CacheReadInputTokenCount", e["cache_read_tokens"]),
            ("EstimatedTPMQuotaUsage", tokens),
        ):
            out.append(Sample.of(at, "AWS/Bedrock", metric, model, value))
    return out


# --------------------------------------------------------------------------- widgets

_SEARCH = re.compile(
    r"SEARCH\('\{[^}]*\} MetricName=\"(\w+)\" Service=\"([^\"]+)\"', '(\w+)', (\d+)\)"
)
DASHBOARD_RANGE = 86400
"""The picture's dashboard time range: the last day (the console's "1d")."""


def _range(props: dict[str, Any]) -> int:
    start = props.get("start", "")
    days = re.fullmatch(r"-P(\d+)D", start)
    hours = re.fullmatch(r"-PT(\d+)H", start)
    return int(days[1]) * 86400 if days else int(hours[1]) * 3600 if hours else DASHBOARD_RANGE


def _grid(props: dict[str, Any], period: int) -> list[int]:
    end = int(NOW.timestamp())
    span = _range(props)
    if props.get("setPeriodToTimeRange"):
        return [end - span]
    first = end - span
    return list(range(first, end, period))


def _stat_series(
    index: _Index, props: dict[str, Any], parts: list[Any], options: dict[str, Any]
) -> dict[int, float]:
    period = int(options.get("period", props.get("period", 300)))
    grid = _grid(props, period)
    if props.get("setPeriodToTimeRange"):
        period = _range(props)
    dims = tuple(sorted(zip(parts[2::2], parts[3::2], strict=True)))
    stat = MetricStat(
        parts[0], parts[1], dims, str(options.get("stat", props.get("stat", "Average"))), period
    )
    return stat.datapoints(index.index, grid)


class _Index:
    """The day's samples and their support.cloudwatch.alarm_eval index."""

    def __init__(self, samples: list[Sample]) -> None:
        self.samples = samples
        self.index = SampleIndex(samples)

    def models(self, metric: str) -> list[str]:
        return sorted(
            {
                dict(s.dimensions)["Model"]
                for s in self.samples
                if s.metric == metric and len(s.dimensions) == 2
            }
        )


def metric_widget_series(
    index: _Index, props: dict[str, Any]
) -> list[tuple[str, str | None, dict[int, float]]]:
    """(label, colour, series) of every visible line of a metric widget, evaluated."""
    by_id: dict[str, dict[int, float]] = {}
    shown: list[tuple[str, str | None, dict[int, float]]] = []
    for entry in props.get("metrics") or []:
        options = entry[-1] if isinstance(entry[-1], dict) else {}
        parts = [p for p in entry if not isinstance(p, dict)]
        expression = options.get("expression")
        label = str(options.get("label", ""))
        if expression and (found := _SEARCH.fullmatch(expression)):
            metric, service, stat, period = found.groups()
            for model in index.models(metric):
                row = ["GenAI", metric, "Model", model, "Service", service]
                series = _stat_series(index, props, row, {"stat": stat, "period": int(period)})
                shown.append((label.replace("${PROP('Dim.Model')}", model), None, series))
            continue
        if expression:
            grid = _grid(props, int(props.get("period", 300)))
            value = evaluate_expression(expression, by_id, grid)
            series = value if isinstance(value, dict) else {grid[-1]: value}
        else:
            series = _stat_series(index, props, parts, options)
        by_id[str(options.get("id", f"m{len(by_id)}"))] = series
        if options.get("visible", True):
            shown.append((label or str(parts[1]), options.get("color"), series))
    return shown


def _log_rows(query: str, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    body = re.sub(r"^(SOURCE '[^']*' \| )+", "", query)
    return run(body, events)


def _alarm_states(deck: Deck, index: _Index) -> dict[str, str]:
    """Alarm name -> its state at :data:`NOW`, evaluated minute by minute over the last hour."""
    end = int(NOW.timestamp())
    states = {}
    for values in deck.alarms:
        # The mock provider invents computed attributes the module leaves unset.
        planned = dict(values)
        if planned.get("evaluate_low_sample_count_percentiles") not in ("evaluate", "ignore"):
            planned["evaluate_low_sample_count_percentiles"] = None
        history = simulate(Alarm.from_plan(planned), index.samples, end - 3600, end)
        states[str(values["alarm_name"])] = history[-1][1]
    return states


def _tenant_series(events: list[dict[str, Any]]) -> list[tuple[str, str | None, dict[int, float]]]:
    series: dict[str, dict[int, float]] = {}
    for e in events:
        if isinstance(e.get("cost_usd"), (int, float)) and "tenant" in e:
            hour = int(_seconds(e)) // 3600 * 3600
            points = series.setdefault(e["tenant"], {})
            points[hour] = points.get(hour, 0.0) + e["cost_usd"]
    return [(k, None, series[k]) for k in sorted(series)]


def widget_data(deck: Deck, lines: list[str]) -> list[dict[str, Any]]:
    """What each widget of the body shows at :data:`NOW`, in the body's order.

    Entries: ``{"series": [(label, colour, {t: v})], "range": (start, end)}`` for metric
    widgets (single values and pies read the last / whole-range point), ``{"rows": [...]}``
    for Logs Insights tables, ``{"states": {name: state}}`` for the alarm widget (every
    alarm of the deck), ``{}`` for text.
    """
    index = _Index(deck_samples(deck, lines))
    events = events_from_lines(lines)
    states = _alarm_states(deck, index)
    out: list[dict[str, Any]] = []
    for widget in deck.body["widgets"]:
        props = widget.get("properties") or {}
        if widget["type"] == "log":
            out.append({"rows": _log_rows(props["query"], events)})
        elif widget["type"] == "alarm":  # the mock's ARNs are all alike: named by the alarms
            out.append({"states": states})
        elif "insightRule" in props:
            span = (int(NOW.timestamp()) - DASHBOARD_RANGE, int(NOW.timestamp()))
            out.append({"series": _tenant_series(events), "range": span})
        elif widget["type"] == "metric":
            span = (int(NOW.timestamp()) - _range(props), int(NOW.timestamp()))
            out.append({"series": metric_widget_series(index, props), "range": span})
        else:
            out.append({})
    return out


def main(argv: list[str] | None = None) -> int:
    """Draw the simulated day on the real dashboard body: ``-o docs/dashboard.svg``."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("-o", "--output", default="docs/dashboard.svg", help="SVG file to write")
    args = parser.parse_args(argv)
    deck = plan_deck()
    svg = render(deck.body, name=DECK, shown=widget_data(deck, simulate_lines()))
    Path(args.output).write_text(svg, encoding="utf-8", newline="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
