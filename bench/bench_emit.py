"""Benchmark: the cost of recording one LLM call, side by side (``make bench``).

Ways to log one call, each writing to the same sink (a text file on /dev/null, like a
buffered stdout), measured in the same run with their repeats interleaved:

* ``blog``: the approach this project replaces, as published: four ``print(json.dumps(...))``
  lines per call (AICost, InputTokens, OutputTokens, Latency) through its ``log_metric``
  helper (mutable default argument, naive local ``datetime.now().isoformat()``), the cost
  computed from its per-1K price table, each line carrying the model (the least a per-model
  deck needs);
* ``blog+ids``: the same four lines also carrying the service and the request id, i.e. the
  information one contract line carries (per-call correlation needs the id on every line);
* ``powertools``: Powertools for AWS Lambda (Python) ``Metrics``, the anchor for metrics from
  Lambda: the same call as one EMF line (CostUSD, InputTokens, OutputTokens,
  CacheReadTokens, CacheWriteTokens, LatencyMs with the ``service`` and ``model``
  dimensions and the request id as a property), flushed per call; the cost comes from this
  library's catalog (``cost_usd``), as a Powertools user would have to compute it somewhere;
* ``record_llm_call``: this library's one contract line (every key, a bound request id,
  the cost from the bundled catalog);
* ``record_llm_call+keys``: the same with the additive keys a streamed Bedrock call knows
  (``ttft_ms``, ``service_tier``, ``latency_mode``, ``region``, ``stop_reason``,
  ``trace_id``);
* ``floor``: the theoretical floor: one preformatted line of the same size written once.

Reported per call: median CPU microseconds of this thread over the repeats (CPU time, not
wall time: on a shared machine wall time mostly measures the other processes), bytes, and
the ratios to the blog and to Powertools. Then the cold import time of
``import genai_observability`` against ``python -c pass`` (median of fresh interpreter
runs). Targets (CONTRIBUTING.md, "Style"): record_llm_call, with and without the
additive keys, at most 0.5x Powertools' time (``--max-powertools R`` to change R) and never
slower than the blog's four prints; at most 0.6x the blog's bytes with the ids; import at most
+15 ms. The line is written for people (one dict, one encoder): beyond these bounds, speed is
not the goal.

Usage: ``python bench/bench_emit.py [--calls N] [--repeats R] [--import-runs K]
[--max-powertools R] [--check]`` (``--check`` exits 1 when a target is missed).
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import genai_observability as obs
from aws_lambda_powertools import Metrics
from aws_lambda_powertools.metrics import MetricUnit
from genai_observability.pricing import cost_usd

ROOT = Path(__file__).resolve().parents[1]

MODEL = "amazon.nova-micro-v1:0"
REQUEST_ID = "8f5f2d3c-2b1e-4c7a-9a53-0d6c1f2e4b7a"
INPUT_TOKENS, OUTPUT_TOKENS, LATENCY_MS = 1234, 567, 812.4
TOKENS = (INPUT_TOKENS, OUTPUT_TOKENS, 0, 0)

# The blog's price table, USD per 1K tokens (ten times too high for Nova Micro, as published).
BLOG_PRICES = {MODEL: {"input": 0.00035, "output": 0.0014}}


def blog_log_metric(metric_name, value, unit="Count", properties={}):  # noqa: B006
    """The blog's helper, reproduced as published (mutable default included)."""
    log_entry = {
        "metric": metric_name,
        "value": value,
        "unit": unit,
        "timestamp": datetime.datetime.now().isoformat(),
        **properties,
    }
    print(json.dumps(log_entry))


