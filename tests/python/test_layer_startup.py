"""The layer's start-up under the real Lambda Python runtime (awslambdaric).

Lambda starts the runtime through the layer's exec wrapper; the runtime then loads the
handler named by ``_HANDLER`` with its own loader (``awslambdaric.bootstrap._get_handler``)
and posts what went wrong to the Runtime API's ``init/error``. The load-failure tests start
the real runtime (awslambdaric, pinned in the dev requirements) twice, as a function without
the layer and through the wrapper, against a fake Runtime API on 127.0.0.1, and compare what
the runtime reported: the layer must be indistinguishable except for its lines. The
``GENAI_OBSERVABILITY_DISABLED`` spellings run the wrapper alone.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from genai_observability import package
from support import REPO
from support.lambda_bootstrap import FakeRuntimeAPI, extract

BOOTSTRAP = REPO / "tests" / "support" / "lambda_bootstrap.py"

FINE = "def handler(event, context):\n    return 1\n"
# Each way a handler can fail to load: (handler, the user's lib/app.py).
FAILURES: dict[str, tuple[str, str]] = {
    "import_error_in_module": ("lib/app.handler", "import not_installed_anywhere\n"),
    "import_error_raised": ("lib/app.handler", "raise ImportError('no config')\n"),
    "missing_module": ("lib/missing.handler", FINE),
    "missing_function": ("lib/app.nothing", FINE),
    "malformed_name": ("app", FINE),
    "empty_function": ("lib/app.", FINE),
    "empty_module": (".handler", FINE),
    "built_in_module": ("sys.handler", FINE),
    "exception_at_import": ("lib/app.handler", "raise RuntimeError('no table name')\n"),
    "syntax_error": ("lib/app.handler", "def handler(event, context:\n    return 1\n"),
}
DISABLED_TRUE = ["true", "TRUE", "True", " true", "true ", "1", "yes", "Yes", "on", "On", "y", "t"]
DISABLED_FALSE = ["", "false", "False", " FALSE ", "0", "no", "No", "off", "OFF", "n", "f"]
# A handler that answers whether the layer's package is loaded.
REPORTS_LAYER = "import sys\ndef handler(e, c):\n    return 'genai_observability' in sys.modules\n"


@pytest.fixture(scope="module")
def opt(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An /opt stand-in holding the unzipped layer (the runtime only reads it)."""
    out = tmp_path_factory.mktemp("dist") / "genai_observability_layer.zip"
    package.build("layer", out)
    root = tmp_path_factory.mktemp("opt")
    extract(out, root)
    return root


def start_runtime(
    opt: Path,
    task_root: Path,
    handler: str,
    *,
    wrapped: bool,
    events: list[Any] | None = None,
    extra_env: dict[str, str] | None = None,
) -> tuple[subprocess.CompletedProcess[str], FakeRuntimeAPI]:
    """Start awslambdaric as Lambda does (through the wrapper when ``wrapped``)."""
    with FakeRuntimeAPI(events) as api:
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "_HANDLER": handler,
            "LAMBDA_TASK_ROOT": str(task_root),
            "AWS_LAMBDA_RUNTIME_API": api.address,
            "AWS_LAMBDA_FUNCTION_NAME": "orders-agent",
            "AWS_REGION": "us-east-1",
            "PYTHONDONTWRITEBYTECODE": "1",
            **(extra_env or {}),
        }
        command = [sys.executable, str(BOOTSTRAP), "--ric"]
        command += ["--task-root", str(task_root), "--opt", str(opt)]
        if wrapped:
            env["AWS_LAMBDA_EXEC_WRAPPER"] = str(opt / "genai-observability")
            command.insert(0, env["AWS_LAMBDA_EXEC_WRAPPER"])
        with subprocess.Popen(
            command,
            env=env,
            cwd=task_root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        ) as proc:
            deadline = time.monotonic() + 60
            while proc.poll() is None and time.monotonic() < deadline:
                if api.served.wait(0.05):
                    break  # answered: a runtime never exits by itself
            if proc.poll() is None:
                proc.terminate()
            out, err = proc.communicate(timeout=60)
        return subprocess.CompletedProcess(command, proc.returncode, out, err), api


def write_app(task_root: Path, source: str) -> Path:
    (task_root / "lib").mkdir(parents=True, exist_ok=True)
    (task_root / "lib" / "app.py").write_text(source)
    return task_root


def error_lines(stdout: str) -> list[str]:
    """The runtime's own error line (awslambdaric's log_error), without the traceback."""
    return [line.split("\r")[0] for line in stdout.splitlines() if line.startswith("[ERROR]")]


