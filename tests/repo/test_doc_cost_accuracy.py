"""The "How accurate is the cost?" page (docs/cost-accuracy.md) stays present and true.

It was once lost in a merge without any test noticing (then a README section): these tests
keep the page, the README's link to it, the charges it says the deck does not see, and its
``genai-obs prices`` sample (which must be what the command prints today).
"""

from __future__ import annotations

import io
import re
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from genai_observability.cli import main

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "cost-accuracy.md"
HEADING = "# How accurate is the cost?"


def _section() -> str:
    """The whole page: one topic, its title first."""
    return PAGE.read_text(encoding="utf-8")


def test_docs_have_the_accuracy_page() -> None:
    text = _section()
    assert text.startswith(HEADING + "\n")
    assert text.count(HEADING + "\n") == 1


def test_readme_links_the_accuracy_page() -> None:
    assert "(docs/cost-accuracy.md)" in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "charge",
    [
        "batch inference",
        "provisioned throughput",
        "Guardrails",
        "knowledge bases",
        "agents' own orchestration",
    ],
)
def test_accuracy_section_names_what_the_deck_does_not_see(charge: str) -> None:
    assert charge in _section()


def test_accuracy_section_says_how_reconcile_measures_the_rest() -> None:
    section = _section()
    assert "genai-obs reconcile --day YYYY-MM-DD" in section
    assert "`reconcile` measures the rest" in section


def test_prices_sample_is_what_the_command_prints(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("GENAI_PRICE_CATALOG", "GENAI_MODEL_PRICES", "GENAI_APPLICATION_PROFILES"):
        monkeypatch.delenv(name, raising=False)
    block = re.search(r"```console\n\$ genai-obs (prices [^\n]+)\n(.*?)```", _section(), re.S)
    assert block, "the section's genai-obs prices sample is missing"
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(block.group(1).split())
    assert code == 0
    assert out.getvalue() == block.group(2)
