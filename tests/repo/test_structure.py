"""The package's structure, read with ``ast`` (nothing is imported or run):

1. no function or method in lambda/genai_observability is over 80 lines (``def`` line to
   last line, docstring included), argument-parser builders aside: those are named in
   PARSER_BUILDERS and must really be mostly argparse calls;
2. no import circle among the package's modules, counting every import that runs: top-level
   and inside functions, relative and absolute (not those under ``if TYPE_CHECKING:``, which
   never run: annotations are strings under ``from __future__ import annotations``);
3. no private name taken from another module of the package: ``from .x import _y`` or
   ``x._y`` on a module of ours (``from . import _mod`` is fine: a private *module* may be
   imported; its private names may not).

Today's offenders are listed in the KNOWN_* tables, each with the helper fixing it. A test
fails for an offender not listed AND for a listed entry that no longer offends, so the tables
only shrink: whoever fixes an offender deletes its entry in the same change, until all three
are empty.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "lambda"
PACKAGE = "genai_observability"
MAX_LINES = 80

# Functions allowed over MAX_LINES because their body is argparse declarations, by
# "<path under lambda/genai_observability>::<qualified name>".
# None today: the CLI's parser is built from one small function per command.
PARSER_BUILDERS: set[str] = set()
ARGPARSE_CALLS = {
    "ArgumentParser",
    "add_argument",
    "add_argument_group",
    "add_mutually_exclusive_group",
    "add_parser",
    "add_subparsers",
    "set_defaults",
}

# ---- today's offenders (the lead empties these tables at merge) ----------------------------
# Each entry names the helper of issue 19 whose change removes it.

# Functions over MAX_LINES -> their length on main today.
KNOWN_LONG: dict[str, int] = {
    "_emit.py::line_writer": 140,  # line: no generated code
    "_events.py::record_llm_call": 168,  # line: named steps building one dict
}

# Import circles: the modules of each strongly connected component, sorted.
KNOWN_CYCLES: set[tuple[str, ...]] = {
    ("genai_observability._context", "genai_observability._events"),  # line
}

# Private names taken from another module: "importer -> module.name".
KNOWN_PRIVATE: set[str] = set()


# ---- reading the package --------------------------------------------------------------------


@dataclass(frozen=True)
class Module:
    name: str  # genai_observability.cli._commands
    path: Path
    tree: ast.Module

    @property
    def package(self) -> str:
        """The package relative imports start from."""
        return self.name if self.path.name == "__init__.py" else self.name.rpartition(".")[0]


def _modules() -> dict[str, Module]:
    found = {}
    for path in sorted((SOURCE / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(SOURCE).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        name = ".".join(parts)
        found[name] = Module(name, path, ast.parse(path.read_text(encoding="utf-8"), str(path)))
    return found


MODULES = _modules()


def _rel(module: Module) -> str:
    return module.path.relative_to(SOURCE / PACKAGE).as_posix()


def _absolute(module: Module, node: ast.ImportFrom) -> str:
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


def _type_checking(node: ast.AST) -> bool:
    """``if TYPE_CHECKING:`` (or ``typing.TYPE_CHECKING``): a block that never runs."""
    if not isinstance(node, ast.If):
        return False
    test = node.test
    return getattr(test, "id", getattr(test, "attr", None)) == "TYPE_CHECKING"


def _nodes(tree: ast.AST, run_time_only: bool) -> Iterator[ast.AST]:
    """Every node of ``tree``; without ``if TYPE_CHECKING:`` bodies when run_time_only."""
    for child in ast.iter_child_nodes(tree):
        yield child
        if run_time_only and _type_checking(child):
            yield from (n for s in child.orelse for n in [s, *_nodes(s, run_time_only)])
            continue
        yield from _nodes(child, run_time_only)


def _imports(module: Module, run_time_only: bool = False) -> Iterator[Imported]:
    for node in _nodes(module.tree, run_time_only):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == PACKAGE:
                    bound = alias.asname or alias.name
                    yield Imported(alias.name, None, bound, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(module, node)
            if source.split(".")[0] == PACKAGE:
                for alias in node.names:
                    yield Imported(source, alias.name, alias.asname or alias.name, node.lineno)


def _targets(item: Imported) -> list[str]:
    """The modules of ours an import runs: a submodule named in ``from pkg import sub``."""
    if item.name is not None and f"{item.source}.{item.name}" in MODULES:
        return [f"{item.source}.{item.name}"]
    return [item.source] if item.source in MODULES else []


# ---- 1. function length ---------------------------------------------------------------------


def _functions(
    body: list[ast.stmt], prefix: str = ""
) -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield prefix + node.name, node
            yield from _functions(node.body, f"{prefix}{node.name}.")
        elif isinstance(node, ast.ClassDef):
            yield from _functions(node.body, f"{prefix}{node.name}.")
        elif isinstance(node, (ast.If, ast.Try, ast.With)):
            # Definitions under `if`, `try` or `with` at the same level.
            nested = [*node.body, *getattr(node, "orelse", []), *getattr(node, "finalbody", [])]
            nested += [s for h in getattr(node, "handlers", []) for s in h.body]
            yield from _functions(nested, prefix)


def _lengths() -> dict[str, int]:
    return {
        f"{_rel(module)}::{name}": node.end_lineno - node.lineno + 1  # type: ignore[operator]
        for module in MODULES.values()
        for name, node in _functions(module.tree.body)
    }


def _argparse_share(function: ast.FunctionDef | ast.AsyncFunctionDef) -> float:
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


def _long_functions() -> dict[str, int]:
    return {
        name: lines
        for name, lines in _lengths().items()
        if lines > MAX_LINES and name not in PARSER_BUILDERS
    }


def test_no_function_is_over_80_lines() -> None:
    long = _long_functions()
    new = {name: lines for name, lines in long.items() if name not in KNOWN_LONG}
    assert not new, f"over {MAX_LINES} lines (split into named steps): {new}"
    fixed = sorted(set(KNOWN_LONG) - set(long))
    assert not fixed, f"no longer over {MAX_LINES} lines: delete from KNOWN_LONG: {fixed}"


def test_parser_builders_are_argparse_declarations() -> None:
    lengths = _lengths()
    nodes = {
        f"{_rel(module)}::{name}": node
        for module in MODULES.values()
        for name, node in _functions(module.tree.body)
    }
    for name in sorted(PARSER_BUILDERS):
        assert name in nodes, f"{name} is gone: delete it from PARSER_BUILDERS"
        assert lengths[name] > MAX_LINES, f"{name} fits in {MAX_LINES} lines: delete the entry"
        share = _argparse_share(nodes[name])
        assert share >= 0.5, f"{name}: only {share:.0%} of it declares arguments"


# ---- 2. import circles ----------------------------------------------------------------------


def _edges(module: Module) -> set[str]:
    """The modules of ours that ``module`` imports when it runs."""
    imported = _imports(module, run_time_only=True)
    return {t for item in imported for t in _targets(item) if t != module.name}


def _graph() -> dict[str, set[str]]:
    return {name: _edges(module) for name, module in MODULES.items()}


def _components(graph: dict[str, set[str]]) -> list[list[str]]:
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


def _cycle(graph: dict[str, set[str]], members: list[str]) -> list[str]:
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


def test_no_import_circle() -> None:
    graph = _graph()
    components = {tuple(c): _cycle(graph, c) for c in _components(graph)}
    new = [" -> ".join(cycle) for key, cycle in components.items() if key not in KNOWN_CYCLES]
    assert not new, "import circles:\n" + "\n".join(new)
    fixed = sorted(KNOWN_CYCLES - set(components))
    assert not fixed, f"no longer a circle: delete from KNOWN_CYCLES: {fixed}"


def test_the_import_graph_sees_every_kind_of_import() -> None:
    """Absolute, relative, from-a-package and function-level imports are all edges; an
    import under ``if TYPE_CHECKING:`` is not."""
    source = (
        "import genai_observability.pricing\n"
        "from genai_observability import record_llm_call\n"
        "def f():\n"
        "    from .. import budget\n"
        "    from . import main\n"
        "if TYPE_CHECKING:\n"
        "    from .._events import record_llm_call\n"
    )
    probe = Module(f"{PACKAGE}.cli.probe", SOURCE / PACKAGE / "cli" / "probe.py", ast.parse(source))
    assert _edges(probe) == {
        f"{PACKAGE}.pricing",
        PACKAGE,
        f"{PACKAGE}.budget",
        f"{PACKAGE}.cli",
    }


# ---- 3. private names -----------------------------------------------------------------------


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _private_uses(module: Module) -> Iterator[str]:
    """``importer -> module.name`` for each private name taken from another module."""
    imported_modules: dict[str, str] = {}  # local name -> our module it is bound to
    for item in _imports(module):
        full = f"{item.source}.{item.name}" if item.name else item.source
        if full in MODULES:
            imported_modules[item.bound] = full
            if item.name is None and "." in item.bound:
                # `import genai_observability.x` binds the top package; attribute chains
                # are resolved below.
                imported_modules[item.bound.split(".")[0]] = PACKAGE
        elif item.name and _private(item.name) and item.source != module.name:
            yield f"{module.name} -> {item.source}.{item.name}"
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            owner = _dotted(node.value, imported_modules)
            if owner and owner != module.name and f"{owner}.{node.attr}" not in MODULES:
                yield f"{module.name} -> {owner}.{node.attr}"


def _dotted(node: ast.expr, imported: dict[str, str]) -> str | None:
    """The module of ours an expression names (``_events``, ``pkg.cli._commands``)."""
    if isinstance(node, ast.Name):
        return imported.get(node.id)
    if isinstance(node, ast.Attribute):
        owner = _dotted(node.value, imported)
        if owner and f"{owner}.{node.attr}" in MODULES:
            return f"{owner}.{node.attr}"
    return None


def _private_offenders() -> set[str]:
    return {use for module in MODULES.values() for use in _private_uses(module)}


def test_no_private_name_is_taken_from_another_module() -> None:
    offenders = _private_offenders()
    new = sorted(offenders - KNOWN_PRIVATE)
    assert not new, "private names taken from another module (make them public):\n" + "\n".join(new)
    fixed = sorted(KNOWN_PRIVATE - offenders)
    assert not fixed, f"no longer taken: delete from KNOWN_PRIVATE: {fixed}"


def test_private_name_reader_sees_both_forms() -> None:
    source = (
        "from ._events import _helper, FIELDS\n"
        "from . import _emit\n"
        "import genai_observability.pricing as prices\n"
        "def f():\n"
        "    return _emit._line, _emit.write, prices._cache, _emit.__name__\n"
    )
    module = Module(f"{PACKAGE}.probe", SOURCE / PACKAGE / "probe.py", ast.parse(source))
    assert sorted(_private_uses(module)) == [
        f"{PACKAGE}.probe -> {PACKAGE}._emit._line",
        f"{PACKAGE}.probe -> {PACKAGE}._events._helper",
        f"{PACKAGE}.probe -> {PACKAGE}.pricing._cache",
    ]


# ---- the tests themselves -------------------------------------------------------------------


def test_property_tests_take_the_profiles_example_count() -> None:
    """``@settings(max_examples=...)`` in a test would defeat tests/conftest.py's profiles."""
    pinned = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in sorted((ROOT / "tests").rglob("*.py"))
        if path.name != "conftest.py" and path != Path(__file__).resolve()
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\bmax_examples\s*=", line)
    ]
    assert not pinned, f"max_examples belongs to the profiles in tests/conftest.py: {pinned}"
