"""The docs stay true: the README input/output tables to variables.tf / outputs.tf, the
README to a first day, every link to a file, the reference pages to the code, and nothing in
the repository to a place outside it."""

from __future__ import annotations

import io
import json
import re
import subprocess
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
import tfdocs
from genai_observability import capture, record_llm_call
from genai_observability.cli import main

ROOT = Path(__file__).resolve().parents[2]
MODULES = tfdocs.module_dirs()
README = ROOT / "README.md"
DOCS = ROOT / "docs"


@pytest.mark.parametrize("directory", MODULES, ids=lambda p: str(p.relative_to(ROOT)) or "root")
def test_readme_tables_match_terraform(directory: Path) -> None:
    readme = directory / "README.md"
    assert readme.exists(), f"{readme} is missing"
    current, fresh = tfdocs.update(readme, directory)
    assert current == fresh, (
        f"{readme.relative_to(ROOT)}: inputs/outputs tables are out of date; "
        "run `.venv/bin/python scripts/tfdocs.py` to refresh them"
    )


def test_render_lists_every_variable_and_output(tmp_path: Path) -> None:
    (tmp_path / "variables.tf").write_text(
        'variable "budget" {\n  description = "Daily budget in USD | per team."\n'
        "  type        = number\n  default     = 5\n}\n"
        'variable "name" {\n  description = "Deck name."\n  type        = string\n}\n'
    )
    (tmp_path / "outputs.tf").write_text(
        'output "dashboard_url" {\n  description = "Console URL."\n  value       = "x"\n}\n'
    )
    text = tfdocs.render(tmp_path)
    assert "| `budget` | Daily budget in USD \\| per team. | `number` | `5` | no |" in text
    assert "| `name` | Deck name. | `string` | n/a | yes |" in text
    assert "| `dashboard_url` | Console URL. |" in text
    assert text.index("`budget`") < text.index("`name`")


def test_update_detects_stale_tables(tmp_path: Path) -> None:
    (tmp_path / "variables.tf").write_text(
        'variable "a" {\n  description = "A."\n  type        = string\n}\n'
    )
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n\n{tfdocs.BEGIN}\nold\n{tfdocs.END}\n")
    current, fresh = tfdocs.update(readme, tmp_path)
    assert current != fresh
    assert "| `a` | A. |" in fresh
    assert fresh.startswith("# x\n\n")


# --- nothing points outside the repository ---------------------------------------------

# Written in pieces so this file does not match itself.
OUTSIDE = (
    "../" + "shared",
    "/" + "work/",
    "shared/" + "DESIGN",
    "shared/" + "reference",
    "DESIGN" + ".md",
    "CONVENTIONS" + ".md",
    '.parent / "' + 'shared"',
)


def _tracked_text_files() -> list[Path]:
    names = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split("\0")
    files = []
    for name in filter(None, names):
        path = ROOT / name
        if path.is_file() and not path.is_symlink():
            files.append(path)
    return files


def test_no_tracked_file_points_outside_the_repository() -> None:
    found = []
    for path in _tracked_text_files():
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        for number, line in enumerate(text.splitlines(), 1):
            for needle in OUTSIDE:
                if needle in line:
                    found.append(f"{path.relative_to(ROOT)}:{number}: {needle}")
    assert not found, "files point outside the repository:\n" + "\n".join(found)


# --- the README is a first day ----------------------------------------------------------

FIRST_DAY_SECTIONS = (
    "## What it answers",
    "## The dashboard",
    "## One line per call",
    "## Three ways to record calls",
    "## Deploy in three steps",
    "## Try it: `make demo` and `make test`",
)


def _readme_section(heading: str) -> str:
    text = README.read_text(encoding="utf-8")
    assert text.count(f"\n{heading}\n") == 1, f"README.md lacks the section {heading!r}"
    return text.split(f"\n{heading}\n", 1)[1].split("\n## ", 1)[0]


def test_readme_is_at_most_360_lines() -> None:
    lines = README.read_text(encoding="utf-8").count("\n")
    assert lines <= 360, f"README.md has {lines} lines; move the reference to docs/"


@pytest.mark.parametrize("heading", FIRST_DAY_SECTIONS)
def test_readme_holds_the_first_day_sections(heading: str) -> None:
    assert _readme_section(heading).strip()


def test_readme_sections_say_what_their_titles_promise() -> None:
    answers = _readme_section("## What it answers")
    for question in ("spend today", "which model", "which customer", "slow"):
        assert question in answers.lower(), question
    assert "![" in _readme_section("## The dashboard")
    assert "](docs/dashboard.svg)" in _readme_section("## The dashboard")
    ways = _readme_section("## Three ways to record calls")
    for way in ("modules/layer", "instrument_all()", "record_llm_call("):
        assert way in ways, way
    deploy = _readme_section("## Deploy in three steps")
    assert [int(n) for n in re.findall(r"^\*\*(\d)\. ", deploy, flags=re.M)] == [1, 2, 3]
    assert "terraform apply" in deploy
    try_it = _readme_section("## Try it: `make demo` and `make test`")
    assert re.findall(r"^make (\w+)", try_it, flags=re.M)[:2] == ["demo", "test"]


