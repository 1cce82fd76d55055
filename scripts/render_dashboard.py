"""Render a CloudWatch dashboard body (JSON) as a schematic SVG picture of the console.

The picture follows the body exactly: CloudWatch's 24-column grid, each widget at its
x / y / width / height, its title, and a drawing by widget kind (lines for time series, a
big number for single values, slices for pies, a table for Logs Insights widgets with the
query's column names, alarm names with status badges, markdown text).

The values come from ``shown`` when given: one entry per widget with what it displays
(tests/support/dashboard_day.py computes them for docs/dashboard.svg from a simulated day
of lines passed through the deck's own evaluators, so every number agrees with the others).
Without it the numbers and lines are placeholders seeded from each widget's title (for a
body read from a live or emulated account, as ``make demo`` does); the same input always
gives the same bytes.

Usage::

    python scripts/render_dashboard.py BODY.json -o out.svg
    # the README's picture, from a simulated day (see tests/support/dashboard_day.py):
    PYTHONPATH=lambda:scripts:tests python -m support.dashboard_day -o docs/dashboard.svg
    terraform output -raw dashboard_body | python scripts/render_dashboard.py - -o out.svg

Standard library only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = [
    "COLUMNS",
    "COL_W",
    "GUTTER",
    "HEADER_H",
    "MARGIN",
    "ROW_H",
    "card_box",
    "format_value",
    "log_columns",
    "metric_series",
    "render",
    "widget_title",
]

COLUMNS = 24  # CloudWatch dashboards are 24 grid columns wide.
COL_W = 48  # px per grid column: 24 columns + margins is about 1200 px.
ROW_H = 32  # px per grid row.
GUTTER = 8  # px between neighbouring cards.
MARGIN = 16  # px around the grid.
HEADER_H = 48  # px of the optional dashboard header bar (name and time range).

DEFAULT_WIDTH = 6  # CloudWatch's defaults when a widget has no width / height.
DEFAULT_HEIGHT = 6

FONT = "'Amazon Ember', 'Helvetica Neue', Roboto, Arial, 'DejaVu Sans', sans-serif"
BACKGROUND = "#f2f3f3"
CARD_BORDER = "#d5dbdb"
TEXT = "#16191f"
MUTED = "#5f6b7a"
GRID = "#e9ebed"
OK_GREEN = "#037f0c"
# CloudWatch's default series colours, in order.
PALETTE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)

# Average glyph advance as a share of the font size (sans-serif; generous on purpose, so
# estimated text never runs out of its card with a wider fallback font).
CHAR_W = 0.56
CHAR_W_BOLD = 0.62

_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SEARCH_METRIC = re.compile(r"MetricName\s*=\s*\\?[\"']?([A-Za-z0-9_.\-/:#]+)")
_PROP = re.compile(r"\$\{PROP\('Dim\.([^']+)'\)\}")
_ANY_PLACEHOLDER = re.compile(r"\$\{[^}]*\}")


# --------------------------------------------------------------------------- helpers


def _esc(text: object) -> str:
    """Escape text for XML content and double-quoted attributes."""
    value = _INVALID_XML.sub("", str(text))
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


def _num(value: float) -> str:
    """Format a coordinate compactly and deterministically."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _text_width(text: str, size: float, bold: bool = False) -> float:
    return len(text) * size * (CHAR_W_BOLD if bold else CHAR_W)


