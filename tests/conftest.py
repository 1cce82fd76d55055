"""Every test run sees the environment of the project's entry points.

`make test` runs pytest inside scripts/env.sh already; a plain `pytest` (an IDE, a single
test file) gets the same Terraform settings here, taken from that one script, so the
Terraform-backed tests also work offline against the provider mirror.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ENV_SH = Path(__file__).resolve().parents[1] / "scripts" / "env.sh"
KEYS = ("TF_CLI_CONFIG_FILE", "TF_IN_AUTOMATION", "CHECKPOINT_DISABLE", "BC_SKIP_MAPPING")


def pytest_configure() -> None:
    proc = subprocess.run(
        ["bash", "-c", 'source "$1" && env -0', "env.sh", str(ENV_SH)],
        capture_output=True,
        check=True,
    )
    entries = (item.partition(b"=") for item in proc.stdout.split(b"\0") if item)
    scripted = {key.decode(): value.decode() for key, _, value in entries}
    for key in KEYS:
        if key in scripted:
            os.environ[key] = scripted[key]
