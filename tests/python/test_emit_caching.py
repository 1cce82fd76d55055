"""The hot path's caches follow the environment and the binding between two calls."""

from __future__ import annotations

import json

import genai_observability as obs
import pytest
from support import lines_of
from support.emitted import NOVA


def two_calls(capsys: pytest.CaptureFixture[str], between: object) -> tuple[dict, dict]:
    capsys.readouterr()
    obs.record_llm_call(NOVA, 1_000_000, 0, 1.0)
    between()  # type: ignore[operator]
    obs.record_llm_call(NOVA, 1_000_000, 0, 1.0)
    first, second = lines_of(capsys.readouterr().out)
    return first, second


def test_a_changed_model_prices_variable_changes_the_next_price(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GENAI_MODEL_PRICES", json.dumps({NOVA: {"input": 1.0, "output": 1.0}}))
    first, second = two_calls(
        capsys,
        lambda: monkeypatch.setenv(
            "GENAI_MODEL_PRICES", json.dumps({NOVA: {"input": 2.0, "output": 1.0}})
        ),
    )
    assert (first["cost_usd"], second["cost_usd"]) == (1.0, 2.0)
    assert first["pricing"] == second["pricing"] == "override"


def test_removing_the_model_prices_variable_brings_back_the_catalog_price(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GENAI_MODEL_PRICES", json.dumps({NOVA: {"input": 1.0, "output": 1.0}}))
    first, second = two_calls(capsys, lambda: monkeypatch.delenv("GENAI_MODEL_PRICES"))
    assert (first["pricing"], second["pricing"]) == ("override", "catalog")
    assert second["cost_usd"] == 0.035  # Nova Micro input, USD per 1M tokens (catalog)


def test_a_changed_aws_region_changes_the_region_and_the_price_lookup(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    monkeypatch.setenv("GENAI_MODEL_PRICES", json.dumps({NOVA: {"input": 1.0, "output": 1.0}}))
    first, second = two_calls(capsys, lambda: monkeypatch.setenv("AWS_REGION", "eu-west-1"))
    assert (first["region"], second["region"]) == ("us-east-1", "eu-west-1")
    unset, _ = two_calls(capsys, lambda: None)
    monkeypatch.delenv("AWS_REGION")
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    _, gone = two_calls(capsys, lambda: None)
    assert unset["region"] == "eu-west-1" and "region" not in gone


def test_a_changed_service_trace_or_binding_shows_on_the_next_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GENAI_SERVICE", "one")
    monkeypatch.setenv("_X_AMZN_TRACE_ID", "Root=1-aaaa-bbbb;Sampled=1")
    obs.bind_request("req-1")

    def change() -> None:
        monkeypatch.setenv("GENAI_SERVICE", "two")
        monkeypatch.setenv("_X_AMZN_TRACE_ID", "Root=1-cccc-dddd;Sampled=1")
        obs.bind_request("req-2", tenant="acme")

    try:
        first, second = two_calls(capsys, change)
    finally:
        obs.bind_request(None)
    assert (first["service"], second["service"]) == ("one", "two")
    assert (first["trace_id"], second["trace_id"]) == ("1-aaaa-bbbb", "1-cccc-dddd")
    assert (first["request_id"], second["request_id"]) == ("req-1", "req-2")
    assert "tenant" not in first and second["tenant"] == "acme"
