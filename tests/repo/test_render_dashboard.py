"""scripts/render_dashboard.py draws a dashboard body as a grid of cards, deterministically."""

from __future__ import annotations

import copy
import io
import json
import shutil
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
import render_dashboard as rd
from genai_observability import cost_usd
from support import dashboard_day

SVG = "{http://www.w3.org/2000/svg}"
TRICKY = "Cost & tokens <by model> \"p99\" 'ms'"

BODY: dict[str, Any] = {
    "widgets": [
        {
            "type": "text",
            "x": 0,
            "y": 0,
            "width": 24,
            "height": 2,
            "properties": {"markdown": "# Deck <one>\nService `svc` & friends."},
        },
        {
            "type": "metric",
            "x": 0,
            "y": 2,
            "width": 12,
            "height": 6,
            "properties": {
                "title": TRICKY,
                "view": "timeSeries",
                "stacked": False,
                "metrics": [
                    [
                        {
                            "expression": "SEARCH('{GenAI,Model,Service} MetricName=\"LatencyMs\"'"
                            ", 'p99', 300)",
                            "id": "p99",
                            "label": "p99 ${PROP('Dim.Model')}",
                        }
                    ],
                    ["GenAI", "Errors", "Service", "svc", {"label": "Errors", "color": "#d62728"}],
                ],
            },
        },
        {
            "type": "metric",
            "x": 12,
            "y": 2,
            "width": 6,
            "height": 6,
            "properties": {
                "title": "Cost today (USD)",
                "view": "singleValue",
                "metrics": [["GenAI", "CostUSD", "Service", "svc", {"label": "Cost (USD)"}]],
            },
        },
        {
            "type": "log",
            "x": 18,
            "y": 2,
            "width": 6,
            "height": 6,
            "properties": {
                "title": "Spend by model",
                "query": "SOURCE '/aws/lambda/a' | filter event = \"llm_call\" | stats "
                "sum(cost_usd) as total_cost_usd, count(*) as calls by model",
            },
        },
        {
            "type": "alarm",
            "x": 0,
            "y": 8,
            "width": 24,
            "height": 3,
            "properties": {
                "title": "Alarms",
                "alarms": ["arn:aws:cloudwatch:us-east-1:123456789012:alarm:deck-daily-cost"],
            },
        },
    ]
}


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def _cards(root: ET.Element) -> list[ET.Element]:
    return [r for r in root.iter(f"{SVG}rect") if r.get("class") == "card"]


