"""``genai-obs reconcile --day YYYY-MM-DD``: the deck's spend next to the bill, per model.

The deck's side is its ``cost-by-model`` question (Logs Insights, like ``spend``) over that
UTC day, with its ``unpriced-models`` question: a model with unpriced calls has a deck
figure that leaves their cost out (``deck_unpriced_calls``; the figure is a lower bound and
the difference is partly theirs). The bill's side is Cost Explorer ``GetCostAndUsage`` for
the same day (DAILY, UTC), ``UnblendedCost`` grouped by ``SERVICE`` and ``USAGE_TYPE``.
Bedrock appears in Cost Explorer under the service ``Amazon Bedrock`` (Amazon's models: the
model is in the usage type, e.g. ``USE1-NovaMicro-input-tokens``) and under one service per
Marketplace model, ``<model> (Amazon Bedrock Edition)`` (usage types such as
``USE1-MP:USE1_InputTokenCount-Units``, ``..._Global-Units``, ``CacheReadInputTokenCount``,
``CacheWriteInputTokenCount``). Usage types that are not per-call token charges (batch,
provisioned throughput, Guardrails, knowledge bases, ...) are charges the deck cannot see;
they are listed apart with the rows that match no model.

Sources: GetCostAndUsage (Cost Explorer API reference: TimePeriod end exclusive, DAILY
granularity, GroupBy up to two dimensions, NextPageToken); "Understanding your Amazon
Bedrock Cost and Usage Report data" (Bedrock user guide: usage types per token class:
``*-input-tokens``, ``*-output-tokens``, ``*-cache-read-input-token-count``,
``*-cache-write-input-token-count``; service tier and cross-Region inference in the usage
type).
"""

from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TextIO

from .. import _aws, _deck, _options, _pricelist, _timerange
from .._errors import UsageError
from .._format import render
from .._totals import mark_lower_bound

COLUMNS = ("model", "calls", "deck_usd", "bill_usd", "difference_usd", "difference_pct")
UNPRICED_COLUMNS = ("deck_unpriced_calls", "deck_is_lower_bound")
"""Added after ``calls`` and at the end when the deck's unpriced calls are known."""
UNMATCHED_COLUMNS = ("side", "what", "usd", "why")
_EDITION = "(Amazon Bedrock Edition)"
_TOKEN_MARKERS = (
    "-input-tokens",
    "-output-tokens",
    "-cache-read",
    "-cache-write",
    "-input-token",
    "-output-token",
)


DESCRIPTION = (
    "Compare the deck's cost by model for one UTC day with Cost Explorer's Amazon"
    " Bedrock cost for that day (grouped by usage type), model by model, with the"
    " difference in dollars and percent and the rows that match nothing."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``reconcile``'s options: the deck, AWS, format, the day and the query's."""
    _options.add_deck(parser)
    _options.add_aws(parser)
    _options.add_format(parser)
    parser.add_argument("--day", metavar="YYYY-MM-DD", required=True, help="the UTC day")
    _options.add_log_group(parser)
    _options.add_timeout(parser, "stop the Logs Insights query after this long (default: 300)")
    _options.add_progress(parser)


def make_ce_client(profile: str | None) -> Any:
    """Create a Cost Explorer client (its endpoint is in us-east-1)."""
    return _aws.make_client("ce", "us-east-1", profile)


def parse_day(text: str, today: dt.date) -> dt.date:
    """Parse ``--day``: a past or current UTC day within Cost Explorer's 14 months."""
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"bad --day {text!r}: use YYYY-MM-DD, e.g. {today.isoformat()}") from None
    if day > today:
        raise UsageError(f"bad --day {day}: it is in the future (today is {today} UTC)")
    if (today - day).days > 420:
        raise UsageError(f"bad --day {day}: Cost Explorer keeps about 14 months of daily cost")
    return day


def bill_rows(client: Any, day: dt.date) -> list[tuple[str, str, Decimal]]:
    """Cost Explorer's Bedrock cost of one day: ``(service, usage type, USD)`` rows."""
    kwargs: dict[str, Any] = {
        "TimePeriod": {"Start": day.isoformat(), "End": (day + dt.timedelta(days=1)).isoformat()},
        "Granularity": "DAILY",
        "Metrics": ["UnblendedCost"],
        "GroupBy": [
            {"Type": "DIMENSION", "Key": "SERVICE"},
            {"Type": "DIMENSION", "Key": "USAGE_TYPE"},
        ],
    }
    rows: list[tuple[str, str, Decimal]] = []
    with _aws.aws_errors("ce", "GetCostAndUsage"):
        while True:
            answer = client.get_cost_and_usage(**kwargs)
            for result in answer.get("ResultsByTime") or []:
                for group in result.get("Groups") or []:
                    keys = group.get("Keys") or []
                    if len(keys) != 2 or "bedrock" not in keys[0].lower():
                        continue
                    amount = ((group.get("Metrics") or {}).get("UnblendedCost") or {}).get(
                        "Amount", "0"
                    )
                    rows.append((keys[0], keys[1], Decimal(str(amount))))
            token = answer.get("NextPageToken")
            if not token:
                break
            kwargs["NextPageToken"] = token
    return rows


