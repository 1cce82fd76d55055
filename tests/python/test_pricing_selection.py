"""Price selection: endpoint kind, Region, tier, latency mode and cache TTL select the price.

Every figure here is computed by hand from the catalog's published prices (USD per 1M
tokens), so a change of price or of selection rule fails a test.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from genai_observability import pricing
from genai_observability.pricing import ModelPrice, PricingError

SONNET_45 = "anthropic.claude-sonnet-4-5-20250929-v1:0"
HAIKU_45 = "anthropic.claude-haiku-4-5-20251001-v1:0"
NOVA_PRO = "amazon.nova-pro-v1:0"
NOVA_MICRO = "amazon.nova-micro-v1:0"
APP_ARN = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6"
BUNDLED = Path(pricing.__file__).with_name("prices.json")
M = 1_000_000


@pytest.fixture(autouse=True)
def _pricing_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("GENAI_PRICE_CATALOG", "GENAI_APPLICATION_PROFILES", "GENAI_MODEL_PRICES"):
        monkeypatch.delenv(name, raising=False)
    yield


# --- endpoint kinds -----------------------------------------------------------------------


def test_endpoint_kinds_of_claude_45_are_priced_apart() -> None:
    # 1M input + 1M output: global 3 + 15; regional (us. profile, bare id) 3.3 + 16.5.
    assert pricing.cost_usd("global." + SONNET_45, M, M) == 18.0
    assert pricing.cost_usd("us." + SONNET_45, M, M) == 19.8
    assert pricing.cost_usd(SONNET_45, M, M) == 19.8
    arn = f"arn:aws:bedrock:us-east-1::foundation-model/{SONNET_45}"
    assert pricing.cost_usd(arn, M, M) == 19.8
    garn = f"arn:aws:bedrock:us-east-1:123456789012:inference-profile/global.{SONNET_45}"
    assert pricing.cost_usd(garn, M, M) == 18.0


def test_application_profile_arn_is_unknown_without_its_model() -> None:
    assert pricing.resolve_price(APP_ARN) == (None, "unknown")


def test_application_profile_arn_resolves_through_its_model(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("GENAI_APPLICATION_PROFILES", json.dumps({APP_ARN: "global." + SONNET_45}))
    assert pricing.resolve_price(APP_ARN) == pricing.resolve_price("global." + SONNET_45)
    assert pricing.cost_usd(APP_ARN, M, M) == 18.0


def test_application_profile_override_keyed_by_arn_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENAI_APPLICATION_PROFILES", json.dumps({APP_ARN: SONNET_45}))
    monkeypatch.setenv("GENAI_MODEL_PRICES", json.dumps({APP_ARN: {"input": 1, "output": 2}}))
    assert pricing.resolve_price(APP_ARN) == (ModelPrice(1.0, 2.0), "override")


def test_bad_application_profiles_warn_once_and_stay_unknown(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GENAI_APPLICATION_PROFILES", '["not", "a map"]')
    assert pricing.resolve_price(APP_ARN) == (None, "unknown")
    assert pricing.resolve_price(APP_ARN + "x") == (None, "unknown")
    err = capsys.readouterr().err
    assert err.count("GENAI_APPLICATION_PROFILES") == 1
    with pytest.raises(PricingError):
        pricing.application_profiles(strict=True)


# --- Regions ------------------------------------------------------------------------------


def test_region_with_its_own_price_is_priced_at_it() -> None:
    # DeepSeek V3.2: us-east-1 0.62 / 1.85; ap-northeast-1 0.74 / 2.22.
    assert pricing.cost_usd("deepseek.v3.2", M, M) == 2.47
    assert pricing.cost_usd("deepseek.v3.2", M, M, region="us-east-1") == 2.47
    assert pricing.cost_usd("deepseek.v3.2", M, M, region="ap-northeast-1") == 2.96
    # Mistral Large (24.02) from eu-west-3: 10.4 / 31.2.
    assert pricing.cost_usd("mistral.mistral-large-2402-v1:0", M, 0, region="eu-west-3") == 10.4


def test_region_prices_cache_tokens_too() -> None:
    # Claude 3 Haiku in us-gov-west-1: 0.30 in, 1.50 out, 0.03 read, 0.375 write.
    cost = pricing.cost_usd(
        "anthropic.claude-3-haiku-20240307-v1:0", M, M, M, M, region="us-gov-west-1"
    )
    assert cost == 0.3 + 1.5 + 0.03 + 0.375


def test_region_without_its_own_price_uses_the_standard_price() -> None:
    assert pricing.resolve_price(NOVA_MICRO, region="us-west-2") == pricing.resolve_price(
        NOVA_MICRO
    )


def test_region_does_not_turn_a_global_profile_into_a_regional_price() -> None:
    # A global. call from any Region costs the global price.
    assert pricing.cost_usd("global." + SONNET_45, M, M, region="eu-west-1") == 18.0


# --- service tiers ------------------------------------------------------------------------


@pytest.mark.parametrize("tier", [None, "default", "DEFAULT", "standard"])
def test_standard_tier_names_give_the_standard_price(tier: str | None) -> None:
    assert pricing.cost_usd(NOVA_MICRO, M, M, service_tier=tier) == 0.175


@pytest.mark.parametrize("tier", ["priority", "flex", "reserved", "turbo", 7])
def test_tiers_without_a_published_price_are_unknown(tier: Any) -> None:
    assert pricing.resolve_price(NOVA_PRO, service_tier=tier) == (None, "unknown")
    assert pricing.cost_usd(NOVA_PRO, M, M, service_tier=tier) is None


def test_tier_price_from_a_catalog_file_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = json.loads(BUNDLED.read_text())
    data["tiers"]["priority"][NOVA_PRO] = {
        "input": 1.4,
        "output": 5.6,
        "cache_read": 0.35,
        "cache_write": None,
        "source": "litellm-2026-07-18",
    }
    path = tmp_path / "prices.json"
    path.write_text(json.dumps(data))
    monkeypatch.setenv("GENAI_PRICE_CATALOG", str(path))
    assert pricing.cost_usd(NOVA_PRO, M, M, service_tier="priority") == 7.0
    assert pricing.cost_usd("us." + NOVA_PRO, M, M, service_tier="priority") == 7.0
    assert pricing.resolve_price(NOVA_PRO, service_tier="flex") == (None, "unknown")


def test_tier_override_needs_the_tier_in_its_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(
        "GENAI_MODEL_PRICES",
        json.dumps(
            {NOVA_PRO: {"input": 1, "output": 1}, NOVA_PRO + "@flex": {"input": 0.4, "output": 1.6}}
        ),
    )
    assert pricing.cost_usd(NOVA_PRO, M, M) == 2.0
    assert pricing.cost_usd(NOVA_PRO, M, M, service_tier="flex") == 2.0
    assert pricing.resolve_price(NOVA_PRO, service_tier="flex")[1] == "override"
    assert pricing.resolve_price(NOVA_PRO, service_tier="priority") == (None, "unknown")


# --- latency mode -------------------------------------------------------------------------


def test_latency_optimized_price_in_its_regions() -> None:
    # Nova Pro latency-optimized: 1.00 in, 4.00 out, in us-east-1, us-east-2, us-west-2.
    assert pricing.cost_usd("us." + NOVA_PRO, M, M, latency_mode="optimized") == 5.0
    assert pricing.cost_usd(NOVA_PRO, M, M, latency_mode="optimized", region="us-east-2") == 5.0
    assert pricing.cost_usd(NOVA_PRO, M, M, latency_mode="standard") == 4.0


def test_latency_optimized_outside_its_regions_or_models_is_unknown() -> None:
    assert pricing.cost_usd(NOVA_PRO, M, M, latency_mode="optimized", region="eu-west-1") is None
    llama = "meta.llama3-1-405b-instruct-v1:0"
    assert pricing.cost_usd(llama, M, M, latency_mode="optimized", region="us-east-2") == 6.0
    assert pricing.cost_usd(llama, M, M, latency_mode="optimized", region="us-west-2") is None
    assert pricing.cost_usd(SONNET_45, M, M, latency_mode="optimized") is None
    assert pricing.cost_usd(NOVA_PRO, M, M, latency_mode="fast") is None


def test_tier_and_latency_together_are_unknown() -> None:
    assert pricing.resolve_price(NOVA_PRO, service_tier="priority", latency_mode="optimized") == (
        None,
        "unknown",
    )


# --- cache-write TTL ----------------------------------------------------------------------


def test_one_hour_cache_writes_cost_their_own_price() -> None:
    # Sonnet 4.5 global: input 3, 5-minute write 3.75, 1-hour write 6.00 USD per 1M.
    # 1M input, 1M written of which 0.5M with a 1-hour TTL: 3 + 0.5*3.75 + 0.5*6 = 7.875.
    cost = pricing.cost_usd("global." + SONNET_45, M, 0, 0, M, cache_write_1h_tokens=500_000)
    assert cost == 7.875
    # Regional (us.): 3.3 + 0.5*4.125 + 0.5*6.6 = 8.6625.
    assert pricing.cost_usd("us." + SONNET_45, M, 0, 0, M, cache_write_1h_tokens=500_000) == 8.6625


def test_one_hour_cache_write_price_of_haiku_45_is_the_price_list_figure() -> None:
    # Price List: CacheWrite1hInputTokenCount 2.20 (regional), _Global 2.00.
    assert pricing.resolve_price(HAIKU_45)[0].cache_write_1h == 2.2  # type: ignore[union-attr]
    assert pricing.resolve_price("global." + HAIKU_45)[0].cache_write_1h == 2.0  # type: ignore[union-attr]


def test_one_hour_cache_writes_without_a_price_are_unknown() -> None:
    claude_37 = "anthropic.claude-3-7-sonnet-20250219-v1:0"
    assert pricing.cost_usd(claude_37, M, 0, 0, M) == 3.0 + 3.75
    assert pricing.cost_usd(claude_37, M, 0, 0, M, cache_write_1h_tokens=1) is None


def test_more_one_hour_writes_than_writes_is_unknown() -> None:
    assert pricing.cost_usd(SONNET_45, 0, 0, 0, 10, cache_write_1h_tokens=11) is None


# --- the catalog file ---------------------------------------------------------------------


def _every_price(data: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for section in ("models", "profiles"):
        for name, entry in data[section].items():
            yield section, name, entry
    for region, table in data["regions"].items():
        for name, entry in table.items():
            yield f"regions/{region}", name, entry
    for tier, table in data["tiers"].items():
        for name, entry in table.items():
            yield f"tiers/{tier}", name, entry
    for name, entry in data["latency_optimized"].items():
        yield "latency_optimized", name, entry
    for name, entry in data["cache_write_1h"].items():
        yield "cache_write_1h", name, entry


def test_every_catalog_price_has_a_source_with_a_date() -> None:
    data = json.loads(BUNDLED.read_text())
    sources = data["sources"]
    assert all(isinstance(s["as_of"], str) and len(s["as_of"]) == 10 for s in sources.values())
    assert all(s["title"] and s["url"].startswith("https://") for s in sources.values())
    count = 0
    for section, name, entry in _every_price(data):
        if section in ("models", "profiles"):
            sid = data["source_of"].get(section, {}).get(name, data[f"{section}_source"])
        else:
            sid = entry.get("source")
        assert sid in sources, (section, name)
        count += 1
    assert count > 250
    # The parser enforces the same rule for any catalog file.
    cat = pricing.load_catalog(BUNDLED)
    assert len(cat.source_of) == count


def test_catalog_file_without_a_source_is_rejected(tmp_path: Path) -> None:
    data = json.loads(BUNDLED.read_text())
    data["regions"]["eu-west-1"]["deepseek.v3.2"] = {"input": 1, "output": 1}
    path = tmp_path / "prices.json"
    path.write_text(json.dumps(data))
    with pytest.raises(PricingError, match="no known source"):
        pricing.load_catalog(path)


def test_catalog_keeps_the_terraform_readable_shape() -> None:
    data = json.loads(BUNDLED.read_text())
    for section in ("models", "profiles"):
        for name, entry in data[section].items():
            assert set(entry) == {"input", "output", "cache_read", "cache_write"}, name


_BUNDLED = json.loads(BUNDLED.read_text())


@pytest.mark.parametrize("model", sorted([*_BUNDLED["models"], *_BUNDLED["profiles"]]))
def test_no_model_has_an_unpublished_tier_price(model: str) -> None:
    """A tier is priced only where the catalog's tiers section names the id or its model."""
    for tier in ("priority", "flex", "reserved"):
        listed = [n for n in pricing.candidates(model) if n in _BUNDLED["tiers"].get(tier, {})]
        price, source = pricing.resolve_price(model, service_tier=tier)
        if listed:
            entry = _BUNDLED["tiers"][tier][listed[0]]
            assert (source, price.input, price.output) == (
                "catalog",
                entry["input"],
                entry["output"],
            )
        else:
            assert (price, source) == (None, "unknown")


