"""The package's structure, read with ``ast`` by support.structure (nothing is imported or
run):

1. no function or method in lambda/genai_observability is over 80 lines (``def`` line to
   last line, docstring included), argument-parser builders aside: those are named in
   PARSER_BUILDERS and must really be mostly argparse calls;
2. no import circle among the package's modules, counting every import that runs: top-level
   and inside functions, relative and absolute (not those under ``if TYPE_CHECKING:``, which
   never run: annotations are strings under ``from __future__ import annotations``);
3. no private name taken from another module of the package: ``from .x import _y`` or
   ``x._y`` on a module of ours (``from . import _mod`` is fine: a private *module* may be
   imported; its private names may not).

The KNOWN_* tables are empty and stay so: a test fails for any offender not listed, and for a
listed entry that no longer offends (so a table can only shrink).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from support import REPO
from support.structure import (
    MODULES,
    PACKAGE,
    SOURCE,
    Module,
    argparse_share,
    circles,
    function_lengths,
    functions_in,
    import_graph,
    imported_modules,
    one_circle,
    private_offenders,
    private_uses,
    relative_path,
)

MAX_LINES = 80

# Functions allowed over MAX_LINES because their body is argparse declarations, by
# "<path under lambda/genai_observability>::<qualified name>".
# None today: the CLI's parser is built from one small function per command.
PARSER_BUILDERS: set[str] = set()

# ---- today's offenders (the lead empties these tables at merge) ----------------------------
# Each entry names the helper of issue 19 whose change removes it.

# Functions over MAX_LINES -> their length on main today.
KNOWN_LONG: dict[str, int] = {}

# Import circles: the modules of each strongly connected component, sorted.
KNOWN_CYCLES: set[tuple[str, ...]] = set()

# Private names taken from another module: "importer -> module.name".
KNOWN_PRIVATE: set[str] = set()


# ---- 1. function length ---------------------------------------------------------------------


def _long_functions() -> dict[str, int]:
    return {
        name: lines
        for name, lines in function_lengths().items()
        if lines > MAX_LINES and name not in PARSER_BUILDERS
    }


def test_no_function_is_over_80_lines() -> None:
    long = _long_functions()
    new = {name: lines for name, lines in long.items() if name not in KNOWN_LONG}
    assert not new, f"over {MAX_LINES} lines (split into named steps): {new}"
    fixed = sorted(set(KNOWN_LONG) - set(long))
    assert not fixed, f"no longer over {MAX_LINES} lines: delete from KNOWN_LONG: {fixed}"


def test_parser_builders_are_argparse_declarations() -> None:
    lengths = function_lengths()
    nodes = {
        f"{relative_path(module)}::{name}": node
        for module in MODULES.values()
        for name, node in functions_in(module.tree.body)
    }
    for name in sorted(PARSER_BUILDERS):
        assert name in nodes, f"{name} is gone: delete it from PARSER_BUILDERS"
        assert lengths[name] > MAX_LINES, f"{name} fits in {MAX_LINES} lines: delete the entry"
        share = argparse_share(nodes[name])
        assert share >= 0.5, f"{name}: only {share:.0%} of it declares arguments"


# ---- 2. import circles ----------------------------------------------------------------------


def test_no_import_circle() -> None:
    graph = import_graph()
    found = {tuple(c): one_circle(graph, c) for c in circles(graph)}
    new = [" -> ".join(path) for key, path in found.items() if key not in KNOWN_CYCLES]
    assert not new, "import circles:\n" + "\n".join(new)
    fixed = sorted(KNOWN_CYCLES - set(found))
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
    assert imported_modules(probe) == {
        f"{PACKAGE}.pricing",
        PACKAGE,
        f"{PACKAGE}.budget",
        f"{PACKAGE}.cli",
    }


# ---- 3. private names -----------------------------------------------------------------------


def test_no_private_name_is_taken_from_another_module() -> None:
    offenders = private_offenders()
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
    assert sorted(private_uses(module)) == [
        f"{PACKAGE}.probe -> {PACKAGE}._emit._line",
        f"{PACKAGE}.probe -> {PACKAGE}._events._helper",
        f"{PACKAGE}.probe -> {PACKAGE}.pricing._cache",
    ]


# ---- the tests themselves -------------------------------------------------------------------


def test_property_tests_take_the_profiles_example_count() -> None:
    """``@settings(max_examples=...)`` in a test would defeat tests/conftest.py's profiles."""
    pinned = [
        f"{path.relative_to(REPO)}:{n}"
        for path in sorted((REPO / "tests").rglob("*.py"))
        if path.name != "conftest.py" and path != Path(__file__).resolve()
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\bmax_examples\s*=", line)
    ]
    assert not pinned, f"max_examples belongs to the profiles in tests/conftest.py: {pinned}"
