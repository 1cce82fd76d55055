"""``genai-obs spend``: today's cost by model with a total, from one source or all three.

``--source logs`` (the default) runs the deck's ``cost-by-model`` question with its
``unpriced-models`` question (a cost that leaves unpriced calls out is a lower bound);
``metrics`` and ``account`` read CloudWatch metrics; ``--compare`` shows all three side by
side (see :mod:`.._spend_sources`).
"""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from .. import _deck, _options, _spend_sources, _timerange
from .._errors import UsageError
from .._format import render
from .._spend_sources import DEFAULT_NAMESPACE, SOURCES, SourceResult
from .._totals import (
    COST,
    LOWER_BOUND_FLAG,
    lower_bound_note,
    mark_total,
    mark_unpriced,
    render_marked_table,
    total_row,
)

DESCRIPTION = "Cost by model (the deck's cost-by-model question) with a total row."
LOGS_FLAG = "logs_cost_is_lower_bound"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``spend``'s options: the question's, AWS, format, and the sources."""
    _options.add_query_options(parser, "today, UTC midnight")
    _options.add_aws(parser)
    _options.add_format(parser)
    parser.add_argument(
        "--source",
        choices=SOURCES,
        default="logs",
        help=(
            "logs: the saved cost-by-model question (Logs Insights, default); metrics: the"
            " deck's CostUSD metric (GetMetricData); account: Amazon Bedrock's own token"
            " metrics (AWS/Bedrock and bedrock-mantle's AWS/BedrockMantle), every caller in"
            " the account in this Region, priced with the catalog"
        ),
    )
    parser.add_argument(
        "--compare",
        action="store_true",
        help="all three sources side by side, with their differences",
    )
    parser.add_argument(
        "--service",
        metavar="NAME",
        help="the deck's service_name, the metrics' Service dimension (default: the deck name)",
    )
    parser.add_argument(
        "--namespace",
        metavar="NAME",
        default=DEFAULT_NAMESPACE,
        help=f"the deck's metric namespace (default: {DEFAULT_NAMESPACE})",
    )
    parser.add_argument(
        "--model",
        metavar="ID",
        action="append",
        help="models to read (repeatable; default: the ones the metrics list)",
    )


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Today's spend by model from one source, or all side by side."""
    source = getattr(args, "source", "logs") or "logs"
    compare = bool(getattr(args, "compare", False))
    if source not in SOURCES:
        raise UsageError(f"unknown --source {source!r}; choose one of {', '.join(SOURCES)}")
    if source == "logs" and not compare:
        return _spend_from_logs(args, out, err)
    return _spend_from_sources(args, out, err, list(SOURCES) if compare else [source])


def _spend_from_logs(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Cost by model since UTC midnight (default), with a total row.

    With the deck's ``unpriced-models`` question (same range, same log groups) each model
    gets ``unpriced_calls``; a cost that leaves some out is a lower bound (``>= $X`` in the
    table, ``cost_is_lower_bound`` in JSON/CSV), one that leaves all out is unknown.
    """
    over = _deck.window(args, "today")
    answer = _deck.run_question(args, _deck.COST_BY_MODEL, err, default_since="today", over=over)
    columns, rows = list(answer.result.columns), list(answer.result.rows)
    if rows and COST not in columns:
        # Logs Insights leaves a field without a value out of a row; with no priced call
        # at all, out of every row: the cost column is still the deck's second.
        columns.insert(1 if columns[:1] == ["model"] else 0, COST)
    unpriced = _deck.unpriced_by_model(args, err, over) if rows else None
    total = total_row(columns, rows) if rows else None
    if unpriced is not None:
        rows = mark_unpriced(rows, unpriced)
        columns += ["unpriced_calls", LOWER_BOUND_FLAG]
        total = mark_total(total or {}, rows)
    if args.format == "table":
        out.write(f"Spend by model, {answer.since} to {answer.until}\n\n")
        table, marked = render_marked_table(columns, rows, total)
        out.write(table + (lower_bound_note() if marked else ""))
    else:
        extra = {"since": answer.since, "until": answer.until}
        out.write(render(args.format, columns, rows, total=total, extra=extra))
    _deck.print_scan(err, answer)
    return 0


def _read_source(
    name: str, args: argparse.Namespace, err: TextIO, over: _deck.Window, client: Any
) -> SourceResult:
    """One source's spend by model over ``over`` (``client``: CloudWatch, for metrics)."""
    start, end = over
    if name == "logs":
        answer = _deck.run_question(
            args, _deck.COST_BY_MODEL, err, default_since="today", over=over
        )
        rows = answer.result.rows
        unpriced = _deck.unpriced_by_model(args, err, over) if rows else None
        return _spend_sources.logs_spend(rows, unpriced)
    models = getattr(args, "model", None)
    if name == "account":
        return _spend_sources.account_spend(client, start, end, models)
    service = getattr(args, "service", None) or _options.deck_name(args)
    if not service:
        raise UsageError(
            "say whose metrics: --service NAME (the deck's service_name) or --deck NAME"
        )
    namespace = getattr(args, "namespace", None) or DEFAULT_NAMESPACE
    return _spend_sources.metrics_spend(client, namespace, service, start, end, models)


def _spend_from_sources(
    args: argparse.Namespace, out: TextIO, err: TextIO, sources: list[str]
) -> int:
    """Spend by model from the metrics, the account, or every source side by side."""
    over = _deck.window(args, "today")
    client = None
    results = []
    for name in sources:
        if name != "logs":
            client = client or _spend_sources.make_cloudwatch_client(args.region, args.profile)
        results.append(_read_source(name, args, err, over, client))
    columns, rows = _spend_sources.compare_rows(results)
    if sources == ["metrics"]:
        columns.insert(2, "calls")
        for row in rows:
            row["calls"] = results[0].calls.get(row["model"], 0)
    total = total_row(columns, rows) if rows else None
    no_data = sorted({m for r in results for m in r.no_data})
    if no_data:
        err.write(
            f"genai-obs: note: no data for {', '.join(no_data)} in Amazon Bedrock's metrics"
            " in this Region: shown empty, never as 0, and not in the total\n"
        )
    unknown = sorted({m for r in results for m, c in r.costs.items() if c is None} - set(no_data))
    if unknown:
        err.write(
            f"genai-obs: note: no price for {', '.join(unknown)}: its cost is unknown"
            " (empty), and not in the total; set GENAI_MODEL_PRICES to price it\n"
        )
    since, until = (_timerange.format_time(t) for t in over)
    logs = next((r for r in results if r.source == "logs"), None)
    if total is not None and logs is not None and logs.unpriced is not None:
        calls, missing = sum(logs.calls.values()), sum(logs.unpriced.values())
        total[LOGS_FLAG] = 0 < missing < calls
    if args.format == "table":
        out.write(f"Spend by model ({', '.join(sources)}), {since} to {until}\n\n")
        table, marked = render_marked_table(
            columns, rows, total, cost="logs_usd", flag=LOGS_FLAG, missing=""
        )
        out.write(table + (lower_bound_note("logs_unpriced_calls") if marked else ""))
        return 0
    extra = {"since": since, "until": until, "sources": sources}
    out.write(render(args.format, columns, rows, total=total, extra=extra))
    return 0
