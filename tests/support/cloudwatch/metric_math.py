"""A small, strict evaluator of the CloudWatch metric-math subset the deck renders.

The emulator (moto) answers GetMetricData for metric statistics, but of an expression it
only resolves a bare id (no arithmetic, no FILL, no SUM), so the deck's expressions are
checked here instead: the queries go in as
GetMetricData shapes (``Id``, ``Expression`` or ``MetricStat {Metric {Namespace,
MetricName, Dimensions}, Period, Stat}``, ``Label``, ``ReturnData``, optional
``AccountId``), sample data points go in as raw values, and the returned series come out.

One parser and one evaluator serve every test that needs metric math: the GetMetricData
shapes above (:func:`evaluate`, :func:`run_queries`) and the alarm model
(support.cloudwatch.alarm_eval), which aggregates its own metrics and hands the series to
:func:`evaluate_expression`.

The subset, and how it behaves. The arithmetic semantics are the CloudWatch User Guide's,
"Use metric math", section "Metric math syntax and functions" > "Basic arithmetic
functions" (docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/using-metric-math.html;
source doc_source/using-metric-math.md of awsdocs/amazon-cloudwatch-user-guide):

    "Missing values in a time series are treated as 0. If the value of a data point
    causes a function to attempt to divide by zero, the data point is dropped."

* ids: start with a lowercase letter, then letters, digits and ``_``; an expression
  refers to other queries by id; a reference cycle or an unknown id is an error;
* numbers: decimal literals (``0.035``, ``1000000``); no exponent notation;
* ``+ - * /`` and parentheses, with the usual precedence; unary minus;
* series op series: applied at every timestamp where **either** has a value, a missing
  value being 0 (the passage above); a timestamp where neither has a value has no
  result. Series op number and number op series: applied to every point of the series.
  A data point that would divide by zero is dropped (so ``a / b`` has no point where
  ``b`` is missing);
* ``FILL(series, number)``: every period of the query's time range without a value gets
  ``number`` (the guide's FILL row: "Fills the missing values of a time series", and, in
  an alarm, "FILL replaces that missing data point with the requested value");
* ``SUM([s1, s2, ...])``: one series, at each timestamp the sum of the series that have a
  value there (missing values count 0, as above); ``SUM(series)``: the number that is the
  sum of the series' values.

Anything else (another function, a string, SEARCH, an unknown statistic) raises
:class:`MetricMathError`: the evaluator never guesses.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "MetricKey",
    "MetricMathError",
    "Series",
    "alarm_queries",
    "evaluate",
    "evaluate_expression",
    "metric_key",
    "references",
    "run_queries",
    "widget_queries",
]

ID_RE = re.compile(r"^[a-z][A-Za-z0-9_]*$")
NUMBER_RE = re.compile(r"\d+(?:\.\d+)?|\.\d+")
FUNCTIONS = ("FILL", "SUM")
STATS = ("Sum", "SampleCount", "Average", "Minimum", "Maximum")


class MetricMathError(Exception):
    """The queries are outside the subset, malformed, or refer to something unknown."""


Series = dict[int, float]
"""Timestamp (epoch seconds, start of the period) -> value."""

MetricKey = tuple[str, str, str, tuple[tuple[str, str], ...]]
"""(AccountId or "", Namespace, MetricName, sorted (dimension name, value) pairs)."""


@dataclass(frozen=True)
class _Array:
    items: tuple[Series, ...]


Value = float | Series | _Array


def metric_key(
    namespace: str, metric_name: str, dimensions: Mapping[str, str], account_id: str = ""
) -> MetricKey:
    """The key under which :func:`run_queries` looks up a metric's raw data points."""
    return (account_id, namespace, metric_name, tuple(sorted(dimensions.items())))


# --- parsing ------------------------------------------------------------------------------


