"""``genai-obs package [OUT.zip]``: build the deterministic Lambda zip (or ``--layer``).

The builder is :mod:`genai_observability.package`; this command reads the options, checks
them and prints the builder's one line (or its JSON).
"""

from __future__ import annotations

import argparse
import json
import os
from typing import TextIO

from genai_observability import package

from .._errors import CLIError, UsageError

DESCRIPTION = (
    "Build the deterministic Lambda zip and print one line: its path, file count"
    " and sha256 (hex and base64, Terraform's source_code_hash)."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``package``'s options: where to write, which artifact, from which sources."""
    parser.add_argument(
        "out",
        metavar="OUT.zip",
        nargs="?",
        default=None,
        help="path of the zip to write (default: dist/genai_observability.zip)",
    )
    parser.add_argument(
        "--layer",
        metavar="OUT.zip",
        help="build the Lambda layer instead (default: dist/genai_observability_layer.zip"
        " with --layer -)",
    )
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.add_argument("--source-dir", help="package directory (default: this package)")
    parser.add_argument(
        "--price-catalog",
        metavar="FILE",
        help="ship this catalog (genai-obs prices refresh) as the payload's prices.json",
    )
    parser.add_argument(
        "--bytecode",
        action="store_true",
        help="also ship the payload's bytecode, compiled by this Python: faster cold starts"
        " on the Lambda runtime of the same version (build with that runtime's Python)",
    )
    parser.set_defaults(kind="function")


def _target(args: argparse.Namespace) -> tuple[str, str | None]:
    """The artifact to build and where: ``(kind, path or None for its default)``."""
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
    return kind, out_path


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Build an artifact and print the builder's one line (or its JSON)."""
    kind, out_path = _target(args)
    if args.source_dir is not None and not os.path.isfile(
        os.path.join(args.source_dir, "__init__.py")
    ):
        # Without this check a wrong --source-dir builds a zip with nothing to run in it.
        raise UsageError(
            f"--source-dir {args.source_dir!r} is not a package directory (no __init__.py)"
        )
    try:
        built = package.build(
            kind,
            out_path,
            args.source_dir,
            getattr(args, "price_catalog", None),
            bytecode=getattr(args, "bytecode", False),
        )
    except package.PackageError as exc:
        raise CLIError(str(exc)) from None
    if args.format == "json":
        out.write(json.dumps(built.as_dict(), indent=2) + "\n")
    else:
        out.write(built.summary() + "\n")
    return 0
