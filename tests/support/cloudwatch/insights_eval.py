"""A small, strict evaluator for the Logs Insights QL subset the deck's saved questions use.

moto has no Logs Insights engine that runs ``stats``, so this module is what checks that
the saved queries compute what the deck claims over lines the payload really emits. It
parses and runs exactly this subset, and raises :class:`InsightsEvalError` on anything
else (a new question outside the subset fails its test until the subset grows, with the
semantics checked against the AWS docs):

* ``filter C and C ...``: ``field = "text"``, ``field = number``, ``field >= number``,
  ``ispresent(field)``;
* ``fields item, ...``: ``field``, ``field as alias``, ``coalesce(a, b, "text") as alias``;
* ``stats agg as alias, ... [by group, ...]``: ``count(*)``, ``sum(f)``, ``avg(f)``,
  ``min(f)``, ``max(f)``, ``pct(f, N)``; groups are fields or ``bin(N unit) [as alias]``;
  at most two ``stats``, the second reading only what the first defines;
* ``sort field asc|desc`` and ``limit N``, after the last ``stats``.

Semantics, with where they come from (CloudWatch Logs user guide, Logs Insights QL:
CWL_QuerySyntax, CWL_QuerySyntax-Stats, CWL_QuerySyntax-operations-functions, read from
awsdocs/amazon-cloudwatch-logs-user-guide and docs.aws.amazon.com):

* ``count(*)`` counts every event of the group ("count(*) counts all events returned by
  the query"); ``sum``/``avg`` are "the sum/average of the values in the specified field",
  so an event without the field adds nothing;
* ``coalesce`` "returns the first non-null value from the list";
* ``ispresent`` "returns true if the field exists";
* ``bin(period)`` "rounds the value of @timestamp to the given period and then truncates";
* two ``stats`` at most; in the second "you can refer only to fields that are defined in the
  first"; ``sort``/``limit`` must come after the second; ``bin`` is invalid in the second.

Where the docs are silent this module takes the conservative reading, and the deck must not
depend on it (a test that did would fail here, or pass for the wrong reason):

* JSON ``null`` is the same as a missing field: ``sum``/``avg``/``min``/``max``/``pct``
  skip it, ``=`` and ``>=`` are false, ``ispresent`` is false, ``coalesce`` passes over it.
  The deck selects unpriced calls on ``pricing = "unknown"``, never on ``cost_usd`` null.
* Only JSON numbers (not booleans, not numeric text) are numbers; ``=`` compares a string
  literal with strings only and a number with numbers only.
* An aggregate with no value in its group (``sum`` of a field every event lacks) is no
  value: the result row leaves that field out, as GetQueryResults leaves out fields
  without a value. The deck never reads 0 from it: ``spend`` decides "all calls unpriced"
  from the counts.
* Grouping (``by``) on a field an event lacks is undocumented: it raises. The saved
  questions give such fields a value with ``coalesce`` first.
* ``fields`` projects: later commands see only the fields it names (so a query that relies
  on later commands seeing more would fail here, whichever way AWS reads it).
* A ``stats`` over no events gives no row (even without ``by``).
* ``sort`` puts rows without the field last, in either direction; ties keep their order
  (stats groups in order of first event). Callers must not depend on either.
* Sums are exact (decimal, each number read as its shortest text) and given back as a
  float once, like ``genai-obs report``; Logs Insights' own floating point may differ in
  the last digits. ``pct`` is nearest-rank (always an observed value), where Logs
  Insights' percentile is approximate.
* ``bin`` values are written ``YYYY-MM-DD HH:MM:SS.mmm`` (UTC), the way Logs Insights shows
  timestamps in results.

Use :func:`run` for rows as Python values, :func:`query_results` for the same rows shaped
like GetQueryResults' ``results`` (every value a string), ready for a botocore Stubber.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

__all__ = [
    "InsightsEvalError",
    "Query",
    "events_from_lines",
    "format_value",
    "parse",
    "query_results",
    "run",
]


class InsightsEvalError(Exception):
    """The query is outside the supported subset, or its data needs undocumented behaviour."""


_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>"(?:[^"\\]|\\.)*")
      | (?P<duration>\d+(?:ms|s|m|h|d)\b)
      | (?P<number>-?\d+(?:\.\d+)?)
      | (?P<ident>[A-Za-z_@][A-Za-z0-9_@.]*)
      | (?P<op>>=|=|\(|\)|,|\*|\|)
    )""",
    re.X,
)
_DURATION_MS = {"ms": 1, "s": 1000, "m": 60_000, "h": 3_600_000, "d": 86_400_000}
_AGGREGATES = ("count", "sum", "avg", "min", "max", "pct")
_KEYWORDS = frozenset({"filter", "fields", "stats", "sort", "limit", "by", "as", "and"})
T = TypeVar("T")


