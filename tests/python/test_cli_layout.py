"""The shape of ``genai-obs`` (as pip's): one table of commands, one module per command,
commands that never import each other, no private name taken across modules, and no
circle between the packager and the command."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

from genai_observability.cli import build_parser
from genai_observability.cli.commands import COMMANDS
from support import LAMBDA_DIR

PACKAGE_DIR = LAMBDA_DIR / "genai_observability"
CLI_DIR = PACKAGE_DIR / "cli"
COMMANDS_PACKAGE = "genai_observability.cli.commands"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(LAMBDA_DIR).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE_DIR.rglob("*.py"))}
"""Every module of the package (payload, packager and command), by dotted name."""


def _is_package(name: str) -> bool:
    return MODULES.get(name, Path()).name == "__init__.py"


def _base(name: str, node: ast.ImportFrom) -> str:
    """The module a ``from ... import`` reads from, relative levels resolved."""
    if node.level == 0:
        return node.module or ""
    package = name if _is_package(name) else name.rpartition(".")[0]
    for _ in range(node.level - 1):
        package = package.rpartition(".")[0]
    return f"{package}.{node.module}" if node.module else package


def _imports(name: str) -> list[tuple[str, str | None, ast.AST]]:
    """``(module, imported name or None, node)`` for every import in a module (lazy too).

    ``from pkg import sub`` of a submodule is an import of ``pkg.sub`` (name None).
    """
    found: list[tuple[str, str | None, ast.AST]] = []
    for node in ast.walk(ast.parse(MODULES[name].read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, None, node) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _base(name, node)
            for alias in node.names:
                if f"{base}.{alias.name}" in MODULES:
                    found.append((f"{base}.{alias.name}", None, node))
                else:
                    found.append((base, alias.name, node))
    return found


def _ours(name: str) -> list[str]:
    return sorted({m for m, _, _ in _imports(name) if m in MODULES})


def _cli_modules() -> list[str]:
    return [
        m
        for m in MODULES
        if m == "genai_observability.cli" or m.startswith("genai_observability.cli.")
    ]


def test_every_command_in_the_table_is_its_own_module() -> None:
    paths = [info.module_path for info in COMMANDS.values()]
    assert len(set(paths)) == len(paths), paths
    for name, info in COMMANDS.items():
        assert info.module_path == f"{COMMANDS_PACKAGE}.{name.replace('-', '_')}", name
        module = importlib.import_module(info.module_path)
        assert isinstance(module.DESCRIPTION, str) and module.DESCRIPTION, name
        assert callable(module.add_arguments) and callable(module.run), name
        assert info.summary and "\n" not in info.summary, name
    on_disk = {m for m in MODULES if m.startswith(f"{COMMANDS_PACKAGE}.")}
    assert on_disk == set(paths), "a module under cli/commands that is not in the table"


def test_the_parser_has_the_tables_commands_in_order() -> None:
    parser = build_parser()
    (sub,) = [a for a in parser._actions if a.dest == "command"]  # argparse keeps no public list
    assert list(sub.choices) == list(COMMANDS)


def test_no_command_imports_another_command() -> None:
    for name in MODULES:
        if not name.startswith(f"{COMMANDS_PACKAGE}."):
            continue
        others = [m for m in _ours(name) if m.startswith(f"{COMMANDS_PACKAGE}.") and m != name]
        assert not others, f"{name} imports {others}"


def _module_bindings(name: str) -> dict[str, str]:
    """Local names a module binds to modules of ours (``from .. import _deck`` -> _deck)."""
    bound = {}
    for module, imported, node in _imports(name):
        if module not in MODULES or imported is not None:
            continue
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if module.endswith(f".{alias.name}"):
                    bound[alias.asname or alias.name] = module
        else:
            for alias in node.names:
                if alias.name == module and alias.asname:
                    bound[alias.asname] = module
    return bound


def _private(attr: str) -> bool:
    return attr.startswith("_") and not attr.startswith("__")


def test_no_private_name_is_taken_from_another_module() -> None:
    problems = []
    for name in _cli_modules():
        for module, imported, _ in _imports(name):
            if module in MODULES and imported is not None and _private(imported):
                problems.append(f"{name}: from {module} import {imported}")
        bound = _module_bindings(name)
        tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)):
                continue
            target = bound.get(node.value.id)
            attr = node.attr
            if target and target != name and _private(attr) and f"{target}.{attr}" not in MODULES:
                problems.append(f"{name}: {node.value.id}.{attr}")
    assert not problems, "\n".join(problems)


def _cycles() -> list[set[str]]:
    """The import circles (strongly connected components) among the package's modules."""
    from support.structure import circles

    return [set(c) for c in circles({name: set(_ours(name)) for name in MODULES})]


def test_no_import_circle_between_the_packager_and_the_command() -> None:
    packager = "genai_observability.package"
    assert not [m for m in _ours(packager) if m.startswith("genai_observability.cli")]
    for component in _cycles():
        touched = [m for m in component if m.startswith((packager, "genai_observability.cli"))]
        assert not touched, f"import circle: {sorted(component)}"


def test_the_layout_checks_see_what_they_check() -> None:
    # The checks above would pass on nothing: make sure they read the real modules.
    assert "genai_observability.cli._aws" in MODULES
    assert set(_ours(f"{COMMANDS_PACKAGE}.spend")) >= {
        "genai_observability.cli._deck",
        "genai_observability.cli._spend_sources",
    }
    assert _module_bindings(f"{COMMANDS_PACKAGE}.ask")["_deck"] == "genai_observability.cli._deck"
    assert "genai_observability.cli" in _ours("genai_observability.package.__main__")
