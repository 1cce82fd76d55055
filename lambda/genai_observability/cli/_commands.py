"""The ``genai-obs`` subcommands.

Each command takes the parsed arguments and the output streams and returns the exit
status; errors it reports on purpose are :class:`~._errors.CLIError` subclasses.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import io
import json
import os
import sys
from decimal import Decimal
from typing import Any, TextIO

from . import _insights, _timerange
from ._errors import CLIError, NotFoundError, UsageError
from ._format import format_usd, render, to_number
from ._questions import QUESTIONS, suggest
from ._report import ERROR_COLUMNS, MODEL_COLUMNS, TOTAL_LABEL, build_report

DECK_ENV = "GENAI_OBS_DECK"
"""Environment variable naming the default deck (the observability module's ``name``)."""

SPEND_QUESTION = "cost-by-model"
UNPRICED_QUESTION = "unpriced-models"
MAX_LOG_GROUPS = 50
"""StartQuery's logGroupNames takes up to 50 log groups (boto3 CloudWatchLogs.start_query
reference, boto3 1.26.152 / 1.34.13 docs)."""
PRICE_COLUMNS = ("model", "source", "input_usd", "output_usd", "cache_read_usd", "cache_write_usd")


def _deck(args: argparse.Namespace) -> str | None:
    return args.deck or os.environ.get(DECK_ENV) or None


def _unknown_question(question: str, valid: list[str], where: str) -> UsageError:
    hint = suggest(question, valid)
    did_you_mean = f" (did you mean {hint!r}?)" if hint else ""
    return UsageError(f"unknown question {question!r}{did_you_mean}; {where}: {', '.join(valid)}")


def _region(client: Any) -> str:
    return getattr(getattr(client, "meta", None), "region_name", None) or "the default region"


def _resolve(args: argparse.Namespace, question: str) -> tuple[Any, str, list[str]]:
    """Find the query text and log groups for a question.

    Returns:
        ``(client, query, log_groups)``.
    """
    deck = _deck(args)
    log_groups = list(args.log_group or [])
    if len(log_groups) > MAX_LOG_GROUPS:
        raise UsageError(
            f"{len(log_groups)} log groups given; one query takes at most {MAX_LOG_GROUPS}"
        )
    if deck is None:
        if not log_groups:
            raise UsageError(
                f"say which deck to ask: --deck NAME (or set {DECK_ENV}), "
                "or which log groups: --log-group NAME"
            )
        if question not in QUESTIONS:
            raise _unknown_question(question, list(QUESTIONS), "valid questions")
        client = _insights.make_client(args.region, args.profile)
        return client, QUESTIONS[question].query, log_groups
    client = _insights.make_client(args.region, args.profile)
    name = f"{deck}/{question}"
    definition = _insights.find_definition(client, name)
    if definition is None:
        saved = sorted(
            d["name"][len(deck) + 1 :] for d in _insights.list_definitions(client, f"{deck}/")
        )
        if not saved:
            raise NotFoundError(
                f"deck {deck!r} not found: no Logs Insights query definitions named "
                f"'{deck}/...' in {_region(client)} (check --deck, --region and --profile)"
            )
        if question in QUESTIONS:
            raise NotFoundError(
                f"deck {deck!r} has no saved query {name!r} in {_region(client)}; "
                f"it answers: {', '.join(saved)}"
            )
        raise _unknown_question(question, saved, f"deck {deck!r} answers")
    if not log_groups:
        log_groups = list(definition.get("logGroupNames") or [])
    if not log_groups:
        raise UsageError(f"saved query {name!r} has no log groups; pass --log-group NAME")
    return client, definition["queryString"], log_groups


def _progress(args: argparse.Namespace, err: TextIO) -> _insights.Progress:
    isatty = getattr(err, "isatty", None)
    enabled = bool(args.progress or (isatty and isatty()))
    return _insights.Progress(stream=err, enabled=enabled)


Window = tuple[Any, Any]
"""A time range, ``(start, end)`` as aware datetimes."""


def _window(args: argparse.Namespace, default_since: str) -> Window:
    """The time range of ``--since``/``--until``, read once (one ``now`` for every query)."""
    return _timerange.parse_range(
        args.since, args.until, _timerange.now(), default_since=default_since
    )


def _run(
    args: argparse.Namespace,
    question: str,
    err: TextIO,
    *,
    default_since: str,
    window: Window | None = None,
    say_empty: bool = True,
) -> tuple[_insights.QueryResult, str, str, bool]:
    start, end = window if window is not None else _window(args, default_since)
    if args.timeout <= 0:
        raise UsageError("--timeout must be a positive number of seconds")
    client, query, log_groups = _resolve(args, question)
    start_s, end_s = _timerange.epoch_seconds(start, end)
    progress = _progress(args, err)
    result = _insights.run_query(
        client,
        log_groups=log_groups,
        query=query,
        start=start_s,
        end=end_s,
        timeout=args.timeout,
        progress=progress,
    )
    # A row without fields (Logs Insights can answer so) is no row: with none left, say
    # so on stderr and exit 0 (stdout holds the empty result in the chosen format).
    rows = [row for row in result.rows if row]
    if len(rows) != len(result.rows):
        result = dataclasses.replace(result, rows=rows)
    if not rows and say_empty:
        err.write("genai-obs: no results: the query returned no rows\n")
    if result.truncated:
        err.write(
            f"genai-obs: warning: Logs Insights returns at most {_insights.MAX_ROWS:,} rows;"
            " the result may be cut: narrow the time range\n"
        )
    return result, _timerange.format_time(start), _timerange.format_time(end), progress.enabled


def _summary(err: TextIO, result: _insights.QueryResult, enabled: bool) -> None:
    if enabled:
        scan = _insights.describe_scan(result.statistics, result.elapsed)
        err.write(f"{len(result.rows):,} rows; {scan}\n")


def cmd_ask(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run one saved question and print its rows."""
    result, _start, _end, show = _run(args, args.question, err, default_since="24h")
    out.write(render(args.format, result.columns, result.rows))
    _summary(err, result, show)
    return 0


_NOT_ADDITIVE = ("avg", "mean", "min", "max", "pct", "p50", "p90", "p95", "p99", "per_", "latency")


def _is_additive(column: str) -> bool:
    lowered = column.lower()
    return not any(part in lowered for part in _NOT_ADDITIVE)


def total_row(columns: list[str], rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Sum the additive numeric columns of rows (costs exactly, in decimal).

    Columns of averages, percentiles, minima, maxima, rates and latencies are left empty.
    The first column that is not numeric holds ``TOTAL``.

    Args:
        columns: The columns.
        rows: The rows, values as strings or numbers.

    Returns:
        The total row.
    """
    total: dict[str, Any] = {}
    label_column = None
    for column in columns:
        values = [row.get(column) for row in rows if row.get(column) not in (None, "")]
        numbers = [to_number(v) for v in values]
        if values and all(n is not None for n in numbers):
            if _is_additive(column):
                if all(isinstance(n, int) for n in numbers):
                    total[column] = sum(numbers)  # type: ignore[arg-type]
                else:
                    exact = sum((Decimal(str(v).strip()) for v in values), Decimal(0))
                    total[column] = float(exact)
        elif label_column is None:
            label_column = column
    total[label_column or columns[0]] = TOTAL_LABEL
    return total


def unpriced_by_model(
    args: argparse.Namespace, err: TextIO, window: Window, *, default_since: str = "today"
) -> dict[str, int] | None:
    """Unpriced calls per model over ``window``: the ``unpriced-models`` question's rows.

    The question is resolved like any other (by name in the deck, or the built-in copy with
    ``--log-group`` and no deck); its rows per tier, latency mode and Region are added up
    per model.

    Returns:
        Model -> unpriced calls; None when the deck has not saved the question (a deck from
        before it), after one note on stderr.
    """
    try:
        result, _start, _end, _show = _run(
            args,
            UNPRICED_QUESTION,
            err,
            default_since=default_since,
            window=window,
            say_empty=False,
        )
    except NotFoundError:
        deck = _deck(args)
        if deck is None:  # pragma: no cover - the built-in copy always exists
            raise
        err.write(
            f"genai-obs: note: deck {deck!r} has no saved question {UNPRICED_QUESTION!r}"
            " (saved by newer versions of the module): a cost that leaves out unpriced"
            " calls cannot be marked as a lower bound\n"
        )
        return None
    counts: dict[str, int] = {}
    for row in result.rows:
        model, calls = row.get("model"), to_number(row.get("calls"))
        if model and isinstance(calls, int):
            counts[str(model)] = counts.get(str(model), 0) + calls
    return counts


def _int_of(value: Any) -> int:
    number = to_number(value)
    return number if isinstance(number, int) else 0


def mark_unpriced(
    rows: list[dict[str, Any]], unpriced: dict[str, int], *, cost: str = "total_cost_usd"
) -> list[dict[str, Any]]:
    """Give cost-by-model rows ``unpriced_calls`` and ``cost_is_lower_bound``.

    A model some of whose calls are unpriced has a cost that is a lower bound; one whose
    calls are all unpriced has an unknown cost (None), never 0, whatever the query summed.

    Args:
        rows: The cost-by-model rows (``model``, ``calls``, the cost column).
        unpriced: Unpriced calls per model (:func:`unpriced_by_model`).
        cost: The cost column.

    Returns:
        New rows. The unpriced count is capped at the row's calls (lines that arrived
        between the two queries are not the cost query's).
    """
    marked = []
    for row in rows:
        calls = _int_of(row.get("calls"))
        count = min(unpriced.get(str(row.get("model") or ""), 0), calls)
        new = {**row, "unpriced_calls": count, "cost_is_lower_bound": 0 < count < calls}
        if calls and count >= calls:
            new[cost] = None
        marked.append(new)
    return marked


def _mark_total(
    total: dict[str, Any], rows: list[dict[str, Any]], *, cost: str = "total_cost_usd"
) -> dict[str, Any]:
    calls = sum(_int_of(r.get("calls")) for r in rows)
    count = sum(r.get("unpriced_calls") or 0 for r in rows)
    marked = {**total, "unpriced_calls": count, "cost_is_lower_bound": 0 < count < calls}
    if calls and count >= calls:
        marked[cost] = None
    return marked


def lower_bound_note(column: str = "unpriced_calls") -> str:
    """The footnote under a table with a ``>=`` cost (as ``report`` prints it)."""
    return f">= : at least this much; some calls have no price (see {column})\n"


def cmd_spend(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Print cost by model since UTC midnight (default), with a total row.

    With the deck's ``unpriced-models`` question (same range, same log groups) each model
    gets ``unpriced_calls``; a cost that leaves some out is a lower bound (``>= $X`` in the
    table, ``cost_is_lower_bound`` in JSON/CSV), one that leaves all out is unknown.
    """
    window = _window(args, "today")
    result, start, end, show = _run(args, SPEND_QUESTION, err, default_since="today", window=window)
    columns, rows = list(result.columns), list(result.rows)
    if rows and "total_cost_usd" not in columns:
        # Logs Insights leaves a field without a value out of a row; with no priced call
        # at all, out of every row: the cost column is still the deck's second.
        columns.insert(1 if columns[:1] == ["model"] else 0, "total_cost_usd")
    unpriced = unpriced_by_model(args, err, window) if rows else None
    total = total_row(columns, rows) if rows else None
    if unpriced is not None:
        rows = mark_unpriced(rows, unpriced)
        columns += ["unpriced_calls", "cost_is_lower_bound"]
        total = _mark_total(total or {}, rows)
    if args.format == "table":
        out.write(f"Spend by model, {start} to {end}\n\n")
        shown = [_mark_lower_bound(row) for row in [*rows, *([total] if total else [])]]
        out.write(
            render(
                "table",
                [c for c in columns if c != "cost_is_lower_bound"],
                shown[:-1] if total else shown,
                total=shown[-1] if total else None,
                missing="-",
            )
        )
        if any(row.get("cost_is_lower_bound") for row in shown):
            out.write(lower_bound_note())
    else:
        out.write(
            render(
                args.format,
                columns,
                rows,
                total=total,
                extra={"since": start, "until": end} if args.format == "json" else None,
            )
        )
    _summary(err, result, show)
    return 0


def cmd_questions(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """List the questions the deck answers."""
    deck = _deck(args)
    if deck is None:
        rows: list[dict[str, Any]] = [
            {"question": q.name, "description": q.description} for q in QUESTIONS.values()
        ]
        out.write(render(args.format, ["question", "description"], rows))
        return 0
    client = _insights.make_client(args.region, args.profile)
    saved = {d["name"][len(deck) + 1 :]: d for d in _insights.list_definitions(client, f"{deck}/")}
    if not saved:
        raise NotFoundError(
            f"deck {deck!r} not found: no Logs Insights query definitions named "
            f"'{deck}/...' in {_region(client)} (check --deck, --region and --profile)"
        )
    rows = []
    for name in [*QUESTIONS, *sorted(set(saved) - set(QUESTIONS))]:
        definition = saved.get(name)
        builtin = QUESTIONS.get(name)
        rows.append(
            {
                "question": name,
                "saved": "yes" if definition else "no",
                "log_groups": ", ".join(definition.get("logGroupNames") or [])
                if definition
                else "",
                "description": builtin.description if builtin else "(custom query)",
            }
        )
    out.write(render(args.format, ["question", "saved", "log_groups", "description"], rows))
    return 0


def cmd_report(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Summarise spend, latency and errors from local JSON lines."""
    if args.file == "-":
        report = build_report(sys.stdin)
    else:
        try:
            with open(args.file, encoding="utf-8", errors="replace") as handle:
                report = build_report(handle)
        except OSError as exc:
            raise UsageError(f"cannot read {args.file}: {exc.strerror or exc}") from None
    columns = list(MODEL_COLUMNS)
    rows = report.model_rows()
    total = report.total_row() if rows else None
    counts = report.counts()
    if args.format == "json":
        out.write(
            render(
                "json",
                columns,
                rows,
                total=total,
                extra={"errors_by_type": report.error_rows(), "lines": counts},
            )
        )
        return 0
    if args.format == "csv":
        out.write(render("csv", columns, rows, total=total))
        return 0
    out.write("Calls by model\n\n")
    shown = [_mark_lower_bound(row) for row in [*rows, *([total] if total else [])]]
    table_columns = [c for c in columns if c != "cost_is_lower_bound"]
    out.write(
        render(
            "table",
            table_columns,
            shown[:-1] if total else shown,
            total=shown[-1] if total else None,
            missing="-",
        )
    )
    if any(row.get("cost_is_lower_bound") for row in shown):
        out.write(lower_bound_note())
    out.write("\nErrors by type\n\n")
    errors = report.error_rows()
    out.write(render("table", list(ERROR_COLUMNS), errors) if errors else "(no errors)\n")
    out.write(
        f"\nRead {counts['lines']:,} lines: {counts['llm_calls']:,} llm_call events, "
        f"{counts['other_events']:,} other events, {counts['non_json']:,} non-JSON lines.\n"
    )
    if counts["invalid_counts"]:
        out.write(
            f"{counts['invalid_counts']:,} llm_call lines skipped: a token count that is not"
            " an integer from 0 to 10**15, or a cost_usd below 0 or over 10**15.\n"
        )
    return 0


def _mark_lower_bound(
    row: dict[str, Any], cost: str = "total_cost_usd", flag: str = "cost_is_lower_bound"
) -> dict[str, Any]:
    """The row as a table shows it: a lower-bound cost as ``>= $X``."""
    amount = to_number(row.get(cost))
    if not row.get(flag) or amount is None:
        return row
    return {**row, cost: f">= {format_usd(amount)}"}


def cmd_package(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Build an artifact (``args.kind``) and print the builder's one line (or its JSON)."""
    from genai_observability import package

    kind, out_path = args.kind, args.out
    layer = getattr(args, "layer", None)
    if layer is not None:
        if out_path is not None:
            raise CLIError("give either OUT.zip or --layer OUT.zip, not both")
        kind, out_path = "layer", (None if layer == "-" else layer)
    if out_path is not None:
        if not out_path.strip():
            raise UsageError("OUT.zip is empty: give a file path, or omit it for the default")
        if os.path.isdir(out_path):
            raise UsageError(f"{out_path} is a directory: give the path of the zip file to write")
    if args.source_dir is not None and not os.path.isfile(
        os.path.join(args.source_dir, "__init__.py")
    ):
        # Without this check a wrong --source-dir builds a zip with nothing to run in it.
        raise UsageError(
            f"--source-dir {args.source_dir!r} is not a package directory (no __init__.py)"
        )
    try:
        built = package.build(kind, out_path, args.source_dir, getattr(args, "price_catalog", None))
    except package.PackageError as exc:
        raise CLIError(str(exc)) from None
    if args.format == "json":
        out.write(json.dumps(built.as_dict(), indent=2) + "\n")
    else:
        out.write(built.summary() + "\n")
    return 0


def _price_row(model: str, price: Any, source: str) -> dict[str, Any]:
    return {
        "model": model,
        "source": source,
        "input_usd": getattr(price, "input", None),
        "output_usd": getattr(price, "output", None),
        "cache_read_usd": getattr(price, "cache_read", None),
        "cache_write_usd": getattr(price, "cache_write", None),
    }


def cmd_prices(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Show the price catalog and overrides, or the price one model resolves to."""
    from genai_observability import pricing

    columns = list(PRICE_COLUMNS)
    if args.model:
        price, source = pricing.resolve_price(args.model)
        rows = [_price_row(args.model, price, source)]
        if args.format == "table":
            out.write("Prices in USD per 1M tokens; - is unknown.\n\n")
        out.write(render(args.format, columns, rows, missing="-"))
        if price is None:
            err.write(
                f"genai-obs: no price for {args.model}: its calls log cost_usd null; "
                "add it to model_prices (GENAI_MODEL_PRICES)\n"
            )
            return 1
        return 0
    info = pricing.catalog_info()
    status = 0
    try:
        overrides = pricing.overrides()
    except pricing.PricingError as exc:
        # Show what the payload will really use (it skips what it cannot read), and fail.
        err.write(f"genai-obs: error: {exc}; the payload skips what it cannot read, as below\n")
        with contextlib.redirect_stderr(io.StringIO()):  # one line of error is enough
            overrides = pricing.overrides(strict=False)
        status = 1
    merged: dict[str, tuple[Any, str]] = {m: (p, "catalog") for m, p in pricing.catalog().items()}
    merged.update({m: (p, "override") for m, p in overrides.items()})
    rows = [_price_row(m, p, s) for m, (p, s) in sorted(merged.items())]
    extra = {"as_of": info.get("as_of"), "source": info.get("source"), "overrides": len(overrides)}
    if args.format == "table":
        out.write(
            f"Catalog as of {info.get('as_of')}\n"
            f"Source: {info.get('source')}\n"
            f"Overrides from GENAI_MODEL_PRICES: {len(overrides)}\n"
            "Prices in USD per 1M tokens; - is unknown.\n\n"
        )
    out.write(
        render(
            args.format, columns, rows, missing="-", extra=extra if args.format == "json" else None
        )
    )
    return status
