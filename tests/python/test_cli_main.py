"""``genai-obs`` itself: help, usage errors, ``python -m genai_observability.cli``."""

from __future__ import annotations

import subprocess
import sys

import pytest
from genai_observability.cli import main
from support import LAMBDA_DIR


def test_main_without_a_command_prints_help_and_exits_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main([]) == 2
    assert "usage: genai-obs" in capsys.readouterr().err


def test_main_bad_format_is_an_argparse_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "-", "--format", "xml"]) == 2
    assert "invalid choice: 'xml'" in capsys.readouterr().err


def test_main_module_help_runs_in_a_subprocess() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "genai_observability.cli", "--help"],
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(LAMBDA_DIR), "PATH": "/usr/bin:/bin"},
        timeout=60,
    )
    assert completed.returncode == 0
    assert completed.stdout.startswith("usage: genai-obs")
    for command in ("ask", "questions", "spend", "report", "package", "prices"):
        assert command in completed.stdout
