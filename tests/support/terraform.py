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

OFFLINE_PROVIDER = """
provider "aws" {
  region                      = "us-east-1"
  access_key                  = "mock"
  secret_key                  = "mock"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}
"""


def _terraform(args: list[str], work: Path) -> str:
    env = dict(os.environ, TF_IN_AUTOMATION="1", CHECKPOINT_DISABLE="1")
    env["TF_DATA_DIR"] = str(work / ".terraform")
    proc = subprocess.run(
        [shutil.which("terraform") or "terraform", *args],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    if proc.returncode != 0:
        pytest.fail(f"terraform {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc.stdout


def plan_json(work: Path, main_tf: str) -> dict[str, Any]:
    """Write ``main.tf`` in ``work``, then init, plan and return ``terraform show -json``."""
    (work / "main.tf").write_text(main_tf, encoding="utf-8")
    _terraform(["init", "-backend=false", "-input=false", "-no-color"], work)
    _terraform(["plan", "-input=false", "-no-color", "-lock=false", "-out=test.tfplan"], work)
    return json.loads(_terraform(["show", "-json", "test.tfplan"], work))