@dataclass(frozen=True)
class _Tok:
    kind: str
    text: str


def _tokens(text: str) -> list[_Tok]:
    out: list[_Tok] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None or match.end() == pos:
            raise InsightsEvalError(f"cannot read the query at {text[pos : pos + 20]!r}")
        kind = match.lastgroup
        assert kind is not None
        out.append(_Tok(kind, match.group(kind)))
        pos = match.end()
    return out


# --------------------------------------------------------------------------- the parse


@dataclass(frozen=True)
class _Cond:
    op: str  # "=", ">=", "ispresent"
    field: str
    value: Any = None


@dataclass(frozen=True)
class _Item:
    alias: str
    sources: tuple[tuple[str, Any], ...]  # ("field", name) or ("literal", value)


@dataclass(frozen=True)
class _Agg:
    func: str
    field: str | None
    alias: str
    percent: float | None = None


@dataclass(frozen=True)
class _Group:
    alias: str
    field: str | None = None
    bin_ms: int | None = None


@dataclass(frozen=True)
class _Command:
    name: str
    conds: tuple[_Cond, ...] = ()
    items: tuple[_Item, ...] = ()
    aggs: tuple[_Agg, ...] = ()
    groups: tuple[_Group, ...] = ()
    sort: tuple[str, bool] | None = None  # (field, descending)
    limit: int | None = None


@dataclass(frozen=True)
class Query:
    """A parsed query: its commands, in order."""

    commands: tuple[_Command, ...]
    text: str = field(repr=False, default="")

    @property
    def columns(self) -> list[str]:
        """The result's columns, as far as the query names them (by-fields first)."""
        last = None
        for command in self.commands:
            if command.name in ("stats", "fields"):
                last = command
        if last is None:
            return []
        if last.name == "stats":
            return [g.alias for g in last.groups] + [a.alias for a in last.aggs]
        return [i.alias for i in last.items]