NOVA_2_LITE = "amazon.nova-2-lite-v1:0"


def test_nova_2_lite_flex_is_half_the_standard_price_and_writes_are_free() -> None:
    # us. profile, standard: 0.33 in, 2.75 out, 0.0825 cache read, 0.00 cache write per 1M.
    # flex: half of each. 1M input + 1M output + 1M cache read + 1M cache write:
    # standard 0.33 + 2.75 + 0.0825 + 0 = 3.1625; flex 0.165 + 1.375 + 0.04125 + 0 = 1.58125.
    us = "us." + NOVA_2_LITE
    assert pricing.cost_usd(us, M, M, M, M) == 3.1625
    assert pricing.cost_usd(us, M, M, M, M, service_tier="flex") == 1.58125
    # global. profile (and the bare id): the global price 0.30 / 2.50 / 0.075, flex half.
    assert pricing.cost_usd("global." + NOVA_2_LITE, M, M, M, M) == 2.875
    assert pricing.cost_usd("global." + NOVA_2_LITE, M, M, service_tier="flex") == 1.4
    # priority is not published for it: unknown, never the standard or flex price.
    assert pricing.cost_usd(us, M, M, service_tier="priority") is None


def test_nova_v1_cache_writes_stay_unpriced() -> None:
    # No source publishes a cache-write price for Nova v1: a call that wrote cache is unknown.
    assert pricing.cost_usd("us." + NOVA_PRO, M, M, 0, 0) is not None
    assert pricing.cost_usd("us." + NOVA_PRO, M, M, 0, 1000) is None


