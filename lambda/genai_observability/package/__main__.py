"""``python -m genai_observability.package``: the same as ``genai-obs package``.

An entry script, imported by nothing: the builder (``package/__init__.py``) never imports
the command, so the command's ``package`` module can import the builder without a circle.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from genai_observability.cli import main as cli_main


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``genai-obs package`` with these arguments (default: ``sys.argv[1:]``)."""
    return cli_main(["package", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