class _Parser:
    def __init__(self, tokens: list[_Tok]) -> None:
        self.toks = tokens
        self.i = 0

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self, kind: str | None = None, text: str | None = None) -> _Tok:
        tok = self.peek()
        if tok is None or (kind and tok.kind != kind) or (text is not None and tok.text != text):
            want = text or kind or "more"
            got = tok.text if tok else "the end"
            raise InsightsEvalError(f"expected {want!r}, found {got!r}")
        self.i += 1
        return tok

    def at(self, text: str) -> bool:
        tok = self.peek()
        return tok is not None and tok.text == text and tok.kind in ("op", "ident")

    def listed(self, item: Callable[[], T], sep: str = ",") -> tuple[T, ...]:
        """One or more of ``item``, separated by ``sep`` (``,`` or ``and``)."""
        items = [item()]
        while self.at(sep):
            self.take("ident" if sep.isalpha() else "op", sep)
            items.append(item())
        return tuple(items)

    def name(self) -> str:
        tok = self.take("ident")
        if tok.text in _KEYWORDS:
            raise InsightsEvalError(f"expected a field name, found keyword {tok.text!r}")
        return tok.text

    def literal(self) -> Any:
        tok = self.peek()
        if tok is not None and tok.kind == "string":
            self.i += 1
            return json.loads(tok.text)
        if tok is not None and tok.kind == "number":
            self.i += 1
            return int(tok.text) if re.fullmatch(r"-?\d+", tok.text) else float(tok.text)
        found = tok.text if tok else "the end"
        raise InsightsEvalError(f"expected a string or number, found {found!r}")

    def alias(self) -> str:
        self.take("ident", "as")
        return self.name()

    def command(self) -> _Command:
        head = self.take("ident").text
        if head == "filter":
            return _Command("filter", conds=self.listed(self.cond, "and"))
        if head == "fields":
            return _Command("fields", items=self.listed(self.item))
        if head == "stats":
            aggs = self.listed(self.agg)
            groups: tuple[_Group, ...] = ()
            if self.at("by"):
                self.take("ident", "by")
                groups = self.listed(self.group)
            return _Command("stats", aggs=aggs, groups=groups)
        if head == "sort":
            name = self.name()
            direction = self.take("ident").text
            if direction not in ("asc", "desc"):
                raise InsightsEvalError(f"sort needs asc or desc, found {direction!r}")
            return _Command("sort", sort=(name, direction == "desc"))
        if head == "limit":
            value = self.literal()
            if type(value) is not int or value < 1:
                raise InsightsEvalError(f"limit needs a positive integer, found {value!r}")
            return _Command("limit", limit=value)
        raise InsightsEvalError(f"command {head!r} is outside the supported subset")

    def cond(self) -> _Cond:
        if self.at("ispresent"):
            self.take("ident", "ispresent")
            self.take("op", "(")
            name = self.name()
            self.take("op", ")")
            return _Cond("ispresent", name)
        name = self.name()
        op = self.take("op").text
        if op not in ("=", ">="):
            raise InsightsEvalError(f"comparison {op!r} is outside the supported subset")
        value = self.literal()
        if op == ">=" and isinstance(value, str):
            raise InsightsEvalError(">= compares with numbers only in the supported subset")
        return _Cond(op, name, value)

    def item(self) -> _Item:
        if self.at("coalesce"):
            self.take("ident", "coalesce")
            self.take("op", "(")
            sources = self.listed(self.source)
            self.take("op", ")")
            if len(sources) < 2:
                raise InsightsEvalError("coalesce needs at least two arguments")
            return _Item(self.alias(), sources)
        name = self.name()
        if self.peek() is not None and self.peek().text == "(":  # type: ignore[union-attr]
            raise InsightsEvalError(f"function {name!r} is outside the supported subset")
        alias = self.alias() if self.at("as") else name
        return _Item(alias, (("field", name),))

    def source(self) -> tuple[str, Any]:
        tok = self.peek()
        if tok is not None and tok.kind in ("string", "number"):
            return ("literal", self.literal())
        return ("field", self.name())

    def agg(self) -> _Agg:
        func = self.take("ident").text
        if func not in _AGGREGATES:
            raise InsightsEvalError(f"stats function {func!r} is outside the supported subset")
        self.take("op", "(")
        percent = None
        if func == "count":
            self.take("op", "*")
            target = None
        else:
            target = self.name()
            if func == "pct":
                self.take("op", ",")
                value = self.literal()
                if isinstance(value, str) or not 0 < value <= 100:
                    raise InsightsEvalError(f"pct needs a percentile in (0, 100], not {value!r}")
                percent = float(value)
        self.take("op", ")")
        if not self.at("as"):
            raise InsightsEvalError(f"{func}() without an alias is outside the supported subset")
        return _Agg(func, target, self.alias(), percent)

    def group(self) -> _Group:
        if self.at("bin"):
            self.take("ident", "bin")
            self.take("op", "(")
            text = self.take("duration").text
            self.take("op", ")")
            unit = re.sub(r"^\d+", "", text)
            period = int(text[: len(text) - len(unit)]) * _DURATION_MS[unit]
            alias = self.alias() if self.at("as") else f"bin({text})"
            return _Group(alias, bin_ms=period)
        name = self.name()
        if self.at("as"):
            raise InsightsEvalError("an alias on a by-field is outside the supported subset")
        return _Group(name, field=name)


def parse(text: str) -> Query:
    """Parse a query of the supported subset.

    Args:
        text: The Logs Insights QL text (commands separated by ``|``).

    Returns:
        The parsed query.

    Raises:
        InsightsEvalError: For anything outside the subset, or against the documented rules
            (more than two stats, a second stats reading what the first does not define,
            sort or limit before the second stats, bin in the second stats).
    """
    tokens = _tokens(text)
    if not tokens:
        raise InsightsEvalError("empty query")
    parser = _Parser(tokens)
    commands = [parser.command()]
    while parser.peek() is not None:
        parser.take("op", "|")
        commands.append(parser.command())
    _check(commands)
    return Query(tuple(commands), text)


