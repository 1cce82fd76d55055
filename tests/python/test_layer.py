"""The Lambda layer: built deterministically, unzipped into an /opt stand-in, run for real.

The exec wrapper runs with a stand-in for the Python runtime's bootstrap
(tests/support/lambda_bootstrap.py) and a user handler that never imports our package; its
Bedrock calls go over real HTTP to the fake Bedrock Runtime endpoint.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from genai_observability import package
from support import REPO, lines_of
from support.fake_bedrock import FakeBedrock, Reply
from support.lambda_bootstrap import extract

BOOTSTRAP = REPO / "tests" / "support" / "lambda_bootstrap.py"
NOVA = "amazon.nova-micro-v1:0"

USER_HANDLER = """
import json
import os
import sys

import boto3

# Created at init, like most handlers do; the layer never asked for it.
bedrock = boto3.client("bedrock-runtime")
MESSAGES = [{"role": "user", "content": [{"text": "What is 2+2?"}]}]


def handler(event, context):
    answer = bedrock.converse(modelId=event["model"], messages=MESSAGES)
    stream = boto3.Session().client("bedrock-runtime").converse_stream(
        modelId=event["model"], messages=MESSAGES
    )
    deltas = [e for e in stream["stream"] if "contentBlockDelta" in e]
    payload = sys.modules.get("genai_observability")
    return {
        "text": answer["output"]["message"]["content"][0]["text"],
        "deltas": len(deltas),
        "handler_env": os.environ.get("_HANDLER"),
        "payload_file": getattr(payload, "__file__", None),
    }
"""


@pytest.fixture(scope="module")
def layer_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist") / "genai_observability_layer.zip"
    package.build("layer", out)
    return out


@pytest.fixture
def opt(layer_zip: Path, tmp_path: Path) -> Path:
    """A fresh /opt stand-in holding the unzipped layer."""
    root = tmp_path / "opt"
    extract(layer_zip, root)
    return root


@pytest.fixture
def task_root(tmp_path: Path) -> Path:
    root = tmp_path / "task"
    (root / "lib").mkdir(parents=True)
    (root / "lib" / "app.py").write_text(USER_HANDLER)
    return root


@pytest.fixture(scope="module")
def server() -> Iterator[FakeBedrock]:
    with FakeBedrock() as fake:
        yield fake


def run_function(
    opt: Path,
    task_root: Path,
    fake: FakeBedrock,
    events: list[Any],
    *,
    handler: str = "lib/app.handler",
    extra_env: dict[str, str] | None = None,
) -> tuple[subprocess.CompletedProcess[str], list[dict[str, Any]]]:
    """Start the runtime through the layer's wrapper, as Lambda does, and invoke it."""
    results = task_root / "results.jsonl"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "_HANDLER": handler,
        "AWS_LAMBDA_EXEC_WRAPPER": str(opt / "genai-observability"),
        "AWS_LAMBDA_FUNCTION_NAME": "orders-agent",
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_ENDPOINT_URL_BEDROCK_RUNTIME": fake.url,
        "PYTHONDONTWRITEBYTECODE": "1",
        **(extra_env or {}),
    }
    command = [
        env["AWS_LAMBDA_EXEC_WRAPPER"],  # executed directly: its mode must allow it
        sys.executable,
        str(BOOTSTRAP),
        "--task-root",
        str(task_root),
        "--opt",
        str(opt),
        "--results",
        str(results),
        json.dumps(events),
    ]
    proc = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    answers = lines_of(results.read_text()) if results.exists() else []
    return proc, answers


def test_layer_zip_holds_the_package_under_python_and_an_executable_wrapper(
    layer_zip: Path,
) -> None:
    with zipfile.ZipFile(layer_zip) as zf:
        infos = {info.filename: info for info in zf.infolist()}
    names = list(infos)
    assert names == sorted(names)
    wrapper = infos["genai-observability"]
    assert stat.S_IMODE(wrapper.external_attr >> 16) == 0o755
    assert infos["python/genai_observability_shim.py"].external_attr >> 16 == 0o100644
    assert "python/genai_observability/__init__.py" in infos
    assert "python/genai_observability/instrumentation/switch.py" in infos
    assert "python/genai_observability/prices.json" in infos
    assert not any("/cli/" in n or "__pycache__" in n for n in names)
    assert {info.date_time for info in infos.values()} == {(1980, 1, 1, 0, 0, 0)}
    # the wrapper and the shim live at the layer's root and python/, not twice
    assert not any(n.startswith("python/genai_observability/_layer/genai") for n in names)


