"""Every test run sees the environment of the project's entry points.

`make test` runs pytest inside scripts/env.sh already; a plain `pytest` (an IDE, a single
test file) gets the same Terraform settings here, taken from that one script, so the
Terraform-backed tests also work offline against the provider mirror.

Property tests (hypothesis) run under one of two profiles: "dev", a few examples for a quick
local loop, and "ci", many examples, chosen when ``CI`` is set (``.ci/run`` sets it; the same
test as scripts/check.py's) or by name with ``HYPOTHESIS_PROFILE=dev|ci``. A test sets its own
``deadline`` or health checks with ``@settings``, never ``max_examples``: that would pin the
count and defeat the profile (tests/repo/test_structure.py checks it).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from hypothesis import settings

ENV_SH = Path(__file__).resolve().parents[1] / "scripts" / "env.sh"
KEYS = ("TF_CLI_CONFIG_FILE", "TF_IN_AUTOMATION", "CHECKPOINT_DISABLE", "BC_SKIP_MAPPING")

# Examples per property test: a quick local loop, a thorough CI run.
settings.register_profile("dev", max_examples=200)
settings.register_profile("ci", max_examples=3000)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
settings.load_profile(PROFILE)


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
