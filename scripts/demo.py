"""`make demo`: the whole deck, end to end, on an embedded AWS emulator.

0. builds dist/genai_observability.zip with the one builder (what `make package` runs);
1. starts moto's ThreadedMotoServer in this process on 127.0.0.1 (a port the system
   picks; stopped on exit; scripts/emulator.py);
2. plans examples/complete in full, then applies it to the emulator (the three resource
   types the emulator cannot create are planned only: see EMULATOR_GAPS);
3. runs the packaged Lambda handler locally against a stubbed Bedrock Runtime that answers
   with realistic token usage and latency for three models (plus one throttled call);
4. delivers the handler's log lines to the deck's log group in the emulator, reads them
   back and prints the spend / latency / error report per model (`genai-obs report`);
5. destroys what it applied and stops the emulator.

Runs offline in a few minutes. Working files go to build/demo/.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "build" / "demo"
EXAMPLE = ROOT / "examples" / "complete"
PACKAGE = ROOT / "dist" / "genai_observability.zip"

# Resource types the emulator (moto) has no API for. They are planned (step 2) and created
# on real AWS; in the demo their create flags are off.
EMULATOR_GAPS = {
    "aws_cloudwatch_query_definition": "Logs Insights saved queries (PutQueryDefinition)",
    "aws_cloudwatch_log_data_protection_policy": "log data protection policy",
    "aws_cloudwatch_log_index_policy": "log field index policy (PutIndexPolicy)",
}
# Root-module inputs that switch those resources off for the emulator apply.
EMULATOR_OFF = {
    "create_query_definitions": False,
    "enable_data_protection": False,
    "enable_field_index": False,
}

# Three models with realistic usage: (model id, input tokens, output tokens, latency ms).
TRAFFIC = [
    ("us.amazon.nova-micro-v1:0", (350, 900), (120, 400), (250, 600)),
    ("global.anthropic.claude-haiku-4-5-20251001-v1:0", (800, 2400), (200, 700), (700, 1800)),
    ("us.anthropic.claude-sonnet-4-5-20250929-v1:0", (1500, 4000), (400, 1200), (1800, 4200)),
]
CALLS_PER_MODEL = 4


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT))


def say(text: str) -> None:
    print(text, flush=True)


def tf(*args: str, capture: bool = False) -> str:
    """Runs terraform in the demo working directory; raises on failure."""
    cmd = ["terraform", f"-chdir={WORK}", *args]
    proc = subprocess.run(
        cmd, capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-4000:] + proc.stderr[-4000:])
        raise SystemExit(f"demo: `terraform {' '.join(args)}` failed (exit {proc.returncode})")
    return proc.stdout if capture else ""


def prepare_workdir(endpoint: str) -> None:
    """Copies examples/complete to build/demo, pointed at the repo and the emulator."""
    if WORK.exists():
        shutil.rmtree(WORK)
    WORK.mkdir(parents=True)
    for tf_file in EXAMPLE.glob("*.tf"):
        text = tf_file.read_text()
        text = re.sub(r'source\s*=\s*"\.\./\.\./"', f'source = "{ROOT}"', text)
        text = re.sub(r'source\s*=\s*"\.\./\.\./modules/', f'source = "{ROOT}/modules/', text)
        (WORK / tf_file.name).write_text(text)
    from emulator import provider_override  # scripts/emulator.py, shared with the apply test

    (WORK / "emulator_override.tf").write_text(provider_override(endpoint))
    tfvars = {"package_path": str(PACKAGE)}
    (WORK / "demo.auto.tfvars.json").write_text(json.dumps(tfvars, indent=2))


def is_data_source(address: str) -> bool:
    return address.startswith("data.") or ".data." in address


def resource_type(address: str) -> str:
    """``module.a.aws_sns_topic_subscription.email["x@y.z"]`` -> ``aws_sns_topic_subscription``."""
    return re.sub(r"\[[^\]]*\]", "", address).split(".")[-2]


def planned_types(off: bool) -> Counter[str]:
    extra = [f"-var={k}={str(v).lower()}" for k, v in EMULATOR_OFF.items()] if off else []
    tf("plan", "-input=false", "-no-color", "-out=demo.tfplan", *extra)
    plan = json.loads(tf("show", "-json", "demo.tfplan", capture=True))
    return Counter(
        rc["type"] for rc in plan.get("resource_changes", []) if "create" in rc["change"]["actions"]
    )


def stubbed_bedrock(rng: random.Random) -> Any:
    """A real bedrock-runtime client whose HTTP layer is replaced by botocore's Stubber."""
    import boto3
    from botocore.stub import Stubber

    client = boto3.client(
        "bedrock-runtime",
        region_name="us-east-1",
        aws_access_key_id="demo",
        aws_secret_access_key="demo",
    )
    stubber = Stubber(client)
    prompt = os.environ.get("GENAI_PROMPT") or PROMPT  # the function's own default prompt
    delays: list[float] = []
    for model, (i_lo, i_hi), (o_lo, o_hi), (l_lo, l_hi) in TRAFFIC:
        for _ in range(CALLS_PER_MODEL):
            tokens_in, tokens_out = rng.randint(i_lo, i_hi), rng.randint(o_lo, o_hi)
            latency = rng.randint(l_lo, l_hi)
            stubber.add_response(
                "converse",
                {
                    "output": {"message": {"role": "assistant", "content": [{"text": "ok"}]}},
                    "stopReason": "end_turn",
                    "usage": {
                        "inputTokens": tokens_in,
                        "outputTokens": tokens_out,
                        "totalTokens": tokens_in + tokens_out,
                    },
                    "metrics": {"latencyMs": latency},
                },
                {"modelId": model, "messages": [{"role": "user", "content": [{"text": prompt}]}]},
            )
            delays.append(latency / 1000 / 10)  # a tenth of the real wait keeps the demo short
    stubber.add_client_error(
        "converse",
        service_error_code="ThrottlingException",
        service_message="Too many requests, please wait before trying again.",
        http_status_code=429,
    )
    delays.append(0.05)

    def wait(**_: Any) -> None:
        time.sleep(delays.pop(0) if delays else 0)

    client.meta.events.register("before-parameter-build.bedrock-runtime.Converse", wait)
    stubber.activate()
    return client


