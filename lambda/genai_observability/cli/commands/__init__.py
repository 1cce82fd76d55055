"""The ``genai-obs`` commands: one table, one module per command (as pip's ``commands_dict``).

Each command module holds what only that command does and exposes three names:

* ``DESCRIPTION``: the paragraph its ``--help`` shows;
* ``add_arguments(parser)``: its options (the shared ones from :mod:`.._options`);
* ``run(args, out, err) -> int``: the command, returning its exit status.

A command module never imports another: what two commands share lives in the shared layer
beside this package (``cli/_*.py``). A new command is one module here and one line in
:data:`COMMANDS`.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType

__all__ = ["COMMANDS", "CommandInfo", "load"]


@dataclass(frozen=True)
class CommandInfo:
    """Where a command lives and what it does, in one line.

    Attributes:
        module_path: The command's module.
        summary: The line ``genai-obs --help`` shows for it.
    """

    module_path: str
    summary: str


COMMANDS: dict[str, CommandInfo] = {
    "ask": CommandInfo(
        "genai_observability.cli.commands.ask", "run one of the deck's saved questions"
    ),
    "spend": CommandInfo(
        "genai_observability.cli.commands.spend", "cost by model since UTC midnight, with a total"
    ),
    "questions": CommandInfo(
        "genai_observability.cli.commands.questions", "list the questions the deck answers"
    ),
    "report": CommandInfo(
        "genai_observability.cli.commands.report",
        "summarise spend, latency and errors from local JSON lines",
    ),
    "package": CommandInfo(
        "genai_observability.cli.commands.package", "build the deterministic Lambda zip"
    ),
    "prices": CommandInfo(
        "genai_observability.cli.commands.prices",
        "show prices, refresh the catalog from the AWS Price List, or check it",
    ),
    "reconcile": CommandInfo(
        "genai_observability.cli.commands.reconcile",
        "the deck's spend for a day next to the bill (Cost Explorer), per model",
    ),
    "budget": CommandInfo(
        "genai_observability.cli.commands.budget",
        "spend today against the budget; see or lift the brake",
    ),
}
"""Every command, in the order ``genai-obs --help`` lists them."""


def load(name: str) -> ModuleType:
    """Import the module of the command ``name`` (a key of :data:`COMMANDS`)."""
    return importlib.import_module(COMMANDS[name].module_path)
