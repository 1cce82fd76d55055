"""``genai-obs package --bytecode``: artifacts that carry their bytecode, for faster cold starts.

Lambda's code directories (``/var/task``, ``/opt``) are read-only and our zips carried no
bytecode, so every cold start compiled the payload again. With ``--bytecode`` each module
ships a checked-hash pyc (PEP 552) compiled by the building Python. What must hold: the same
bytes from every build (no timestamp, no hash-seed order, no path of the building machine),
a start that compiles none of the payload, and an edited source that still wins.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from genai_observability import package
from genai_observability.cli import main
from support import LAMBDA_DIR

TAG = sys.implementation.cache_tag

# A child that loads the layer as Lambda would (boto3 already imported, as a Bedrock handler
# does) and prints which of the payload's files Python had to compile on the way.
START = """
import builtins, json, sys
compiled = []
real_compile = builtins.compile
def watching(source, filename, *args, **kwargs):
    compiled.append(str(filename))
    return real_compile(source, filename, *args, **kwargs)
builtins.compile = watching
sys.path[:0] = [{task!r}, {layer!r}]
import boto3
import genai_observability_shim
import genai_observability._contract as contract
print(json.dumps({{
    "compiled": sorted({{f for f in compiled if "genai_observability" in f}}),
    "edited": getattr(contract, "EDITED", None),
}}))
"""


def extracted(zip_path: Path, where: Path) -> Path:
    """The layer as Lambda lays it out under /opt, with a one-line handler beside it."""
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(where / "opt")
    (where / "task").mkdir()
    (where / "task" / "app.py").write_text("def handler(event, context):\n    return 1\n")
    return where


def start(root: Path) -> dict[str, object]:
    env = {
        **{k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
        "GENAI_OBSERVABILITY_HANDLER": "app.handler",
        "PYTHONDONTWRITEBYTECODE": "1",  # read-only code directories: nothing is cached
    }
    code = START.format(task=str(root / "task"), layer=str(root / "opt" / "python"))
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_bytecode_builds_are_the_same_bytes_whatever_the_hash_seed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = package.build("layer", tmp_path / "a.zip", bytecode=True)
    monkeypatch.setenv("PYTHONHASHSEED", "12345")
    second = package.build("layer", tmp_path / "b.zip", bytecode=True)
    assert first.sha256 == second.sha256 and first.bytecode == second.bytecode == TAG
    sources_only = package.build("layer", tmp_path / "c.zip")
    assert sources_only.bytecode is None and sources_only.sha256 != first.sha256


def test_every_module_has_its_checked_hash_pyc_and_nothing_of_the_build_machine(
    tmp_path: Path,
) -> None:
    built = package.build("layer", tmp_path / "layer.zip", bytecode=True)
    sources_only = package.build("layer", tmp_path / "sources.zip")
    with zipfile.ZipFile(tmp_path / "layer.zip") as archive:
        names = archive.namelist()
        sources = [n for n in names if n.endswith(".py")]
        pycs = [n for n in names if n.endswith(".pyc")]
        assert sorted(package.pyc_name(n, TAG) for n in sources) == sorted(pycs)
        assert built.files == len(names) == sources_only.files + len(sources)
        for source in sources:
            data = archive.read(package.pyc_name(source, TAG))
            assert data[:4] == importlib.util.MAGIC_NUMBER, source
            assert int.from_bytes(data[4:8], "little") == 0b11, source  # hash-based, checked
            assert data[8:16] == importlib.util.source_hash(archive.read(source)), source
            assert str(LAMBDA_DIR).encode() not in data and str(tmp_path).encode() not in data


def test_the_layer_with_bytecode_starts_without_compiling_the_payload(tmp_path: Path) -> None:
    package.build("layer", tmp_path / "sources.zip")
    package.build("layer", tmp_path / "bytecode.zip", bytecode=True)
    without = start(extracted(tmp_path / "sources.zip", tmp_path / "without"))
    with_bytecode = start(extracted(tmp_path / "bytecode.zip", tmp_path / "with"))
    assert any(f.endswith("genai_observability_shim.py") for f in without["compiled"])
    assert len(without["compiled"]) >= 10, without  # the payload compiled at every start
    assert with_bytecode["compiled"] == []


def test_an_edited_source_wins_over_its_bytecode(tmp_path: Path) -> None:
    package.build("layer", tmp_path / "bytecode.zip", bytecode=True)
    root = extracted(tmp_path / "bytecode.zip", tmp_path / "edited")
    contract = root / "opt" / "python" / "genai_observability" / "_contract.py"
    contract.write_text(contract.read_text() + "\nEDITED = 'yes'\n")
    started = start(root)
    assert started["edited"] == "yes"
    assert [Path(f).name for f in started["compiled"]] == ["_contract.py"]


def test_a_module_this_python_cannot_compile_is_a_package_error(tmp_path: Path) -> None:
    source = tmp_path / "src" / "genai_observability"
    shutil.copytree(LAMBDA_DIR / "genai_observability", source)
    (source / "broken.py").write_text("def broken(:\n")
    with pytest.raises(package.PackageError, match="cannot compile the payload with"):
        package.build("function", tmp_path / "f.zip", source, bytecode=True)
    assert not (tmp_path / "f.zip").exists()
    package.build("function", tmp_path / "f.zip", source)  # sources only: shipped as they are


def test_cli_bytecode_says_so_in_its_line_and_its_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_zip = tmp_path / "layer.zip"
    assert main(["package", "--layer", str(out_zip), "--bytecode"]) == 0
    assert f"files, bytecode {TAG}, sha256 " in capsys.readouterr().out
    assert main(["package", str(tmp_path / "f.zip"), "--bytecode", "--format", "json"]) == 0
    facts = json.loads(capsys.readouterr().out)
    assert facts["bytecode"] == TAG and facts["kind"] == "function"
    assert main(["package", str(tmp_path / "g.zip"), "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["bytecode"] is None