PROMPT = "Summarize yesterday's support tickets in three bullet points."


class FakeContext:
    """The few attributes of the Lambda context the handler reads."""

    def __init__(self, n: int, function_name: str) -> None:
        self.aws_request_id = f"{n:08x}-7c1e-4d2a-9f3b-{n:012x}"
        self.function_name = function_name


def invoke_in_package() -> int:
    """``demo.py --invoke``: runs inside a child whose PYTHONPATH is the Lambda zip.

    Like the Lambda runtime: the handler named by the deployed function's configuration,
    imported from the zip, under the function's own environment variables. Its stdout is
    what the function would log.
    """
    import importlib

    module_name, _, function = os.environ["DEMO_HANDLER"].rpartition(".")
    module = importlib.import_module(module_name)
    if not str(module.__file__).startswith(str(PACKAGE)):
        raise SystemExit(f"demo: the handler came from {module.__file__}, not from {PACKAGE}")
    handler = getattr(module, function)
    module.set_client(stubbed_bedrock(random.Random(7)))
    function_name = os.environ["AWS_LAMBDA_FUNCTION_NAME"]
    n = 0
    for model, *_ in TRAFFIC:
        for _ in range(CALLS_PER_MODEL):
            n += 1
            print(f"START RequestId: {FakeContext(n, function_name).aws_request_id}")
            handler({"model_id": model}, FakeContext(n, function_name))
    n += 1
    try:
        handler({"model_id": TRAFFIC[0][0]}, FakeContext(n, function_name))
    except Exception as exc:  # the throttled call: recorded, then re-raised
        print(f"[ERROR] {type(exc).__name__}: throttled")
    return 0