def _titles(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text") if t.get("class") == "title"]


def _texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def test_one_card_per_widget_at_its_grid_position() -> None:
    root = _parse(rd.render(BODY))
    cards = _cards(root)
    assert len(cards) == len(BODY["widgets"])
    for card, widget in zip(cards, BODY["widgets"], strict=True):
        box = tuple(int(card.get(k, "-1")) for k in ("x", "y", "width", "height"))
        assert box == (
            rd.MARGIN + widget["x"] * rd.COL_W,
            rd.MARGIN + widget["y"] * rd.ROW_H,
            widget["width"] * rd.COL_W - rd.GUTTER,
            widget["height"] * rd.ROW_H - rd.GUTTER,
        )
    # The log widget at x=18, y=2 in plain numbers (16 + 18 * 48, 16 + 2 * 32).
    assert (cards[3].get("x"), cards[3].get("y")) == ("880", "80")
    # The whole picture is about 1200 px wide and holds every card.
    assert int(root.get("width", "0")) == 2 * rd.MARGIN + 24 * rd.COL_W - rd.GUTTER
    assert int(root.get("height", "0")) == rd.MARGIN + 11 * rd.ROW_H - rd.GUTTER + rd.MARGIN


def test_header_bar_moves_the_grid_down() -> None:
    root = _parse(rd.render(BODY, name="genai-deck"))
    assert _cards(root)[0].get("y") == str(rd.MARGIN + rd.HEADER_H)
    assert "genai-deck" in _texts(root)


def test_titles_are_present_and_escaped() -> None:
    svg = rd.render(BODY)
    root = _parse(svg)
    assert _titles(root) == ["Deck <one>", TRICKY, "Cost today (USD)", "Spend by model", "Alarms"]
    assert "Cost &amp; tokens &lt;by model&gt; &quot;p99&quot; &#39;ms&#39;" in svg
    assert TRICKY not in svg
    assert "Service svc &amp; friends." in svg  # markdown body as plain text


def test_widget_bodies_follow_their_kind() -> None:
    root = _parse(rd.render(BODY))
    texts = _texts(root)
    # Time series: one polyline per series; legend names the SEARCH metric and the label.
    series = root.findall(f".//{SVG}g[@data-type='metric']/{SVG}polyline")
    assert len(series) == 2
    assert "p99 LatencyMs per Model" in texts and "Errors" in texts
    assert "#d62728" in {p.get("stroke") for p in series}
    # Single value: a dollar placeholder.
    assert any(t.startswith("$") and t[1:].replace(".", "").isdigit() for t in texts)
    # Logs Insights table: stats aliases and the by group as columns.
    for column in ("model", "total_cost_usd", "calls"):
        assert column in texts
    # Alarm status: the alarm name from its ARN with an OK badge.
    assert "deck-daily-cost" in texts and "OK" in texts


def test_log_columns_from_fields_stats_and_display() -> None:
    assert rd.log_columns("fields @timestamp, cost_usd as usd | sort usd desc") == [
        "@timestamp",
        "usd",
    ]
    assert rd.log_columns("fields a | stats count(*) as n, pct(x, 99) as p99 by model") == [
        "model",
        "n",
        "p99",
    ]
    assert rd.log_columns("filter msg = 'a | b' | fields a, b | display b") == ["b"]


def test_output_is_deterministic() -> None:
    first = rd.render(copy.deepcopy(BODY))
    second = rd.render(json.dumps(BODY))
    assert first == second
    other = copy.deepcopy(BODY)
    other["widgets"][1]["properties"]["title"] = "Another title"
    assert rd.render(other) != first  # lines are seeded from the title


@pytest.mark.parametrize("missing", ["x", "y"])
def test_widget_without_position_is_rejected(missing: str) -> None:
    body = copy.deepcopy(BODY)
    del body["widgets"][2][missing]
    with pytest.raises(ValueError, match=rf"widget 2 .*Cost today.*'{missing}'"):
        rd.render(body)


def test_widget_past_the_grid_is_rejected() -> None:
    body = copy.deepcopy(BODY)
    body["widgets"][2]["x"] = 20
    with pytest.raises(ValueError, match="past 24"):
        rd.render(body)


def test_cli_reads_a_file_or_stdin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "body.json"
    source.write_text(json.dumps(BODY), encoding="utf-8")
    out = tmp_path / "out.svg"
    assert rd.main([str(source), "-o", str(out)]) == 0
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(BODY)))
    assert rd.main(["-"]) == 0
    assert capsys.readouterr().out == out.read_text(encoding="utf-8") == rd.render(BODY)


def test_percentile_series_are_drawn_in_percentile_order() -> None:
    def search(stat: str) -> list[dict[str, str]]:
        expression = f"SEARCH('{{GenAI,Model,Service}} MetricName=\"LatencyMs\"', '{stat}', 300)"
        return [{"expression": expression, "id": stat, "label": f"{stat} model"}]

    widget = {
        "type": "metric",
        "x": 0,
        "y": 0,
        "width": 12,
        "height": 6,
        "properties": {
            "title": "Latency",
            "view": "timeSeries",
            "metrics": [search("p99"), search("p50"), search("p90")],
        },
    }
    root = _parse(rd.render({"widgets": [widget]}))
    lines = root.findall(f".//{SVG}g[@data-type='metric']/{SVG}polyline")
    heights = []
    for line in lines:  # SVG y grows downwards: a higher value has a smaller y
        ys = [float(point.split(",")[1]) for point in (line.get("points") or "").split()]
        heights.append(-sum(ys) / len(ys))
    p99, p50, p90 = heights
    assert p50 < p90 < p99


# --------------------------------------------------------------------------- the picture


@pytest.fixture(scope="module")
def day() -> tuple[Any, list[str], list[dict[str, Any]]]:
    """The real body (the module applied against its mocks), the day's lines, the widgets."""
    if shutil.which("terraform") is None:
        pytest.skip("terraform is not installed")
    deck = dashboard_day.plan_deck()
    lines = dashboard_day.simulate_lines()
    return deck, lines, dashboard_day.widget_data(deck, lines)