def _check(commands: list[_Command]) -> None:
    stats = [i for i, c in enumerate(commands) if c.name == "stats"]
    if len(stats) > 2:
        raise InsightsEvalError("a query can have at most two stats commands")
    if not stats and not any(c.name == "fields" for c in commands):
        raise InsightsEvalError("a query without stats must name its fields (fields ...)")
    for i, command in enumerate(commands):
        if stats and i > stats[0] and command.name in ("fields", "filter"):
            raise InsightsEvalError(f"{command.name} after stats is outside the supported subset")
        if len(stats) == 2 and i < stats[1] and command.name in ("sort", "limit"):
            raise InsightsEvalError(f"{command.name} must come after the second stats command")
    if len(stats) == 2:
        first, second = commands[stats[0]], commands[stats[1]]
        defined = {g.alias for g in first.groups} | {a.alias for a in first.aggs}
        for agg in second.aggs:
            if agg.field is not None and agg.field not in defined:
                raise InsightsEvalError(
                    f"the second stats reads {agg.field!r}, which the first does not define"
                )
        for group in second.groups:
            if group.bin_ms is not None:
                raise InsightsEvalError("bin() in the second stats command is not valid")
            if group.field not in defined:
                raise InsightsEvalError(
                    f"the second stats groups by {group.field!r}, which the first does not define"
                )
    # Every field a command reads after a projection must be one the projection names.
    visible: set[str] | None = None
    for command in commands:
        reads: list[str] = []
        if command.name == "filter":
            reads = [c.field for c in command.conds]
        elif command.name == "fields":
            reads = [s[1] for item in command.items for s in item.sources if s[0] == "field"]
        elif command.name == "stats":
            reads = [a.field for a in command.aggs if a.field] + [
                g.field for g in command.groups if g.field
            ]
        elif command.name == "sort" and command.sort:
            reads = [command.sort[0]]
        if visible is not None:
            for name in reads:
                if name not in visible:
                    raise InsightsEvalError(
                        f"{command.name} reads {name!r}, which the fields or stats before it"
                        " do not name"
                    )
        if command.name == "fields":
            visible = {item.alias for item in command.items}
        elif command.name == "stats":
            visible = {g.alias for g in command.groups} | {a.alias for a in command.aggs}


# --------------------------------------------------------------------------- the run


def _value(event: dict[str, Any], name: str) -> Any:
    """The field's value; None for missing and for JSON null (the same here)."""
    return event.get(name)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _matches(event: dict[str, Any], cond: _Cond) -> bool:
    value = _value(event, cond.field)
    if cond.op == "ispresent":
        return value is not None
    if value is None:
        return False
    if cond.op == "=":
        if isinstance(cond.value, str):
            return isinstance(value, str) and value == cond.value
        return _is_number(value) and value == cond.value
    return _is_number(value) and value >= cond.value


def _project(event: dict[str, Any], items: Sequence[_Item]) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for item in items:
        result = None
        for kind, source in item.sources:
            candidate = source if kind == "literal" else _value(event, source)
            if candidate is not None:
                result = candidate
                break
        if result is not None:
            row[item.alias] = result
    return row


def _exact_sum(values: list[int | float]) -> int | float:
    if all(type(v) is int for v in values):
        return sum(values)  # type: ignore[arg-type]
    return float(sum((Decimal(repr(v)) for v in values), Decimal(0)))


def _nearest_rank(values: list[int | float], percent: float) -> int | float:
    ordered = sorted(values)
    rank = max(1, math.ceil(percent / 100 * len(ordered)))
    return ordered[rank - 1]


def _aggregate(agg: _Agg, events: list[dict[str, Any]]) -> Any:
    if agg.func == "count":
        return len(events)
    assert agg.field is not None
    values = [v for v in (_value(e, agg.field) for e in events) if _is_number(v)]
    if not values:
        return None
    if agg.func == "sum":
        return _exact_sum(values)
    if agg.func == "avg":
        total = _exact_sum(values)
        return float(Decimal(repr(total)) / len(values))
    if agg.func == "min":
        return min(values)
    if agg.func == "max":
        return max(values)
    assert agg.percent is not None
    return _nearest_rank(values, agg.percent)