def run_handler(endpoint: str, function_name: str) -> list[str]:
    """Runs the packaged handler as the deployed function would; returns its log lines."""
    config = aws("lambda", endpoint).get_function_configuration(FunctionName=function_name)
    variables = config.get("Environment", {}).get("Variables", {})
    say(f"    handler {config['Handler']} from {rel(PACKAGE)}, with the function's environment:")
    for key in sorted(variables):
        say(f"      {key}={variables[key]}")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GENAI_")}
    env.update(variables)
    env.update(
        {
            "PYTHONPATH": str(PACKAGE),
            "PYTHONNOUSERSITE": "1",
            "AWS_LAMBDA_FUNCTION_NAME": function_name,
            "DEMO_HANDLER": config["Handler"],
        }
    )
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--invoke"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-4000:])
        raise SystemExit(f"demo: the packaged handler failed (exit {proc.returncode})")
    return proc.stdout.splitlines()


def aws(service: str, endpoint: str) -> Any:
    from emulator import client

    return client(service, endpoint)


def read_back(endpoint: str, log_group: str, dashboard: str | None) -> None:
    """Shows that the emulator really holds the deck: filters, dashboard widgets, alarms."""
    filters = aws("logs", endpoint).describe_metric_filters(logGroupName=log_group)
    names = sorted(
        {t["metricName"] for f in filters["metricFilters"] for t in f["metricTransformations"]}
    )
    say(f"    metric filters on {log_group}: {len(filters['metricFilters'])} ({', '.join(names)})")
    cloudwatch = aws("cloudwatch", endpoint)
    if dashboard:
        raw = cloudwatch.get_dashboard(DashboardName=dashboard)["DashboardBody"]
        body = json.loads(raw)
        (WORK / "dashboard.json").write_text(raw)
        picture = WORK / "dashboard.svg"
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "scripts" / "render_dashboard.py"),
                "-",
                "--name",
                dashboard,
                "-o",
                str(picture),
            ],
            input=raw,
            text=True,
            check=True,
        )
        say(f"    dashboard {dashboard}: {len(body['widgets'])} widgets, drawn in {rel(picture)}")
    alarms = [a["AlarmName"] for a in cloudwatch.describe_alarms()["MetricAlarms"]]
    say(f"    alarms: {', '.join(sorted(alarms))}")


def deliver(endpoint: str, log_group: str, lines: list[str]) -> list[str]:
    """Puts the lines into the emulated log group and reads them back."""
    logs = aws("logs", endpoint)
    stream = time.strftime("%Y/%m/%d/[$LATEST]") + "0123456789abcdef"
    logs.create_log_stream(logGroupName=log_group, logStreamName=stream)
    now = int(time.time() * 1000)
    events = [{"timestamp": now + i, "message": line} for i, line in enumerate(lines)]
    logs.put_log_events(logGroupName=log_group, logStreamName=stream, logEvents=events)
    got = logs.get_log_events(logGroupName=log_group, logStreamName=stream, startFromHead=True)
    return [e["message"] for e in got["events"]]


LAYER_ZIP = ROOT / "dist" / "genai_observability_layer.zip"

# A user's own function: plain boto3, no import of genai_observability anywhere.
LAYER_APP = """
import boto3

bedrock = boto3.client("bedrock-runtime")


def handler(event, context):
    reply = bedrock.converse(
        modelId=event["model_id"],
        messages=[{"role": "user", "content": [{"text": event["question"]}]}],
    )
    return reply["output"]["message"]["content"][0]["text"]
"""


