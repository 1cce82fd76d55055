"""Offline Terraform plans of a test configuration, for the suites that read what a module
renders (tests/contract, tests/account, tests/emulator).

A configuration is ``REQUIRED_AWS`` + a provider (``OFFLINE_PROVIDER``: fake keys, no
account or metadata lookups, so nothing reaches AWS; or an emulator override file written
beside it) + the suite's own module blocks. The provider mirror settings come from
scripts/env.sh (tests/conftest.py puts them in the environment).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from support import REPO

OBSERVABILITY = REPO / "modules" / "observability"

REQUIRED_AWS = """
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}
"""

_OFFLINE = {
    "region": '"us-east-1"',
    "access_key": '"mock"',
    "secret_key": '"mock"',
    "skip_credentials_validation": "true",
    "skip_requesting_account_id": "true",
    "skip_metadata_api_check": "true",
}
OFFLINE_PROVIDER = (
    '\nprovider "aws" {\n' + "".join(f"  {k:<27} = {v}\n" for k, v in _OFFLINE.items()) + "}\n"
)


def outputs(**values: str) -> str:
    """Output blocks for a :func:`plan_json` template: ``name="module.deck.x"`` is
    ``output "name" { value = module.deck.x }`` (its braces doubled for ``str.format``)."""
    return "".join(
        f'\noutput "{name}" {{{{\n  value = {value}\n}}}}\n' for name, value in values.items()
    )


def terraform(*args: str, cwd: Path, env: dict[str, str], timeout: int = 600) -> Any:
    """Run terraform in ``cwd`` (output captured as text, no input); the caller reads the
    completed process."""
    command = [shutil.which("terraform") or "terraform", *args]
    captured: dict[str, Any] = {"capture_output": True, "text": True, "check": False}
    return subprocess.run(
        command, cwd=cwd, env=env, timeout=timeout, stdin=subprocess.DEVNULL, **captured
    )


def _checked(work: Path, *args: str) -> str:
    env = dict(os.environ, TF_IN_AUTOMATION="1", CHECKPOINT_DISABLE="1")
    env["TF_DATA_DIR"] = str(work / ".terraform")
    proc = terraform(*args, cwd=work, env=env)
    if proc.returncode != 0:
        pytest.fail(f"terraform {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc.stdout


def plan_json(
    work: Path, modules: str, provider: str = OFFLINE_PROVIDER, **fields: Any
) -> dict[str, Any]:
    """Plan a configuration in ``work`` and return ``terraform show -json``.

    Args:
        work: An empty directory.
        modules: The module blocks, a ``str.format`` template: ``{source}`` is the
            observability module's path from ``work``, the other fields are ``fields``.
        provider: The provider block ("" when an override file in ``work`` gives it).
        fields: The template's other fields.
    """
    source = os.path.relpath(OBSERVABILITY, work)
    main_tf = REQUIRED_AWS + provider + modules.format(source=source, **fields)
    (work / "main.tf").write_text(main_tf, encoding="utf-8")
    _checked(work, "init", "-backend=false", "-input=false", "-no-color")
    _checked(work, "plan", "-input=false", "-no-color", "-lock=false", "-out=test.tfplan")
    return json.loads(_checked(work, "show", "-json", "test.tfplan"))
