"""``genai-obs ask QUESTION``: run one of the deck's saved questions and print its rows."""

from __future__ import annotations

import argparse
from typing import TextIO

from .. import _deck, _options
from .._format import render
from .._questions import QUESTIONS

DESCRIPTION = f"Run one of the deck's saved Logs Insights questions: {', '.join(QUESTIONS)}."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``ask``'s options: what the question runs over, AWS, format, and the question."""
    _options.add_query_options(parser, "24h")
    _options.add_aws(parser)
    _options.add_format(parser)
    parser.add_argument("question", metavar="QUESTION", help="question name, e.g. daily-cost")


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Run one saved question and print its rows."""
    answer = _deck.run_question(args, args.question, err, default_since="24h")
    out.write(render(args.format, answer.result.columns, answer.result.rows))
    _deck.print_scan(err, answer)
    return 0