def demo_layer(runtime: bool = False) -> int:
    """A function that records through the layer, without importing our package.

    Builds dist/genai_observability_layer.zip (as `make layer` does), unzips it into a
    stand-in for /opt, writes a handler that only uses boto3, starts the runtime through the
    layer's exec wrapper with a local Bedrock Runtime endpoint
    (AWS_ENDPOINT_URL_BEDROCK_RUNTIME), and shows the lines.

    With ``runtime`` (``demo.py --layer-runtime``, the child the wrapper starts) it is a
    stand-in for the Lambda Python runtime's bootstrap instead: it imports ``_HANDLER``
    with the task root and the layer's ``python/`` on its path (PYTHONPATH, as the runtime
    puts /var/task and /opt/python there) and invokes it three times.
    """
    if runtime:
        import importlib

        module_name, _, function = os.environ["_HANDLER"].rpartition(".")
        handler = getattr(importlib.import_module(module_name.replace("/", ".")), function)
        for n in range(1, 4):
            context = FakeContext(1000 + n, os.environ["AWS_LAMBDA_FUNCTION_NAME"])
            handler({"model_id": TRAFFIC[n % len(TRAFFIC)][0], "question": PROMPT}, context)
        return 0

    import http.server
    import threading
    import zipfile

    from genai_observability.package import build

    say(f"==> {build('layer', LAYER_ZIP).summary()}")
    base = WORK / "layer"
    shutil.rmtree(base, ignore_errors=True)
    opt, task = base / "opt", base / "task"
    with zipfile.ZipFile(LAYER_ZIP) as zf:
        for info in zf.infolist():  # like Lambda: keep each entry's mode (the wrapper's 0755)
            target = opt / info.filename
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(zf.read(info))
            os.chmod(target, (info.external_attr >> 16) & 0o777 or 0o644)
    task.mkdir(parents=True)
    (task / "app.py").write_text(LAYER_APP)

    rng = random.Random(11)

    class Converse(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # POST /model/{modelId}/converse
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            usage = {"inputTokens": rng.randint(300, 900), "outputTokens": rng.randint(80, 300)}
            usage["totalTokens"] = usage["inputTokens"] + usage["outputTokens"]
            body = json.dumps(
                {
                    "output": {"message": {"role": "assistant", "content": [{"text": "- ok"}]}},
                    "stopReason": "end_turn",
                    "usage": usage,
                    "metrics": {"latencyMs": rng.randint(200, 900)},
                }
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Converse)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    wrapper = opt / "genai-observability"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GENAI_", "PYTHONPATH"))}
    env.update(
        {
            "AWS_LAMBDA_EXEC_WRAPPER": str(wrapper),
            "_HANDLER": "app.handler",
            "AWS_LAMBDA_FUNCTION_NAME": "orders-app",
            "AWS_REGION": "us-east-1",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": "demo",
            "AWS_SECRET_ACCESS_KEY": "demo",
            "AWS_ENDPOINT_URL_BEDROCK_RUNTIME": f"http://127.0.0.1:{server.server_address[1]}",
            "PYTHONPATH": os.pathsep.join([str(task), str(opt / "python")]),
            "PYTHONNOUSERSITE": "1",
        }
    )
    try:
        proc = subprocess.run(
            [str(wrapper), sys.executable, str(Path(__file__).resolve()), "--layer-runtime"],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        server.shutdown()
        server.server_close()
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-4000:])
        raise SystemExit(f"demo: the layer's function failed (exit {proc.returncode})")
    lines = [json.loads(x) for x in proc.stdout.splitlines() if x.startswith("{")]
    say("    orders-app: handler app.handler (boto3 only, no genai_observability import),")
    say(f"    started through AWS_LAMBDA_EXEC_WRAPPER={rel(wrapper)}: {len(lines)} lines")
    for line in lines:
        say(
            f"      {line['request_id']}  {line['model']:<50} {line['input_tokens']:>5} in"
            f" {line['output_tokens']:>4} out  ${line['cost_usd']:.6f}"
        )
    return 0


