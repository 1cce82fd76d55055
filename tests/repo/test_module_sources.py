"""Every module plans when sourced by an absolute path and when its directory is copied alone.

A module must read no file outside its own directory (CONTRIBUTING.md): users source it by an
absolute path, ``git::`` or a registry (Terraform copies it into ``.terraform/modules``), or
copy its directory into their own configuration. One caller in a temporary directory calls
every module under ``modules/`` twice, from the repository by its absolute path
(``<name>_absolute``) and from a copy of the module's directory alone (``<name>_copy``), then
runs ``terraform init -backend=false``, ``terraform validate`` and a plan with the real
provider (fake keys, no network; ``aws_caller_identity``, the one data source that would
reach AWS, is overridden in a ``terraform test`` run). A module that reads ``../..`` fails at
validate with ``no file exists at ".terraform/modules/<name>_absolute/../../..."``.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from support.terraform import terraform

ROOT = Path(__file__).resolve().parents[2]
MODULES = sorted(d.name for d in (ROOT / "modules").iterdir() if (d / "main.tf").is_file())
ACCOUNT_ID = "123456789012"

PLACEHOLDER_ZIP = str(ROOT / "modules" / "function" / "tests" / "fixtures" / "placeholder.zip")

# The smallest inputs that make each module create something (and, for the observability
# module, price the account view from its generated catalog).
INPUTS: dict[str, dict[str, Any]] = {
    "function": {
        "name": "copy-check",
        "package_path": PLACEHOLDER_ZIP,
        "model_ids": ["us.amazon.nova-micro-v1:0"],
    },
    "layer": {"package_path": PLACEHOLDER_ZIP},
    "monitoring-account": {"source_account_ids": ["111111111111"]},
    "observability": {
        "name": "copy-check",
        "log_group_name": "/aws/lambda/copy-check",
        "model_ids": ["us.amazon.nova-micro-v1:0"],
        "alarms": {"account_daily_cost_budget_usd": 5},
    },
    "source-account": {
        "sink_arn": "arn:aws:oam:us-east-1:111111111111:sink/a1b2c3d4-5678-90ab-cdef-111111111111",
    },
}

PROVIDER = {
    "region": "us-east-1",
    "access_key": "mock",
    "secret_key": "mock",
    "skip_credentials_validation": True,
    "skip_requesting_account_id": True,
    "skip_metadata_api_check": True,
}


def _caller_identities(module_dir: Path) -> list[str]:
    """Names of the module's aws_caller_identity data sources, to override in the plan."""
    names = []
    for tf in sorted(module_dir.glob("*.tf")):
        for line in tf.read_text(encoding="utf-8").splitlines():
            if line.startswith('data "aws_caller_identity" "'):
                names.append(line.split('"')[3])
    return names


def _write_caller(work: Path) -> None:
    """One configuration calling every module twice: <name>_absolute and <name>_copy."""
    calls: dict[str, dict[str, Any]] = {}
    overrides = []
    for name in MODULES:
        source = ROOT / "modules" / name
        copy = work / "copies" / name
        shutil.copytree(source, copy, ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*"))
        calls[f"{name}_absolute"] = {"source": str(source), **INPUTS[name]}
        calls[f"{name}_copy"] = {"source": f"./copies/{name}", **INPUTS[name]}
        overrides += [
            f"override_data {{\n  target = module.{name}_{how}.data.aws_caller_identity.{data}\n"
            f'  values = {{ account_id = "{ACCOUNT_ID}" }}\n}}\n\n'
            for how in ("absolute", "copy")
            for data in _caller_identities(source)
        ]
    config = {"provider": {"aws": PROVIDER}, "module": calls}
    (work / "main.tf.json").write_text(json.dumps(config, indent=2), encoding="utf-8")
    (work / "tests").mkdir()
    (work / "tests" / "plan.tftest.hcl").write_text(
        "".join(overrides) + 'run "plans" {\n  command = plan\n}\n', encoding="utf-8"
    )


def _terraform(work: Path, *args: str) -> None:
    if shutil.which("terraform") is None:
        pytest.fail("terraform is not installed; the module-source checks need it")
    env = dict(os.environ, TF_IN_AUTOMATION="1", CHECKPOINT_DISABLE="1")
    proc = terraform(*args, "-no-color", cwd=work, env=env)
    assert proc.returncode == 0, f"terraform {args[0]} failed:\n{proc.stdout}\n{proc.stderr}"


def test_every_module_plans_from_an_absolute_path_and_copied_alone(tmp_path: Path) -> None:
    assert sorted(INPUTS) == MODULES, "a new module needs its smallest inputs in INPUTS"
    _write_caller(tmp_path)
    _terraform(tmp_path, "init", "-backend=false", "-input=false")
    _terraform(tmp_path, "validate")
    _terraform(tmp_path, "test")