def _widget(deck: Any, data: list[dict[str, Any]], title: str) -> tuple[dict[str, Any], Any]:
    for widget, shown in zip(deck.body["widgets"], data, strict=True):
        if widget["properties"].get("title", "").startswith(title):
            return widget, shown
    raise AssertionError(f"no widget titled {title!r}")


def _last(series: dict[int, float]) -> float:
    return series[max(series)]


def test_committed_picture_is_what_the_script_draws_now(day: tuple[Any, Any, Any]) -> None:
    deck, _, data = day
    drawn = rd.render(deck.body, name=dashboard_day.DECK, shown=data)
    committed = (Path(rd.__file__).resolve().parents[1] / "docs" / "dashboard.svg").read_text(
        encoding="utf-8"
    )
    assert committed == drawn, (
        "redraw it: PYTHONPATH=lambda:scripts:tests python -m support.dashboard_day"
    )


def test_picture_draws_every_widget_of_the_body(day: tuple[Any, Any, Any]) -> None:
    deck, _, data = day
    widgets = deck.body["widgets"]
    root = _parse(rd.render(deck.body, name=dashboard_day.DECK, shown=data))
    groups = [g for g in root.iter(f"{SVG}g") if g.get("class") == "widget"]
    assert len(groups) == len(_cards(root)) == len(widgets) == 27
    top = rd.MARGIN + rd.HEADER_H
    for group, widget in zip(groups, widgets, strict=True):
        card = next(r for r in group.iter(f"{SVG}rect") if r.get("class") == "card")
        box = tuple(int(card.get(k, "-1")) for k in ("x", "y", "width", "height"))
        assert box == rd.card_box(widget, top=top)
        title = next(t.text or "" for t in group.iter(f"{SVG}text") if t.get("class") == "title")
        assert rd.widget_title(widget).startswith(title.rstrip("\u2026")), title
        # Every widget but the text draws values: numbers, lines, rows or alarm states.
        drawn = [e for e in group if e.get("class") not in ("card", "title")]
        assert drawn, rd.widget_title(widget)
    assert all(shown for w, shown in zip(widgets, data, strict=True) if w["type"] != "text")


def test_picture_numbers_agree(day: tuple[Any, Any, Any]) -> None:
    deck, lines, data = day
    line_cost = sum(json.loads(line)["cost_usd"] or 0 for line in lines)
    spent_widget, spent = _widget(deck, data, "Spent today")
    assert spent_widget["y"] == 0
    spent_today = _last(spent["series"][0][2])
    left = _last(spent["series"][1][2])
    by_model_widget, by_model = _widget(deck, data, "Cost by model")
    assert by_model_widget["y"] == 0
    models = {label: sum(points.values()) for label, _, points in by_model["series"]}
    assert set(models) == set(dashboard_day.MODELS)
    assert spent_today == pytest.approx(line_cost) == pytest.approx(sum(models.values()))
    assert spent_today + left == pytest.approx(dashboard_day.BUDGET_USD)
    _, account = _widget(deck, data, "Account vs deck")
    totals = {label: _last(points) for label, _, points in account["series"]}
    account_total = totals["Bedrock spend, whole account, this Region (USD)"]
    deck_total = next(v for k, v in totals.items() if k.startswith("Deck"))
    assert deck_total == pytest.approx(line_cost)
    untracked = sum(
        cost_usd(c["model"], c["input_tokens"], c["output_tokens"]) or 0
        for c in dashboard_day.untracked_calls()
    )
    assert totals["Untracked spend (USD)"] == pytest.approx(account_total - deck_total)
    assert totals["Untracked spend (USD)"] == pytest.approx(untracked)
    assert untracked > 0
    alarm_widget, alarms = _widget(deck, data, "Alarms")
    assert len(alarm_widget["properties"]["alarms"]) == len(alarms["states"]) == 6
    assert spent_today <= dashboard_day.BUDGET_USD
    assert alarms["states"][f"{dashboard_day.DECK}-daily-cost"] == "OK"
    assert set(alarms["states"].values()) == {"OK"}  # a quiet day: 1.5% errors, p99 < 8 s
