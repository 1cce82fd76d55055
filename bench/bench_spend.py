"""Benchmark: today's spend by model from the logs vs from the metrics, as the data grows.

Against the embedded AWS emulator (a moto server on 127.0.0.1), for 10^3, 10^4 and 10^5
calls' worth of one day's data:

* logs: the day's llm_call lines in the deck's log group, answered by the deck's
  cost-by-model question through Logs Insights (StartQuery, then GetQueryResults until
  complete): the service reads every line of the day;
* metrics: what CloudWatch holds for the same calls after the deck's metric filters,
  one-minute aggregates per {Service, Model} series (at most 1,440 a day, whatever the
  number of calls), answered by ``genai-obs spend --source metrics --model ...`` (one
  GetMetricData call, one sum per model from the day's start).

Both run in the same process, one after the other, several times per size; the table
shows the median wall time, each source's growth from the previous size and the ratio
between them. The emulator is not CloudWatch (its Logs Insights has no ``stats``: it
returns the matching lines, which is still a scan of all of them), so the absolute times
say little; how each grows with the volume is the point.

    make bench        # runs this after the emit-path benchmark
    python bench/bench_spend.py --sizes 1000,10000 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "lambda"), str(ROOT / "scripts")]

from emulator import moto_server  # noqa: E402
from genai_observability.cli import _insights, _spend_sources  # noqa: E402
from genai_observability.cli._questions import QUESTIONS  # noqa: E402

SERVICE = "bench"
NAMESPACE = "GenAI"
LOG_GROUP = "/aws/lambda/bench-agent"
MODELS = (
    ("us.anthropic.claude-sonnet-4-5-20250929-v1:0", 0.0123),
    ("global.anthropic.claude-haiku-4-5-20251001-v1:0", 0.0031),
    ("us.amazon.nova-micro-v1:0", 0.00005),
)
BATCH = 5_000


def _reset(endpoint: str) -> None:
    request = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")
    with urllib.request.urlopen(request, timeout=30):
        pass


def _load_logs(logs: Any, day: datetime, calls: int) -> None:
    logs.create_log_group(logGroupName=LOG_GROUP)
    logs.create_log_stream(logGroupName=LOG_GROUP, logStreamName="bench")
    step = 86_000_000 // calls  # milliseconds between calls, spread over the day
    start_ms = int(day.timestamp() * 1000)
    events = []
    for i in range(calls):
        model, cost = MODELS[i % len(MODELS)]
        ts = start_ms + i * step
        line = {
            "event": "llm_call", "schema": 1, "service": SERVICE, "model": model,
            "operation": "converse", "input_tokens": 1200, "output_tokens": 300,
            "cache_read_tokens": 0, "cache_write_tokens": 0, "latency_ms": 420.5,
            "cost_usd": cost, "pricing": "catalog", "status": "ok",
            "request_id": f"req-{i:08d}",
        }  # fmt: skip
        events.append({"timestamp": ts, "message": json.dumps(line, separators=(",", ":"))})
    for i in range(0, len(events), BATCH):
        logs.put_log_events(
            logGroupName=LOG_GROUP, logStreamName="bench", logEvents=events[i : i + BATCH]
        )


def _load_metrics(cloudwatch: Any, day: datetime, calls: int) -> None:
    """One-minute aggregates of the calls, per {Service, Model}, as CloudWatch keeps them."""
    per_minute: dict[tuple[str, int], list[float]] = {}
    step = 86_000 / calls
    for i in range(calls):
        model, cost = MODELS[i % len(MODELS)]
        per_minute.setdefault((model, int(i * step) // 60), []).append(cost)
    data = []
    for (model, minute), costs in sorted(per_minute.items()):
        dims = [{"Name": "Service", "Value": SERVICE}, {"Name": "Model", "Value": model}]
        ts = day + timedelta(minutes=minute)
        for name, values in (("CostUSD", costs), ("Calls", [1.0] * len(costs))):
            data.append(
                {
                    "MetricName": name,
                    "Dimensions": dims,
                    "Timestamp": ts,
                    "StatisticValues": {
                        "SampleCount": float(len(values)),
                        "Sum": sum(values),
                        "Minimum": min(values),
                        "Maximum": max(values),
                    },
                }
            )
    for i in range(0, len(data), 1000):
        cloudwatch.put_metric_data(Namespace=NAMESPACE, MetricData=data[i : i + 1000])


def _time_logs(logs: Any, day: datetime, end: datetime) -> float:
    began = time.perf_counter()
    _insights.run_query(
        logs,
        log_groups=[LOG_GROUP],
        query=QUESTIONS["cost-by-model"].query,
        start=int(day.timestamp()),
        end=int(end.timestamp()),
        timeout=600,
        progress=_insights.Progress(stream=sys.stderr, enabled=False),
    )
    return time.perf_counter() - began


def _time_metrics(cloudwatch: Any, day: datetime, end: datetime, calls: int) -> float:
    began = time.perf_counter()
    # The models as the deck knows them (genai-obs spend --model ...): the emulator's
    # ListMetrics compares every stored data point with every other (quadratic), where
    # CloudWatch lists series; discovery would measure the emulator, not the source.
    models = [m for m, _ in MODELS]
    result = _spend_sources.metrics_spend(cloudwatch, NAMESPACE, SERVICE, day, end, models)
    elapsed = time.perf_counter() - began
    counted = sum(result.calls.values())
    if counted != calls:
        raise SystemExit(f"metrics counted {counted} calls, expected {calls}")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="1000,10000,100000", help="calls per day, comma-separated"
    )
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per size and source")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]

    import boto3
    from botocore.config import Config

    day = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=1)
    end = day + timedelta(days=1)
    rows = []
    with moto_server() as endpoint:
        kwargs = {
            "region_name": "us-east-1",
            "endpoint_url": endpoint,
            "aws_access_key_id": "bench",
            "aws_secret_access_key": "bench",
            # The emulator cannot read botocore's gzip-compressed PutMetricData bodies.
            "config": Config(disable_request_compression=True),
        }
        logs = boto3.client("logs", **kwargs)
        cloudwatch = boto3.client("cloudwatch", **kwargs)
        for calls in sizes:
            _reset(endpoint)
            _load_logs(logs, day, calls)
            _load_metrics(cloudwatch, day, calls)
            _time_metrics(cloudwatch, day, end, calls)  # warm-up, and checks the count
            logs_s, metrics_s = [], []
            for _ in range(args.repeat):  # interleaved: both see the same machine load
                logs_s.append(_time_logs(logs, day, end))
                metrics_s.append(_time_metrics(cloudwatch, day, end, calls))
            rows.append((calls, statistics.median(logs_s), statistics.median(metrics_s)))

    print(f"spend by model, one day of data, moto server, median of {args.repeat} runs")
    head = ("calls", "logs s", "growth", "metrics s", "growth", "logs/metrics")
    print("{:>8}  {:>9}  {:>7}  {:>9}  {:>7}  {:>12}".format(*head))
    prev = None
    for calls, logs_t, metrics_t in rows:
        lg = f"{logs_t / prev[1]:.1f}x" if prev else "-"
        mg = f"{metrics_t / prev[2]:.1f}x" if prev else "-"
        ratio = f"{logs_t / metrics_t:.1f}x"
        print(f"{calls:>8,}  {logs_t:>9.3f}  {lg:>7}  {metrics_t:>9.3f}  {mg:>7}  {ratio:>12}")
        prev = (calls, logs_t, metrics_t)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
