"""``genai-obs``: ask the deck's saved questions from the terminal.

Subcommands:

* ``ask QUESTION``: run one saved Logs Insights question over a time range;
* ``questions``: list the questions (with ``--deck``: those saved in the account);
* ``spend``: today's cost by model with a total;
* ``report FILE|-``: the same summary computed from local JSON lines;
* ``package [OUT.zip]``: build the deterministic Lambda zip (the same as ``make package``);
* ``prices [MODEL|refresh] [--check]``: the price catalog and overrides, every price of one
  model, a fresh catalog from the AWS Price List, or a freshness check;
* ``reconcile --day YYYY-MM-DD``: the deck's spend next to Cost Explorer's, per model.
* ``budget status|resume``: today's spend against the budget; see or lift the brake.

Exit status: 0 on success, 1 on a runtime error (AWS, query failed, unknown price),
2 on bad usage (unknown question, bad time range), 130 when interrupted. Errors are one
line on stderr, never a traceback. This subpackage is not shipped in the Lambda zip.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import typing
from collections.abc import Sequence

from genai_observability import GenAIObservabilityError

from ._errors import EXIT_INTERRUPTED, EXIT_RUNTIME, EXIT_USAGE, CLIError
from ._format import FORMATS
from ._questions import QUESTIONS

__all__ = ["build_parser", "main"]

PROG = "genai-obs"


def _version() -> str:
    try:
        from importlib.metadata import PackageNotFoundError, version
    except ImportError:  # pragma: no cover - always present on 3.11
        return "unknown"
    try:
        return version("genai-observability")
    except PackageNotFoundError:
        return "unknown (not installed)"


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors are one line on stderr (exit status 2)."""

    def error(self, message: str) -> typing.NoReturn:
        _error(f"{message} (see {self.prog} --help)")
        raise SystemExit(EXIT_USAGE)


def _timeout(text: str) -> float:
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


def build_parser() -> argparse.ArgumentParser:
    """Build the command-line parser.

    Returns:
        The ``genai-obs`` parser with its subcommands.
    """
    from . import _budget, _commands, _prices, _reconcile, _spend_sources

    parser = _Parser(
        prog=PROG,
        description="Ask the GenAI observability deck's saved questions from the terminal.",
        epilog=f"Set {_commands.DECK_ENV} to the deck name to skip --deck.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    fmt = argparse.ArgumentParser(add_help=False)
    fmt.add_argument(
        "--format", choices=FORMATS, default="table", help="output format (default: table)"
    )

    aws = argparse.ArgumentParser(add_help=False)
    aws.add_argument("--region", help="AWS region (default: the configured one)")
    aws.add_argument("--profile", help="AWS profile (default: the credential chain)")

    deck = argparse.ArgumentParser(add_help=False)
    deck.add_argument(
        "--deck",
        metavar="NAME",
        help=f"deck name: the folder of its saved queries (default: ${_commands.DECK_ENV})",
    )

    def query_options(since_default: str) -> argparse.ArgumentParser:
        run = argparse.ArgumentParser(add_help=False, parents=[deck])
        run.add_argument(
            "--log-group",
            metavar="NAME",
            action="append",
            help="log group to query (repeatable); without --deck the built-in query is used",
        )
        run.add_argument(
            "--since",
            metavar="TIME",
            help=f"start: 30m, 24h, 7d, 'today' or ISO 8601 (default: {since_default})",
        )
        run.add_argument(
            "--until", metavar="TIME", help="end: like --since, or 'now' (default: now)"
        )
        run.add_argument(
            "--timeout",
            type=_timeout,
            default=300.0,
            metavar="SECONDS",
            help="stop the query on AWS after this long (default: 300)",
        )
        run.add_argument(
            "--progress",
            action="store_true",
            help="show status and bytes scanned on stderr (default: only on a terminal)",
        )
        return run

    names = ", ".join(QUESTIONS)
    ask = sub.add_parser(
        "ask",
        parents=[query_options("24h"), aws, fmt],
        help="run one of the deck's saved questions",
        description=f"Run one of the deck's saved Logs Insights questions: {names}.",
    )
    ask.add_argument("question", metavar="QUESTION", help="question name, e.g. daily-cost")
    ask.set_defaults(func=_commands.cmd_ask)

    spend = sub.add_parser(
        "spend",
        parents=[query_options("today, UTC midnight"), aws, fmt],
        help="cost by model since UTC midnight, with a total",
        description="Cost by model (the deck's cost-by-model question) with a total row.",
    )
    _spend_sources.add_arguments(spend)  # --source logs|metrics|account, --compare

    questions = sub.add_parser(
        "questions",
        parents=[deck, aws, fmt],
        help="list the questions the deck answers",
        description="List the saved questions; with --deck, those saved in the account.",
    )
    questions.set_defaults(func=_commands.cmd_questions)

    report = sub.add_parser(
        "report",
        parents=[fmt],
        help="summarise spend, latency and errors from local JSON lines",
        description=(
            "Summarise llm_call JSON lines (a file, or - for stdin): calls, errors, tokens,"
            " cost and nearest-rank latency percentiles per model, and errors by type."
        ),
    )
    report.add_argument("file", metavar="FILE", help="JSON-lines file, or - for stdin")
    report.set_defaults(func=_commands.cmd_report)

    package = sub.add_parser(
        "package",
        help="build the deterministic Lambda zip",
        description=(
            "Build the deterministic Lambda zip and print one line: its path, file count"
            " and sha256 (hex and base64, Terraform's source_code_hash)."
        ),
    )
    package.add_argument(
        "out",
        metavar="OUT.zip",
        nargs="?",
        default=None,
        help="path of the zip to write (default: dist/genai_observability.zip)",
    )
    package.add_argument(
        "--layer",
        metavar="OUT.zip",
        help="build the Lambda layer instead (default: dist/genai_observability_layer.zip"
        " with --layer -)",
    )
    package.add_argument("--format", choices=("table", "json"), default="table")
    package.add_argument("--source-dir", help="package directory (default: this package)")
    package.add_argument(
        "--price-catalog",
        metavar="FILE",
        help="ship this catalog (genai-obs prices refresh) as the payload's prices.json",
    )
    package.set_defaults(func=_commands.cmd_package, kind="function")

    _prices.register(sub, fmt=fmt, aws=aws)
    _reconcile.register(sub, parents=[deck, aws, fmt])
    _budget.register(sub)  # budget status | resume
    return parser


def _error(message: str) -> None:
    sys.stderr.write(f"{PROG}: error: {message}\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``genai-obs``.

    Args:
        argv: The arguments (default: ``sys.argv[1:]``).

    Returns:
        The exit status: 0 success, 1 runtime error, 2 usage error, 130 interrupted.
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and argparse usage errors
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    if getattr(args, "func", None) is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return args.func(args, sys.stdout, sys.stderr)
    except CLIError as exc:
        _error(str(exc))
        return exc.exit_code
    except GenAIObservabilityError as exc:
        _error(" ".join(str(exc).split()))
        return EXIT_RUNTIME
    except KeyboardInterrupt:
        _error("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (e.g. `genai-obs report x | head`): stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_RUNTIME