def test_price_catalog_env_file_is_used_and_a_broken_one_falls_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads(BUNDLED.read_text())
    data["models"][NOVA_MICRO]["input"] = 1.0
    good = tmp_path / "good.json"
    good.write_text(json.dumps(data))
    monkeypatch.setenv("GENAI_PRICE_CATALOG", str(good))
    assert pricing.cost_usd(NOVA_MICRO, M, 0) == 1.0
    assert pricing.catalog_info()["path"] == str(good)
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    monkeypatch.setenv("GENAI_PRICE_CATALOG", str(bad))
    assert pricing.cost_usd(NOVA_MICRO, M, 0) == 0.035
    assert "prices come from the bundled catalog" in capsys.readouterr().err
    with pytest.raises(PricingError, match="not valid JSON"):
        pricing.load_catalog(bad)


# --- what prices MODEL lists --------------------------------------------------------------


def test_variants_list_each_endpoint_region_tier_and_latency() -> None:
    rows = pricing.variants(NOVA_PRO)
    keys = {(r["id"], r["endpoint"], r["region"], r["tier"], r["latency"]) for r in rows}
    assert (NOVA_PRO, "in-region", "*", "default", "standard") in keys
    assert ("eu." + NOVA_PRO, "geographic", "*", "default", "standard") in keys
    where = "us-east-1, us-east-2, us-west-2"
    assert (NOVA_PRO, "in-region", where, "default", "optimized") in keys
    assert "us-gov-west-1" in {r["region"] for r in rows}
    assert all(r["source"] for r in rows)


