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

Layout (as pip's): :mod:`.commands` holds the table of commands and one module per
command; the modules beside it (``_aws``, ``_options``, ``_format``, ``_totals``,
``_deck``, ``_insights``, ``_timerange``, ...) are the layer the commands share.
"""

from __future__ import annotations

import argparse
import os
import sys
import typing
from collections.abc import Sequence

from genai_observability import GenAIObservabilityError

from ._errors import EXIT_INTERRUPTED, EXIT_RUNTIME, EXIT_USAGE, CLIError
from ._options import DECK_ENV
from .commands import COMMANDS, load

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


def build_parser() -> argparse.ArgumentParser:
    """Build the command-line parser: one subcommand per entry of the command table.

    Returns:
        The ``genai-obs`` parser with its subcommands.
    """
    parser = _Parser(
        prog=PROG,
        description="Ask the GenAI observability deck's saved questions from the terminal.",
        epilog=f"Set {DECK_ENV} to the deck name to skip --deck.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, info in COMMANDS.items():
        command = load(name)
        command_parser = sub.add_parser(name, help=info.summary, description=command.DESCRIPTION)
        command.add_arguments(command_parser)
        command_parser.set_defaults(func=command.run)
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