def _bin_label(timestamp_ms: Any, period_ms: int) -> str:
    if not _is_number(timestamp_ms):
        raise InsightsEvalError("bin() needs each event's @timestamp (epoch milliseconds)")
    start = int(timestamp_ms) // period_ms * period_ms
    moment = dt.datetime.fromtimestamp(start / 1000, tz=dt.UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S.") + f"{moment.microsecond // 1000:03d}"


def _stats(command: _Command, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    groups: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for row in rows:
        key: list[Any] = []
        for group in command.groups:
            if group.bin_ms is not None:
                key.append(_bin_label(row.get("@timestamp"), group.bin_ms))
                continue
            assert group.field is not None
            value = _value(row, group.field)
            if value is None:
                raise InsightsEvalError(
                    f"stats groups by {group.field!r}, missing on an event: how Logs Insights"
                    " groups a missing field is undocumented; give it a value (coalesce) first"
                )
            if isinstance(value, dict | list):
                raise InsightsEvalError(f"stats groups by {group.field!r}, which is not a scalar")
            key.append(value)
        groups.setdefault(tuple(key), []).append(row)
    out = []
    for key, members in groups.items():
        result = {g.alias: k for g, k in zip(command.groups, key, strict=True)}
        for agg in command.aggs:
            value = _aggregate(agg, members)
            if value is not None:
                result[agg.alias] = value
        out.append(result)
    return out


def _sort(rows: list[dict[str, Any]], name: str, descending: bool) -> list[dict[str, Any]]:
    present = [r for r in rows if r.get(name) is not None]
    missing = [r for r in rows if r.get(name) is None]
    kinds = {"number" if _is_number(r[name]) else type(r[name]).__name__ for r in present}
    if len(kinds) > 1:
        raise InsightsEvalError(f"sort by {name!r} over mixed types {sorted(kinds)}")
    return sorted(present, key=lambda r: r[name], reverse=descending) + missing


def run(query: str | Query, events: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Run a query over events.

    Args:
        query: The query text or a parsed :class:`Query`.
        events: The log events as dicts: the JSON line's keys, plus ``@timestamp`` (epoch
            milliseconds) where ``bin`` needs it (see :func:`events_from_lines`).

    Returns:
        The result rows, Python values; a field without a value is left out of its row.

    Raises:
        InsightsEvalError: For a query outside the subset, or data that would need
            undocumented behaviour (grouping on a missing field).
    """
    parsed = parse(query) if isinstance(query, str) else query
    rows: list[dict[str, Any]] = [dict(e) for e in events]
    projected = False
    for command in parsed.commands:
        if command.name == "filter":
            rows = [r for r in rows if all(_matches(r, c) for c in command.conds)]
        elif command.name == "fields":
            rows = [_project(r, command.items) for r in rows]
            projected = True
        elif command.name == "stats":
            rows = _stats(command, rows)
            projected = True
        elif command.name == "sort":
            assert command.sort is not None
            rows = _sort(rows, *command.sort)
        elif command.name == "limit":
            assert command.limit is not None
            rows = rows[: command.limit]
    assert projected  # parse() refuses a query that names no fields
    return rows


def format_value(value: Any) -> str:
    """A value as GetQueryResults writes it: text; numbers as plain decimals.

    Args:
        value: An int, float, str or bool.

    Returns:
        ``"2841"``, ``"0.000051415"`` (never an exponent), the text itself.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = format(Decimal(repr(value)), "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    if isinstance(value, str):
        return value
    return json.dumps(value)


def query_results(rows: Iterable[dict[str, Any]]) -> list[list[dict[str, str]]]:
    """Rows shaped like GetQueryResults' ``results``: ``[[{"field", "value"}, ...], ...]``.

    Args:
        rows: Rows from :func:`run`.

    Returns:
        One list of ``{"field": name, "value": text}`` per row, in the row's order.
    """
    return [[{"field": k, "value": format_value(v)} for k, v in row.items()] for row in rows]


def events_from_lines(lines: Iterable[str | dict[str, Any]]) -> list[dict[str, Any]]:
    """Log events from emitted lines, ``@timestamp`` taken from each line's ``timestamp``.

    Lines that are not JSON objects are skipped (Logs Insights finds no fields in them, and
    every saved question filters on a field).

    Args:
        lines: JSON lines as text, or already parsed dicts.

    Returns:
        The events.
    """
    events = []
    for line in lines:
        if isinstance(line, str):
            try:
                parsed = json.loads(line)
            except ValueError:
                continue
        else:
            parsed = dict(line)
        if not isinstance(parsed, dict):
            continue
        stamp = parsed.get("timestamp")
        if isinstance(stamp, str) and "@timestamp" not in parsed:
            try:
                moment = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
            except ValueError:
                moment = None
            if moment is not None:
                parsed["@timestamp"] = int(moment.timestamp() * 1000)
        events.append(parsed)
    return events
