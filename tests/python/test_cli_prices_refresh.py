"""``genai-obs prices refresh``, ``prices --check`` and ``prices MODEL`` against Stubber answers
shaped like real Price List Query API ``GetProducts`` responses (PriceList JSON strings)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from genai_observability import pricing
from genai_observability.cli import _pricelist
from genai_observability.cli._errors import CLIError
from genai_observability.cli.commands import prices as _prices
from support import pricelist as pl
from support.cli import run_command

SONNET_45 = "anthropic.claude-sonnet-4-5-20250929-v1:0"
HAIKU_45 = "anthropic.claude-haiku-4-5-20251001-v1:0"
NOVA_PRO = "amazon.nova-pro-v1:0"
NOVA_MICRO = "amazon.nova-micro-v1:0"
M = 1_000_000


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("GENAI_PRICE_CATALOG", "GENAI_MODEL_PRICES", "GENAI_APPLICATION_PROFILES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setattr(_prices, "_today", lambda: dt.date(2026, 12, 1))
    yield


def _client(pages: list[tuple[dict[str, Any], dict[str, Any]]]) -> tuple[Any, Stubber]:
    client = boto3.client("pricing", region_name="us-east-1")
    stub = Stubber(client)
    for params, response in pages:
        stub.add_response("get_products", response, params)
    stub.activate()
    return client, stub


def _sample_pages() -> list[tuple[dict[str, Any], dict[str, Any]]]:
    fm, bedrock = pl.sample()
    return [
        # Two pages for the marketplace service code: NextToken is followed.
        (pl.request("AmazonBedrock"), pl.answer(bedrock)),
        (pl.request("AmazonBedrockFoundationModels"), pl.answer(fm[:8], "page-2")),
        (pl.request("AmazonBedrockFoundationModels", token="page-2"), pl.answer(fm[8:])),
    ]


def _run(argv: list[str], client: Any = None, monkeypatch: Any = None) -> tuple[int, str, str]:
    if client is not None:
        monkeypatch.setattr(_prices, "make_pricing_client", lambda region, profile: client)
    return run_command(argv)


# --- parsing the Price List -------------------------------------------------------------


@pytest.mark.parametrize(
    ("usagetype", "expected"),
    [
        ("USE1-MP:USE1_InputTokenCount-Units", ("input", "regional", "", "")),
        ("USE1-MP:USE1_OutputTokenCount_Global-Units", ("output", "global", "", "")),
        ("USW2-MP:USW2_input_tokens_global_standard-Units", ("input", "global", "", "")),
        ("USW2-MP:USW2_cache_read_tokens_standard-Units", ("cache_read", "regional", "", "")),
        ("USW2-MP:USW2_CacheWriteInputTokenCount-Units", ("cache_write", "regional", "", "")),
        ("USW2-MP:USW2_CacheWrite1hInputTokenCount-Units", ("cache_write_1h", "regional", "", "")),
        (
            "USW2-MP:USW2_cache_write_tokens_1h_global_standard-Units",
            ("cache_write_1h", "global", "", ""),
        ),
        ("USE1-NovaPro-input-tokens-priority", ("input", "regional", "priority", "")),
        ("USE1-NovaPro-output-tokens-flex", ("output", "regional", "flex", "")),
        ("USE2-NovaPro-input-tokens-latency-optimized", ("input", "regional", "", "optimized")),
        ("USW2-MP:USW2_InputTokenCount_Batch-Units", None),
        ("USW2-MP:USW2_ProvisionedThroughput_1MonthCommit_ModelUnits_Usage-Units", None),
        ("USW2-MP:USW2_input_tokens_long_ctx_standard-Units", None),
        ("USW2-MP:USW2_cache_write_tokens_30m_standard-Units", None),
        # Names as public projects that read the Price List quote them (2026-07 to 2026-09):
        # Amazon Nova 2 Lite's own usage types, their -flex variants, the Marketplace tier and
        # latency names, and the legacy long-context (LCtx) Claude names, which must not be
        # read as the standard price.
        ("USE1-Nova2.0Lite-input-tokens", ("input", "regional", "", "")),
        ("USE1-Nova2.0Lite-cache-read-input-token-count", ("cache_read", "regional", "", "")),
        ("USE1-Nova2.0Lite-cache-write-input-token-count", ("cache_write", "regional", "", "")),
        (
            "USW2-Nova2.0Lite-cache-write-input-token-count-flex",
            ("cache_write", "regional", "flex", ""),
        ),
        (
            "USW2-moonshotai.kimi-k3-mantle-input-tokens-global-flex",
            ("input", "global", "flex", ""),
        ),
        ("APN1-MP:APN1_input_tokens_priority-Units", ("input", "regional", "priority", "")),
        (
            "USW2-MP:USW2_OutputTokenCount_LatencyOptimized-Units",
            ("output", "regional", "", "optimized"),
        ),
        ("USE1-MP:USE1_InputTokenCount_LCtx-Units", None),
        ("USE1-MP:USE1_CacheReadInputTokenCount_LCtx-Units", None),
        ("APN2-MP:APN2_CacheWrite1hInputTokenCount_LCtx_Global-Units", None),
        ("USW2-MP:USW2_cache_write_tokens_30m_priority-Units", None),
        ("APN2-MP:APN2_Reserved_1Month_InputTPM_Global-Units", None),
    ],
)
def test_classify_reads_both_usage_type_namings(
    usagetype: str, expected: tuple[str, ...] | None
) -> None:
    assert _pricelist.classify(usagetype) == expected


@pytest.mark.parametrize(
    ("name", "model"),
    [
        ("Claude Haiku 4.5 (Amazon Bedrock Edition)", HAIKU_45),
        ("Claude 3.5 Sonnet v2", "anthropic.claude-3-5-sonnet-20241022-v2:0"),
        ("Claude 3.5 Sonnet", "anthropic.claude-3-5-sonnet-20240620-v1:0"),
        ("Nova Micro", NOVA_MICRO),
        ("Llama 3.1 70B Instruct", "meta.llama3-1-70b-instruct-v1:0"),
        ("gpt-oss-120b", "openai.gpt-oss-120b-1:0"),
        ("Acme Turbo 9", None),
    ],
)
def test_price_list_names_match_catalog_ids(name: str, model: str | None) -> None:
    index = _pricelist.name_index(pricing.catalog())
    assert _pricelist.match_model(name, index) == model


def test_parse_product_reads_per_1k_prices_as_per_1m() -> None:
    index = _pricelist.name_index(pricing.catalog())
    item = pl.first_party("us-east-1", "Nova Micro", "input-tokens", "0.000035", "Input tokens")
    facts, unmatched, published = _pricelist.parse_product(item, index)
    assert unmatched is None and published == pl.PUBLISHED
    assert [(f.model, f.field, f.price) for f in facts] == [(NOVA_MICRO, "input", 0.035)]


# --- refresh ------------------------------------------------------------------------------


def test_refresh_writes_a_catalog_the_payload_uses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, stub = _client(_sample_pages())
    out_path = tmp_path / "prices.json"
    code, _out, err = _run(["prices", "refresh", "--out", str(out_path)], client, monkeypatch)
    stub.assert_no_pending_responses()
    assert code == 0, err
    document = json.loads(out_path.read_text())
    assert document["as_of"] == "2026-12-01"
    source = document["sources"]["price-list-2026-12-01"]
    assert pl.PUBLISHED in source["title"] and source["as_of"] == "2026-12-01"
    # Endpoint kinds of Claude 4.5: regional (in-region id) and global.
    assert document["models"][SONNET_45]["input"] == 3.6
    assert document["profiles"]["global." + SONNET_45]["input"] == 3.0
    assert document["cache_write_1h"][HAIKU_45] == {"price": 2.2, "source": "price-list-2026-12-01"}
    assert document["cache_write_1h"]["global." + HAIKU_45]["price"] == 2.0
    # Tiers, latency-optimized and Regions, all converted from per 1K to per 1M.
    assert document["tiers"]["priority"][NOVA_PRO]["input"] == 1.4
    assert document["tiers"]["flex"][NOVA_PRO]["output"] == 1.6
    assert document["latency_optimized"][NOVA_PRO]["regions"] == ["us-east-2"]
    assert document["regions"]["eu-west-1"][NOVA_MICRO]["input"] == 0.046
    # The bundled entries the Price List does not cover are kept.
    assert document["models"]["meta.llama3-8b-instruct-v1:0"]["input"] == 0.3

    # The payload reads the file when GENAI_PRICE_CATALOG names it.
    monkeypatch.setenv("GENAI_PRICE_CATALOG", str(out_path))
    assert pricing.cost_usd(SONNET_45, M, M) == 21.6
    assert pricing.cost_usd(NOVA_PRO, M, M, service_tier="priority") == 7.0
    assert pricing.cost_usd(NOVA_PRO, M, M, service_tier="flex") == 2.0
    assert pricing.cost_usd(NOVA_PRO, M, M, latency_mode="optimized", region="us-east-2") == 5.0
    assert pricing.cost_usd(NOVA_PRO, M, M, latency_mode="optimized", region="us-west-2") is None
    assert pricing.cost_usd(NOVA_MICRO, M, M, region="eu-west-1") == 0.23


def test_refresh_prints_what_changed_and_what_it_could_not_match(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, _ = _client(_sample_pages())
    code, out, err = _run(
        ["prices", "refresh", "--out", str(tmp_path / "p.json")], client, monkeypatch
    )
    assert code == 0
    assert f"changed models {SONNET_45} input: 3.3 -> 3.6" in out
    assert f"changed models {SONNET_45} output: 16.5 -> 18" in out
    assert f"added   tiers/priority {NOVA_PRO} input: 1.4" in out
    assert "Acme Turbo 9 (1)" in err
    assert "wrote " in out and "as_of 2026-12-01" in out


def test_refresh_replace_keeps_only_the_price_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, _ = _client(_sample_pages())
    path = tmp_path / "p.json"
    code, _, _ = _run(["prices", "refresh", "--replace", "--out", str(path)], client, monkeypatch)
    assert code == 0
    document = json.loads(path.read_text())
    assert "meta.llama3-8b-instruct-v1:0" not in document["models"]
    assert set(document["sources"]) == {"price-list-2026-12-01"}
    pricing.load_catalog(path)  # a valid catalog on its own


def test_refresh_filters_by_region(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, bedrock = pl.sample()
    east = [b for b in bedrock if '"regionCode": "us-east-1"' in b]
    client, stub = _client(
        [
            (pl.request("AmazonBedrock", "us-east-1"), pl.answer(east)),
            (pl.request("AmazonBedrockFoundationModels", "us-east-1"), pl.answer([])),
        ]
    )
    path = tmp_path / "p.json"
    argv = ["prices", "refresh", "--regions", "us-east-1", "--out", str(path)]
    code, _, err = _run(argv, client, monkeypatch)
    stub.assert_no_pending_responses()
    assert code == 0, err
    document = json.loads(path.read_text())
    # Only us-east-1 was read: Nova Micro's eu-west-1 price is the bundled one, not a new one.
    assert document["source_of"]["models"][NOVA_MICRO] == "price-list-2026-12-01"
    assert NOVA_MICRO not in document["regions"]["eu-west-1"]


def test_refresh_with_no_prices_fails_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, _ = _client(
        [
            (pl.request("AmazonBedrock"), pl.answer([])),
            (pl.request("AmazonBedrockFoundationModels"), pl.answer([])),
        ]
    )
    code, out, err = _run(
        ["prices", "refresh", "--out", str(tmp_path / "p.json")], client, monkeypatch
    )
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "no Bedrock token prices" in err
    assert not (tmp_path / "p.json").exists()


def test_refresh_aws_error_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    client = boto3.client("pricing", region_name="us-east-1")
    stub = Stubber(client)
    stub.add_client_error("get_products", "AccessDeniedException", "not authorized to pricing")
    stub.activate()
    code, _, err = _run(
        ["prices", "refresh", "--out", str(tmp_path / "p.json")], client, monkeypatch
    )
    assert code == 1
    assert err.count("\n") == 1 and "GetProducts" in err and "Traceback" not in err


def test_refresh_out_is_a_directory_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, _ = _client(_sample_pages())
    code, _, err = _run(["prices", "refresh", "--out", str(tmp_path)], client, monkeypatch)
    assert code == 2 and "is a directory" in err


def test_pricing_client_region_must_be_a_price_list_endpoint() -> None:
    with pytest.raises(CLIError, match="answers in us-east-1"):
        _prices.make_pricing_client("eu-west-1", None)


# --- --check ------------------------------------------------------------------------------


def _catalog_file(tmp_path: Path, as_of: str, **model_changes: float) -> Path:
    document = json.loads(Path(pricing.__file__).with_name("prices.json").read_text())
    document["as_of"] = as_of
    for field, value in model_changes.items():
        document["models"][SONNET_45][field] = value
    path = tmp_path / "in-use.json"
    path.write_text(json.dumps(document))
    return path


def test_check_fails_on_an_old_catalog_without_fetching(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GENAI_PRICE_CATALOG", str(_catalog_file(tmp_path, "2026-10-01")))
    code, _, err = _run(["prices", "--check", "--max-age", "30", "--no-fetch"])
    assert code == 1 and "61 days old" in err and "older than --max-age 30" in err
    code, out, _ = _run(["prices", "--check", "--max-age", "90", "--no-fetch"])
    assert code == 0 and "61 days old (limit 90)" in out


def test_check_fails_when_the_catalog_disagrees_with_the_price_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The fresh Price List says Sonnet 4.5 in-region input is 3.60; the catalog says 3.30.
    monkeypatch.setenv("GENAI_PRICE_CATALOG", str(_catalog_file(tmp_path, "2026-11-30")))
    client, _ = _client(_sample_pages())
    code, _, err = _run(["prices", "--check"], client, monkeypatch)
    assert code == 1
    assert f"models {SONNET_45} input: 3.3 here, 3.6 now" in err


def test_check_passes_when_the_catalog_agrees(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _catalog_file(tmp_path, "2026-11-30", input=3.6, output=18.0)
    monkeypatch.setenv("GENAI_PRICE_CATALOG", str(path))
    client, _ = _client(_sample_pages())
    code, out, err = _run(["prices", "--check"], client, monkeypatch)
    assert code == 0, err
    assert "agrees with the Price List" in out


def test_check_a_broken_catalog_in_use_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    monkeypatch.setenv("GENAI_PRICE_CATALOG", str(bad))
    code, _, err = _run(["prices", "--check", "--no-fetch"])
    assert code == 1 and "not valid JSON" in err and err.count("\n") == 1


# --- prices MODEL -------------------------------------------------------------------------


def test_prices_model_shows_each_endpoint_kind_tier_and_region() -> None:
    code, out, _ = _run(["prices", SONNET_45, "--format", "json"])
    assert code == 0
    rows = json.loads(out)["rows"]
    by = {(r["id"], r["region"]): r for r in rows}
    assert by[("global." + SONNET_45, "*")]["input_usd"] == 3.0
    assert by[(SONNET_45, "*")]["input_usd"] == pytest.approx(3.3)
    assert by[(SONNET_45, "*")]["cache_write_1h_usd"] == pytest.approx(6.6)
    assert by[(SONNET_45, "us-gov-west-1")]["input_usd"] == 3.6
    assert {r["endpoint"] for r in rows} == {"global", "geographic", "in-region"}


def test_prices_model_table_says_what_is_unknown() -> None:
    code, out, _ = _run(["prices", NOVA_PRO])
    assert code == 0
    assert "not listed is unknown" in out and "Region * is every Region" in out
    assert "optimized" in out and "us-east-2" in out


def test_prices_model_table_shows_each_price_exactly() -> None:
    # A unit price is not an amount: 1.375 must not be shown rounded to $1.38.
    code, out, _ = _run(["prices", "us.amazon.nova-2-lite-v1:0"])
    assert code == 0
    flex = next(line for line in out.splitlines() if " flex " in line and "us.amazon" in line)
    assert "$0.165" in flex and "$1.375" in flex and "$0.04125" in flex and "$0.00" in flex


def test_prices_unknown_model_exits_1() -> None:
    code, _, err = _run(["prices", "acme.nothing-v1"])
    assert code == 1 and "no price for acme.nothing-v1" in err


def test_prices_check_with_a_model_is_a_usage_error() -> None:
    code, _, err = _run(["prices", NOVA_PRO, "--check"])
    assert code == 2 and "takes no MODEL" in err


# --- shipping a refreshed catalog -----------------------------------------------------------


def test_package_ships_a_refreshed_catalog(tmp_path: Path) -> None:
    import zipfile

    from genai_observability import package

    document = json.loads(Path(pricing.__file__).with_name("prices.json").read_text())
    document["models"][NOVA_MICRO]["input"] = 0.04
    catalog = tmp_path / "prices.json"
    catalog.write_text(json.dumps(document))
    built = package.build("function", tmp_path / "fn.zip", price_catalog=catalog)
    with zipfile.ZipFile(built.path) as zf:
        shipped = json.loads(zf.read("genai_observability/prices.json"))
    assert shipped["models"][NOVA_MICRO]["input"] == 0.04
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    with pytest.raises(package.PackageError, match="--price-catalog"):
        package.build("function", tmp_path / "x.zip", price_catalog=bad)
    assert not (tmp_path / "x.zip").exists()


def test_refresh_writes_the_terraform_modules_prices_from_the_new_catalog(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from genai_observability import pricing_terraform

    client, stub = _client(_sample_pages())
    module = tmp_path / "observability"
    module.mkdir()
    out_path = tmp_path / "prices.json"
    argv = ["prices", "refresh", "--out", str(out_path), "--terraform-module", str(module)]
    code, out, err = _run(argv, client, monkeypatch)
    stub.assert_no_pending_responses()
    assert code == 0, err
    written = (module / pricing_terraform.MODULE_PRICES_FILE).read_text()
    # The module's file is the refreshed catalog's, not the bundled one's.
    refreshed = pricing.parse_catalog(json.loads(out_path.read_text()), str(out_path))
    assert written == pricing_terraform.render_module_prices(refreshed)
    assert json.loads(written)["prices"][SONNET_45]["input"] == 3.6
    assert written != pricing_terraform.render_module_prices()
    assert str(module) in out


def test_refresh_terraform_module_must_be_a_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, _stub = _client(_sample_pages())
    argv = ["prices", "refresh", "--out", str(tmp_path / "p.json")]
    argv += ["--terraform-module", str(tmp_path / "missing")]
    code, _out, err = _run(argv, client, monkeypatch)
    assert not (tmp_path / "p.json").exists()  # refused before anything is read or written
    assert code == 2
    assert err.count("\n") == 1 and "--terraform-module" in err
