"""``genai-obs questions``: the questions the deck answers (with ``--deck``: those saved)."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from .. import _deck, _insights, _options
from .._format import render
from .._questions import QUESTIONS

DESCRIPTION = "List the saved questions; with --deck, those saved in the account."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``questions``' options: the deck, AWS and format."""
    _options.add_deck(parser)
    _options.add_aws(parser)
    _options.add_format(parser)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """List the questions the deck answers."""
    deck = _options.deck_name(args)
    if deck is None:
        rows: list[dict[str, Any]] = [
            {"question": q.name, "description": q.description} for q in QUESTIONS.values()
        ]
        out.write(render(args.format, ["question", "description"], rows))
        return 0
    client = _insights.make_client(args.region, args.profile)
    saved = {d["name"][len(deck) + 1 :]: d for d in _insights.list_definitions(client, f"{deck}/")}
    if not saved:
        raise _deck.deck_not_found(deck, client)
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