def test_readme_sample_line_is_what_record_llm_call_writes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    block = re.search(r"```json\n(\{.*?\})\n```", _readme_section("## One line per call"), re.S)
    assert block, "the README's sample line is missing"
    sample = json.loads(block.group(1))
    for name in ("GENAI_MODEL_PRICES", "GENAI_PRICE_CATALOG", "GENAI_APPLICATION_PROFILES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("_X_AMZN_TRACE_ID", raising=False)
    optional = (
        "service", "operation", "status", "error_type", "request_id", "cache_read_tokens",
        "cache_write_tokens", "ttft_ms", "service_tier", "latency_mode", "region",
        "stop_reason", "trace_id",
    )  # fmt: skip
    with redirect_stdout(io.StringIO()), capture() as events:
        record_llm_call(
            sample["model"],
            sample["input_tokens"],
            sample["output_tokens"],
            sample["latency_ms"],
            **{key: sample[key] for key in optional if key in sample},
        )
    [line] = events.llm_calls
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", sample["timestamp"])
    assert list(line) == list(sample), "the sample's keys are not the line's, in its order"
    assert {**line, "timestamp": sample["timestamp"]} == sample


# --- every relative link resolves -------------------------------------------------------

LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")


def _doc_pages() -> list[Path]:
    return [README, ROOT / "CONTRIBUTING.md", *sorted(DOCS.glob("*.md"))]


def _anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
    return {_anchor(h) for h in re.findall(r"^#+ (.+)$", text, flags=re.M)}


@pytest.mark.parametrize("page", _doc_pages(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(page: Path) -> None:
    assert page.is_file(), f"{page.relative_to(ROOT)} is missing"
    text = re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S)
    broken = []
    for target in LINK.findall(text):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):
            continue  # https:, mailto: ...
        path, _, anchor = target.partition("#")
        resolved = (page.parent / path).resolve() if path else page
        if ROOT not in resolved.parents and resolved != ROOT:
            broken.append(f"{target} (outside the repository)")
        elif not resolved.exists():
            broken.append(f"{target} (no such file)")
        elif anchor and resolved.suffix == ".md" and anchor not in _anchors(resolved):
            broken.append(f"{target} (no such heading)")
    assert not broken, f"{page.relative_to(ROOT)}: " + ", ".join(broken)


CODE = re.compile(r"`([^`\n]+)`")
ROOTS = "lambda|modules|tests|scripts|examples|bench|docs|\\.ci"
REPO_PATH = re.compile(rf"(?<![\w/.-])((?:{ROOTS})/[\w./-]*)")


@pytest.mark.parametrize("page", _doc_pages(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_repository_path_named_in_code_exists(page: Path) -> None:
    """`lambda/...`, `tests/...`: a path the docs name in code is a file or folder here."""
    missing = []
    for span in CODE.findall(page.read_text(encoding="utf-8")):
        if any(mark in span for mark in "<*{"):
            continue  # a pattern, not a path
        for path in REPO_PATH.findall(span):
            if not (ROOT / path.rstrip("/.")).exists():
                missing.append(path)
    assert not missing, f"{page.relative_to(ROOT)} names paths that do not exist: {missing}"


def test_docs_index_lists_every_page() -> None:
    index = (DOCS / "README.md").read_text(encoding="utf-8")
    pages = {p.name for p in DOCS.glob("*.md")} - {"README.md"} | {"contract.md"}
    missing = sorted(p for p in pages if f"]({p})" not in index)
    assert not missing, f"docs/README.md does not list {missing}"


# --- the reference pages name what the code has -----------------------------------------


def _run_cli(*argv: str) -> str:
    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(io.StringIO()):
        try:
            code = main(list(argv))
        except SystemExit as exc:  # --help exits
            code = exc.code
    assert code == 0, argv
    return out.getvalue()


def test_metrics_page_names_every_saved_question() -> None:
    page = (DOCS / "metrics-and-questions.md").read_text(encoding="utf-8")
    questions = [q["question"] for q in json.loads(_run_cli("questions", "--format", "json"))]
    assert len(questions) >= 10
    missing = [q for q in questions if f"| `{q}` |" not in page]
    assert not missing, f"docs/metrics-and-questions.md does not list {missing}"


def test_metrics_page_names_every_metric() -> None:
    page = (DOCS / "metrics-and-questions.md").read_text(encoding="utf-8")
    text = "\n".join(p.read_text() for p in sorted((ROOT / "modules/observability").glob("*.tf")))
    block = re.search(r"contract_metrics\s*=\s*\{(.*?)\n  \}", text, re.S)
    assert block, "local.contract_metrics not found in modules/observability"
    metrics = re.findall(r"^\s+(\w+)\s*=\s*\{\s*condition", block.group(1), flags=re.M)
    assert len(metrics) >= 10
    missing = [m for m in [*metrics, "CostTodayUSD"] if f"`{m}`" not in page]
    assert not missing, f"docs/metrics-and-questions.md does not name {missing}"


def test_cli_page_names_every_command() -> None:
    page = (DOCS / "cli.md").read_text(encoding="utf-8")
    listing = _run_cli("--help").split("COMMAND", 2)[-1]
    commands = re.findall(r"^ {4}([a-z][a-z-]*)\b", listing, flags=re.M)
    assert len(commands) >= 8, listing
    missing = [c for c in commands if f"`genai-obs {c}" not in page]
    assert not missing, f"docs/cli.md does not describe {missing}"