def _first_party_model(usage_type: str) -> str:
    """``USE1-NovaMicro-input-tokens`` -> ``NovaMicro``."""
    _, _, rest = usage_type.partition("-")
    lowered = rest.lower()
    cut = min((lowered.find(m) for m in _TOKEN_MARKERS if m in lowered), default=-1)
    return rest[:cut] if cut > 0 else ""


def bill_model(service: str, usage_type: str, index: dict[str, list[str]]) -> str | None:
    """The model id a Cost Explorer row is for, or None."""
    if _EDITION.lower() in service.lower():
        return _pricelist.match_model(service, index)
    chunk = _first_party_model(usage_type)
    return _pricelist.match_model(chunk, index) if chunk else None


def _deck_model(model: str) -> str:
    from genai_observability import pricing

    names = pricing.candidates(model)
    return names[-1]


def _pct(diff: Decimal, bill: Decimal) -> float | None:
    if bill == 0:
        return None
    return float(round(diff / bill * 100, 1))


def _usd(value: Decimal) -> float:
    return float(round(value, 6))


def _number(text: Any) -> Decimal:
    try:
        return Decimal(str(text).strip()) if text not in (None, "") else Decimal(0)
    except ArithmeticError:
        return Decimal(0)


def reconcile(
    deck: list[dict[str, Any]],
    bill: list[tuple[str, str, Decimal]],
    model_ids: list[str],
    unpriced: dict[str, int] | None = None,
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Match the deck's cost rows with the bill's rows per model.

    Args:
        deck: Rows of the deck's ``cost-by-model`` question (``model``, ``total_cost_usd``,
            ``calls``).
        bill: ``(service, usage type, USD)`` rows from Cost Explorer.
        model_ids: The catalog's model ids, to name the bill's rows.
        unpriced: Unpriced calls per model as called (the ``unpriced-models`` question);
            with it each row gets ``deck_unpriced_calls`` and ``deck_is_lower_bound``.

    Returns:
        ``(rows, unmatched)``: one row per model found on both sides, and the rows of either
        side that match nothing (with why).
    """
    unmatched: list[dict[str, Any]] = []
    ours = _deck_side(deck, set(model_ids), unpriced or {}, unmatched)
    theirs = _bill_side(bill, _pricelist.name_index(model_ids), unmatched)
    rows = []
    for model in sorted(ours.cost.keys() | theirs.keys()):
        deck_usd, bill_usd = ours.cost.get(model), theirs.get(model)
        if deck_usd is None or bill_usd is None:
            side, usd = ("deck", deck_usd) if bill_usd is None else ("bill", bill_usd)
            why = "no bill row for this model" if bill_usd is None else "no deck line for it"
            unmatched.append({"side": side, "what": model, "usd": _usd(usd or 0), "why": why})
            continue
        diff = deck_usd - bill_usd
        row: dict[str, Any] = {
            "model": model,
            "calls": ours.calls.get(model, 0),
            "deck_usd": _usd(deck_usd),
            "bill_usd": _usd(bill_usd),
            "difference_usd": _usd(diff),
            "difference_pct": _pct(diff, bill_usd),
        }
        if unpriced is not None:
            row["deck_unpriced_calls"] = ours.unpriced.get(model, 0)
            row["deck_is_lower_bound"] = row["deck_unpriced_calls"] > 0
        rows.append(row)
    return rows, unmatched


@dataclass
class _DeckSide:
    """The deck's cost, calls and unpriced calls per catalog model id."""

    cost: dict[str, Decimal] = field(default_factory=dict)
    calls: dict[str, int] = field(default_factory=dict)
    unpriced: dict[str, int] = field(default_factory=dict)


def _deck_side(
    deck: list[dict[str, Any]],
    known: set[str],
    unpriced: dict[str, int],
    unmatched: list[dict[str, Any]],
) -> _DeckSide:
    """Add the deck's rows up per model id; a row naming no model id goes to ``unmatched``."""
    side = _DeckSide()
    for row in deck:
        called = str(row.get("model") or "")
        base = _deck_model(called) if called else ""
        cost = _number(row.get("total_cost_usd"))
        calls = int(_number(row.get("calls")))
        if base not in known:
            why = (
                "application inference profile without GENAI_APPLICATION_PROFILES"
                if "application-inference-profile/" in called
                else "not a model id of the catalog"
            )
            unmatched.append({"side": "deck", "what": called, "usd": _usd(cost), "why": why})
            continue
        side.cost[base] = side.cost.get(base, Decimal(0)) + cost
        side.calls[base] = side.calls.get(base, 0) + calls
        missing = min(unpriced.get(called, 0), calls)
        side.unpriced[base] = side.unpriced.get(base, 0) + missing
    return side


