"""docs/contract.md is what scripts/gen_contract_doc.py makes from the contract module."""

from __future__ import annotations

import json

import gen_contract_doc
from genai_observability._contract import FIELDS, METRIC_LINE


def test_contract_page_is_generated_from_the_contract_module() -> None:
    current = gen_contract_doc.PAGE.read_text(encoding="utf-8")
    assert current == gen_contract_doc.render(), (
        "docs/contract.md is stale: run `.venv/bin/python scripts/gen_contract_doc.py`"
    )


def test_contract_page_lists_every_key_and_a_line_in_contract_order() -> None:
    text = gen_contract_doc.render()
    for field in (*FIELDS, *METRIC_LINE):
        assert f"| `{field.name}` |" in text
    line = json.loads(text.split("```json\n")[1].split("\n```")[0])
    order = [field.name for field in FIELDS]
    contract_keys = [key for key in line if key in order]
    assert contract_keys == sorted(contract_keys, key=order.index)
    assert list(line)[-1] == "tenant"  # the extra attribute, after every contract key
