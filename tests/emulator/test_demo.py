"""`make demo` end to end: emulator up, examples/complete applied, packaged handler run,
report printed, everything destroyed and the emulator stopped.

The demo is the first command the README has you try, so it runs in the test suite too (about a
minute).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "dist" / "genai_observability.zip"

pytest.importorskip("moto.server", reason="moto[server] is needed for the emulator")
if shutil.which("terraform") is None:
    pytest.skip("terraform is not installed", allow_module_level=True)


@pytest.fixture(scope="module")
def demo_output() -> str:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "lambda"))
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "demo.py")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout


def test_demo_plans_everything_and_names_what_the_emulator_lacks(demo_output: str) -> None:
    for rtype in (
        "aws_cloudwatch_query_definition",
        "aws_cloudwatch_log_data_protection_policy",
        "aws_cloudwatch_log_index_policy",
    ):
        assert re.search(rf"\d+ x {rtype}\s+\(planned only", demo_output), rtype
    planned = int(re.search(r"plan of examples/complete: (\d+) resources", demo_output)[1])
    applied = int(re.search(r"applied to the emulator in [\d.]+s: (\d+) resources", demo_output)[1])
    # Exactly the eleven query definitions (ten questions and cost-by-tenant) and the two
    # log policies are left out of the apply.
    assert planned - applied == 13


def test_demo_prints_spent_today_as_the_budget_function_computed_it(demo_output: str) -> None:
    spent = re.search(
        r"spent today: ([\d.]+) USD of the 5.0 USD daily budget \(UTC day", demo_output
    )
    published = re.search(r"CostTodayUSD read back from the emulator: ([\d.]+)", demo_output)
    assert spent and published
    assert abs(float(spent[1]) - float(published[1])) < 1e-6 and float(spent[1]) > 0


def test_demo_runs_a_function_that_records_through_the_layer(demo_output: str) -> None:
    assert "orders-app: handler app.handler (boto3 only, no genai_observability import)" in (
        demo_output
    )
    assert re.search(r"AWS_LAMBDA_EXEC_WRAPPER=\S+/genai-observability: 3 lines", demo_output)
    assert (
        len(re.findall(r"^      [0-9a-f]{8}-7c1e-4d2a-9f3b-[0-9a-f]{12}  ", demo_output, re.M)) == 3
    )


def test_demo_builds_the_zip_with_the_one_builder(demo_output: str) -> None:
    digest = hashlib.sha256(PACKAGE.read_bytes()).hexdigest()
    assert re.search(
        rf"^==> wrote {re.escape(str(PACKAGE))} \(\d+ files, sha256 {digest}, ", demo_output, re.M
    )


def test_demo_runs_the_packaged_handler_with_the_function_environment(demo_output: str) -> None:
    assert f"from {PACKAGE.relative_to(ROOT)}" in demo_output
    assert "GENAI_SERVICE=genai-deck" in demo_output
    assert '"pricing":"override"' in demo_output  # the example's model_prices reached it


def test_demo_reports_spend_per_model_and_cleans_up(demo_output: str) -> None:
    total = re.search(r"^TOTAL\s+\$(\S+)\s+13\s", demo_output, flags=re.M)
    assert total, demo_output[-2000:]
    assert float(total[1]) > 0
    assert re.search(r"^ThrottlingException\s+us\.amazon\.nova-micro-v1:0\s+1$", demo_output, re.M)
    assert "==> destroyed in" in demo_output
    assert (ROOT / "build" / "demo" / "dashboard.svg").exists()