def _tokens(text: str) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
            continue
        if ch in "+-*/()[],":
            out.append(ch)
            i += 1
            continue
        number = NUMBER_RE.match(text, i)
        if number:
            end = number.end()
            if end < len(text) and (text[end].isalnum() or text[end] in "._"):
                raise MetricMathError(f"malformed number at {text[i : end + 1]!r} in {text!r}")
            out.append(number.group())
            i = end
            continue
        word = re.compile(r"[A-Za-z_][A-Za-z0-9_]*").match(text, i)
        if word:
            out.append(word.group())
            i = word.end()
            continue
        raise MetricMathError(f"unexpected character {ch!r} in {text!r}")
    return out


class _Parser:
    """Recursive descent over the subset; produces a small tuple AST."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = _tokens(text)
        self.pos = 0

    def peek(self) -> str | None:
        return self.toks[self.pos] if self.pos < len(self.toks) else None

    def take(self, expected: str | None = None) -> str:
        tok = self.peek()
        if tok is None or (expected is not None and tok != expected):
            raise MetricMathError(f"expected {expected or 'more'} in {self.text!r}, got {tok!r}")
        self.pos += 1
        return tok

    def parse(self) -> tuple[Any, ...]:
        node = self.expr()
        if self.peek() is not None:
            raise MetricMathError(f"unexpected {self.peek()!r} in {self.text!r}")
        return node

    def expr(self) -> tuple[Any, ...]:
        return self.chain(("+", "-"), self.term)

    def term(self) -> tuple[Any, ...]:
        return self.chain(("*", "/"), self.unary)

    def chain(
        self, ops: tuple[str, ...], operand: Callable[[], tuple[Any, ...]]
    ) -> tuple[Any, ...]:
        """``operand (op operand)*``, left-associative, for one precedence level."""
        node = operand()
        while self.peek() in ops:
            op = self.take()
            node = ("op", op, node, operand())
        return node

    def unary(self) -> tuple[Any, ...]:
        if self.peek() == "-":
            self.take()
            return ("neg", self.unary())
        return self.primary()

    def primary(self) -> tuple[Any, ...]:
        tok = self.take()
        if tok == "(":
            node = self.expr()
            self.take(")")
            return node
        if tok == "[":
            items = [self.expr()]
            while self.peek() == ",":
                self.take()
                items.append(self.expr())
            self.take("]")
            return ("array", items)
        if NUMBER_RE.fullmatch(tok):
            return ("num", float(tok))
        if tok in FUNCTIONS:
            self.take("(")
            args = [self.expr()]
            while self.peek() == ",":
                self.take()
                args.append(self.expr())
            self.take(")")
            return ("call", tok, args)
        if ID_RE.fullmatch(tok):
            if self.peek() == "(":
                raise MetricMathError(f"unsupported function {tok!r} in {self.text!r}")
            return ("id", tok)
        if re.fullmatch(r"[A-Z][A-Z0-9_]*", tok):
            raise MetricMathError(f"unsupported function {tok!r} in {self.text!r}")
        raise MetricMathError(f"unexpected {tok!r} in {self.text!r}")


def references(expression: str) -> set[str]:
    """The ids an expression refers to."""
    found: set[str] = set()

    def walk(node: tuple[Any, ...]) -> None:
        kind = node[0]
        if kind == "id":
            found.add(node[1])
        elif kind == "op":
            walk(node[2])
            walk(node[3])
        elif kind == "neg":
            walk(node[1])
        elif kind == "array":
            for item in node[1]:
                walk(item)
        elif kind == "call":
            for arg in node[2]:
                walk(arg)

    walk(_Parser(expression).parse())
    return found


# --- evaluation ---------------------------------------------------------------------------


def _binary(op: str, a: float, b: float) -> float | None:
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    return None if b == 0 else a / b


def _apply(op: str, left: Value, right: Value) -> Value:
    if isinstance(left, _Array) or isinstance(right, _Array):
        raise MetricMathError("arithmetic on an array of series is outside the subset")
    if isinstance(left, float) and isinstance(right, float):
        value = _binary(op, left, right)
        if value is None:
            raise MetricMathError("division of two numbers by zero")
        return value
    out: Series = {}
    if isinstance(left, dict) and isinstance(right, dict):
        # "Missing values in a time series are treated as 0" (see the module docstring).
        for ts in sorted(set(left) | set(right)):
            value = _binary(op, left.get(ts, 0.0), right.get(ts, 0.0))
            if value is not None:
                out[ts] = value
        return out
    series, number, series_left = (
        (left, right, True) if isinstance(left, dict) else (right, left, False)
    )
    assert isinstance(series, dict) and isinstance(number, float)
    for ts, v in sorted(series.items()):
        value = _binary(op, v, number) if series_left else _binary(op, number, v)
        if value is not None:
            out[ts] = value
    return out


def _eval(node: tuple[Any, ...], resolve: Callable[[str], Value], grid: list[int] | None) -> Value:
    """Evaluate a parsed expression; ``resolve`` gives an id's value, ``grid`` FILL's periods."""
    kind = node[0]
    if kind == "num":
        return node[1]
    if kind == "id":
        return resolve(node[1])
    if kind == "neg":
        return _apply("*", _eval(node[1], resolve, grid), -1.0)
    if kind == "op":
        return _apply(node[1], _eval(node[2], resolve, grid), _eval(node[3], resolve, grid))
    if kind == "array":
        items = [_eval(item, resolve, grid) for item in node[1]]
        if not all(isinstance(i, dict) for i in items):
            raise MetricMathError("an array holds time series only")
        return _Array(tuple(items))  # type: ignore[arg-type]
    name, args = node[1], node[2]
    if name == "FILL":
        if len(args) != 2:
            raise MetricMathError("FILL takes a series and a number")
        series, fill = _eval(args[0], resolve, grid), _eval(args[1], resolve, grid)
        if not isinstance(series, dict) or not isinstance(fill, float):
            raise MetricMathError("FILL takes a series and a number")
        if grid is None:
            raise MetricMathError("FILL needs a period")
        return {ts: series.get(ts, fill) for ts in grid}
    if len(args) != 1:
        raise MetricMathError("SUM takes one argument")
    arg = _eval(args[0], resolve, grid)
    if isinstance(arg, _Array):
        out: Series = {}
        for series in arg.items:
            for ts, v in series.items():
                out[ts] = out.get(ts, 0.0) + v
        return dict(sorted(out.items()))
    if isinstance(arg, dict):
        return float(sum(arg.values()))
    raise MetricMathError("SUM takes a series or an array of series")


def evaluate_expression(
    expression: str, series: Mapping[str, Series], grid: Iterable[int]
) -> Series | float:
    """One expression over series that are already aggregated (the alarm model's entry).

    Args:
        expression: The metric-math expression.
        series: Id -> its time series (period start -> value), all of one period.
        grid: The period starts of the time range (where FILL puts its value).

    Returns:
        A time series, or a number (``SUM(series)``, a constant expression).

    Raises:
        MetricMathError: The expression is outside the subset, or names an unknown id.
    """

    def resolve(qid: str) -> Value:
        if qid not in series:
            raise MetricMathError(f"unknown id {qid!r}")
        return dict(series[qid])

    result = _eval(_Parser(expression).parse(), resolve, sorted(grid))
    if isinstance(result, _Array):
        raise MetricMathError(f"{expression!r} yields an array of time series")
    return result


class _Evaluator:
    def __init__(
        self,
        queries: list[Mapping[str, Any]],
        data: Mapping[MetricKey, Iterable[tuple[int, float]]],
        start: int,
        end: int,
    ) -> None:
        if end <= start:
            raise MetricMathError("the time range is empty")
        self.start, self.end = start, end
        self.data = data
        self.queries: dict[str, Mapping[str, Any]] = {}
        for q in queries:
            qid = q.get("Id")
            if not isinstance(qid, str) or not ID_RE.fullmatch(qid):
                raise MetricMathError(f"invalid query Id {qid!r}")
            if qid in self.queries:
                raise MetricMathError(f"duplicate query Id {qid!r}")
            if ("Expression" in q) == ("MetricStat" in q):
                raise MetricMathError(f"query {qid!r} needs exactly one of Expression, MetricStat")
            unknown = set(q) - {
                "Id",
                "Expression",
                "MetricStat",
                "Label",
                "ReturnData",
                "Period",
                "AccountId",
            }
            if unknown:
                raise MetricMathError(f"query {qid!r} has unknown keys {sorted(unknown)}")
            self.queries[qid] = q
        self.values: dict[str, Value] = {}
        self.periods: dict[str, int] = {}
        self.active: list[str] = []

    def grid(self, period: int) -> list[int]:
        return list(range(self.start, self.end, period))

    def metric(self, qid: str, stat: Mapping[str, Any], account_id: str) -> Series:
        metric = stat.get("Metric") or {}
        if set(stat) - {"Metric", "Period", "Stat", "Unit"}:
            raise MetricMathError(f"query {qid!r}: unknown MetricStat keys")
        if set(metric) - {"Namespace", "MetricName", "Dimensions"}:
            raise MetricMathError(f"query {qid!r}: unknown Metric keys")
        period = stat.get("Period")
        if not isinstance(period, int) or period <= 0 or (period >= 60 and period % 60):
            raise MetricMathError(f"query {qid!r}: Period must be a positive multiple of 60")
        if stat.get("Stat") not in STATS:
            raise MetricMathError(f"query {qid!r}: unsupported Stat {stat.get('Stat')!r}")
        dims = metric.get("Dimensions", [])
        names = [d["Name"] for d in dims]
        if len(names) != len(set(names)) or len(names) > 30:
            raise MetricMathError(f"query {qid!r}: bad Dimensions")
        key = metric_key(
            metric["Namespace"],
            metric["MetricName"],
            {d["Name"]: d["Value"] for d in dims},
            account_id,
        )
        buckets: dict[int, list[float]] = {}
        for ts, value in self.data.get(key, ()):
            if self.start <= ts < self.end:
                bucket = self.start + (ts - self.start) // period * period
                buckets.setdefault(bucket, []).append(float(value))
        reduce = {
            "Sum": sum,
            "SampleCount": lambda v: float(len(v)),
            "Average": lambda v: sum(v) / len(v),
            "Minimum": min,
            "Maximum": max,
        }[stat["Stat"]]
        self.periods[qid] = period
        return {ts: float(reduce(vs)) for ts, vs in sorted(buckets.items())}

    def value(self, qid: str) -> Value:
        if qid in self.values:
            return self.values[qid]
        if qid not in self.queries:
            raise MetricMathError(f"unknown id {qid!r}")
        if qid in self.active:
            raise MetricMathError(f"reference cycle through {' -> '.join([*self.active, qid])}")
        self.active.append(qid)
        q = self.queries[qid]
        if "MetricStat" in q:
            result: Value = self.metric(qid, q["MetricStat"], q.get("AccountId", ""))
        else:
            expression = q["Expression"]
            if not isinstance(expression, str) or not expression.strip():
                raise MetricMathError(f"query {qid!r}: empty Expression")
            refs = references(expression)
            for ref in refs:
                self.value(ref)
            periods = {self.periods[r] for r in refs if r in self.periods}
            if "Period" in q:
                periods.add(q["Period"])
            if len(periods) > 1:
                raise MetricMathError(f"query {qid!r} mixes periods {sorted(periods)}")
            if periods:
                self.periods[qid] = periods.pop()
            result = self.eval(qid, _Parser(expression).parse())
        self.active.pop()
        self.values[qid] = result
        return result

    def eval(self, qid: str, node: tuple[Any, ...]) -> Value:
        grid = self.grid(self.periods[qid]) if qid in self.periods else None
        return _eval(node, self.value, grid)


def evaluate(
    queries: list[Mapping[str, Any]],
    data: Mapping[MetricKey, Iterable[tuple[int, float]]],
    start: int,
    end: int,
) -> dict[str, Value]:
    """Evaluate every query; return id -> value (a series, or a number for SUM(series))."""
    ev = _Evaluator(queries, data, start, end)
    return {qid: ev.value(qid) for qid in ev.queries}


def run_queries(
    queries: list[Mapping[str, Any]],
    data: Mapping[MetricKey, Iterable[tuple[int, float]]],
    start: int,
    end: int,
) -> dict[str, tuple[str, Series]]:
    """GetMetricData's answer: each ReturnData query (default true) -> (label, series)."""
    values = evaluate(queries, data, start, end)
    out: dict[str, tuple[str, Series]] = {}
    for q in queries:
        if q.get("ReturnData", True):
            value = values[q["Id"]]
            if not isinstance(value, dict):
                raise MetricMathError(f"query {q['Id']!r} returns no time series")
            out[q["Id"]] = (q.get("Label", q["Id"]), value)
    return out


def widget_queries(metrics: list[list[Any]], period: int | None = None) -> list[dict[str, Any]]:
    """A dashboard widget's ``metrics`` array as GetMetricData queries.

    ``[namespace, name, dim, value, ..., {options}]`` becomes a MetricStat (options ``id``,
    ``stat``, ``period``, ``label``, ``visible``, ``accountId``); ``[{expression, id, label,
    visible}]`` an Expression. ``period`` replaces every metric's period (what the console
    does with ``setPeriodToTimeRange``). The ``"..."`` shorthand is refused.
    """
    queries: list[dict[str, Any]] = []
    for n, row in enumerate(metrics):
        options = row[-1] if row and isinstance(row[-1], dict) else {}
        plain = row[:-1] if options else row
        visible = options.get("visible", True)
        qid = options.get("id", f"w{n}")
        if "expression" in options:
            if plain:
                raise MetricMathError(f"widget row {n}: an expression row holds one object")
            queries.append(
                {
                    "Id": qid,
                    "Expression": options["expression"],
                    "Label": options.get("label", qid),
                    "ReturnData": visible,
                }
            )
            continue
        if "..." in plain or len(plain) < 2 or len(plain) % 2:
            raise MetricMathError(f"widget row {n}: not [namespace, name, dim, value, ...]")
        dims = [{"Name": plain[i], "Value": plain[i + 1]} for i in range(2, len(plain), 2)]
        query: dict[str, Any] = {
            "Id": qid,
            "MetricStat": {
                "Metric": {"Namespace": plain[0], "MetricName": plain[1], "Dimensions": dims},
                "Period": period or options.get("period", 300),
                "Stat": options.get("stat", "Average"),
            },
            "Label": options.get("label", plain[1]),
            "ReturnData": visible,
        }
        if "accountId" in options:
            query["AccountId"] = options["accountId"]
        queries.append(query)
    return queries


def alarm_queries(metric_query: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """An aws_cloudwatch_metric_alarm's planned ``metric_query`` blocks as GetMetricData queries."""
    queries: list[dict[str, Any]] = []
    for block in metric_query:
        query: dict[str, Any] = {
            "Id": block["id"],
            "Label": block.get("label") or block["id"],
            "ReturnData": bool(block.get("return_data")),
        }
        if block.get("account_id"):
            query["AccountId"] = block["account_id"]
        if block.get("expression"):
            query["Expression"] = block["expression"]
        else:
            (metric,) = block["metric"]
            query["MetricStat"] = {
                "Metric": {
                    "Namespace": metric["namespace"],
                    "MetricName": metric["metric_name"],
                    "Dimensions": [
                        {"Name": k, "Value": v}
                        for k, v in sorted((metric["dimensions"] or {}).items())
                    ],
                },
                "Period": metric["period"],
                "Stat": metric["stat"],
            }
        queries.append(query)
    return queries