def blog_call(props: dict[str, str] | None = None) -> None:
    """One LLM call logged the blog's way: cost from the table, then four metric lines."""
    prices = BLOG_PRICES[MODEL]
    cost = INPUT_TOKENS / 1000 * prices["input"] + OUTPUT_TOKENS / 1000 * prices["output"]
    props = props or {"model": MODEL}
    blog_log_metric("AICost", cost, "USD", props)
    blog_log_metric("InputTokens", INPUT_TOKENS, "Count", props)
    blog_log_metric("OutputTokens", OUTPUT_TOKENS, "Count", props)
    blog_log_metric("Latency", LATENCY_MS, "Milliseconds", props)


BLOG_IDS = {"model": MODEL, "service": "bench", "request_id": REQUEST_ID}


def blog_ids_call() -> None:
    """The blog's four lines carrying the same information as one contract line."""
    blog_call(BLOG_IDS)


POWERTOOLS = Metrics(namespace="GenAI", service="bench")


def powertools_call() -> None:
    """The same call recorded with Powertools Metrics: one EMF line, flushed per call."""
    metrics = POWERTOOLS
    metrics.add_dimension(name="model", value=MODEL)
    metrics.add_metric(name="CostUSD", unit=MetricUnit.NoUnit, value=cost_usd(MODEL, *TOKENS))
    metrics.add_metric(name="InputTokens", unit=MetricUnit.Count, value=INPUT_TOKENS)
    metrics.add_metric(name="OutputTokens", unit=MetricUnit.Count, value=OUTPUT_TOKENS)
    metrics.add_metric(name="CacheReadTokens", unit=MetricUnit.Count, value=0)
    metrics.add_metric(name="CacheWriteTokens", unit=MetricUnit.Count, value=0)
    metrics.add_metric(name="LatencyMs", unit=MetricUnit.Milliseconds, value=LATENCY_MS)
    metrics.add_metadata(key="request_id", value=REQUEST_ID)
    metrics.flush_metrics()


def library_call() -> None:
    """One LLM call logged with this library: one contract line."""
    obs.record_llm_call(MODEL, INPUT_TOKENS, OUTPUT_TOKENS, LATENCY_MS)


def library_keys_call() -> None:
    """The contract line with the additive keys of schema 1."""
    obs.record_llm_call(
        MODEL,
        INPUT_TOKENS,
        OUTPUT_TOKENS,
        LATENCY_MS,
        ttft_ms=231.7,
        service_tier="default",
        latency_mode="standard",
        region="us-east-1",
        stop_reason="end_turn",
        trace_id="1-5759e988-bd862e3fe1be46a994272793",
    )


def output_of(fn: Callable[[], None]) -> str:
    """What one call of ``fn`` writes to stdout."""
    buf = io.StringIO()
    saved, sys.stdout = sys.stdout, buf
    try:
        fn()
    finally:
        sys.stdout = saved
    return buf.getvalue()


FLOOR_LINE = ""


def floor_call() -> None:
    """The floor: a preformatted line of the same content written once."""
    sys.stdout.write(FLOOR_LINE)


def bytes_per_call(fn: Callable[[], None]) -> int:
    return len(output_of(fn).encode("utf-8"))


def time_per_call(
    approaches: dict[str, Callable[[], None]], calls: int, repeats: int
) -> dict[str, float]:
    """Median CPU microseconds per call of each approach, repeats interleaved to share noise."""
    samples: dict[str, list[float]] = {name: [] for name in approaches}
    saved = sys.stdout
    with open(os.devnull, "w", encoding="utf-8") as sink:
        sys.stdout = sink
        try:
            for fn in approaches.values():  # warm up caches (catalog, timestamp prefix)
                for _ in range(200):
                    fn()
            for _ in range(repeats):
                for name, fn in approaches.items():
                    start = time.thread_time_ns()
                    for _ in range(calls):
                        fn()
                    samples[name].append((time.thread_time_ns() - start) / calls / 1000)
        finally:
            sys.stdout = saved
    return {name: statistics.median(values) for name, values in samples.items()}


