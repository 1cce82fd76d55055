"""``genai-obs report FILE|-``: the deck's summary computed from local JSON lines."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from .. import _options
from .._errors import UsageError
from .._format import render
from .._report import ERROR_COLUMNS, MODEL_COLUMNS, Report, build_report
from .._totals import lower_bound_note, render_marked_table

DESCRIPTION = (
    "Summarise llm_call JSON lines (a file, or - for stdin): calls, errors, tokens,"
    " cost and nearest-rank latency percentiles per model, and errors by type."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``report``'s options: format, and the file."""
    _options.add_format(parser)
    parser.add_argument("file", metavar="FILE", help="JSON-lines file, or - for stdin")


def _read(path: str) -> Report:
    if path == "-":
        return build_report(sys.stdin)
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return build_report(handle)
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Summarise spend, latency and errors from local JSON lines."""
    report = _read(args.file)
    columns = list(MODEL_COLUMNS)
    rows = report.model_rows()
    total = report.total_row() if rows else None
    counts = report.counts()
    if args.format != "table":  # JSON (with the errors and line counts) or CSV
        extra = {"errors_by_type": report.error_rows(), "lines": counts}
        out.write(render(args.format, columns, rows, total=total, extra=extra))
        return 0
    out.write("Calls by model\n\n")
    table, marked = render_marked_table(columns, rows, total)
    out.write(table)
    if marked:
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
