"""``genai-obs prices``: the catalog, the overrides and one model's price."""

from __future__ import annotations

import json

import pytest
from genai_observability.cli import main


def test_main_prices_shows_a_catalog_price(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("GENAI_MODEL_PRICES", raising=False)
    assert main(["prices", "us.amazon.nova-micro-v1:0", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == [
        {
            "model": "us.amazon.nova-micro-v1:0",
            "source": "catalog",
            "input_usd": 0.035,
            "output_usd": 0.14,
            "cache_read_usd": None,
            "cache_write_usd": None,
        }
    ]


def test_main_prices_override_wins(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(
        "GENAI_MODEL_PRICES", json.dumps({"amazon.nova-micro-v1:0": {"input": 1, "output": 2}})
    )
    assert main(["prices", "amazon.nova-micro-v1:0"]) == 0
    assert capsys.readouterr().out == (
        "Prices in USD per 1M tokens; - is unknown.\n"
        "\n"
        "model                   source    input_usd  output_usd  cache_read_usd  cache_write_usd\n"
        "----------------------  --------  ---------  ----------  --------------  ---------------\n"
        "amazon.nova-micro-v1:0  override      $1.00       $2.00  -               -\n"
    )


def test_main_prices_unknown_model_exits_1(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("GENAI_MODEL_PRICES", raising=False)
    assert main(["prices", "acme.mystery-v1", "--format", "csv"]) == 1
    out, err = capsys.readouterr()
    assert out.splitlines()[1] == "acme.mystery-v1,unknown,,,,"
    assert "no price for acme.mystery-v1" in err


def test_main_prices_lists_catalog_and_overrides(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(
        "GENAI_MODEL_PRICES", json.dumps({"acme.mystery-v1": {"input": 0.5, "output": 1.5}})
    )
    assert main(["prices", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["overrides"] == 1
    assert document["as_of"]
    rows = {row["model"]: row for row in document["rows"]}
    assert rows["acme.mystery-v1"]["source"] == "override"
    assert rows["amazon.nova-micro-v1:0"]["source"] == "catalog"
    assert len(rows) > 20


def test_main_prices_bad_overrides_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GENAI_MODEL_PRICES", "{not json")
    assert main(["prices"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("genai-obs: error: ")
    assert "GENAI_MODEL_PRICES" in err
    assert err.count("\n") == 1


def test_main_prices_partly_bad_overrides_show_what_the_payload_uses(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(
        "GENAI_MODEL_PRICES",
        json.dumps(
            {
                "amazon.nova-micro-v1:0": {"input": "cheap"},
                "acme.mystery-v1": {"input": 0.5, "output": 1.5},
            }
        ),
    )
    assert main(["prices", "--format", "json"]) == 1
    captured = capsys.readouterr()
    rows = {row["model"]: row for row in json.loads(captured.out)["rows"]}
    assert rows["acme.mystery-v1"]["source"] == "override"
    assert rows["amazon.nova-micro-v1:0"]["source"] == "catalog"
    assert captured.err.startswith("genai-obs: error: ")
    assert captured.err.count("\n") == 1
