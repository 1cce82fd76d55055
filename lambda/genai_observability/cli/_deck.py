"""Asking the deck: find a saved question, run it over a time range, say what came back.

A question is found by name in the deck's saved query definitions (``<deck>/<question>``),
or, with ``--log-group`` and no deck, taken from the built-in copy. :func:`run_question`
runs it with Logs Insights; :func:`unpriced_by_model` runs the ``unpriced-models``
question that makes a cost a lower bound.
"""

from __future__ import annotations

import argparse
import dataclasses
from datetime import datetime
from typing import Any, TextIO

from . import _insights, _timerange
from ._errors import NotFoundError, UsageError
from ._format import to_number
from ._options import DECK_ENV, deck_name
from ._questions import QUESTIONS, suggest

__all__ = [
    "COST_BY_MODEL",
    "MAX_LOG_GROUPS",
    "UNPRICED_MODELS",
    "Answer",
    "Window",
    "deck_not_found",
    "print_scan",
    "resolve",
    "run_question",
    "unpriced_by_model",
    "window",
]

COST_BY_MODEL = "cost-by-model"
UNPRICED_MODELS = "unpriced-models"
MAX_LOG_GROUPS = 50
"""StartQuery's logGroupNames takes up to 50 log groups (boto3 CloudWatchLogs.start_query
reference, boto3 1.26.152 / 1.34.13 docs)."""

Window = tuple[datetime, datetime]
"""A time range, ``(start, end)`` as aware datetimes."""


@dataclasses.dataclass(frozen=True)
class Answer:
    """A question's result over a time range.

    Attributes:
        result: The completed query (rows without fields dropped).
        since: The start, ISO 8601 UTC (``2025-01-31T00:00:00Z``).
        until: The end, likewise.
        show_progress: Whether progress (and the scan summary) goes to stderr.
    """

    result: _insights.QueryResult
    since: str
    until: str
    show_progress: bool


def window(args: argparse.Namespace, default_since: str) -> Window:
    """The time range of ``--since``/``--until``, read once (one ``now`` for every query)."""
    return _timerange.parse_range(
        args.since, args.until, _timerange.now(), default_since=default_since
    )


def _unknown_question(question: str, valid: list[str], where: str) -> UsageError:
    hint = suggest(question, valid)
    did_you_mean = f" (did you mean {hint!r}?)" if hint else ""
    return UsageError(f"unknown question {question!r}{did_you_mean}; {where}: {', '.join(valid)}")


def _region(client: Any) -> str:
    return getattr(getattr(client, "meta", None), "region_name", None) or "the default region"


def deck_not_found(deck: str, client: Any) -> NotFoundError:
    """The error for a deck without a saved query in the client's Region."""
    return NotFoundError(
        f"deck {deck!r} not found: no Logs Insights query definitions named "
        f"'{deck}/...' in {_region(client)} (check --deck, --region and --profile)"
    )


def _log_groups(args: argparse.Namespace) -> list[str]:
    log_groups = list(args.log_group or [])
    if len(log_groups) > MAX_LOG_GROUPS:
        raise UsageError(
            f"{len(log_groups)} log groups given; one query takes at most {MAX_LOG_GROUPS}"
        )
    return log_groups


def _saved_question(client: Any, deck: str, question: str) -> dict[str, Any]:
    """The deck's saved definition of a question, or the error saying why there is none."""
    name = f"{deck}/{question}"
    definition = _insights.find_definition(client, name)
    if definition is not None:
        return definition
    saved = sorted(
        d["name"][len(deck) + 1 :] for d in _insights.list_definitions(client, f"{deck}/")
    )
    if not saved:
        raise deck_not_found(deck, client)
    if question in QUESTIONS:
        raise NotFoundError(
            f"deck {deck!r} has no saved query {name!r} in {_region(client)}; "
            f"it answers: {', '.join(saved)}"
        )
    raise _unknown_question(question, saved, f"deck {deck!r} answers")


def resolve(args: argparse.Namespace, question: str) -> tuple[Any, str, list[str]]:
    """Find the query text and log groups for a question.

    Returns:
        ``(client, query, log_groups)``.
    """
    deck = deck_name(args)
    log_groups = _log_groups(args)
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
    definition = _saved_question(client, deck, question)
    if not log_groups:
        log_groups = list(definition.get("logGroupNames") or [])
    if not log_groups:
        name = f"{deck}/{question}"
        raise UsageError(f"saved query {name!r} has no log groups; pass --log-group NAME")
    return client, definition["queryString"], log_groups


def _progress(args: argparse.Namespace, err: TextIO) -> _insights.Progress:
    isatty = getattr(err, "isatty", None)
    enabled = bool(args.progress or (isatty and isatty()))
    return _insights.Progress(stream=err, enabled=enabled)


def run_question(
    args: argparse.Namespace,
    question: str,
    err: TextIO,
    *,
    default_since: str,
    over: Window | None = None,
    say_empty: bool = True,
) -> Answer:
    """Run one of the deck's questions over ``over`` (default: ``--since``/``--until``).

    A row without fields (Logs Insights can answer so) is no row: with none left, and
    ``say_empty``, a note on stderr says so. A result at Logs Insights' row limit gets a
    warning that it may be cut.
    """
    start, end = over if over is not None else window(args, default_since)
    if args.timeout <= 0:
        raise UsageError("--timeout must be a positive number of seconds")
    client, query, log_groups = resolve(args, question)
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
    since, until = _timerange.format_time(start), _timerange.format_time(end)
    return Answer(result, since, until, progress.enabled)


def print_scan(err: TextIO, answer: Answer) -> None:
    """With progress on, one line on stderr: the rows, what the query scanned, how long."""
    if answer.show_progress:
        result = answer.result
        scan = _insights.describe_scan(result.statistics, result.elapsed)
        err.write(f"{len(result.rows):,} rows; {scan}\n")


def unpriced_by_model(
    args: argparse.Namespace, err: TextIO, over: Window, *, default_since: str = "today"
) -> dict[str, int] | None:
    """Unpriced calls per model over ``over``: the ``unpriced-models`` question's rows.

    The question is resolved like any other (by name in the deck, or the built-in copy with
    ``--log-group`` and no deck); its rows per tier, latency mode and Region are added up
    per model.

    Returns:
        Model -> unpriced calls; None when the deck has not saved the question (a deck from
        before it), after one note on stderr.
    """
    try:
        answer = run_question(
            args, UNPRICED_MODELS, err, default_since=default_since, over=over, say_empty=False
        )
    except NotFoundError:
        deck = deck_name(args)
        if deck is None:  # pragma: no cover - the built-in copy always exists
            raise
        err.write(
            f"genai-obs: note: deck {deck!r} has no saved question {UNPRICED_MODELS!r}"
            " (saved by newer versions of the module): a cost that leaves out unpriced"
            " calls cannot be marked as a lower bound\n"
        )
        return None
    counts: dict[str, int] = {}
    for row in answer.result.rows:
        model, calls = row.get("model"), to_number(row.get("calls"))
        if model and isinstance(calls, int):
            counts[str(model)] = counts.get(str(model), 0) + calls
    return counts