def ask_if_loaded(
    opt: Path,
    tmp_path: Path,
    env: dict[str, str],
    *,
    handler: str = "lib/app.handler",
    wrapped: bool = True,
) -> tuple[str, list[Any]]:
    """Start the runtime with REPORTS_LAYER and invoke it once; returns stderr and the
    answers (whether the layer's package was loaded)."""
    root = write_app(tmp_path / "task", REPORTS_LAYER)
    proc, api = start_runtime(opt, root, handler, wrapped=wrapped, events=[{}], extra_env=env)
    assert api.init_errors == [], proc.stdout + proc.stderr
    return proc.stderr, [body for _, body in api.responses]


@pytest.mark.parametrize("kind", list(FAILURES))
def test_layer_start_up_reports_every_load_failure_as_the_runtime_does(
    opt: Path, tmp_path: Path, kind: str
) -> None:
    handler, source = FAILURES[kind]
    plain, plain_api = start_runtime(
        opt, write_app(tmp_path / "plain", source), handler, wrapped=False
    )
    layer, layer_api = start_runtime(
        opt, write_app(tmp_path / "layer", source), handler, wrapped=True
    )
    assert len(plain_api.init_errors) == 1, plain.stdout + plain.stderr
    assert len(layer_api.init_errors) == 1, layer.stdout + layer.stderr
    # The same error, word for word and frame for frame (the task roots' paths aside).
    plain_type, plain_error = plain_api.init_errors[0]
    layer_type, layer_error = layer_api.init_errors[0]
    assert layer_type == plain_type == plain_error["errorType"]
    assert json.loads(json.dumps(layer_error).replace(str(tmp_path / "layer"), "ROOT")) == (
        json.loads(json.dumps(plain_error).replace(str(tmp_path / "plain"), "ROOT"))
    )
    assert "genai_observability" not in json.dumps(layer_error)
    assert layer.returncode == plain.returncode != 0
    assert error_lines(layer.stdout) == error_lines(plain.stdout) != []
    assert "genai-observability:" not in layer.stderr + layer.stdout  # nothing of ours to say


def test_layer_start_up_names_the_users_module_not_the_shim(opt: Path, tmp_path: Path) -> None:
    proc, api = start_runtime(
        opt, write_app(tmp_path, "import not_installed_anywhere\n"), "lib/app.handler", wrapped=True
    )
    assert proc.returncode == 1
    error = api.init_errors[0][1]
    assert error["errorType"] == "Runtime.ImportModuleError"
    assert error["errorMessage"] == (
        "Unable to import module 'lib/app': No module named 'not_installed_anywhere'"
    )


def test_layer_start_up_under_the_runtime_loads_the_package_and_answers_unchanged(
    opt: Path, tmp_path: Path
) -> None:
    source = (
        "import os, sys\n"
        "def handler(event, context):\n"
        "    return {'handler_env': os.environ['_HANDLER'], 'request_id': context.aws_request_id,\n"
        "            'layer': 'genai_observability' in sys.modules, 'echo': event}\n"
    )
    proc, api = start_runtime(
        opt, write_app(tmp_path, source), "lib/app.handler", wrapped=True, events=[{"n": 1}]
    )
    assert api.init_errors == [] and api.invocation_errors == [], proc.stdout + proc.stderr
    assert [body for _, body in api.responses] == [
        {
            "handler_env": "lib/app.handler",
            "request_id": "req-0000",
            "layer": True,
            "echo": {"n": 1},
        }
    ]
    assert "genai-observability:" not in proc.stderr


def test_layer_passes_an_invocation_error_through_exactly_as_the_runtime_reports_it(
    opt: Path, tmp_path: Path
) -> None:
    source = "def handler(event, context):\n    raise KeyError(event['missing'])\n"
    errors = []
    for name, wrapped in (("plain", False), ("layer", True)):
        root = write_app(tmp_path / name, source)
        proc, api = start_runtime(opt, root, "lib/app.handler", wrapped=wrapped, events=[{}])
        assert api.responses == [] and len(api.invocation_errors) == 1, proc.stdout + proc.stderr
        _, error = api.invocation_errors[0]
        errors.append(json.loads(json.dumps(error).replace(str(root), "ROOT")))
    plain, layer = errors
    # Type, message and every frame: nothing of the layer stands between the runtime and the
    # function's code (it once added its wrapper's frame at the top of the trace).
    assert layer == plain
    assert len(plain["stackTrace"]) == 1 and "ROOT/lib/app.py" in plain["stackTrace"][0]


