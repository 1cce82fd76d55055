"""Prices: the bundled catalog, profile prefixes and ARNs, overrides, unknown is never zero."""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path
from typing import Any

import genai_observability as obs
import pytest
from genai_observability import pricing
from genai_observability.pricing import ModelPrice, PricingError
from support import REPO, lines_of

NOVA = "amazon.nova-micro-v1:0"
SONNET_45 = "anthropic.claude-sonnet-4-5-20250929-v1:0"
# A second opinion on the catalog (test data; its source and license: README.md beside it).
REFERENCE = REPO / "tests" / "python" / "fixtures" / "reference_prices" / "bedrock_prices.json"

REQUIRED_MODELS = [
    "amazon.nova-micro-v1:0",
    "amazon.nova-lite-v1:0",
    "amazon.nova-pro-v1:0",
    "amazon.nova-premier-v1:0",
    "amazon.nova-2-lite-v1:0",
    "anthropic.claude-3-haiku-20240307-v1:0",
    "anthropic.claude-3-5-haiku-20241022-v1:0",
    "anthropic.claude-3-5-sonnet-20241022-v2:0",
    "anthropic.claude-3-7-sonnet-20250219-v1:0",
    "anthropic.claude-sonnet-4-20250514-v1:0",
    "anthropic.claude-opus-4-20250514-v1:0",
    "anthropic.claude-opus-4-1-20250805-v1:0",
    "anthropic.claude-sonnet-4-5-20250929-v1:0",
    "anthropic.claude-haiku-4-5-20251001-v1:0",
    "meta.llama3-8b-instruct-v1:0",
    "meta.llama3-70b-instruct-v1:0",
    "meta.llama3-1-8b-instruct-v1:0",
    "meta.llama3-1-70b-instruct-v1:0",
    "meta.llama3-2-3b-instruct-v1:0",
    "meta.llama3-3-70b-instruct-v1:0",
    "mistral.mistral-7b-instruct-v0:2",
    "mistral.mixtral-8x7b-instruct-v0:1",
    "mistral.mistral-large-2407-v1:0",
    "cohere.command-r-v1:0",
    "cohere.command-r-plus-v1:0",
    "amazon.titan-embed-text-v2:0",
]

CLAUDE_45_PLUS = [
    "anthropic.claude-fable-5",
    "anthropic.claude-haiku-4-5-20251001-v1:0",
    "anthropic.claude-opus-4-5-20251101-v1:0",
    "anthropic.claude-opus-4-6-v1",
    "anthropic.claude-opus-4-7",
    "anthropic.claude-opus-4-8",
    "anthropic.claude-sonnet-4-5-20250929-v1:0",
    "anthropic.claude-sonnet-4-6",
    "anthropic.claude-sonnet-5",
]

ALL_FIELDS = ("input", "output", "cache_read", "cache_write")
NOVA_V1 = ["amazon.nova-micro-v1:0", "amazon.nova-lite-v1:0", "amazon.nova-pro-v1:0"]
NOVA_2_LITE = "amazon.nova-2-lite-v1:0"

# Where the catalog knowingly differs from the reference price map: key -> (fields, why).
KNOWN_DIFFERENCES: dict[str, tuple[tuple[str, ...], str]] = {
    "eu.anthropic.claude-3-5-haiku-20241022-v1:0": (
        ALL_FIELDS,
        "the source carries Claude 3 Haiku's price",
    ),
    "eu.anthropic.claude-opus-4-5-20251101-v1:0": (
        ALL_FIELDS,
        "the source omits the 10% regional premium every other Claude 4.5+ profile has",
    ),
    **{
        model: (ALL_FIELDS, "the bare id is a regional endpoint; the source prices it as global")
        for model in CLAUDE_45_PLUS
    },
    **{
        model: (("cache_read",), "the source has no Nova cache-read price; AWS has one")
        for model in [*NOVA_V1, *("us." + m for m in NOVA_V1), "us.amazon.nova-premier-v1:0"]
    },
    **{
        model: (("cache_write",), "the source has no Nova 2 Lite cache-write price; AWS lists 0.00")
        for model in [NOVA_2_LITE, "us." + NOVA_2_LITE, "global." + NOVA_2_LITE]
    },
}
_REF_FIELD = {
    "input": "input_cost_per_token",
    "output": "output_cost_per_token",
    "cache_read": "cache_read_input_token_cost",
    "cache_write": "cache_creation_input_token_cost",
}