def test_variants_of_claude_45_show_global_and_regional() -> None:
    rows = {
        (r["id"], r["endpoint"]): r
        for r in pricing.variants("us." + SONNET_45)
        if r["region"] == "*"
    }
    assert rows[("global." + SONNET_45, "global")]["price"].input == 3.0
    assert rows[(SONNET_45, "in-region")]["price"].input == pytest.approx(3.3)
    assert rows[("us." + SONNET_45, "geographic")]["price"].cache_write_1h == pytest.approx(6.6)
    assert pricing.variants("acme.unknown") == []


# --- the price step of the hot path -------------------------------------------------------


def test_price_call_prices_every_selector() -> None:
    assert pricing.price_call(NOVA_MICRO, M, M, 0, 0) == (0.175, "catalog")
    assert pricing.price_call("global." + SONNET_45, M, 0, 0, M, 500_000) == (7.875, "catalog")
    assert pricing.price_call("deepseek.v3.2", M, M, 0, 0, region="ap-northeast-1") == (
        2.96,
        "catalog",
    )
    assert pricing.price_call(NOVA_PRO, M, M, 0, 0, latency_mode="optimized") == (5.0, "catalog")
    assert pricing.price_call(NOVA_PRO, M, M, 0, 0, service_tier="priority") == (None, "unknown")
    assert pricing.price_call(NOVA_MICRO, M, M, 0, 1) == (None, "unknown")  # no cache-write price


