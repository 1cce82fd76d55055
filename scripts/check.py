"""Runs every check of the project and prints one closing line: ``N passed, N failed``.

Called by ``make test`` (and so by ``.ci/run``) inside the environment of ``scripts/env.sh``
and the dev venv. Each step's full output goes to ``build/logs/<step>.log``; the console
gets one line per step. Counts are per test where the tool reports tests (pytest,
``terraform test`` run blocks, checkov checks) and one per step otherwise.

Under CI (``CI`` set) a check that cannot run is a failure, never a silent skip: a
missing ``terraform`` or ``checkov`` fails its steps, and skipped pytest tests count as
failed.

Usage: python scripts/check.py [--only STEP[,STEP...]] [--list]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tfdocs import module_dirs  # scripts/tfdocs.py: the same list the docs test reads

ROOT = Path(__file__).resolve().parent.parent
LOGS = ROOT / "build" / "logs"
VENV_BIN = ROOT / ".venv" / "bin"
CHECKOV = ROOT / ".venv-checkov" / "bin" / "checkov"
IN_CI = bool(os.environ.get("CI"))


@dataclass
class Result:
    """Outcome of one step."""

    name: str
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)


def run(cmd: list[str], log: Path, cwd: Path = ROOT, timeout: int = 1800) -> tuple[int, str]:
    """Runs ``cmd``, appends its output to ``log`` and returns (exit code, output)."""
    log.parent.mkdir(parents=True, exist_ok=True)
    try:
        proc = subprocess.run(
            cmd,
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
            check=False,
        )
        code, out = proc.returncode, proc.stdout
    except FileNotFoundError as exc:
        code, out = 127, f"{exc}\n"
    except subprocess.TimeoutExpired as exc:
        partial = exc.stdout or ""
        if isinstance(partial, bytes):
            partial = partial.decode(errors="replace")
        code, out = 124, f"{partial}\ntimed out after {timeout}s\n"
    with log.open("a") as fh:
        fh.write(f"$ (cd {cwd.relative_to(ROOT) if cwd != ROOT else '.'}) {' '.join(cmd)}\n")
        fh.write(out)
        fh.write(f"[exit {code}]\n\n")
    return code, out


def rel(path: Path) -> str:
    return str(path.relative_to(ROOT)) or "."


def tested_dirs() -> list[Path]:
    return [d for d in module_dirs() if any((d / "tests").glob("*.tftest.hcl"))]


def need(tool: str, result: Result) -> bool:
    """True if ``tool`` is on PATH; otherwise records a failure (CI) or a skip."""
    if shutil.which(tool):
        return True
    msg = f"{tool} not found on PATH"
    if IN_CI:
        result.failed += 1
        result.notes.append(msg + " (a check that cannot run fails under CI)")
    else:
        result.skipped += 1
        result.notes.append(msg + " (skipped)")
    return False


# --------------------------------------------------------------------------- steps


def step_package(res: Result) -> None:
    """Builds dist/genai_observability.zip (Terraform plans and the emulator need it)."""
    from genai_observability.package import ARTIFACTS, PackageError, build

    try:
        built = build("function", ROOT / ARTIFACTS["function"].default_out)
    except PackageError as exc:
        res.failed += 1
        res.notes.append(str(exc))
        return
    res.passed += 1
    (LOGS / "package.log").write_text(built.summary() + "\n", encoding="utf-8")


def step_ruff(res: Result) -> None:
    ruff = str(VENV_BIN / "ruff") if (VENV_BIN / "ruff").exists() else "ruff"
    if not need(ruff, res):
        return
    for args in (["check", "."], ["format", "--check", "."]):
        code, out = run([ruff, *args], LOGS / "ruff.log")
        if code == 0:
            res.passed += 1
        else:
            res.failed += 1
            res.notes.append(f"ruff {args[0]}: {out.strip().splitlines()[-1]}")


def step_pytest(res: Result) -> None:
    xml = LOGS / "pytest.xml"
    xml.unlink(missing_ok=True)
    code, _ = run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={xml}"],
        LOGS / "pytest.log",
        timeout=2400,
    )
    if not xml.exists():
        res.failed += 1
        res.notes.append(f"pytest did not run (exit {code}); see build/logs/pytest.log")
        return
    for case in ET.parse(xml).getroot().iter("testcase"):
        name = f"{case.get('classname')}::{case.get('name')}"
        if case.find("failure") is not None or case.find("error") is not None:
            res.failed += 1
            res.notes.append(f"FAILED {name}")
        elif case.find("skipped") is not None:
            if IN_CI:
                res.failed += 1
                res.notes.append(f"SKIPPED under CI (counts as failed) {name}")
            else:
                res.skipped += 1
        else:
            res.passed += 1
    if code not in (0, 1) and res.failed == 0:
        res.failed += 1
        res.notes.append(f"pytest exited {code}")
    if res.passed + res.failed + res.skipped == 0:
        res.failed += 1
        res.notes.append("pytest collected no tests")


def step_fmt(res: Result) -> None:
    if not need("terraform", res):
        return
    code, out = run(["terraform", "fmt", "-check", "-recursive", "-diff"], LOGS / "fmt.log")
    if code == 0:
        res.passed += 1
    else:
        res.failed += 1
        res.notes.append("terraform fmt -check: " + " ".join(out.split()[:12]))


def init(directory: Path, log: Path) -> tuple[int, str]:
    return run(["terraform", "init", "-backend=false", "-input=false", "-no-color"], log, directory)


def step_validate(res: Result) -> None:
    if not need("terraform", res):
        return
    for directory in module_dirs():
        log = LOGS / "validate.log"
        code, _ = init(directory, log)
        if code == 0:
            code, _ = run(["terraform", "validate", "-no-color"], log, directory)
        if code == 0:
            res.passed += 1
        else:
            res.failed += 1
            res.notes.append(f"{rel(directory)}: validate failed (see build/logs/validate.log)")


TF_SUMMARY = re.compile(r"(\d+) passed, (\d+) failed(?:, (\d+) skipped)?")


def step_tftest(res: Result) -> None:
    if not need("terraform", res):
        return
    for directory in tested_dirs():
        log = (
            LOGS / f"tftest-{rel(directory).replace('/', '-') if directory != ROOT else 'root'}.log"
        )
        log.unlink(missing_ok=True)
        code, out = init(directory, log)
        if code == 0:
            code, out = run(["terraform", "test", "-no-color"], log, directory, timeout=1800)
        found = TF_SUMMARY.findall(out)
        if found:
            passed, failed, skipped = found[-1]
            res.passed += int(passed)
            res.failed += int(failed)
            res.skipped += int(skipped or 0)
            if IN_CI and int(skipped or 0):
                res.failed += int(skipped)
                res.notes.append(f"{rel(directory)}: {skipped} run(s) skipped under CI")
        if code != 0 or not found:
            if not found or int(found[-1][1]) == 0:
                res.failed += 1
            res.notes.append(f"{rel(directory)}: terraform test failed (see {rel(log)})")


def step_checkov(res: Result) -> None:
    exe = str(CHECKOV) if CHECKOV.exists() else "checkov"
    if not need(exe, res):
        return
    code, out = run(
        [
            exe,
            "--directory",
            ".",
            "--framework",
            "terraform",
            "--compact",
            "--output",
            "json",
            "--skip-path",
            r"\.venv",
            "--skip-path",
            "build",
            "--download-external-modules",
            "false",
        ],
        LOGS / "checkov.log",
    )
    start = out.find("{") if out.lstrip().startswith("{") else out.find("[")
    try:
        data = json.loads(out[start:]) if start >= 0 else None
    except json.JSONDecodeError:
        data = None
    if data is None:
        res.failed += 1
        res.notes.append(f"checkov gave no JSON report (exit {code}); see build/logs/checkov.log")
        return
    reports = data if isinstance(data, list) else [data]
    for report in reports:
        summary = report.get("summary", {})
        res.passed += int(summary.get("passed", 0))
        res.failed += int(summary.get("failed", 0))
        res.notes += [
            f"FAILED {c['check_id']} {c.get('resource')} {c.get('file_path')}"
            for c in report.get("results", {}).get("failed_checks", [])
        ]
        skipped = report.get("results", {}).get("skipped_checks", [])
        if len(skipped) != int(summary.get("skipped", 0)):
            res.failed += 1
            res.notes.append("checkov's skip count and its list of skipped checks differ")
        silent = [c for c in skipped if not (c.get("check_result", {}).get("suppress_comment"))]
        for c in silent:
            res.failed += 1
            res.notes.append(f"skip without a written reason: {c['check_id']} {c.get('resource')}")
        res.notes.append(f"{len(skipped)} checks skipped, each with a written reason")


STEPS: dict[str, Callable[[Result], None]] = {
    "package": step_package,
    "ruff": step_ruff,
    "pytest": step_pytest,
    "fmt": step_fmt,
    "validate": step_validate,
    "tftest": step_tftest,
    "checkov": step_checkov,
}


def selected(only: str | None) -> Iterator[str]:
    wanted = [s.strip() for s in only.split(",")] if only else list(STEPS)
    for name in wanted:
        if name not in STEPS:
            raise SystemExit(f"unknown step {name!r}; steps: {', '.join(STEPS)}")
        yield name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated steps to run")
    parser.add_argument("--list", action="store_true", help="list the steps and exit")
    args = parser.parse_args(argv)
    if args.list:
        print("\n".join(STEPS))
        return 0
    os.chdir(ROOT)
    LOGS.mkdir(parents=True, exist_ok=True)
    for old in LOGS.glob("*.log"):
        old.unlink()
    results: list[Result] = []
    began = time.monotonic()
    for name in selected(args.only):
        res = Result(name)
        t0 = time.monotonic()
        print(f"==> {name} ...", flush=True)
        STEPS[name](res)
        res.seconds = time.monotonic() - t0
        results.append(res)
        status = "ok" if res.failed == 0 else "FAILED"
        print(
            f"    {status}: {res.passed} passed, {res.failed} failed, {res.skipped} skipped"
            f" ({res.seconds:.0f}s)",
            flush=True,
        )
        for note in res.notes[:25]:
            print(f"    - {note}", flush=True)
        if len(res.notes) > 25:
            print(f"    - ... {len(res.notes) - 25} more in build/logs/", flush=True)
    passed = sum(r.passed for r in results)
    failed = sum(r.failed for r in results)
    skipped = sum(r.skipped for r in results)
    print(f"\nAll checks done in {time.monotonic() - began:.0f}s (logs in build/logs/).")
    tail = f", {skipped} skipped" if skipped else ""
    print(f"{passed} passed, {failed} failed{tail}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