def _per_million(value: float | None) -> float | None:
    return None if value is None else value * 1_000_000


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


def override_prices(monkeypatch: pytest.MonkeyPatch, prices: dict[str, Any]) -> None:
    """Price overrides as Terraform passes them (the GENAI_MODEL_PRICES JSON)."""
    monkeypatch.setenv("GENAI_MODEL_PRICES", json.dumps(prices))


def test_cost_usd_nova_micro_one_million_each_is_0_175() -> None:
    assert obs.cost_usd("amazon.nova-micro-v1:0", 1_000_000, 1_000_000) == 0.175


def test_cost_usd_nova_micro_matches_the_per_1k_check() -> None:
    # 0.000035 USD per 1K input tokens and 0.00014 per 1K output tokens.
    assert obs.cost_usd(NOVA, 1000, 0) == 0.000035
    assert obs.cost_usd(NOVA, 0, 1000) == 0.00014


def test_cost_usd_unknown_model_is_none() -> None:
    assert obs.cost_usd("acme.unknown-v1", 10, 10) is None
    assert pricing.resolve_price("acme.unknown-v1") == (None, "unknown")


@pytest.mark.parametrize("bad", [None, "", 42, ["x"], {"a": 1}])
def test_resolve_price_never_raises_on_odd_models(bad: Any) -> None:
    assert pricing.resolve_price(bad) == (None, "unknown")


@pytest.mark.parametrize(
    "counts", [(-1, 0), (float("nan"), 0), (float("inf"), 0), (True, 0), ("1", 0), (None, 1)]
)
def test_cost_usd_invalid_counts_are_none(counts: tuple[Any, Any]) -> None:
    assert obs.cost_usd(NOVA, *counts) is None


def test_cost_usd_cache_tokens_at_unknown_cache_price_are_none() -> None:
    # The eu. profile of Nova Micro has its own price and no published cache price.
    eu_nova = "eu." + NOVA
    assert pricing.catalog()[eu_nova].cache_read is None
    assert obs.cost_usd(eu_nova, 100, 100, cache_read_tokens=10) is None
    # Nova cache writes have no published price.
    assert pricing.catalog()[NOVA].cache_write is None
    assert obs.cost_usd(NOVA, 100, 100, cache_write_tokens=10) is None
    assert obs.cost_usd(eu_nova, 100, 100, 0, 0) is not None


def test_cost_usd_nova_cache_reads_are_priced() -> None:
    # Nova Micro: input 0.035, output 0.14, cache read 0.00875 USD per 1M tokens.
    assert obs.cost_usd(NOVA, 1_000_000, 1_000_000, cache_read_tokens=1_000_000) == 0.18375


def test_cost_usd_bills_cache_tokens_at_their_own_price() -> None:
    # Sonnet 4.5 global: input 3, output 15, cache read 0.30, cache write 3.75 USD per 1M.
    cost = obs.cost_usd("global." + SONNET_45, 1_000_000, 1_000_000, 1_000_000, 1_000_000)
    assert cost == 3 + 15 + 0.3 + 3.75


def test_cost_usd_rounds_away_float_noise() -> None:
    cost = obs.cost_usd(NOVA, 3, 7)
    assert cost == round(cost, 10)
    assert len(repr(cost)) < 16


@pytest.mark.parametrize("prefix", ["us.", "eu.", "apac.", "jp.", "au."])
def test_resolve_price_geographic_profile_of_claude_45_costs_ten_percent_more(
    prefix: str,
) -> None:
    base, _ = pricing.resolve_price("global." + SONNET_45)
    geo, source = pricing.resolve_price(prefix + SONNET_45)
    assert source == "catalog" and base is not None and geo is not None
    assert geo.input == pytest.approx(base.input * 1.1)
    assert geo.output == pytest.approx(base.output * 1.1)
    assert geo.cache_read == pytest.approx(base.cache_read * 1.1)


