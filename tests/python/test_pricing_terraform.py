"""The observability module's price_catalog.json is the payload's catalog, generated."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from genai_observability import pricing, pricing_terraform
from genai_observability.pricing import load_catalog, parse_catalog

MODULE_DIR = Path(__file__).resolve().parents[2] / "modules" / "observability"
FIX = "python -m genai_observability.pricing_terraform modules/observability"


def test_module_prices_file_is_the_catalog() -> None:
    committed = (MODULE_DIR / pricing_terraform.MODULE_PRICES_FILE).read_text(encoding="utf-8")
    assert committed == pricing_terraform.render_module_prices(load_catalog()), (
        f"modules/observability/price_catalog.json differs from the catalog: run {FIX}"
    )


def test_render_module_prices_holds_every_standard_price() -> None:
    catalog = load_catalog()
    doc = json.loads(pricing_terraform.render_module_prices(catalog))
    assert doc["as_of"] == catalog.info["as_of"]
    assert list(doc["prices"]) == sorted(catalog.models)
    assert doc["mantle_ids"] == pricing.MANTLE_IDS  # the account view's mantle candidate ids
    for ident, price in catalog.models.items():
        assert doc["prices"][ident] == {
            "input": price.input,
            "output": price.output,
            "cache_read": price.cache_read,
            "cache_write": price.cache_write,
        }


def test_render_module_prices_is_deterministic_and_follows_the_catalog() -> None:
    raw = json.loads(Path(load_catalog().path).read_text(encoding="utf-8"))
    raw["models"]["acme.new-model-v1:0"] = {
        "input": 1.5,
        "output": 6,
        "cache_read": None,
        "cache_write": None,
    }
    changed = parse_catalog(raw)
    text = pricing_terraform.render_module_prices(changed)
    assert text == pricing_terraform.render_module_prices(changed)
    assert text.endswith("}\n") and "\r" not in text
    assert json.loads(text)["prices"]["acme.new-model-v1:0"] == {
        "input": 1.5,
        "output": 6.0,
        "cache_read": None,
        "cache_write": None,
    }
    assert text != pricing_terraform.render_module_prices(load_catalog())


def test_write_module_prices_into_a_directory_or_a_file(tmp_path: Path) -> None:
    assert pricing_terraform.write_module_prices(tmp_path) is True
    written = tmp_path / pricing_terraform.MODULE_PRICES_FILE
    assert written.read_text(encoding="utf-8") == pricing_terraform.render_module_prices()
    assert pricing_terraform.write_module_prices(tmp_path) is False
    other = tmp_path / "elsewhere.json"
    assert pricing_terraform.write_module_prices(other, load_catalog()) is True
    assert other.read_bytes() == written.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["elsewhere.json", "price_catalog.json"]


def test_main_writes_the_module_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert pricing_terraform.main([str(tmp_path)]) == 0
    assert capsys.readouterr().out == f"wrote {tmp_path}\n"
    assert pricing_terraform.main([str(tmp_path), load_catalog().path]) == 0
    assert capsys.readouterr().out.startswith("unchanged:")
    assert pricing_terraform.main([]) == 2
    assert "usage:" in capsys.readouterr().err
