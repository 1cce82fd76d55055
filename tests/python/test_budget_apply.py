"""An apply during a brake: the user's Terraform must not lift it.

The user's own function, applied with the real AWS provider to the moto server, is braked
by the budget code (reserved concurrency 0 and the brake's tags); then ``terraform plan``
runs again. Unprotected, the plan would set the concurrency back and delete the tags (the
provider reads both: aws_lambda_function's ``reserved_concurrent_executions``, ``-1`` when
unset, and ``tags_all``). Protected as the README says, it plans no change:

* the provider's ``ignore_tags { keys = [...] }`` for the brake's two tags (Terraform AWS
  provider docs, "Provider Configuration: ignore_tags": the keys are ignored in every
  resource's tags and tags_all), and
* ``lifecycle { ignore_changes = [reserved_concurrent_executions] }`` on the function,
  whose reserved concurrency the brake manages outside Terraform (Terraform docs,
  "lifecycle Meta-Argument: ignore_changes"; aws_lambda_function's
  ``reserved_concurrent_executions``: "-1 removes any concurrency limitations").
"""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from genai_observability.budget import BRAKE_TAG, OWNER_TAG, BudgetSettings, run_budget
from support.terraform import REQUIRED_AWS, terraform

pytest.importorskip("moto.server", reason="moto[server] is needed for the emulator")
if shutil.which("terraform") is None:
    pytest.skip("terraform is not installed", allow_module_level=True)

from emulator import MotoServer, child_env, provider_override
from emulator import client as emulator_client

PREFIX = "arn:aws:lambda:us-east-1:123456789012:function:"

FUNCTION = """
data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "agent" {
  name               = "agent-role"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}

resource "aws_lambda_function" "agent" {
  function_name = "agent"
  role          = aws_iam_role.agent.arn
  runtime       = "python3.12"
  handler       = "index.handler"
  filename      = "agent.zip"
  tags          = { team = "ml" }
%(lifecycle)s
}
"""

PROTECTED_LIFECYCLE = """
  # The budget function's brake manages reserved concurrency outside Terraform.
  lifecycle {
    ignore_changes = [reserved_concurrent_executions]
  }"""

IGNORE_TAGS = f"""
  ignore_tags {{
    keys = ["{BRAKE_TAG}", "{OWNER_TAG}"]
  }}
"""


def write_config(work: Path, endpoint: str, protected: bool) -> None:
    provider = provider_override(endpoint)
    if protected:
        provider = provider.rstrip().removesuffix("}") + IGNORE_TAGS + "}\n"
    lifecycle = PROTECTED_LIFECYCLE if protected else ""
    (work / "main.tf").write_text(
        REQUIRED_AWS + provider + FUNCTION % {"lifecycle": lifecycle}, encoding="utf-8"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.py", "def handler(event, context):\n    return 1\n")
    (work / "agent.zip").write_bytes(buffer.getvalue())


def tf(work: Path, env: dict[str, str], *args: str) -> Any:
    proc = terraform(*args, cwd=work, env=env)
    assert proc.returncode in (0, 2), f"terraform {args}:\n{proc.stdout}\n{proc.stderr}"
    return proc


def planned_changes(work: Path, env: dict[str, str]) -> dict[str, Any]:
    """Address -> {attribute: (before, after)} of every resource the plan would change."""
    tf(work, env, "plan", "-no-color", "-input=false", "-out=tfplan")
    shown = json.loads(tf(work, env, "show", "-no-color", "-json", "tfplan").stdout)
    out = {}
    for change in shown.get("resource_changes", []):
        if change["change"]["actions"] == ["no-op"]:
            continue
        before, after = change["change"]["before"] or {}, change["change"]["after"] or {}
        out[change["address"]] = {
            key: (before.get(key), after.get(key))
            for key in ("reserved_concurrent_executions", "tags", "tags_all")
            if before.get(key) != after.get(key)
        }
    return out


def brake(endpoint: str) -> None:
    """Over budget: the budget code brakes ``agent`` (as the deployed function would)."""
    clients = {s: emulator_client(s, endpoint) for s in ("cloudwatch", "lambda")}
    clients["tagging"] = emulator_client("resourcegroupstaggingapi", endpoint)
    now = datetime.now(UTC) - timedelta(hours=1)
    clients["cloudwatch"].put_metric_data(
        Namespace="GenAI",
        MetricData=[
            {
                "MetricName": "CostUSD",
                "Dimensions": [{"Name": "Service", "Value": "agent"}],
                "Timestamp": now - timedelta(minutes=1),
                "Value": 9.0,
            }
        ],
    )
    conf = BudgetSettings(
        services=("agent",),
        budget_usd=1.0,
        action="stop",
        stop_functions=("agent",),
        owner="deck-budget",
    )
    record = run_budget(conf, clients, now=now, arn_prefix_=PREFIX)
    assert record["functions"] == {"agent": "braked"} and record["errors"] == [], record


@pytest.fixture
def lambda_reports_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    """GetFunction's ``Concurrency`` also for a reservation of 0, as Lambda returns it (moto
    5.2 leaves a falsy 0 out, and the provider would then read "unreserved")."""
    from moto.awslambda.models import LambdaFunction

    original = LambdaFunction.get_code

    def get_code(self: Any) -> dict[str, Any]:
        response = original(self)
        if self.reserved_concurrency is not None:
            response["Concurrency"] = {
                "ReservedConcurrentExecutions": int(self.reserved_concurrency)
            }
        return response

    monkeypatch.setattr(LambdaFunction, "get_code", get_code)


@pytest.mark.usefixtures("lambda_reports_zero")
def test_apply_during_a_brake_lifts_it_unless_told_to_ignore_it(tmp_path: Path) -> None:
    with MotoServer(log_path=tmp_path / "moto.log") as server:
        env = child_env(server.url, TF_IN_AUTOMATION="1", CHECKPOINT_DISABLE="1")
        env["TF_DATA_DIR"] = str(tmp_path / ".terraform")
        write_config(tmp_path, server.url, protected=False)
        tf(tmp_path, env, "init", "-no-color", "-input=false", "-backend=false")
        tf(tmp_path, env, "apply", "-no-color", "-input=false", "-auto-approve")
        brake(server.url)

        # Unprotected: the plan sets the concurrency back (-1, no reservation) and deletes
        # the brake's tags; what the README warns about.
        (agent,) = planned_changes(tmp_path, env).values()
        assert agent["reserved_concurrent_executions"] == (0, -1)
        before, after = agent["tags_all"]
        assert {BRAKE_TAG, OWNER_TAG} <= set(before) and not {BRAKE_TAG, OWNER_TAG} & set(after)

        # Protected (ignore_tags + ignore_changes): the same state plans no change.
        write_config(tmp_path, server.url, protected=True)
        assert planned_changes(tmp_path, env) == {}, "an apply now would lift the brake"
        lam = emulator_client("lambda", server.url)
        concurrency = lam.get_function_concurrency(FunctionName="agent")
        assert concurrency["ReservedConcurrentExecutions"] == 0