def _fit(text: str, width: float, size: float, bold: bool = False) -> str:
    """Cut text with an ellipsis so that it fits width px at font size."""
    per_char = size * (CHAR_W_BOLD if bold else CHAR_W)
    room = max(int(width // per_char), 1)
    if len(text) <= room:
        return text
    return text[: max(room - 1, 0)].rstrip() + "\u2026"


def _wrap(text: str, width: float, size: float) -> list[str]:
    """Greedy word wrap to width px at font size."""
    room = max(int(width // (size * CHAR_W)), 1)
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= room:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word if len(word) <= room else _fit(word, width, size)
    if current:
        lines.append(current)
    return lines


def _rng(*parts: object) -> random.Random:
    """A random generator seeded from the parts (stable across runs and platforms)."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _text(
    x: float,
    y: float,
    content: str,
    size: float = 12,
    fill: str = TEXT,
    weight: str | None = None,
    anchor: str | None = None,
) -> str:
    attrs = f'x="{_num(x)}" y="{_num(y)}" font-size="{_num(size)}" fill="{fill}"'
    if weight:
        attrs += f' font-weight="{weight}"'
    if anchor:
        attrs += f' text-anchor="{anchor}"'
    return f"<text {attrs}>{_esc(content)}</text>"


# --------------------------------------------------------------------------- reading


def _strip_markdown(line: str) -> str:
    line = re.sub(r"^\s{0,3}#{1,6}\s*", "", line)
    line = re.sub(r"^\s*[-*+]\s+", "\u2022 ", line)
    line = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", line)  # links and images
    line = re.sub(r"(\*\*|__|`)", "", line)
    return line.strip()


def _markdown_title_and_lines(markdown: str) -> tuple[str, list[str]]:
    """Split markdown into its first heading (or first line) and the other plain lines."""
    raw = [line for line in markdown.splitlines() if line.strip()]
    index = next((i for i, line in enumerate(raw) if re.match(r"^\s{0,3}#{1,6}\s", line)), 0)
    if not raw:
        return "", []
    title = _strip_markdown(raw[index])
    rest = [_strip_markdown(line) for i, line in enumerate(raw) if i != index]
    return title, [line for line in rest if line]


def widget_title(widget: dict[str, Any]) -> str:
    """Return the title CloudWatch shows for a widget.

    Args:
        widget: One entry of the body's ``widgets`` list.

    Returns:
        properties.title; for text widgets the first markdown heading (or first line);
        for untitled metric widgets the first metric's name; else the widget type.
    """
    props = widget.get("properties") or {}
    title = props.get("title")
    if isinstance(title, str) and title.strip():
        return title.strip()
    if widget.get("type") == "text":
        return _markdown_title_and_lines(str(props.get("markdown", "")))[0]
    series = metric_series(props)
    if series:
        return series[0][0]
    return str(widget.get("type", "widget"))


def metric_series(props: dict[str, Any]) -> list[tuple[str, str | None]]:
    """Return (legend label, colour or None) for every visible series of a metric widget.

    SEARCH expressions are named by their MetricName (plus a per-dimension note when the
    label expands per dimension value); metrics arrays by their label, else metric name.

    Args:
        props: The widget's properties.

    Returns:
        One (label, colour) pair per series, in the body's order.
    """
    series: list[tuple[str, str | None]] = []
    previous: list[Any] = []
    for entry in props.get("metrics") or []:
        if not isinstance(entry, list) or not entry:
            continue
        options = entry[-1] if isinstance(entry[-1], dict) else {}
        if options.get("visible") is False:
            continue
        colour = options.get("color") if isinstance(options.get("color"), str) else None
        label = options.get("label") if isinstance(options.get("label"), str) else ""
        expression = options.get("expression")
        if isinstance(expression, str):
            series.append((_expression_label(expression, label, options), colour))
            continue
        parts = [p for p in entry if not isinstance(p, dict)]
        if parts[:1] == ["..."] and previous:
            parts = previous[: len(previous) - len(parts) + 1] + parts[1:]
        else:
            parts = [
                previous[i] if p == "." and i < len(previous) else p for i, p in enumerate(parts)
            ]
        previous = parts
        name = str(parts[1]) if len(parts) > 1 else str(parts[0]) if parts else "metric"
        series.append((_resolve_label(label) or name, colour))
    return series


def _resolve_label(label: str) -> str:
    return _ANY_PLACEHOLDER.sub("", _PROP.sub("", label)).strip()


def _expression_label(expression: str, label: str, options: dict[str, Any]) -> str:
    if "SEARCH" in expression.upper():
        names = _SEARCH_METRIC.findall(expression)
        name = names[0] if names else "SEARCH"
        prefix = _resolve_label(label)
        text = f"{prefix} {name}" if prefix and prefix.lower() not in name.lower() else name
        dims = _PROP.findall(label)
        return f"{text} per {dims[0]}" if dims else text
    return _resolve_label(label) or str(options.get("id") or expression)


def _split_top(text: str, separator: str) -> list[str]:
    """Split a Logs Insights query (or one command's arguments) on ``separator`` where it
    stands outside quotes and parentheses; drop empty parts."""
    parts: list[str] = []
    current: list[str] = []
    quote = ""
    depth = 0
    for char in text:
        if quote:
            if char == quote:
                quote = ""
        elif char in "\"'`":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == separator and depth == 0:
            parts.append("".join(current).strip())
            current = []
            continue
        current.append(char)
    parts.append("".join(current).strip())
    return [p for p in parts if p]


def _column_name(item: str) -> str:
    match = re.search(r"\s+as\s+(\S+)\s*$", item, flags=re.IGNORECASE)
    return (match.group(1) if match else item).strip("`")


def log_columns(query: str) -> list[str]:
    """Return the column names a Logs Insights query shows, from fields / stats / display.

    Args:
        query: The query string (SOURCE commands are ignored).

    Returns:
        Column names: ``fields`` add columns, ``stats`` replace them with their aliases
        and ``by`` groups, ``display`` replaces them.
    """
    columns: list[str] = []
    for command in _split_top(query, "|"):
        keyword, _, rest = command.partition(" ")
        keyword = keyword.lower()
        if keyword == "fields":
            columns += [c for c in map(_column_name, _split_top(rest, ",")) if c not in columns]
        elif keyword == "display":
            columns = [_column_name(c) for c in _split_top(rest, ",")]
        elif keyword == "stats":
            aggregates, *groups = re.split(r"\s+by\s+", rest, maxsplit=1, flags=re.I)
            groups = groups[0] if groups else ""
            columns = [_column_name(c) for c in _split_top(groups, ",")]
            columns += [_column_name(c) for c in _split_top(aggregates, ",")]
    return columns or ["@timestamp", "@message"]


# --------------------------------------------------------------------------- layout


def card_box(widget: dict[str, Any], index: int = 0, top: float = MARGIN) -> tuple[int, ...]:
    """Return the card rectangle (x, y, width, height) in px of a widget.

    Args:
        widget: One entry of the body's ``widgets`` list.
        index: Its position in the list (for error messages).
        top: px above grid row 0.

    Returns:
        The card's pixel box; the gutter is taken from its right and bottom edges.

    Raises:
        ValueError: The widget has no integer x / y, or does not fit the 24 columns.
    """
    label = f"widget {index} ({widget.get('type', '?')}, {widget_title(widget)!r})"
    for key in ("x", "y"):
        value = widget.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValueError(
                f"{label} has no valid {key!r} (got {value!r}); every widget needs integer "
                "x and y grid coordinates"
            )
    width = widget.get("width", DEFAULT_WIDTH)
    height = widget.get("height", DEFAULT_HEIGHT)
    for key, value in (("width", width), ("height", height)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError(f"{label} has an invalid {key!r}: {value!r}")
    if widget["x"] + width > COLUMNS:
        raise ValueError(f"{label} ends at column {widget['x'] + width}, past {COLUMNS}")
    return (
        MARGIN + widget["x"] * COL_W,
        int(top) + widget["y"] * ROW_H,
        width * COL_W - GUTTER,
        height * ROW_H - GUTTER,
    )


# --------------------------------------------------------------------------- drawing

Box = tuple[float, float, float, float]


def _legend(series: list[tuple[str, str]], x: float, y: float, width: float) -> list[str]:
    """Coloured squares and labels on one line (cut to width)."""
    out: list[str] = []
    cursor = x
    for i, (label, colour) in enumerate(series):
        room = x + width - cursor - 14
        if room < 30:
            break
        remaining = len(series) - i - 1
        text = _fit(label, room if remaining == 0 else min(room, width / len(series)), 11)
        out.append(
            f'<rect x="{_num(cursor)}" y="{_num(y - 8)}" width="8" height="8" rx="1" '
            f'fill="{colour}"/>'
        )
        out.append(_text(cursor + 12, y, text, 11, MUTED))
        cursor += 12 + _text_width(text, 11) + 10
    return out


def _colours(series: list[tuple[str, str | None]]) -> list[tuple[str, str]]:
    return [
        (label, colour or PALETTE[i % len(PALETTE)]) for i, (label, colour) in enumerate(series)
    ]


PLACEHOLDER_START = 12 * 3600  # placeholder series run from 12:00 to 15:00 (UTC)
PLACEHOLDER_STEP = 450


def _placeholder_levels(
    series: list[tuple[str, str]], stacked: bool, rng: random.Random
) -> list[list[float]]:
    """Random walks, one per series; percentile series (p50, p90 ...) share one shape."""
    points = 24
    ranks = [re.match(r"p(\d+)\b", label) for label, _ in series]
    if len(series) > 1 and all(ranks):
        shared, level = [], rng.uniform(0.3, 0.5)
        for _ in range(points):
            level = min(max(level + rng.uniform(-0.05, 0.05), 0.2), 0.6)
            shared.append(level)
        return [[v * (0.35 + 0.6 * int(r[1]) / 100) * 1.5 for v in shared] for r in ranks if r]
    walks = []
    for index in range(len(series)):
        level = rng.uniform(0.2, 0.6) / (len(series) if stacked else 1)
        values = []
        for _ in range(points):
            level = min(max(level + rng.uniform(-0.08, 0.08), 0.05), 0.9)
            values.append(level / (len(series) if stacked and index else 1))
        walks.append(values)
    return walks


def _draw_timeseries(widget: dict[str, Any], title: str, box: Box) -> list[str]:
    props = widget.get("properties") or {}
    series = _colours(metric_series(props)) or [("metric", PALETTE[0])]
    walks = _placeholder_levels(series, bool(props.get("stacked")), _rng("timeSeries", title))
    drawn = [
        (label, colour, {PLACEHOLDER_START + PLACEHOLDER_STEP * j: v for j, v in enumerate(walk)})
        for (label, colour), walk in zip(series, walks, strict=True)
    ]
    span = (PLACEHOLDER_START, PLACEHOLDER_START + PLACEHOLDER_STEP * 23)
    return _draw_lines(box, drawn, bool(props.get("stacked")), props, span)


def _placeholder_value(label: str, rng: random.Random) -> str:
    if re.search(r"usd|cost|\$", label, flags=re.IGNORECASE):
        return f"${rng.randint(100, 999) / 100:.2f}"
    if re.search(r"ms|latency|duration", label, flags=re.IGNORECASE):
        return f"{rng.randint(80, 900)} ms"
    return f"{rng.randint(100, 9999):,}"


def _draw_single_value(widget: dict[str, Any], title: str, box: Box) -> list[str]:
    series = metric_series(widget.get("properties") or {}) or [(title, None)]
    rng = _rng("singleValue", title)
    return _draw_cells(
        box, [(label, _placeholder_value(label or title, rng)) for label, _ in series]
    )


def _draw_pie(widget: dict[str, Any], title: str, box: Box) -> list[str]:
    series = _colours(metric_series(widget.get("properties") or {})) or [(title, PALETTE[0])]
    rng = _rng("pie", title)
    dynamic = any(" per " in label for label, _ in series)
    if dynamic:  # one slice per dimension value, unknown until data exists
        name = series[0][0].rsplit(" per ", 1)[-1]
        series = [
            (f"{name} {i + 1}", PALETTE[i % len(PALETTE)]) for i in range(max(len(series), 3))
        ]
    return _draw_slices(
        box, [(label, colour, rng.uniform(1, 4)) for label, colour in series], title
    )


def _draw_log_table(widget: dict[str, Any], title: str, box: Box) -> list[str]:
    x, y, w, h = box
    columns = log_columns(str((widget.get("properties") or {}).get("query", "")))
    rng = _rng("log", title)
    left, inner = x + 12, w - 24
    size = 11.0  # shrink the header a little before cutting names
    while size > 9.5 and sum(_text_width(c, size, True) + 10 for c in columns) > inner:
        size -= 0.5
    needed = [_text_width(c, size, True) + 10 for c in columns]
    spare = inner - sum(needed)
    if spare >= 0:  # every name fits: share the spare room evenly
        widths = [n + spare / len(needed) for n in needed]
    else:  # too narrow: scale down (names get an ellipsis)
        widths = [inner * n / sum(needed) for n in needed]
    header_y = y + 38
    out = [
        f'<rect x="{_num(left)}" y="{_num(header_y)}" width="{_num(inner)}" height="22" '
        f'fill="#fafafa" stroke="{GRID}"/>'
    ]
    cursor = left
    for name, cw in zip(columns, widths, strict=True):
        out.append(
            _text(cursor + 4, header_y + 15, _fit(name, cw - 8, size, True), size, TEXT, "bold")
        )
        cursor += cw
    row_y = header_y + 22
    while row_y + 20 <= y + h - 8:
        out.append(
            f'<line x1="{_num(left)}" y1="{_num(row_y + 20)}" x2="{_num(left + inner)}" '
            f'y2="{_num(row_y + 20)}" stroke="{GRID}"/>'
        )
        cursor = left
        for cw in widths:
            bar = max((cw - 12) * rng.uniform(0.45, 0.95), 6)
            out.append(
                f'<rect x="{_num(cursor + 4)}" y="{_num(row_y + 7)}" width="{_num(bar)}" '
                'height="7" rx="3" fill="#d5dbdb"/>'
            )
            cursor += cw
        row_y += 20
    return out


def _draw_alarms(widget: dict[str, Any], title: str, box: Box) -> list[str]:
    x, y, w, h = box
    alarms = [str(a) for a in (widget.get("properties") or {}).get("alarms") or []]
    names = [a.split(":alarm:", 1)[-1] for a in alarms]
    longest = max((len(n) for n in names), default=10)
    tile_w = min(max(longest * 11 * CHAR_W + 52, 180), w - 24)
    cols = max(1, int((w - 24 + 8) // (tile_w + 8)))
    tile_w = (w - 24 - 8 * (cols - 1)) / cols
    out = []
    for i, name in enumerate(names):
        tx = x + 12 + (i % cols) * (tile_w + 8)
        ty = y + 32 + (i // cols) * 24
        if ty + 20 > y + h - 2:
            break
        out.append(
            f'<rect x="{_num(tx)}" y="{_num(ty)}" width="{_num(tile_w)}" height="20" rx="3" '
            f'fill="#f2f8f0" stroke="#c6e3c0"/>'
        )
        out.append(
            f'<rect x="{_num(tx + 4)}" y="{_num(ty + 3)}" width="28" height="14" rx="7" '
            f'fill="{OK_GREEN}"/>'
        )
        out.append(_text(tx + 18, ty + 14, "OK", 10, "#ffffff", "bold", "middle"))
        out.append(_text(tx + 38, ty + 14, _fit(name, tile_w - 44, 11), 11, TEXT))
    return out


def _draw_text(widget: dict[str, Any], title: str, box: Box) -> list[str]:
    x, y, w, h = box
    _, lines = _markdown_title_and_lines(str((widget.get("properties") or {}).get("markdown", "")))
    wrapped = [part for line in lines for part in _wrap(line, w - 24, 12)]
    room = max(int((h - 34) // 16), 0)
    if len(wrapped) > room and room:
        wrapped = wrapped[:room]
        wrapped[-1] = _fit(wrapped[-1] + " \u2026", w - 24, 12)
    return [_text(x + 12, y + 46 + i * 16, line, 12, TEXT) for i, line in enumerate(wrapped[:room])]


def _draw_other(widget: dict[str, Any], title: str, box: Box) -> list[str]:
    x, y, w, h = box
    kind = f"{widget.get('type', 'widget')} widget"
    return [_text(x + w / 2, y + h / 2 + 4, kind, 12, MUTED, None, "middle")]


def _body(
    widget: dict[str, Any], title: str, box: Box, data: dict[str, Any] | None = None
) -> list[str]:
    kind = widget.get("type")
    if data:
        drawn = _draw_data(widget, title, box, data)
        if drawn is not None:
            return drawn
    view = (widget.get("properties") or {}).get("view", "timeSeries")
    if kind == "metric":
        if view == "singleValue":
            return _draw_single_value(widget, title, box)
        if view == "pie":
            return _draw_pie(widget, title, box)
        return _draw_timeseries(widget, title, box)
    if kind == "log":
        return _draw_log_table(widget, title, box)
    if kind == "alarm":
        return _draw_alarms(widget, title, box)
    if kind == "text":
        return _draw_text(widget, title, box)
    return _draw_other(widget, title, box)


# --------------------------------------------------------------------------- drawing data

STATE_COLOURS = {"OK": (OK_GREEN, "#f2f8f0", "#c6e3c0"), "ALARM": ("#d13212", "#fdf3f1", "#f4b2a6")}


def format_value(label: str, value: float | None) -> str:
    """A value as the console shows it: dollars for USD, ms for times, else a count."""
    if value is None:
        return "no data"
    if re.search(r"usd|cost|spen|budget|\$", label, flags=re.IGNORECASE):
        return f"${value:,.2f}"
    if re.search(r"\bms\b|latency|duration|token by", label, flags=re.IGNORECASE):
        return f"{value:,.0f} ms"
    return f"{value:,.0f}" if float(value).is_integer() or abs(value) >= 100 else f"{value:,.2f}"


def _last(series: dict[int, float]) -> float | None:
    return series[max(series)] if series else None


def _draw_data(
    widget: dict[str, Any], title: str, box: Box, data: dict[str, Any]
) -> list[str] | None:
    """Draw what a widget shows (``shown``'s entry); None when the entry has nothing to draw."""
    props = widget.get("properties") or {}
    if "rows" in data:
        return _draw_rows(widget, box, data["rows"])
    if "states" in data:
        return _draw_states(box, data["states"])
    if "series" not in data:
        return None
    series = [
        (label, colour or PALETTE[i % len(PALETTE)], points)
        for i, (label, colour, points) in enumerate(data["series"])
    ]
    if props.get("view") == "singleValue":
        cells = [
            (label, format_value(label or title, _last(points))) for label, _, points in series
        ]
        return _draw_cells(box, cells)
    if props.get("view") == "pie":
        return _draw_slices(
            box, [(label, colour, sum(points.values())) for label, colour, points in series], title
        )
    return _draw_lines(box, series, bool(props.get("stacked")), props, data.get("range"))


def _draw_cells(box: Box, cells: list[tuple[str, str]]) -> list[str]:
    """Single values: a label and a big number per cell, as many cells a row as fit."""
    x, y, w, h = box
    cols = max(1, min(len(cells), int(w // 110)))
    rows = math.ceil(len(cells) / cols)
    cell_w, cell_h = (w - 24) / cols, (h - 40) / rows
    out = []
    for i, (label, value) in enumerate(cells):
        cx = x + 12 + (i % cols) * cell_w
        cy = y + 36 + (i // cols) * cell_h
        size = max(min(cell_h - 34, 32, cell_w / max(len(value), 1) * 1.6), 13)
        out.append(_text(cx, cy + 14, _fit(label, cell_w - 8, 11), 11, MUTED))
        out.append(_text(cx, cy + 20 + size, value, size, TEXT))
    return out


def _draw_slices(box: Box, slices: list[tuple[str, str, float]], title: str) -> list[str]:
    """A pie, and beside it each slice's value, share and label."""
    x, y, w, h = box
    total = sum(v for _, _, v in slices) or 1.0
    radius = min((h - 60) / 2, w / 5)
    cx, cy = x + 24 + radius, y + 36 + (h - 60) / 2
    out, angle = [], -math.pi / 2
    for _, colour, value in slices:
        sweep = 2 * math.pi * value / total
        x1, y1 = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
        angle += sweep
        x2, y2 = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
        out.append(
            f'<path d="M{_num(cx)},{_num(cy)} L{_num(x1)},{_num(y1)} '
            f"A{_num(radius)},{_num(radius)} 0 {1 if sweep > math.pi else 0} 1 "
            f'{_num(x2)},{_num(y2)} Z" '
            f'fill="{colour}" stroke="#ffffff" stroke-width="1.5"/>'
        )
    lx = cx + radius + 24
    for i, (label, colour, value) in enumerate(slices):
        ly = y + 52 + i * 20
        out.append(
            f'<rect x="{_num(lx)}" y="{_num(ly - 8)}" width="8" height="8" rx="1" fill="{colour}"/>'
        )
        text = f"{format_value(title, value)} ({value / total:.0%})  {label}"
        out.append(_text(lx + 12, ly, _fit(text, x + w - lx - 24, 11), 11, TEXT))
    return out


def _draw_lines(
    box: Box,
    series: list[tuple[str, str, dict[int, float]]],
    stacked: bool,
    props: dict[str, Any],
    span: tuple[int, int] | None,
) -> list[str]:
    """Time series over ``span`` (epoch seconds), stacked or not, with the widget's
    horizontal annotations as dashed lines; a series of one point is a dot."""
    x, y, w, h = box
    left, right, top, bottom = x + 44, x + w - 12, y + 36, y + h - 40
    times = sorted({t for _, _, points in series for t in points})
    t0, t1 = span or ((times[0], times[-1]) if times else (0, 1))
    base: dict[int, float] = {}
    drawn = []
    for label, colour, points in series:
        tops = {t: base.get(t, 0.0) + v for t, v in points.items()} if stacked else dict(points)
        drawn.append((label, colour, tops))
        base = {**base, **tops} if stacked else base
    marks = [float(a["value"]) for a in (props.get("annotations") or {}).get("horizontal") or []]
    peak = max([v for _, _, p in drawn for v in p.values()] + marks + [0.0]) * 1.05 or 1.0
    out = []
    for i in range(4):
        gy = bottom - (bottom - top) * i / 3
        out.append(
            f'<line x1="{_num(left)}" y1="{_num(gy)}" x2="{_num(right)}" y2="{_num(gy)}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        out.append(_text(left - 6, gy + 4, _short(peak * i / 3), 10, MUTED, None, "end"))
    for _, colour, points in drawn:
        coords = [
            (left + (right - left) * (t - t0) / max(t1 - t0, 1), bottom - (bottom - top) * v / peak)
            for t, v in sorted(points.items())
        ]
        if len(coords) == 1:  # one data point (a day in a week): a dot, not a line
            px, py = coords[0]
            out.append(f'<circle cx="{_num(px)}" cy="{_num(py)}" r="3.5" fill="{colour}"/>')
            continue
        line = " ".join(f"{_num(px)},{_num(py)}" for px, py in coords)
        if coords:
            out.append(
                f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="1.5" '
                f'stroke-linejoin="round"/>'
            )
    for budget in (props.get("annotations") or {}).get("horizontal") or []:
        gy = bottom - (bottom - top) * min(float(budget["value"]) / peak, 1.0)
        out.append(
            f'<line x1="{_num(left)}" y1="{_num(gy)}" x2="{_num(right)}" y2="{_num(gy)}" '
            f'stroke="{budget.get("color", "#d62728")}" stroke-dasharray="4 3"/>'
        )
        out.append(
            _text(
                right - 4,
                gy - 4,
                f"{budget.get('label', '')} {budget['value']}",
                10,
                budget.get("color", "#d62728"),
                None,
                "end",
            )
        )
    for i, stamp in enumerate((t0, (t0 + t1) // 2, t1)):
        anchor = ("start", "middle", "end")[i]
        label = time.strftime("%d %b %H:%M" if t1 - t0 > 86400 else "%H:%M", time.gmtime(stamp))
        out.append(
            _text(left + (right - left) * i / 2, bottom + 13, label, 10, MUTED, None, anchor)
        )
    legend = [(label, colour) for label, colour, _ in series]
    out += _legend(legend, x + 12, y + h - 10, w - 24)
    return out


def _short(value: float) -> str:
    """An axis label: 1.2k, 37k, 4.20, 12."""
    if value >= 1000:
        return f"{value / 1000:.0f}k" if value >= 10000 else f"{value / 1000:.1f}k"
    return f"{value:.2f}" if value < 10 else f"{value:.0f}"


def _draw_rows(widget: dict[str, Any], box: Box, rows: list[dict[str, Any]]) -> list[str]:
    """A Logs Insights table: the query's columns, then as many result rows as fit."""
    x, y, w, h = box
    columns = log_columns(str((widget.get("properties") or {}).get("query", "")))
    inner = w - 24
    widths = [inner * (1.9 if c in ("timestamp", "model") else 1.0) for c in columns]
    widths = [cw * inner / sum(widths) for cw in widths]
    out = [
        f'<rect x="{_num(x + 12)}" y="{_num(y + 38)}" width="{_num(inner)}" height="20" '
        f'fill="#fafafa" stroke="{GRID}"/>'
    ]
    cursor = x + 12
    for name, cw in zip(columns, widths, strict=True):
        out.append(_text(cursor + 4, y + 52, _fit(name, cw - 6, 10, True), 10, TEXT, "bold"))
        cursor += cw
    for r, row in enumerate(rows):
        ry = y + 58 + r * 18
        if ry + 18 > y + h - 6:
            break
        cursor = x + 12
        for name, cw in zip(columns, widths, strict=True):
            value = row.get(name, "")
            text = f"{value:.4f}" if isinstance(value, float) and "cost" in name else str(value)
            text = text[11:19] if name == "timestamp" else text
            out.append(_text(cursor + 4, ry + 13, _fit(text, cw - 6, 10), 10, TEXT))
            cursor += cw
        out.append(
            f'<line x1="{_num(x + 12)}" y1="{_num(ry + 18)}" x2="{_num(x + 12 + inner)}" '
            f'y2="{_num(ry + 18)}" stroke="{GRID}"/>'
        )
    return out


def _draw_states(box: Box, states: dict[str, str]) -> list[str]:
    """Alarm tiles: a state badge (OK, ALARM, INSUFFICIENT) and the alarm's name."""
    x, y, w, _ = box
    cols = max(1, int((w - 16) // 300))
    tile_w = (w - 24 - 8 * (cols - 1)) / cols
    out = []
    for i, (name, state) in enumerate(states.items()):
        tx, ty = x + 12 + (i % cols) * (tile_w + 8), y + 32 + (i // cols) * 24
        badge, fill, stroke = STATE_COLOURS.get(state, ("#5f6b7a", "#f2f3f3", "#d5dbdb"))
        label = "INSUFFICIENT" if state.startswith("INSUFFICIENT") else state
        bw = 28 if label == "OK" else 76
        out.append(
            f'<rect x="{_num(tx)}" y="{_num(ty)}" width="{_num(tile_w)}" height="20" rx="3" '
            f'fill="{fill}" stroke="{stroke}"/>'
        )
        out.append(
            f'<rect x="{_num(tx + 4)}" y="{_num(ty + 3)}" width="{bw}" height="14" rx="7" '
            f'fill="{badge}"/>'
        )
        out.append(_text(tx + 4 + bw / 2, ty + 14, label, 10, "#ffffff", "bold", "middle"))
        out.append(_text(tx + bw + 10, ty + 14, _fit(name, tile_w - bw - 14, 11), 11, TEXT))
    return out


# --------------------------------------------------------------------------- render


def _header(name: str, width: int, selected_range: str) -> list[str]:
    """The console's header bar: the dashboard name and the time range buttons."""
    out: list[str] = []
    out.append(_text(MARGIN, MARGIN + 22, _fit(name, width / 2, 20, True), 20, TEXT, "bold"))
    ranges = ["1h", "3h", "12h", "1d", "3d", "1w", "Custom"]
    cursor = width - MARGIN
    for label in reversed(ranges):
        bw = _text_width(label, 12) + 16
        cursor -= bw
        selected = label == selected_range
        out.append(
            f'<rect x="{_num(cursor)}" y="{MARGIN + 6}" width="{_num(bw)}" height="24" '
            f'fill="{"#0972d3" if selected else "#ffffff"}" stroke="{CARD_BORDER}"/>'
        )
        out.append(
            _text(
                cursor + bw / 2,
                MARGIN + 22,
                label,
                12,
                "#ffffff" if selected else TEXT,
                "bold" if selected else None,
                "middle",
            )
        )
    return out


def render(
    body: dict[str, Any] | str,
    name: str | None = None,
    shown: Sequence[dict[str, Any]] | None = None,
) -> str:
    """Render a dashboard body as SVG text.

    Args:
        body: The dashboard body, parsed or as JSON text.
        name: Dashboard name for a console-like header bar; None draws no header.
        shown: Per widget, in the body's order, what it shows (support.dashboard_day's
            ``widget_data``); None draws placeholders seeded from each title.

    Returns:
        The SVG document (deterministic for a given body and name).

    Raises:
        ValueError: The body has no widgets list, or a widget has no valid position.
    """
    data = json.loads(body) if isinstance(body, str) else body
    widgets = data.get("widgets") if isinstance(data, dict) else None
    if not isinstance(widgets, list):
        raise ValueError("the dashboard body has no 'widgets' list")
    top = MARGIN + (HEADER_H if name else 0)
    boxes = []
    for index, widget in enumerate(widgets):
        if not isinstance(widget, dict):
            raise ValueError(f"widget {index} is not an object")
        boxes.append(card_box(widget, index, top))
    width = 2 * MARGIN + COLUMNS * COL_W - GUTTER
    height = max([top - MARGIN] + [by + bh for _, by, _, bh in boxes]) + MARGIN
    caption = name or "CloudWatch dashboard"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{_esc(FONT)}">',
        f"<title>{_esc(caption)}: {len(widgets)} widgets (schematic)</title>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="{BACKGROUND}"/>',
    ]
    if name:
        out += _header(name, width, "1d" if shown else "3h")
    for number, (widget, box) in enumerate(zip(widgets, boxes, strict=True)):
        bx, by, bw, bh = box
        title = widget_title(widget)
        kind = _esc(widget.get("type", "widget"))
        out.append(f'<g class="widget" data-type="{kind}">')
        out.append(
            f'<rect class="card" x="{bx}" y="{by}" width="{bw}" height="{bh}" rx="4" '
            f'fill="#ffffff" stroke="{CARD_BORDER}"/>'
        )
        size = 16.0 if widget.get("type") == "text" else 14.0
        while size > 12 and _text_width(title, size, True) > bw - 24:
            size -= 0.5
        out.append(
            f'<text class="title" x="{bx + 12}" y="{by + 22}" font-size="{_num(size)}" '
            f'font-weight="bold" fill="{TEXT}">{_esc(_fit(title, bw - 24, size, True))}</text>'
        )
        out += _body(widget, title, (bx, by, bw, bh), shown[number] if shown else None)
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: render BODY.json (or - for stdin) to an SVG file or stdout."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("body", help="dashboard body JSON file, or - for stdin")
    parser.add_argument("-o", "--output", default="-", help="SVG file to write (default: stdout)")
    parser.add_argument("--name", default=None, help="dashboard name shown in a header bar")
    args = parser.parse_args(argv)
    text = sys.stdin.read() if args.body == "-" else Path(args.body).read_text(encoding="utf-8")
    try:
        svg = render(text, name=args.name)
    except (ValueError, json.JSONDecodeError) as error:
        parser.exit(2, f"render_dashboard: {error}\n")
    if args.output == "-":
        sys.stdout.write(svg)
    else:
        Path(args.output).write_text(svg, encoding="utf-8", newline="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