@pytest.mark.parametrize("model", CLAUDE_45_PLUS)
def test_resolve_price_bare_id_of_claude_45_is_regional_not_global(model: str) -> None:
    glob, _ = pricing.resolve_price("global." + model)
    bare, _ = pricing.resolve_price(model)
    us, _ = pricing.resolve_price("us." + model)
    assert glob is not None and bare is not None
    assert bare == us
    assert bare.input == pytest.approx(glob.input * 1.1)
    assert bare.output == pytest.approx(glob.output * 1.1)


def test_resolve_price_profile_without_its_own_entry_uses_the_model() -> None:
    assert pricing.resolve_price("us." + NOVA) == pricing.resolve_price(NOVA)


def test_resolve_price_regional_profile_has_its_own_price() -> None:
    eu, _ = pricing.resolve_price("eu." + NOVA)
    assert eu is not None and eu.input == 0.046 and eu.output == 0.184


@pytest.mark.parametrize(
    ("arn", "expected"),
    [
        (f"arn:aws:bedrock:us-east-1::foundation-model/{NOVA}", NOVA),
        (f"arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.{NOVA}", NOVA),
        (
            f"arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.{SONNET_45}",
            "eu." + SONNET_45,
        ),
        (f"arn:aws-us-gov:bedrock:us-gov-west-1::foundation-model/{NOVA}", NOVA),
    ],
)
def test_resolve_price_understands_arns(arn: str, expected: str) -> None:
    assert pricing.resolve_price(arn) == pricing.resolve_price(expected)
    assert pricing.resolve_price(arn)[1] == "catalog"


def test_resolve_price_application_inference_profile_arn_is_unknown() -> None:
    arn = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6"
    assert pricing.resolve_price(arn) == (None, "unknown")


def test_override_wins_over_the_catalog(monkeypatch: pytest.MonkeyPatch) -> None:
    override_prices(monkeypatch, {NOVA: {"input": 1.0, "output": 2.0, "cache_read": 0.5}})
    price, source = pricing.resolve_price(NOVA)
    assert source == "override" and price == ModelPrice(1.0, 2.0, 0.5, None)
    assert obs.cost_usd(NOVA, 1_000_000, 1_000_000, 1_000_000) == 3.5
    # The override of the model also prices its inference profiles.
    assert pricing.resolve_price("us." + NOVA)[1] == "override"