def spent_today(endpoint: str, outputs: dict[str, Any], stored: list[str]) -> None:
    """Runs the packaged budget function against the emulator's metrics; prints spent today.

    The emulator stores the deck's metric filters but does not run them, so this publishes
    what the CostUSD {Service} filter would (each priced llm_call line's cost_usd at its
    time), then runs genai_observability.budget.lambda_handler from the zip, with the
    deployed budget function's environment, and reads back the CostTodayUSD it published.
    """
    name = outputs.get("budget_function_name")
    if not name:
        say("    (no budget function in this deck)")
        return
    logs, cloudwatch = aws("logs", endpoint), aws("cloudwatch", endpoint)
    filters = logs.describe_metric_filters(logGroupName=outputs["cloudwatch_log_group_name"])
    (cost,) = [
        f for f in filters["metricFilters"] if f["filterName"].endswith("-CostUSD-by-service")
    ]
    transformation = cost["metricTransformations"][0]
    service_key = transformation["dimensions"]["Service"].removeprefix("$.")
    value_key = transformation["metricValue"].removeprefix("$.")
    data = []
    for line in stored:
        record = json.loads(line) if line.startswith("{") else {}
        value = record.get(value_key)
        if record.get("event") == "llm_call" and isinstance(value, int | float) and value >= 0:
            stamp = datetime.fromisoformat(record["timestamp"].replace("Z", "+00:00"))
            data.append(
                {
                    "MetricName": transformation["metricName"],
                    "Dimensions": [{"Name": "Service", "Value": record[service_key]}],
                    "Timestamp": stamp,
                    "Value": value,
                    "Unit": "None",
                }
            )
    cloudwatch.put_metric_data(Namespace=transformation["metricNamespace"], MetricData=data)
    say(f"    {len(data)} CostUSD data points published, as {cost['filterName']} would")

    config = aws("lambda", endpoint).get_function_configuration(FunctionName=name)
    variables = config.get("Environment", {}).get("Variables", {})
    env = {k: v for k, v in os.environ.items() if not k.startswith("GENAI_")}
    env.update(variables)
    env.update(
        {
            "PYTHONPATH": str(PACKAGE),
            "PYTHONNOUSERSITE": "1",
            "AWS_ENDPOINT_URL": endpoint,
            "AWS_ACCESS_KEY_ID": "demo",
            "AWS_SECRET_ACCESS_KEY": "demo",
            "AWS_DEFAULT_REGION": "us-east-1",
            "DEMO_HANDLER": config["Handler"],
            "DEMO_FUNCTION_ARN": config["FunctionArn"],
        }
    )
    code = (
        "import importlib, json, os, types; "
        "m, _, f = os.environ['DEMO_HANDLER'].rpartition('.'); "
        "ctx = types.SimpleNamespace(invoked_function_arn=os.environ['DEMO_FUNCTION_ARN'], "
        "aws_request_id='budget-demo'); "
        "getattr(importlib.import_module(m), f)({'source': 'schedule'}, ctx)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr[-4000:])
        raise SystemExit(f"demo: the packaged budget function failed (exit {proc.returncode})")
    run = json.loads(proc.stdout.strip().splitlines()[-1])
    say(f"    {config['Handler']} from {rel(PACKAGE)} ({name}'s environment):")
    budget = run["budget_usd"]
    of_budget = f" of the {budget} USD daily budget" if budget is not None else ""
    say(
        f"    spent today: {run['total_usd']:.6f} USD{of_budget} "
        f"({run['time_zone']} day {run['day']}, since {run['day_start']})"
    )
    got = cloudwatch.get_metric_data(
        MetricDataQueries=[
            {
                "Id": "today",
                "MetricStat": {
                    "Metric": {
                        "Namespace": transformation["metricNamespace"],
                        "MetricName": "CostTodayUSD",
                        "Dimensions": [{"Name": "Service", "Value": s} for s in run["spend_usd"]][
                            :1
                        ],
                    },
                    "Period": 60,
                    "Stat": "Maximum",
                },
            }
        ],
        StartTime=datetime.now(UTC) - timedelta(minutes=10),
        EndTime=datetime.now(UTC) + timedelta(minutes=1),
    )
    values = got["MetricDataResults"][0]["Values"]
    say(f"    CostTodayUSD read back from the emulator: {values[-1] if values else 'none'}")


def main() -> int:
    if not shutil.which("terraform"):
        raise SystemExit("demo: terraform is not installed (Terraform 1.7+ is required).")
    from emulator import moto_server
    from genai_observability.package import PackageError, build

    try:
        built = build("function", PACKAGE)  # what `make package` / `genai-obs package` run
    except PackageError as exc:
        raise SystemExit(f"demo: {exc}") from None
    say(f"==> {built.summary()}")

    began = time.monotonic()
    with moto_server() as endpoint:
        say(f"==> AWS emulator (moto) listening on {endpoint}")
        prepare_workdir(endpoint)
        tf("init", "-input=false", "-no-color", "-backend=false")

        full = planned_types(off=False)
        say(f"==> terraform plan of examples/complete: {sum(full.values())} resources")
        for rtype, count in sorted(full.items()):
            gap = (
                "  (planned only: the emulator cannot create it)" if rtype in EMULATOR_GAPS else ""
            )
            say(f"    {count:3d} x {rtype}{gap}")
        say("    The emulator has no API for: " + "; ".join(EMULATOR_GAPS.values()) + ".")
        say("    Those are planned here and created on real AWS; the emulator apply skips them.")

        planned_types(off=True)
        t0 = time.monotonic()
        tf("apply", "-input=false", "-no-color", "demo.tfplan")
        applied = time.monotonic() - t0
        state = [a for a in tf("state", "list", capture=True).split() if not is_data_source(a)]
        outputs = {
            k: v["value"] for k, v in json.loads(tf("output", "-json", capture=True)).items()
        }
        say(f"==> applied to the emulator in {applied:.1f}s: {len(state)} resources")
        for rtype, count in sorted(Counter(resource_type(a) for a in state).items()):
            say(f"    {count:3d} x {rtype}")
        for key in ("lambda_function_name", "cloudwatch_log_group_name", "dashboard_name"):
            if outputs.get(key):
                say(f"    {key} = {outputs[key]}")
        if outputs.get("dashboard_url"):
            say(f"    dashboard_url = {outputs['dashboard_url']}")

        read_back(endpoint, outputs["cloudwatch_log_group_name"], outputs.get("dashboard_name"))

        function_name = outputs["lambda_function_name"]
        log_group = outputs["cloudwatch_log_group_name"]
        calls = len(TRAFFIC) * CALLS_PER_MODEL + 1
        say(f"==> running the packaged handler {calls} times with a stubbed Bedrock Runtime")
        lines = run_handler(endpoint, function_name)
        stored = deliver(endpoint, log_group, lines)
        records = WORK / "llm_calls.jsonl"
        records.write_text("\n".join(stored) + "\n")
        say(f"    {len(stored)} log lines delivered to {log_group} and read back")
        say("    (Bedrock latency is stubbed at a tenth of realistic values to keep this short)")
        sample = next(line for line in stored if line.startswith('{"event":"llm_call"'))
        say(f"    one of the lines, as the metric filters and saved queries read it:\n    {sample}")

        say("==> genai-obs report (spend, latency and errors per model)")
        from genai_observability.cli import main as cli

        cli(["report", str(records)])

        say("==> the budget function: spent today, as it computes it from the emulator's metrics")
        spent_today(endpoint, outputs, stored)

        say("==> a function of yours, recorded through the layer with no code change")
        demo_layer()

        t0 = time.monotonic()
        tf(
            "destroy",
            "-auto-approve",
            "-input=false",
            "-no-color",
            *[f"-var={k}={str(v).lower()}" for k, v in EMULATOR_OFF.items()],
        )
        say(f"==> destroyed in {time.monotonic() - t0:.1f}s; stopping the emulator")
    say(f"Demo finished in {time.monotonic() - began:.0f}s.")
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--layer-runtime"]:
        sys.exit(demo_layer(runtime=True))
    sys.exit(invoke_in_package() if sys.argv[1:] == ["--invoke"] else main())