def _bill_side(
    bill: list[tuple[str, str, Decimal]],
    index: dict[str, list[str]],
    unmatched: list[dict[str, Any]],
) -> dict[str, Decimal]:
    """Add the bill's token charges up per model id; other rows go to ``unmatched``."""
    cost: dict[str, Decimal] = {}
    for service, usage_type, amount in bill:
        token = _pricelist.classify(usage_type) is not None or any(
            m in usage_type.lower() for m in _TOKEN_MARKERS
        )
        model = bill_model(service, usage_type, index) if token else None
        if model is None:
            why = (
                "not a per-call token charge (batch, provisioned throughput, Guardrails,"
                " knowledge bases, ...): the deck does not see it"
                if not token
                else "no model id of the catalog matches it"
            )
            what = f"{service} / {usage_type}"
            unmatched.append({"side": "bill", "what": what, "usd": _usd(amount), "why": why})
            continue
        cost[model] = cost.get(model, Decimal(0)) + amount
    return cost


def columns(marked: bool) -> list[str]:
    """The reconcile columns; with the unpriced calls known, theirs too."""
    if not marked:
        return list(COLUMNS)
    return [*COLUMNS[:2], UNPRICED_COLUMNS[0], *COLUMNS[2:], UNPRICED_COLUMNS[1]]


def _total(rows: list[dict[str, Any]], marked: bool) -> dict[str, Any]:
    """The total of the matched rows."""
    deck_total = sum((Decimal(str(r["deck_usd"])) for r in rows), Decimal(0))
    bill_total = sum((Decimal(str(r["bill_usd"])) for r in rows), Decimal(0))
    total: dict[str, Any] = {
        "model": "TOTAL (matched)",
        "calls": sum(r["calls"] for r in rows),
        "deck_usd": _usd(deck_total),
        "bill_usd": _usd(bill_total),
        "difference_usd": _usd(deck_total - bill_total),
        "difference_pct": _pct(deck_total - bill_total, bill_total),
    }
    if marked:
        missing = sum(r.get("deck_unpriced_calls", 0) for r in rows)
        total["deck_unpriced_calls"] = missing
        total["deck_is_lower_bound"] = missing > 0
    return total


def _write_tables(
    out: TextIO,
    day: dt.date,
    shown_columns: list[str],
    rows: list[dict[str, Any]],
    total: dict[str, Any] | None,
    unmatched: list[dict[str, Any]],
) -> None:
    """The table of matched models (with its total and note), then what did not match."""
    out.write(f"Deck vs bill (Cost Explorer, UnblendedCost) for {day} UTC\n\n")
    if rows and total is not None:
        flag = UNPRICED_COLUMNS[1]
        shown = [mark_lower_bound(r, "deck_usd", flag) for r in [*rows, total]]
        table_columns = [c for c in shown_columns if c != flag]
        out.write(render("table", table_columns, shown[:-1], total=shown[-1], missing="-"))
        missing = sum(r.get("deck_unpriced_calls", 0) for r in rows)
        if missing:
            out.write(
                f">= : {missing:,} call{'s' if missing != 1 else ''} had no price, so the deck"
                " figure leaves their cost out: the difference includes it"
                " (see deck_unpriced_calls)\n"
            )
    else:
        out.write("(no model on both sides)\n")
    out.write("\nNot matched\n\n")
    if unmatched:
        out.write(render("table", list(UNMATCHED_COLUMNS), unmatched, missing="-"))
    else:
        out.write("(none)\n")


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Print the deck's spend next to Cost Explorer's, per model, for one UTC day."""
    from genai_observability import pricing

    now = _timerange.now()
    day = parse_day(args.day, now.date())
    start = dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)
    end = min(start + dt.timedelta(days=1), now)
    args.since, args.until = start.isoformat(), end.isoformat()
    over = (start, end)
    answer = _deck.run_question(args, _deck.COST_BY_MODEL, err, default_since="today", over=over)
    deck_rows = answer.result.rows
    unpriced = _deck.unpriced_by_model(args, err, over) if deck_rows else None
    bill = bill_rows(make_ce_client(args.profile), day)
    rows, unmatched = reconcile(deck_rows, bill, list(pricing.catalog()), unpriced)
    shown_columns = columns(unpriced is not None)
    total = _total(rows, unpriced is not None) if rows else None
    if args.format != "table":  # JSON (with the day and what did not match) or CSV
        extra = {"day": day.isoformat(), "unmatched": unmatched}
        out.write(render(args.format, shown_columns, rows, total=total, extra=extra))
        return 0
    _write_tables(out, day, shown_columns, rows, total, unmatched)
    if day >= now.date() - dt.timedelta(days=1):
        out.write("\nNote: Cost Explorer is hours late; a recent day's bill may still grow.\n")
    if answer.show_progress:
        err.write(f"{len(bill)} Cost Explorer rows, {len(deck_rows)} deck rows\n")
    return 0