def import_time_ms(runs: int) -> tuple[float, float]:
    """Median wall time (ms) of ``python -c pass`` and of importing the package, fresh each."""
    # The Lambda zip ships no __pycache__, so a cold start compiles the package: measure that.
    env = dict(os.environ, PYTHONPATH=str(ROOT / "lambda"), PYTHONDONTWRITEBYTECODE="1")
    commands = {"pass": "pass", "import": "import genai_observability"}
    samples: dict[str, list[float]] = {k: [] for k in commands}
    for _ in range(runs):
        for key, code in commands.items():
            start = time.perf_counter_ns()
            subprocess.run([sys.executable, "-c", code], env=env, check=True)
            samples[key].append((time.perf_counter_ns() - start) / 1e6)
    return statistics.median(samples["pass"]), statistics.median(samples["import"])


def main(argv: list[str] | None = None) -> int:
    global FLOOR_LINE
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000, help="calls per repeat")
    parser.add_argument("--repeats", type=int, default=15, help="repeats (median taken)")
    parser.add_argument("--import-runs", type=int, default=15, help="fresh interpreters")
    parser.add_argument(
        "--max-powertools",
        type=float,
        default=0.5,
        metavar="R",
        help="target: record_llm_call at most R x Powertools' time (default 0.5)",
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)

    os.environ["GENAI_SERVICE"] = "bench"
    obs.bind_request(REQUEST_ID)
    FLOOR_LINE = output_of(library_call)
    approaches = {
        "blog": blog_call,
        "blog+ids": blog_ids_call,
        "powertools": powertools_call,
        "record_llm_call": library_call,
        "record_llm_call+keys": library_keys_call,
        "floor": floor_call,
    }
    sizes = {name: bytes_per_call(fn) for name, fn in approaches.items()}
    times = time_per_call(approaches, args.calls, args.repeats)
    base_ms, import_ms = import_time_ms(args.import_runs)

    print(f"Python {sys.version.split()[0]}, {args.repeats} x {args.calls} calls per approach")
    print()
    print(
        f"{'approach':<22}{'CPU us':>10}{'x blog':>9}{'x powertools':>14}"
        f"{'bytes/call':>12}{'x blog':>9}  lines"
    )
    for name in approaches:
        lines = 4 if name.startswith("blog") else 1
        print(
            f"{name:<22}{times[name]:>10.2f}{times[name] / times['blog']:>9.2f}"
            f"{times[name] / times['powertools']:>14.3f}"
            f"{sizes[name]:>12d}{sizes[name] / sizes['blog']:>9.2f}  {lines}"
        )
    print()
    delta = import_ms - base_ms
    print(
        f"cold import (no bytecode cache, as from a Lambda zip): python -c pass {base_ms:.1f} ms,"
        f" import genai_observability {import_ms:.1f} ms: +{delta:.1f} ms"
    )
    print()
    lib_size = sizes["record_llm_call"]
    checks = {
        "bytes <= 0.6x blog": lib_size <= 0.6 * sizes["blog"],
        "bytes <= 0.6x blog+ids": lib_size <= 0.6 * sizes["blog+ids"],
        "import <= +15 ms": delta <= 15.0,
    }
    for name in ("record_llm_call", "record_llm_call+keys"):
        ratio = times[name] / times["powertools"]
        checks[f"{name}: time <= {args.max_powertools:g}x powertools"] = (
            ratio <= args.max_powertools
        )
        checks[f"{name}: time <= 1x blog"] = times[name] <= times["blog"]
    for label, ok in checks.items():
        print(f"{'PASS' if ok else 'MISS'}  {label}")
    print()
    for name in ("record_llm_call", "record_llm_call+keys"):
        print(
            f"{name} time: {times[name] / times['powertools']:.3f}x powertools,"
            f" {times[name] / times['blog']:.3f}x blog"
        )
    print("record_llm_call line:", FLOOR_LINE.strip())
    print("powertools line:     ", output_of(powertools_call).strip())
    return 1 if args.check and not all(checks.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
