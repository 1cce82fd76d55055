"""Repository checks: layout, Terraform conventions and the README's commands."""

from __future__ import annotations

import ast
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import hcl2
import pytest
import tfdocs

ROOT = Path(__file__).resolve().parents[2]
TF_DIRS = tfdocs.module_dirs()
MODULE_FILES = ("main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md")


def _ids(p: Path) -> str:
    return str(p.relative_to(ROOT)) or "root"


def _unquote(value: Any) -> Any:
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return json.loads(value)
    return value


def _load(directory: Path) -> list[tuple[str, dict[str, Any]]]:
    parsed = []
    for tf in sorted(directory.glob("*.tf")):
        with tf.open() as fh:
            parsed.append((tf.name, hcl2.load(fh)))
    return parsed


def _variables(directory: Path) -> dict[str, dict[str, Any]]:
    return {
        _unquote(name): body
        for _, doc in _load(directory)
        for block in doc.get("variable", [])
        for name, body in block.items()
    }


def test_required_top_level_layout() -> None:
    for name in ("modules", "lambda", "examples", "tests"):
        assert (ROOT / name).is_dir(), f"{name}/ is missing"
    for name in ("main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md", ".ci/run"):
        assert (ROOT / name).is_file(), f"{name} is missing"
    for module in ("function", "observability"):
        assert (ROOT / "modules" / module).is_dir()
    for example in ("complete", "existing-function", "teams"):
        assert (ROOT / "examples" / example).is_dir()


@pytest.mark.parametrize("directory", TF_DIRS, ids=_ids)
def test_module_has_standard_files(directory: Path) -> None:
    missing = [f for f in MODULE_FILES if not (directory / f).is_file()]
    assert not missing, f"{_ids(directory)} lacks {missing}"


@pytest.mark.parametrize("directory", TF_DIRS, ids=_ids)
def test_only_the_aws_provider_is_required(directory: Path) -> None:
    sources = set()
    for _, doc in _load(directory):
        for block in doc.get("terraform", []):
            for providers in block.get("required_providers", []):
                for spec in providers.values():
                    if isinstance(spec, dict):
                        sources.add(_unquote(spec.get("source", "")))
    assert sources <= {"hashicorp/aws"}, f"{_ids(directory)} requires {sources}"
    versions = (directory / "versions.tf").read_text()
    assert re.search(r'required_version\s*=\s*">=\s*1\.7"', versions)


@pytest.mark.parametrize("directory", TF_DIRS, ids=_ids)
def test_variables_follow_conventions(directory: Path) -> None:
    problems = []
    for name, body in _variables(directory).items():
        if not _unquote(body.get("description", "")).strip():
            problems.append(f"{name}: no description")
        if "type" not in body:
            problems.append(f"{name}: no type")
        elif "any" in re.findall(r"\w+", str(body["type"])):
            problems.append(f"{name}: type uses any")
        if "default" in body and body["default"] is not None and body.get("nullable") is not False:
            problems.append(f"{name}: has a non-null default but is not nullable = false")
        for validation in body.get("validation", []):
            message = _unquote(validation.get("error_message", ""))
            if not (message[:1].isupper() and message.rstrip().endswith(".")):
                problems.append(f"{name}: error_message is not a full sentence: {message!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("directory", TF_DIRS, ids=_ids)
def test_every_output_has_a_description(directory: Path) -> None:
    undocumented = [
        _unquote(name)
        for _, doc in _load(directory)
        for block in doc.get("output", [])
        for name, body in block.items()
        if not _unquote(body.get("description", "")).strip()
    ]
    assert not undocumented


def test_no_lock_file_or_state_is_tracked() -> None:
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    bad = [
        f for f in tracked if f.endswith((".terraform.lock.hcl", ".tfstate")) or "/.terraform/" in f
    ]
    assert not bad


def test_readme_quick_start_is_what_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text()
    quick = readme.split("## Try it: `make demo` and `make test`", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^make (\w+)", quick, flags=re.M)
    assert commands[:2] == ["demo", "test"], commands
    ci = (ROOT / ".ci" / "run").read_text()
    assert "set -euo pipefail" in ci
    assert re.search(r"^make test$", ci, flags=re.M)
    makefile = (ROOT / "Makefile").read_text()
    for target in ("test", "demo", "package", "bench"):
        assert re.search(rf"^{target}:", makefile, flags=re.M), target


def _imported_roots(path: Path) -> set[str]:
    """Top-level names of every module a file imports, anywhere in it (lazy imports too)."""
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_scripts_do_not_import_from_tests() -> None:
    # `make demo`, `make package` and check.py run from scripts/ and the package alone.
    tests = ROOT / "tests"  # on pytest's pythonpath: its modules and packages
    test_only = {p.stem for p in tests.glob("*.py")} | {
        p.parent.name for p in tests.glob("*/__init__.py")
    }
    test_only |= {p.stem for p in tests.rglob("*.py") if p.stem.startswith("test_")}
    test_only.add("conftest")
    assert {"support", "conftest"} <= test_only
    for script in sorted((ROOT / "scripts").glob("*.py")):
        text = script.read_text(encoding="utf-8")
        assert not _imported_roots(script) & test_only, script.name
        assert "sys.path" not in text, script.name
