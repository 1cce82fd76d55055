"""Keeps the inputs/outputs tables of every module README true to its .tf files.

terraform-docs is not installable on the project's machines, so this small script renders
the same kind of tables from variables.tf / outputs.tf (via python-hcl2) between the
markers ``<!-- BEGIN_TF_DOCS -->`` and ``<!-- END_TF_DOCS -->``.

    python scripts/tfdocs.py           # rewrite the tables in place
    python scripts/tfdocs.py --check   # exit 1 and name the READMEs that are out of date

tests/repo/test_docs.py runs the check, so a changed variable without a changed README
fails the test suite.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import hcl2

ROOT = Path(__file__).resolve().parent.parent
BEGIN = "<!-- BEGIN_TF_DOCS -->"
END = "<!-- END_TF_DOCS -->"


def module_dirs(root: Path = ROOT) -> list[Path]:
    """The root module, every submodule and every example."""
    dirs = [root]
    for parent in ("modules", "examples"):
        base = root / parent
        if base.is_dir():
            dirs += sorted(p for p in base.iterdir() if p.is_dir() and any(p.glob("*.tf")))
    return dirs


def _unquote(value: Any) -> Any:
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return json.loads(value)
    return value


def _expr(value: Any) -> str:
    """Renders an HCL value as python-hcl2 parsed it, on one line."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        if value.startswith("${") and value.endswith("}"):
            return value[2:-1]
        return value
    if isinstance(value, (int, float)):
        return json.dumps(value)
    if isinstance(value, dict):
        value = {_unquote(k): v for k, v in value.items() if k != "__is_block__"}
        inner = ", ".join(f"{json.dumps(k)} = {_expr(v)}" for k, v in value.items())
        return "{" + (f" {inner} " if inner else "") + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_expr(v) for v in value) + "]"
    return str(value)


def _blocks(directory: Path, kind: str) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for tf in sorted(directory.glob("*.tf")):
        with tf.open() as fh:
            parsed = hcl2.load(fh)
        for block in parsed.get(kind, []):
            for name, body in block.items():
                found[_unquote(name)] = body
    return found


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def render(directory: Path) -> str:
    """The markdown that belongs between the markers for ``directory``."""
    lines = [BEGIN, "## Inputs", ""]
    variables = _blocks(directory, "variable")
    if variables:
        lines += ["| Name | Description | Type | Default | Required |", "|---|---|---|---|:---:|"]
        for name in sorted(variables):
            body = variables[name]
            description = _cell(_unquote(body.get("description", "")))
            type_ = _cell(_expr(body.get("type", "any")))
            required = "default" not in body
            default = "n/a" if required else f"`{_cell(_expr(body['default']))}`"
            req = "yes" if required else "no"
            lines.append(f"| `{name}` | {description} | `{type_}` | {default} | {req} |")
    else:
        lines.append("No inputs.")
    lines += ["", "## Outputs", ""]
    outputs = _blocks(directory, "output")
    if outputs:
        lines += ["| Name | Description |", "|---|---|"]
        for name in sorted(outputs):
            description = _cell(_unquote(outputs[name].get("description", "")))
            lines.append(f"| `{name}` | {description} |")
    else:
        lines.append("No outputs.")
    lines.append(END)
    return "\n".join(lines)


def update(readme: Path, directory: Path) -> tuple[str, str]:
    """Returns (current text, text with fresh tables) of ``readme``."""
    text = readme.read_text()
    start, stop = text.find(BEGIN), text.find(END)
    if start < 0 or stop < start:
        raise ValueError(f"{readme}: the markers {BEGIN} and {END} are missing")
    return text, text[:start] + render(directory) + text[stop + len(END) :]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Render or check README input/output tables.")
    parser.add_argument("--check", action="store_true", help="only report stale READMEs")
    args = parser.parse_args(argv)
    stale = []
    for directory in module_dirs():
        readme = directory / "README.md"
        if not readme.exists():
            stale.append(f"{readme.relative_to(ROOT)} (missing)")
            continue
        try:
            current, fresh = update(readme, directory)
        except ValueError as exc:
            stale.append(str(exc))
            continue
        if current != fresh:
            if args.check:
                stale.append(str(readme.relative_to(ROOT)))
            else:
                readme.write_text(fresh)
                print(f"updated {readme.relative_to(ROOT)}")
    if stale:
        print("out of date: " + ", ".join(stale), file=sys.stderr)
        return 1 if args.check else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