def test_price_call_follows_environment_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert pricing.price_call(NOVA_MICRO, M, 0, 0, 0) == (0.035, "catalog")
    monkeypatch.setenv("GENAI_MODEL_PRICES", json.dumps({NOVA_MICRO: {"input": 2, "output": 2}}))
    assert pricing.price_call(NOVA_MICRO, M, 0, 0, 0) == (2.0, "override")
    monkeypatch.delenv("GENAI_MODEL_PRICES")
    data = json.loads(BUNDLED.read_text())
    data["models"][NOVA_MICRO]["input"] = 0.5
    path = tmp_path / "prices.json"
    path.write_text(json.dumps(data))
    monkeypatch.setenv("GENAI_PRICE_CATALOG", str(path))
    assert pricing.price_call(NOVA_MICRO, M, 0, 0, 0) == (0.5, "catalog")
    monkeypatch.delenv("GENAI_PRICE_CATALOG")
    monkeypatch.setenv("GENAI_APPLICATION_PROFILES", json.dumps({APP_ARN: NOVA_MICRO}))
    assert pricing.price_call(APP_ARN, M, 0, 0, 0) == (0.035, "catalog")
    monkeypatch.delenv("GENAI_APPLICATION_PROFILES")
    assert pricing.price_call(APP_ARN, M, 0, 0, 0) == (None, "unknown")


def test_price_call_never_raises() -> None:
    assert pricing.price_call(None, 1, 1, 0, 0) == (None, "unknown")  # type: ignore[arg-type]
    assert pricing.price_call(NOVA_MICRO, 1, 1, 0, 0, service_tier=["x"]) == (  # type: ignore[arg-type]
        None,
        "unknown",
    )
