"""The deck works on hashicorp/aws 5.83+ and 6.x without warnings.

Every .tf and .tftest.hcl file of the root, modules/, examples/ and tests/ is checked
against provider_6x_facts.json: what 6.x removes or deprecates among the types we use
(read from the 6.0 upgrade guide and the 6.x documentation). The table is a reading
with a date: when it is older than its max_age_days the test fails and says to read again.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import hcl2
import pytest

ROOT = Path(__file__).resolve().parents[2]
FACTS_PATH = Path(__file__).with_name("provider_6x_facts.json")
VERSION_CONSTRAINT = ">= 5.83, < 7.0"

# `data.aws_region.current[0].name`, `aws_iam_role.this.inline_policy`: kind, type, attribute.
REFERENCE = re.compile(
    r"(?<![\w.])(?P<data>data\.)?(?P<type>aws_[a-z0-9_]+)\.[A-Za-z_][\w-]*(?:\[[^\]]*\])*\.(?P<attr>[a-z_][a-z0-9_]*)"
)


def load_facts(path: Path = FACTS_PATH) -> dict[str, Any]:
    return json.loads(path.read_text())


def staleness(read_on: date, today: date, max_age_days: int) -> str | None:
    """The complaint about a table read on `read_on`, or None while it is young enough."""
    age = (today - read_on).days
    if age <= max_age_days:
        return None
    return (
        f"provider_6x_facts.json was read on {read_on.isoformat()}, {age} days ago (more than "
        f"{max_age_days}): read the upgrade guide and the 6.x docs again, "
        "then update the facts and read_on."
    )


def tf_files(pattern: str = "*.tf") -> list[Path]:
    found = sorted(ROOT.glob(pattern))
    for folder in ("modules", "examples", "tests"):
        found += sorted(p for p in (ROOT / folder).rglob(pattern) if ".terraform" not in p.parts)
    return found


def _unquote(key: str) -> str:
    return key[1:-1] if len(key) >= 2 and key[0] == key[-1] == '"' else key


def _strings(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def _argument_paths(body: dict[str, Any], prefix: str = "") -> Iterator[str]:
    """Every argument and nested block name set in a block, dotted (`endpoints.sdb`)."""
    for key, value in body.items():
        if key.startswith("__"):
            continue
        yield prefix + key
        for nested in value if isinstance(value, list) else [value]:
            if isinstance(nested, dict) and nested.get("__is_block__"):
                yield from _argument_paths(nested, f"{prefix}{key}.")


def _blocks(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(kind, type, body) of every resource, data and provider block of a parsed file."""
    for kind in ("resource", "data"):
        for entry in doc.get(kind, []):
            for type_name, named in entry.items():
                for body in named.values():
                    yield kind, _unquote(type_name), body
    for entry in doc.get("provider", []):
        for name, body in entry.items():
            yield "provider", _unquote(name), body


@functools.cache
def parse(text: str) -> dict[str, Any]:
    return hcl2.loads(text)


def findings(text: str, facts: list[dict[str, Any]]) -> list[str]:
    """What one .tf file's text sets or reads that the facts say 6.x removes or deprecates."""
    flagged = {(f["kind"], f["type"], f["name"]): f for f in facts}
    doc = parse(text)
    found = []
    for kind, type_name, body in _blocks(doc):
        for path in _argument_paths(body):
            fact = flagged.get((kind, type_name, path))
            if fact:
                use = fact["use_instead"]
                found.append(f"{kind} {type_name} sets {path}: {fact['status']}, use {use}")
    for value in _strings(doc):
        for match in REFERENCE.finditer(value):
            kind = "data" if match["data"] else "resource"
            fact = flagged.get((kind, match["type"], match["attr"]))
            if fact:
                found.append(f"{match[0]}: {fact['status']} in 6.x, use {fact['use_instead']}")
    return found


def used_types(doc: dict[str, Any]) -> set[tuple[str, str]]:
    return {(kind, type_name) for kind, type_name, _ in _blocks(doc) if kind != "provider"}


@pytest.mark.parametrize(
    "path", tf_files() + tf_files("*.tftest.hcl"), ids=lambda p: str(p.relative_to(ROOT))
)
def test_tf_file_uses_nothing_6x_removes_or_deprecates(path: Path) -> None:
    assert findings(path.read_text(), load_facts()["facts"]) == [], path


def test_facts_cover_every_type_we_use() -> None:
    read = {(kind, t) for kind, types in load_facts()["types_read"].items() for t in types}
    used = set().union(*(used_types(parse(p.read_text())) for p in tf_files()))
    missing = sorted(used - read)
    assert not missing, f"read the 6.x docs of {missing} and add them to provider_6x_facts.json"


def test_facts_name_their_source() -> None:
    facts = load_facts()
    for fact in facts["facts"]:
        assert fact["status"] in ("removed", "deprecated"), fact
        assert fact["source"] in facts["sources"], fact
    for source in facts["sources"].values():
        assert source["document"] and source["provider_version"], source


def test_facts_are_young_enough() -> None:
    facts = load_facts()
    problem = staleness(date.fromisoformat(facts["read_on"]), date.today(), facts["max_age_days"])
    assert problem is None, problem


def test_staleness_fails_a_table_older_than_its_age() -> None:
    read_on = date(2026, 1, 1)
    assert staleness(read_on, date(2026, 6, 30), 180) is None  # 180 days: still young enough
    complaint = staleness(read_on, date(2026, 7, 1), 180)  # 181 days
    assert complaint is not None and "181 days ago" in complaint and "read_on" in complaint


def test_findings_flag_deprecated_references_and_arguments() -> None:
    text = """
    provider "aws" {
      s3_us_east_1_regional_endpoint = "legacy"
      endpoints {
        sdb = "http://localhost"
      }
    }
    data "aws_region" "current" {}
    resource "aws_iam_role" "this" {
      name = "r-${data.aws_region.current.name}-${data.aws_region.current.id}"
      managed_policy_arns = []
    }
    locals {
      hash = one(data.aws_lambda_function.this[*].source_code_hash)
      role = aws_iam_role.this.inline_policy
      fine = module.deck.aws_region.name
    }
    """
    found = findings(text, load_facts()["facts"])
    assert len(found) == 6, found
    assert any(f.startswith("data.aws_region.current.name:") for f in found)
    assert any("sets managed_policy_arns" in f for f in found)
    assert any("sets endpoints.sdb" in f for f in found)
    assert any("sets s3_us_east_1_regional_endpoint" in f for f in found)
    assert any("source_code_hash" in f for f in found)
    assert any("aws_iam_role.this.inline_policy" in f for f in found)


@pytest.mark.parametrize(
    "path",
    [p for p in tf_files() if p.name == "versions.tf" or p.parent.name == "verify"],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_version_constraint_is_the_checked_range(path: Path) -> None:
    assert f'version = "{VERSION_CONSTRAINT}"' in path.read_text(), path
