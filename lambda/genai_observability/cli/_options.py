"""The options several commands share, each defined once (as pip's ``cmdoptions``).

A command adds the ones it takes, in the order its help lists them: the deck
(``--deck``, default ``$GENAI_OBS_DECK``), the AWS account (``--region``, ``--profile``),
the output format, and what a Logs Insights question runs over (``--log-group``,
``--since``/``--until``, ``--timeout``, ``--progress``).
"""

from __future__ import annotations

import argparse
import math
import os

from ._format import FORMATS

__all__ = [
    "DECK_ENV",
    "DEFAULT_TIMEOUT",
    "add_aws",
    "add_deck",
    "add_format",
    "add_log_group",
    "add_progress",
    "add_query_options",
    "add_timeout",
    "deck_name",
    "timeout_seconds",
]

DECK_ENV = "GENAI_OBS_DECK"
"""Environment variable naming the default deck (the observability module's ``name``)."""

DEFAULT_TIMEOUT = 300.0
"""Seconds a Logs Insights query may run before the command stops it."""


def deck_name(args: argparse.Namespace) -> str | None:
    """The deck asked: ``--deck``, else ``$GENAI_OBS_DECK``, else None."""
    return getattr(args, "deck", None) or os.environ.get(DECK_ENV) or None


def timeout_seconds(text: str) -> float:
    """Read ``--timeout``: a finite number of seconds above zero (not nan, inf or negative)."""
    try:
        seconds = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not math.isfinite(seconds) or seconds <= 0:
        raise argparse.ArgumentTypeError(
            f"must be a finite number of seconds above zero, not {text!r}"
        )
    return seconds


def add_deck(parser: argparse.ArgumentParser, help: str | None = None) -> None:
    """``--deck NAME`` (default ``$GENAI_OBS_DECK``)."""
    parser.add_argument(
        "--deck",
        metavar="NAME",
        help=help or f"deck name: the folder of its saved queries (default: ${DECK_ENV})",
    )


def add_aws(parser: argparse.ArgumentParser) -> None:
    """``--region`` and ``--profile``."""
    parser.add_argument("--region", help="AWS region (default: the configured one)")
    parser.add_argument("--profile", help="AWS profile (default: the credential chain)")


def add_format(parser: argparse.ArgumentParser) -> None:
    """``--format table|json|csv``."""
    parser.add_argument(
        "--format", choices=FORMATS, default="table", help="output format (default: table)"
    )


def add_log_group(parser: argparse.ArgumentParser) -> None:
    """``--log-group NAME`` (repeatable)."""
    parser.add_argument(
        "--log-group",
        metavar="NAME",
        action="append",
        help="log group to query (repeatable); without --deck the built-in query is used",
    )


def add_timeout(
    parser: argparse.ArgumentParser,
    help: str = "stop the query on AWS after this long (default: 300)",
) -> None:
    """``--timeout SECONDS``, read by :func:`timeout_seconds`."""
    parser.add_argument(
        "--timeout", type=timeout_seconds, default=DEFAULT_TIMEOUT, metavar="SECONDS", help=help
    )


def add_progress(parser: argparse.ArgumentParser) -> None:
    """``--progress``."""
    parser.add_argument(
        "--progress",
        action="store_true",
        help="show status and bytes scanned on stderr (default: only on a terminal)",
    )


def add_query_options(parser: argparse.ArgumentParser, since_default: str) -> None:
    """What a saved question runs over: the deck, log groups, time range, timeout, progress."""
    add_deck(parser)
    add_log_group(parser)
    parser.add_argument(
        "--since",
        metavar="TIME",
        help=f"start: 30m, 24h, 7d, 'today' or ISO 8601 (default: {since_default})",
    )
    parser.add_argument(
        "--until", metavar="TIME", help="end: like --since, or 'now' (default: now)"
    )
    add_timeout(parser)
    add_progress(parser)