def test_layer_build_is_deterministic(layer_zip: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.zip"
    built = package.build("layer", again)
    assert again.read_bytes() == layer_zip.read_bytes()
    assert built.kind == "layer" and built.files == len(zipfile.ZipFile(again).namelist())


def test_layer_records_every_call_of_an_unchanged_handler_with_its_request_id(
    opt: Path, task_root: Path, server: FakeBedrock
) -> None:
    server.push(Reply(input_tokens=20, output_tokens=5), Reply(input_tokens=30, output_tokens=6))
    proc, answers = run_function(opt, task_root, server, [{"model": NOVA}, {"model": NOVA}])
    assert proc.returncode == 0, proc.stderr
    assert "genai-observability:" not in proc.stderr  # nothing went wrong, nothing to say
    assert [a["request_id"] for a in answers] == ["req-0000", "req-0001"]
    for answer in answers:
        assert answer["result"]["text"] == "2 plus 2 is 4" and answer["result"]["deltas"] == 5
        assert answer["result"]["handler_env"] == "lib/app.handler"  # its own name
        assert answer["result"]["payload_file"].startswith(str(opt / "python"))
    lines = lines_of(proc.stdout)
    assert [(line["operation"], line["request_id"]) for line in lines] == [
        ("converse", "req-0000"),
        ("converse_stream", "req-0000"),
        ("converse", "req-0001"),
        ("converse_stream", "req-0001"),
    ]
    assert (lines[0]["input_tokens"], lines[0]["output_tokens"]) == (20, 5)
    assert (lines[1]["input_tokens"], lines[1]["output_tokens"]) == (30, 6)
    assert all(line["service"] == "orders-agent" for line in lines)
    assert lines[1]["ttft_ms"] > 0 and "ttft_ms" not in lines[0]


def test_layer_disabled_by_variable_runs_the_handler_unchanged(
    opt: Path, task_root: Path, server: FakeBedrock
) -> None:
    proc, answers = run_function(
        opt,
        task_root,
        server,
        [{"model": NOVA}],
        extra_env={"GENAI_OBSERVABILITY_DISABLED": "true"},
    )
    assert proc.returncode == 0, proc.stderr
    assert answers[0]["result"]["text"] == "2 plus 2 is 4"
    assert lines_of(proc.stdout) == []
    assert proc.stderr.count("genai-observability:") == 1


@pytest.mark.parametrize(
    "breakage",
    ["package_missing", "shim_missing", "package_import_fails", "instrumentation_broken"],
)
def test_layer_that_cannot_load_still_runs_the_handler_and_says_so_once(
    opt: Path, task_root: Path, server: FakeBedrock, breakage: str
) -> None:
    python = opt / "python"
    if breakage == "package_missing":
        shutil.rmtree(python / "genai_observability")
    elif breakage == "shim_missing":
        (python / "genai_observability_shim.py").unlink()
    elif breakage == "package_import_fails":
        (python / "genai_observability" / "__init__.py").write_text("raise ImportError('boom')\n")
    else:
        switch = python / "genai_observability" / "instrumentation" / "switch.py"
        switch.write_text("def broken(:\n")
    proc, answers = run_function(opt, task_root, server, [{"model": NOVA}, {"model": NOVA}])
    assert proc.returncode == 0, proc.stderr
    assert [a["result"]["text"] for a in answers] == ["2 plus 2 is 4"] * 2
    assert lines_of(proc.stdout) == []
    assert proc.stderr.count("genai-observability:") == 1
    assert "runs unchanged" in proc.stderr


def test_layer_leaves_the_functions_own_errors_to_the_runtime(
    opt: Path, task_root: Path, server: FakeBedrock
) -> None:
    proc, answers = run_function(opt, task_root, server, [{}], handler="lib/missing.handler")
    assert proc.returncode != 0 and answers == []
    assert "ModuleNotFoundError" in proc.stderr and "lib.missing" in proc.stderr
