"""docs/supported-clients.md's table stays true to the code: every transport of the capture
and every API shape a reader reads is in it, it names no transport the code lacks, and each
row names a test file that exists and holds tests."""

from __future__ import annotations

import re

from genai_observability.instrumentation.registry import READERS, TRANSPORTS
from support import REPO

PAGE = REPO / "docs" / "supported-clients.md"

# How the page names each reader key's API shape.
SHAPE_NAMES = {
    ("openai", "ChatCompletions"): "OpenAI Chat Completions",
    ("openai", "Responses"): "OpenAI Responses",
    ("anthropic", "Messages"): "Anthropic Messages",
}


def _rows() -> list[dict[str, str]]:
    lines = [line for line in PAGE.read_text(encoding="utf-8").splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    rows = []
    for line in lines[2:]:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        rows.append(dict(zip(header, cells, strict=True)))
    return rows


def _transports(row: dict[str, str]) -> set[str]:
    return set(re.findall(r"`([a-z0-9_.]+)`", row["transport"]))


def test_supported_clients_table_names_every_transport_and_no_other() -> None:
    named = set().union(*(_transports(row) for row in _rows()))
    assert named == set(TRANSPORTS), f"table {sorted(named)} vs code {sorted(TRANSPORTS)}"


def test_supported_clients_table_names_every_api_shape_a_reader_reads() -> None:
    shapes = " ".join(row["API shapes"] for row in _rows())
    for api, operation in READERS.keys():  # noqa: SIM118 - the registry is no dict
        name = SHAPE_NAMES.get((api, operation), operation)
        assert name in shapes, f"{api} {operation} has a reader but no row says so"


def test_supported_clients_rows_name_test_files_that_hold_tests() -> None:
    for row in _rows():
        path = REPO / row["proved by"].strip("`")
        assert path.is_file(), f"{row['client']}: {path} does not exist"
        assert "\ndef test_" in path.read_text(encoding="utf-8"), f"{path} holds no test"