def test_layer_lines_carry_each_invocations_request_id_and_start_clean(
    opt: Path, tmp_path: Path
) -> None:
    """No wrapper binds the request id: each line takes it from the runtime, and what the
    first invocation bound (its tenant) is gone in the second, as a wrapper's bind would do."""
    source = (
        "import genai_observability as obs\n"
        "def handler(event, context):\n"
        "    if event.get('tenant'):\n"
        "        obs.set_attributes(tenant=event['tenant'])\n"
        "    obs.record_llm_call('amazon.nova-micro-v1:0', 10, 2, 5.0)\n"
        "    return obs.current_request_id() == context.aws_request_id\n"
    )
    root = write_app(tmp_path, source)
    events = [{"tenant": "acme"}, {}]
    proc, api = start_runtime(opt, root, "lib/app.handler", wrapped=True, events=events)
    assert api.invocation_errors == [] and [b for _, b in api.responses] == [True, True]
    lines = [json.loads(x) for x in proc.stdout.splitlines() if x.startswith('{"event"')]
    assert [(line["request_id"], line.get("tenant")) for line in lines] == [
        ("req-0000", "acme"),
        ("req-0001", None),
    ], proc.stdout + proc.stderr


@pytest.mark.parametrize("breakage", ["package_import_fails", "instrumentation_broken"])
def test_layer_under_the_runtime_that_cannot_load_its_package_still_answers(
    opt: Path, tmp_path: Path, breakage: str
) -> None:
    broken = tmp_path / "opt"
    shutil.copytree(opt, broken)
    package_dir = broken / "python" / "genai_observability"
    if breakage == "package_import_fails":
        (package_dir / "__init__.py").write_text("raise ImportError('boom')\n")
    else:
        (package_dir / "instrumentation" / "switch.py").write_text("def broken(:\n")
    stderr, loaded = ask_if_loaded(broken, tmp_path, {})
    assert len(loaded) == 1  # the function answered
    assert stderr.count("genai-observability:") == 1 and "runs unchanged" in stderr


def test_layer_shim_named_as_the_handler_without_the_wrapper_runs_the_named_handler(
    opt: Path, tmp_path: Path
) -> None:
    stderr, loaded = ask_if_loaded(
        opt,
        tmp_path,
        {"GENAI_OBSERVABILITY_HANDLER": "lib/app.handler"},
        handler="genai_observability_shim.handler",
        wrapped=False,
    )
    assert loaded == [True]
    assert "genai-observability:" not in stderr


def test_layer_shim_named_as_the_handler_without_a_handler_to_run_says_so(
    opt: Path, tmp_path: Path
) -> None:
    proc, api = start_runtime(
        opt, write_app(tmp_path, REPORTS_LAYER), "genai_observability_shim.handler", wrapped=False
    )
    assert [error["errorType"] for _, error in api.init_errors] == ["Runtime.MalformedHandlerName"]
    said = [line for line in proc.stderr.splitlines() if "genai-observability:" in line]
    assert len(said) == 1 and "GENAI_OBSERVABILITY_HANDLER is empty" in said[0]


def wrap_with_disabled(opt: Path, value: str) -> tuple[str, str]:
    """Run the wrapper alone with GENAI_OBSERVABILITY_DISABLED=value around a command that
    prints the ``_HANDLER`` it hands the runtime; returns that and the wrapper's stderr."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "_HANDLER": "lib/app.handler",
        "GENAI_OBSERVABILITY_DISABLED": value,
    }
    command = [str(opt / "genai-observability"), "/bin/sh", "-c", 'printf %s "$_HANDLER"']
    proc = subprocess.run(command, env=env, capture_output=True, text=True, timeout=30, check=True)
    return proc.stdout, proc.stderr


@pytest.mark.parametrize("value", DISABLED_TRUE)
def test_layer_disabled_accepts_the_usual_true_spellings(opt: Path, value: str) -> None:
    handler, stderr = wrap_with_disabled(opt, value)
    assert handler == "lib/app.handler"  # the runtime loads the function's handler itself
    assert stderr.count("genai-observability:") == 1 and "recording is off" in stderr


@pytest.mark.parametrize("value", DISABLED_FALSE)
def test_layer_disabled_accepts_the_usual_false_spellings(opt: Path, value: str) -> None:
    assert wrap_with_disabled(opt, value) == ("genai_observability_shim.handler", "")


@pytest.mark.parametrize("value", ["maybe", "disable", "2", "tru e"])
def test_layer_disabled_says_once_when_it_ignores_a_value(opt: Path, value: str) -> None:
    handler, stderr = wrap_with_disabled(opt, value)
    assert handler == "genai_observability_shim.handler"  # recording stays on
    assert stderr.count("\n") == 1 and stderr.startswith("genai-observability:")
    assert f"'{value}' is ignored" in stderr


@pytest.mark.parametrize(("value", "loaded"), [(" Yes", False), ("off", True), ("maybe", True)])
def test_layer_disabled_under_the_runtime(
    opt: Path, tmp_path: Path, value: str, loaded: bool
) -> None:
    stderr, answers = ask_if_loaded(opt, tmp_path, {"GENAI_OBSERVABILITY_DISABLED": value})
    assert answers == [loaded]
    assert stderr.count("genai-observability:") == (0 if value == "off" else 1)
