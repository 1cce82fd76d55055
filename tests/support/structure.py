"""Reading the package with ``ast`` (nothing is imported or run), for the structure tests
(tests/repo/test_structure.py): its modules, the imports each one makes, its functions and
their lengths, its import graph and circles, and the private names one module takes from
another.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from support import LAMBDA_DIR

SOURCE = LAMBDA_DIR
PACKAGE = "genai_observability"
ARGPARSE_CALLS = {
    "ArgumentParser",
    "add_argument",
    "add_argument_group",
    "add_mutually_exclusive_group",
    "add_parser",
    "add_subparsers",
    "set_defaults",
}


@dataclass(frozen=True)
class Module:
    """One module of the package, parsed."""

    name: str  # genai_observability.cli._insights
    path: Path
    tree: ast.Module

    @property
    def package(self) -> str:
        """The package relative imports start from."""
        return self.name if self.path.name == "__init__.py" else self.name.rpartition(".")[0]


def read_modules() -> dict[str, Module]:
    """Every module of the package by its dotted name."""
    found = {}
    for path in sorted((SOURCE / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(SOURCE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        name = ".".join(parts)
        found[name] = Module(name, path, ast.parse(path.read_text(encoding="utf-8"), str(path)))
    return found


MODULES = read_modules()


def relative_path(module: Module) -> str:
    """The module's file under the package directory (``cli/_insights.py``)."""
    return module.path.relative_to(SOURCE / PACKAGE).as_posix()


def absolute_source(module: Module, node: ast.ImportFrom) -> str:
    """The absolute module name a ``from ... import`` reads from."""
    if not node.level:
        return node.module or ""
    base = module.package.split(".")
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


@dataclass(frozen=True)
class Imported:
    """One name an import statement brings in from a module of ours."""

    source: str  # the module read from
    name: str | None  # the name taken from it (None: ``import x.y``)
    bound: str  # the local name it is bound to
    line: int


def is_type_checking(node: ast.AST) -> bool:
    """``if TYPE_CHECKING:`` (or ``typing.TYPE_CHECKING``): a block that never runs."""
    if not isinstance(node, ast.If):
        return False
    test = node.test
    return getattr(test, "id", getattr(test, "attr", None)) == "TYPE_CHECKING"


def walk(tree: ast.AST, run_time_only: bool) -> Iterator[ast.AST]:
    """Every node of ``tree``; without ``if TYPE_CHECKING:`` bodies when run_time_only."""
    for child in ast.iter_child_nodes(tree):
        yield child
        if run_time_only and is_type_checking(child):
            yield from (n for s in child.orelse for n in [s, *walk(s, run_time_only)])
            continue
        yield from walk(child, run_time_only)


def imports_of(module: Module, run_time_only: bool = False) -> Iterator[Imported]:
    """Every name the module imports from the package, wherever the import stands."""
    for node in walk(module.tree, run_time_only):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == PACKAGE:
                    bound = alias.asname or alias.name
                    yield Imported(alias.name, None, bound, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            source = absolute_source(module, node)
            if source.split(".")[0] == PACKAGE:
                for alias in node.names:
                    yield Imported(source, alias.name, alias.asname or alias.name, node.lineno)


def targets(item: Imported) -> list[str]:
    """The modules of ours an import runs: a submodule named in ``from pkg import sub``."""
    if item.name is not None and f"{item.source}.{item.name}" in MODULES:
        return [f"{item.source}.{item.name}"]
    return [item.source] if item.source in MODULES else []


def functions_in(
    body: list[ast.stmt], prefix: str = ""
) -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield prefix + node.name, node
            yield from functions_in(node.body, f"{prefix}{node.name}.")
        elif isinstance(node, ast.ClassDef):
            yield from functions_in(node.body, f"{prefix}{node.name}.")
        elif isinstance(node, (ast.If, ast.Try, ast.With)):
            # Definitions under `if`, `try` or `with` at the same level.
            nested = [*node.body, *getattr(node, "orelse", []), *getattr(node, "finalbody", [])]
            nested += [s for h in getattr(node, "handlers", []) for s in h.body]
            yield from functions_in(nested, prefix)


def function_lengths() -> dict[str, int]:
    """``<relative path>::<qualified name>`` -> lines, ``def`` line to last line."""
    return {
        f"{relative_path(module)}::{name}": node.end_lineno - node.lineno + 1  # type: ignore[operator]
        for module in MODULES.values()
        for name, node in functions_in(module.tree.body)
    }


def argparse_share(function: ast.FunctionDef | ast.AsyncFunctionDef) -> float:
    """Share of a function's statements (nested ones too) that are argparse calls."""
    statements = [
        s
        for s in ast.walk(function)
        if isinstance(s, ast.stmt) and s is not function and not isinstance(s, ast.FunctionDef)
    ]
    declaring = 0
    for statement in statements:
        value = getattr(statement, "value", None)
        call = value if isinstance(value, ast.Call) else None
        if call is not None:
            func = call.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            declaring += called in ARGPARSE_CALLS
    return declaring / max(1, len(statements))


def imported_modules(module: Module) -> set[str]:
    """The modules of ours that ``module`` imports when it runs."""
    imported = imports_of(module, run_time_only=True)
    return {t for item in imported for t in targets(item) if t != module.name}


def import_graph() -> dict[str, set[str]]:
    """Module -> the modules of ours it imports when it runs."""
    return {name: imported_modules(module) for name, module in MODULES.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def one_circle(graph: dict[str, set[str]], members: list[str]) -> list[str]:
    """One circle through the component's first module, for the message."""
    start, inside = members[0], set(members)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for nxt in sorted(graph[node] & inside):
            if nxt == start:
                return [*paths[node], start]
            if nxt not in paths:
                paths[nxt] = [*paths[node], nxt]
                queue.append(nxt)
    return members


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def private_uses(module: Module) -> Iterator[str]:
    """``importer -> module.name`` for each private name taken from another module."""
    imported_modules: dict[str, str] = {}  # local name -> our module it is bound to
    for item in imports_of(module):
        full = f"{item.source}.{item.name}" if item.name else item.source
        if full in MODULES:
            imported_modules[item.bound] = full
            if item.name is None and "." in item.bound:
                # `import genai_observability.x` binds the top package; attribute chains
                # are resolved below.
                imported_modules[item.bound.split(".")[0]] = PACKAGE
        elif item.name and is_private(item.name) and item.source != module.name:
            yield f"{module.name} -> {item.source}.{item.name}"
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Attribute) and is_private(node.attr):
            owner = dotted(node.value, imported_modules)
            if owner and owner != module.name and f"{owner}.{node.attr}" not in MODULES:
                yield f"{module.name} -> {owner}.{node.attr}"


def dotted(node: ast.expr, imported: dict[str, str]) -> str | None:
    """The module of ours an expression names (``_events``, ``pkg.cli._commands``)."""
    if isinstance(node, ast.Name):
        return imported.get(node.id)
    if isinstance(node, ast.Attribute):
        owner = dotted(node.value, imported)
        if owner and f"{owner}.{node.attr}" in MODULES:
            return f"{owner}.{node.attr}"
    return None


def private_offenders() -> set[str]:
    """Every ``importer -> module.name`` of the package."""
    return {use for module in MODULES.values() for use in private_uses(module)}
