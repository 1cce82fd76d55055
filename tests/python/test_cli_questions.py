"""Tests that the command's built-in questions equal the deck's saved queries in Terraform."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from botocore.stub import Stubber
from genai_observability.cli import main
from genai_observability.cli._questions import DEFAULT_LOG_METRIC, QUESTIONS, suggest
from support.cli import (
    QUERIES_TF,
    FakeTime,
    add_definitions,
    definition,
    terraform_queries,
)

ROOT = Path(__file__).resolve().parent.parent.parent
VARIABLES_TF = ROOT / "modules" / "observability" / "variables.tf"

EXPECTED_NAMES = [
    "daily-cost",
    "cost-by-model",
    "cost-per-invocation",
    "latency-by-model",
    "slowest-calls",
    "most-expensive-calls",
    "errors-by-type",
    "unpriced-models",
    "slowest-first-token",
    "log-metric-daily",
]


def test_questions_are_the_decks_nine_names_in_order() -> None:
    assert list(QUESTIONS) == EXPECTED_NAMES


@pytest.mark.skipif(not QUERIES_TF.exists(), reason="modules/observability/queries.tf absent")
def test_questions_equal_the_terraform_query_strings() -> None:
    terraform = terraform_queries()
    assert list(terraform) == EXPECTED_NAMES
    for name, query in terraform.items():
        rendered = query.replace("${var.log_metric_name}", DEFAULT_LOG_METRIC)
        assert QUESTIONS[name].query == rendered, name


@pytest.mark.skipif(not VARIABLES_TF.exists(), reason="modules/observability/variables.tf absent")
def test_questions_default_log_metric_equals_the_module_default() -> None:
    text = VARIABLES_TF.read_text(encoding="utf-8")
    block = re.search(r'variable "log_metric_name" \{(.*?)\n\}', text, re.S)
    assert block is not None
    default = re.search(r'default\s*=\s*"([^"]*)"', block.group(1))
    assert default is not None
    assert default.group(1) == DEFAULT_LOG_METRIC


def test_questions_every_description_is_one_sentence_line() -> None:
    for question in QUESTIONS.values():
        assert "\n" not in question.description
        assert question.description.endswith(".")


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [("daily-costs", "daily-cost"), ("latency", "latency-by-model"), ("zzz", None)],
)
def test_suggest_finds_the_closest_question(typed: str, suggested: str | None) -> None:
    assert suggest(typed) == suggested


# the command: genai-obs questions


def test_main_questions_lists_the_built_in_questions(
    fake_time: FakeTime, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["questions", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [row["question"] for row in listed] == EXPECTED_NAMES
    assert all(row["description"].endswith(".") for row in listed)


def test_main_questions_with_deck_shows_saved_missing_and_custom(
    stub: Stubber, capsys: pytest.CaptureFixture[str]
) -> None:
    add_definitions(
        stub,
        "prod/",
        definition("prod/daily-cost"),
        definition("prod/my-own", groups=["/aws/lambda/a", "/aws/lambda/b"]),
    )
    assert main(["questions", "--deck", "prod", "--format", "csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["question", "saved", "log_groups", "description"]
    assert rows[1][:3] == ["daily-cost", "yes", "/aws/lambda/chat-prod"]
    assert rows[2][:3] == ["cost-by-model", "no", ""]
    assert rows[-1] == ["my-own", "yes", "/aws/lambda/a, /aws/lambda/b", "(custom query)"]
    assert len(rows) == 1 + len(QUESTIONS) + 1
