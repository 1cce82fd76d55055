"""``genai-obs package``: the one builder's line, the same from every entry point."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from genai_observability.cli import main
from support import REPO


def _expected_line(path: Path, shown: str | None = None) -> str:
    digest = hashlib.sha256(path.read_bytes()).digest()
    with zipfile.ZipFile(path) as zf:
        count = len(zf.namelist())
    return (
        f"wrote {shown or path} ({count} files, sha256 {digest.hex()}, "
        f"base64 {base64.b64encode(digest).decode()})\n"
    )


def test_main_package_prints_path_and_both_hashes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_zip = tmp_path / "lambda.zip"
    assert main(["package", str(out_zip)]) == 0
    out = capsys.readouterr().out
    assert out == _expected_line(out_zip)


def test_main_package_writes_the_default_path_in_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["package"]) == 0
    built = tmp_path / "dist" / "genai_observability.zip"
    assert capsys.readouterr().out == _expected_line(built, "dist/genai_observability.zip")


def test_main_package_json_has_the_same_facts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_zip = tmp_path / "lambda.zip"
    assert main(["package", str(out_zip), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    digest = hashlib.sha256(out_zip.read_bytes()).digest()
    with zipfile.ZipFile(out_zip) as zf:
        names = zf.namelist()
    assert document == {
        "kind": "function",
        "path": str(out_zip),
        "files": len(names),
        "sha256": digest.hex(),
        "sha256_base64": base64.b64encode(digest).decode(),
        "bytecode": None,
    }


def test_main_package_unwritable_path_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    assert main(["package", str(blocker / "x.zip")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("genai-obs: error: ")
    assert err.count("\n") == 1


def _run(args: list[str], cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args,
        cwd=cwd,
        env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def _make_package_command(out: Path) -> str:
    """The command `make package` runs (its recipe, without the venv prerequisite)."""
    dry = _run(["make", "-s", "-n", "-o", "venv", "package", f"ZIP={out}"])
    assert dry.returncode == 0, dry.stderr
    (command,) = [line for line in dry.stdout.splitlines() if line.strip()]
    return command


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_every_entry_point_prints_the_same_line_and_builds_the_same_bytes(tmp_path: Path) -> None:
    outs = {name: tmp_path / name / "genai_observability.zip" for name in ("cli", "module", "make")}
    results = {
        "cli": _run([sys.executable, "-m", "genai_observability.cli", "package", str(outs["cli"])]),
        "module": _run([sys.executable, "-m", "genai_observability.package", str(outs["module"])]),
        "make": _run(["bash", "-c", _make_package_command(outs["make"])]),
    }
    for name, result in results.items():
        assert result.returncode == 0, (name, result.stderr)
        assert result.stderr == "", name
        assert result.stdout == _expected_line(outs[name]), name
    # One builder: the same bytes, so the same line but for the path.
    lines = {r.stdout.replace(str(outs[n]), "OUT") for n, r in results.items()}
    assert len(lines) == 1, lines


def test_module_entry_point_reports_errors_as_the_command_does(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    target = str(blocker / "x.zip")
    module = _run([sys.executable, "-m", "genai_observability.package", target])
    cli = _run([sys.executable, "-m", "genai_observability.cli", "package", target])
    assert (module.returncode, module.stdout) == (1, "")
    assert module.stderr == cli.stderr
    assert module.stderr.startswith("genai-obs: error: cannot write ")
    assert module.stderr.count("\n") == 1


def test_main_package_layer_builds_the_layer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_zip = tmp_path / "layer.zip"
    assert main(["package", "--layer", str(out_zip)]) == 0
    assert capsys.readouterr().out.startswith(f"wrote {out_zip} (")
    names = zipfile.ZipFile(out_zip).namelist()
    assert "genai-observability" in names and "python/genai_observability/__init__.py" in names


def test_main_package_layer_and_out_together_is_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["package", str(tmp_path / "a.zip"), "--layer", str(tmp_path / "b.zip")])
    err = capsys.readouterr().err
    assert code != 0 and err.count("\n") == 1 and "not both" in err
    assert not (tmp_path / "a.zip").exists() and not (tmp_path / "b.zip").exists()
