"""Apply examples/complete to the embedded AWS emulator, read it back, destroy it.

``terraform test`` runs tests/emulator/apply_complete.tftest.hcl against moto's
ThreadedMotoServer started in this process (127.0.0.1, a port the system picks, stopped
when the test ends); Terraform reaches it over HTTP. Afterwards the emulator must hold
nothing the deck created.
"""

from __future__ import annotations

import json
import shutil
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from emulator import MotoServer, child_env
from emulator import client as emulator_client
from genai_observability.package import build
from support.terraform import terraform

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]

pytest.importorskip("moto.server", reason="moto[server] is needed for the emulator")
pytest.importorskip("boto3")

if shutil.which("terraform") is None:
    pytest.skip("terraform is not installed", allow_module_level=True)

NAME = "genai-emulator"  # the name set in apply_complete.tftest.hcl


def build_package(directory: Path) -> Path:
    """Builds the Lambda zip with the project's one builder (what `make package` runs)."""
    return Path(build("function", directory / "genai_observability.zip").path)


def run_seconds(events: list[dict[str, Any]], run: str) -> float | None:
    """Seconds between the start and the end of one run block, from -json events."""
    stamps = [
        e["@timestamp"]
        for e in events
        if e.get("type") == "test_run"
        and e.get("test_run", {}).get("run") == run
        and e["test_run"].get("progress") in ("starting", "complete")
    ]
    if len(stamps) < 2:
        return None
    start, end = (datetime.fromisoformat(s.replace("Z", "+00:00")) for s in (stamps[0], stamps[-1]))
    return (end - start).total_seconds()


def leftovers(endpoint: str) -> dict[str, list[str]]:
    """Everything of the deck's kinds the emulator still holds."""

    def client(service: str) -> Any:
        return emulator_client(service, endpoint)

    logs = client("logs")
    return {
        "functions": [f["FunctionName"] for f in client("lambda").list_functions()["Functions"]],
        "log_groups": [g["logGroupName"] for g in logs.describe_log_groups()["logGroups"]],
        "metric_filters": [
            f["filterName"] for f in logs.describe_metric_filters()["metricFilters"]
        ],
        "roles": [r["RoleName"] for r in client("iam").list_roles()["Roles"]],
        "alarms": [a["AlarmName"] for a in client("cloudwatch").describe_alarms()["MetricAlarms"]],
        "dashboards": [
            d["DashboardName"] for d in client("cloudwatch").list_dashboards()["DashboardEntries"]
        ],
        "topics": [t["TopicArn"] for t in client("sns").list_topics()["Topics"]],
        "queues": client("sqs").list_queues().get("QueueUrls", []),
        "schedules": [s["Name"] for s in client("scheduler").list_schedules()["Schedules"]],
    }


def test_apply_complete_example_to_emulator_and_destroy(tmp_path: Path) -> None:
    package = build_package(tmp_path)
    with MotoServer(log_path=tmp_path / "moto.log") as server:
        env = child_env(
            server.url,
            AWS_REGION="us-east-1",
            TF_VAR_package_path=str(package),
            TF_IN_AUTOMATION="1",
            CHECKPOINT_DISABLE="1",
        )
        at_root: dict[str, Any] = {"cwd": ROOT, "env": env, "timeout": 900}

        init = terraform(
            "init",
            "-backend=false",
            "-input=false",
            "-no-color",
            "-test-directory=tests/emulator",
            **at_root,
        )
        assert init.returncode == 0, init.stdout + init.stderr

        began = time.monotonic()
        test = terraform("test", "-test-directory=tests/emulator", "-no-color", "-json", **at_root)
        total = time.monotonic() - began
        events = []
        for line in test.stdout.splitlines():
            try:
                events.append(json.loads(line))
            except json.JSONDecodeError:
                continue
        messages = "\n".join(str(e.get("@message", "")) for e in events)
        assert test.returncode == 0, messages + test.stderr + "\n" + server.log_text()[-4000:]
        assert "Success! 2 passed, 0 failed." in messages

        apply_s = run_seconds(events, "apply_complete")
        print(f"\nemulator: plan+apply of examples/complete {apply_s}s, whole test {total:.1f}s")

        left = leftovers(server.url)
        deck = {kind: [n for n in names if NAME in n] for kind, names in left.items()}
        assert deck == {kind: [] for kind in left}, f"left behind in the emulator: {deck}"
        assert left["functions"] == [] and left["log_groups"] == [] and left["roles"] == []