def test_override_prices_an_unknown_model_and_an_application_profile(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    arn = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc"
    override_prices(
        monkeypatch, {"acme.x": {"input": 1, "output": 1}, arn: {"input": 2, "output": 2}}
    )
    assert pricing.resolve_price("acme.x")[1] == "override"
    assert obs.cost_usd(arn, 1_000_000, 0) == 2.0


def test_record_llm_call_says_override(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    obs.record_llm_call(NOVA, 1_000_000, 0, 1.0)
    override_prices(monkeypatch, {NOVA: {"input": 1, "output": 1}})
    obs.record_llm_call(NOVA, 1_000_000, 0, 1.0)
    monkeypatch.delenv("GENAI_MODEL_PRICES")
    obs.record_llm_call(NOVA, 1_000_000, 0, 1.0)
    lines = lines_of(capsys.readouterr().out)
    assert [(ln["pricing"], ln["cost_usd"]) for ln in lines] == [
        ("catalog", 0.035),
        ("override", 1.0),
        ("catalog", 0.035),
    ]


def test_overrides_reads_the_terraform_shape(monkeypatch: pytest.MonkeyPatch) -> None:
    # Terraform's jsonencode of map(object({..., cache_read = optional(number)})) sends nulls.
    monkeypatch.setenv(
        "GENAI_MODEL_PRICES",
        '{"m":{"input":0.035,"output":0.14,"cache_read":null,"cache_write":null}}',
    )
    assert pricing.overrides() == {"m": ModelPrice(0.035, 0.14, None, None)}
    monkeypatch.delenv("GENAI_MODEL_PRICES")
    assert pricing.overrides() == {}


@pytest.mark.parametrize(
    "raw",
    [
        "{not json",
        "[1, 2]",
        '{"m": 3}',
        '{"m": {"input": 1}}',
        '{"m": {"input": -1, "output": 1}}',
        '{"m": {"input": true, "output": 1}}',
        '{"m": {"input": 1, "output": 1, "cache_read": "x"}}',
        '{"m": {"input": 1, "output": 1, "per_1k": 1}}',
        '{"m": {"input": NaN, "output": 1}}',
    ],
)
def test_overrides_raises_pricing_error_on_bad_json(
    monkeypatch: pytest.MonkeyPatch, raw: str
) -> None:
    monkeypatch.setenv("GENAI_MODEL_PRICES", raw)
    with pytest.raises(PricingError) as info:
        pricing.overrides()
    assert isinstance(info.value, obs.GenAIObservabilityError)


def test_bad_overrides_never_break_recording_and_warn_once(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GENAI_MODEL_PRICES", "{broken json for the warning test")
    obs.record_llm_call(NOVA, 1_000_000, 0, 1.0)
    obs.record_llm_call(NOVA, 1_000_000, 0, 1.0)
    captured = capsys.readouterr()
    assert [ln["pricing"] for ln in lines_of(captured.out)] == ["catalog", "catalog"]
    assert captured.err.count("genai_observability:") == 1
    assert "GENAI_MODEL_PRICES is not valid JSON" in captured.err


def test_bad_override_entries_are_skipped_and_good_ones_kept(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    override_prices(monkeypatch, {NOVA: {"input": "cheap"}, "acme.y": {"input": 1, "output": 1}})
    assert pricing.resolve_price(NOVA)[1] == "catalog"
    assert pricing.resolve_price("acme.y")[1] == "override"
    assert "ignoring invalid entries" in capsys.readouterr().err


def test_absurd_override_prices_give_unknown_not_infinity(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    override_prices(monkeypatch, {NOVA: {"input": 1e308, "output": 1}})
    assert obs.cost_usd(NOVA, 10**15, 0) is None
    obs.record_llm_call(NOVA, 10**15, 0, 1.0)
    line = lines_of(capsys.readouterr().out)[0]
    assert line["cost_usd"] is None and line["pricing"] == "unknown"


def test_model_price_is_frozen() -> None:
    price = ModelPrice(1.0, 2.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        price.input = 3.0  # type: ignore[misc]
    assert (price.cache_read, price.cache_write) == (None, None)


def test_catalog_info_has_date_and_source() -> None:
    info = pricing.catalog_info()
    assert info["as_of"] == "2026-09-30"
    assert info["unit"] == "USD per 1M tokens"
    assert "litellm" in info["sources"]["litellm-2026-07-18"]["title"]
    assert all(src["as_of"] <= info["as_of"] for src in info["sources"].values())


def test_catalog_covers_the_models_people_use() -> None:
    missing = [m for m in REQUIRED_MODELS if pricing.resolve_price(m)[1] != "catalog"]
    assert not missing


def test_catalog_prices_are_valid_numbers() -> None:
    for name, price in pricing.catalog().items():
        for value in dataclasses.astuple(price):
            assert value is None or (math.isfinite(value) and value >= 0), name
        assert price.input > 0, name


def test_catalog_file_is_sorted_and_has_no_duplicates() -> None:
    path = Path(pricing.__file__).with_name("prices.json")
    pairs: list[list[str]] = []

    def hook(items: list[tuple[str, Any]]) -> dict[str, Any]:
        pairs.append([k for k, _ in items])
        return dict(items)

    json.loads(path.read_text(), object_pairs_hook=hook)
    for keys in pairs:
        assert len(keys) == len(set(keys))
    data = json.loads(path.read_text())
    for section in ("models", "profiles"):
        assert list(data[section]) == sorted(data[section])


def test_catalog_matches_the_reference_price_map() -> None:
    """Every reference key the catalog prices must cost what the reference says."""
    reference = json.loads(REFERENCE.read_text())
    checked, mismatches = 0, []
    for key, ref in sorted(reference.items()):
        if key.startswith("bedrock/"):
            continue
        price, source = pricing.resolve_price(key)
        if source != "catalog" or price is None:
            continue
        checked += 1
        for field, ref_field in _REF_FIELD.items():
            if field in KNOWN_DIFFERENCES.get(key, ((),))[0]:
                continue
            ours, theirs = getattr(price, field), _per_million(ref[ref_field])
            if not _same(ours, theirs):
                mismatches.append(f"{key}.{field}: catalog {ours} != reference {theirs}")
    assert not mismatches, "\n".join(mismatches)
    assert checked >= 150


def test_catalog_known_differences_are_still_different() -> None:
    """A known difference that the reference fixed should be removed from the list."""
    reference = json.loads(REFERENCE.read_text())
    for key, (fields, _why) in KNOWN_DIFFERENCES.items():
        price, _ = pricing.resolve_price(key)
        assert price is not None
        ref = reference[key]
        differs = [
            f for f in fields if not _same(getattr(price, f), _per_million(ref[_REF_FIELD[f]]))
        ]
        assert differs, key


def test_catalog_regions_match_the_reference_region_keys() -> None:
    """Every per-Region price is the reference's ``bedrock/<region>/<id>`` price."""
    reference = json.loads(REFERENCE.read_text())
    cat = pricing.load_catalog()
    checked = 0
    for region, table in cat.regions.items():
        for model, price in table.items():
            ref = reference[f"bedrock/{region}/{model}"]
            for field, ref_field in _REF_FIELD.items():
                assert _same(getattr(price, field), _per_million(ref[ref_field])), (region, model)
            checked += 1
    assert checked >= 50


def test_overrides_not_strict_returns_what_recording_uses(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    override_prices(monkeypatch, {NOVA: {"input": "cheap"}, "acme.y": {"input": 1, "output": 2}})
    with pytest.raises(pricing.PricingError):
        pricing.overrides()
    table = pricing.overrides(strict=False)
    assert set(table) == {"acme.y"}
    assert table["acme.y"].output == 2
    monkeypatch.setenv("GENAI_MODEL_PRICES", "{not json")
    assert pricing.overrides(strict=False) == {}


# ---- the ids of Bedrock's OpenAI- and Anthropic-compatible APIs -----------------------------


@pytest.mark.parametrize(
    ("mantle_id", "priced_as"),
    sorted(pricing.MANTLE_IDS.items()),
)
def test_pricing_mantle_ids_price_as_the_catalog_id_of_the_same_model(
    mantle_id: str, priced_as: str
) -> None:
    assert priced_as in pricing.catalog(), "a mantle id maps to an id the catalog prices"
    price, source = pricing.resolve_price(mantle_id)
    assert source == "catalog" and price == pricing.catalog()[priced_as]


def test_pricing_mantle_ids_as_cited() -> None:
    """The prices the pinned litellm map gives the bedrock_mantle ids (see MANTLE_IDS)."""
    cited = {
        "openai.gpt-oss-120b": (0.15, 0.60, None),
        "openai.gpt-oss-20b": (0.07, 0.30, None),
        "anthropic.claude-haiku-4-5": (1.00, 5.00, 0.10),
    }
    for model, (input_price, output_price, cache_read) in cited.items():
        price, _ = pricing.resolve_price(model)
        assert price is not None
        assert (price.input, price.output, price.cache_read) == pytest.approx(
            (input_price, output_price, cache_read)
        )


@pytest.mark.parametrize(
    "model",
    [
        "openai.gpt-oss-120b-1:0",  # bedrock-runtime's /openai/v1 (model-parameters-openai)
        "openai.gpt-oss-20b-1:0",
        "anthropic.claude-opus-4-8",  # bedrock-mantle's Messages API names it as the catalog
        "anthropic.claude-sonnet-4-6",
        "openai.gpt-oss-safeguard-120b",
    ],
)
def test_pricing_compatible_api_ids_the_catalog_names_are_priced(model: str) -> None:
    assert pricing.resolve_price(model)[1] == "catalog"


@pytest.mark.parametrize("model", ["openai.gpt-5.5", "gpt-oss-120b", "openai.gpt-oss-120b-2:0"])
def test_pricing_compatible_api_ids_without_a_price_are_unknown(model: str) -> None:
    assert pricing.resolve_price(model) == (None, "unknown")


def test_pricing_an_override_of_the_catalog_id_prices_the_mantle_id(monkeypatch: Any) -> None:
    monkeypatch.setenv(
        pricing.ENV_MODEL_PRICES,
        json.dumps({"openai.gpt-oss-120b-1:0": {"input": 1.0, "output": 2.0}}),
    )
    price, source = pricing.resolve_price("openai.gpt-oss-120b")
    assert source == "override" and price is not None and price.input == 1.0
