"""The line's golden corpus: random calls (hostile values included) and the lines they wrote.

The corpus (``fixtures/line_corpus.jsonl.xz``) was made by the emit code as it was before
the line was rewritten for people (commit 1ed6a11: the generated line writer and the
positional call), so ``test_line_equivalence`` can hold the new code to the old bytes.

Each record is one call: the environment, the binding, the clock, the function
(``record_llm_call`` or ``log_metric``) and its arguments, and the line it wrote. Values
Python's JSON cannot carry (NaN, bytes, sets, objects that cannot be printed, subclasses)
are tagged: every value is ``[tag, data]``.

Make it again (only if the old behaviour itself is meant to change)::

    python tests/python/line_corpus.py generate 1ed6a11 tests/python/fixtures/line_corpus.jsonl.xz

which extracts the package at that revision with ``git archive``, draws the calls with a
fixed seed and runs them in a fresh interpreter on the old code.
"""

from __future__ import annotations

import contextlib
import io
import json
import lzma
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

SEED = 19
CALLS = 10_000
METRIC_CALLS = 1_000
ENV_NAMES = (
    "GENAI_SERVICE",
    "AWS_LAMBDA_FUNCTION_NAME",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
    "_X_AMZN_TRACE_ID",
    "GENAI_MODEL_PRICES",
)

# --------------------------------------------------------------------------- hostile values


class Unprintable:
    def __str__(self) -> str:
        raise RuntimeError("no str")

    def __repr__(self) -> str:
        raise RuntimeError("no repr")


class Named:
    """An object JSON has no form for, printed deterministically."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __str__(self) -> str:
        return f"Named<{self.name}>"

    __repr__ = __str__  # inside a container's str() too: no memory address in a line


class Text(str):
    pass


class Number(int):
    pass


class Real(float):
    pass


class Context:
    """A Lambda context object, with whatever request id the test wants."""

    def __init__(self, request_id: Any) -> None:
        self.aws_request_id = request_id


def encode(value: Any) -> list[Any]:
    """``[tag, data]`` for any value the generator makes."""
    t = type(value)
    simple = {type(None): "none", bool: "bool", str: "str", Text: "text"}
    if t in simple:
        return [simple[t], value]
    if t in (int, Number):
        return ["int" if t is int else "number", hex(value)]
    if t in (float, Real):
        return ["float" if t is float else "real", repr(value)]
    if t in (list, tuple, frozenset):
        return [t.__name__, [encode(v) for v in value]]
    if t is dict:
        return ["dict", [[encode(k), encode(v)] for k, v in value.items()]]
    if t is bytes:
        return ["bytes", value.hex()]
    if t is Named:
        return ["named", value.name]
    if t is Context:
        return ["context", encode(value.aws_request_id)]
    return ["unprintable", None]


def decode(item: list[Any]) -> Any:
    """The value :func:`encode` tagged."""
    tag, data = item
    plain = {"none": None, "bool": data, "str": data}
    if tag in plain:
        return plain[tag]
    makers: dict[str, Any] = {
        "text": Text,
        "int": lambda d: int(d, 16),
        "number": lambda d: Number(int(d, 16)),
        "float": float,
        "real": lambda d: Real(float(d)),
        "list": lambda d: [decode(v) for v in d],
        "tuple": lambda d: tuple(decode(v) for v in d),
        "frozenset": lambda d: frozenset(decode(v) for v in d),
        "dict": lambda d: {decode(k): decode(v) for k, v in d},
        "bytes": bytes.fromhex,
        "named": Named,
        "context": lambda d: Context(decode(d)),
        "unprintable": lambda d: Unprintable(),
    }
    return makers[tag](data)


# --------------------------------------------------------------------------- drawing calls

MODELS = (
    "amazon.nova-micro-v1:0",
    "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
    "global.anthropic.claude-haiku-4-5-20251001-v1:0",
    "eu.amazon.nova-lite-v1:0",
    "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-pro-v1:0",
    "no.such-model",
    "",
)
FLOATS = (0.0, -0.0, 1e-7, 8.4e-05, 812.4, 1e16, 1.2345678901234567e20, 1e300, -3.5)
WORDS = ("default", "priority", "flex", "ok", "error", "end_turn", "us-east-1", "x" * 70)


_POOL = random.Random(SEED)
HOSTILE_TEXT = (
    *(
        "".join(
            chr(_POOL.choice((_POOL.randint(0, 0x7F), _POOL.randint(0, 0x10FFFF))))
            for _ in range(_POOL.randint(0, 12))
        )
        for _ in range(40)
    ),
    "\x00\x1f\x7f",
    "\ud800 lone",
    "emoji \U0001f600",
    '"quoted" \\ back',
    "\u2028\u2029",
)
"""Unicode, control characters, lone surrogates, quotes: a fixed pool (keeps the file small)."""


def _text(rng: random.Random) -> str:
    pick = rng.random()
    if pick < 0.45:
        return rng.choice(WORDS)
    if pick < 0.9:
        return rng.choice(HOSTILE_TEXT)
    return "y" * rng.choice((300, 1100, 5000))


def _scalar(rng: random.Random) -> Any:
    makers = (
        lambda: None,
        lambda: rng.random() < 0.5,
        lambda: rng.randint(-(10**6), 10**6),
        lambda: rng.choice((10**20, -(10**20), 10**5000, 2**63)),
        lambda: rng.choice((*FLOATS, float("nan"), float("inf"), -float("inf"))),
        lambda: rng.uniform(0, 5000),
        lambda: _text(rng),
        lambda: Text("sub"),
        lambda: Number(7),
        lambda: Real(2.5e-06),
        lambda: bytes(rng.randint(0, 4)),
        lambda: Named(str(rng.randint(0, 9))),
        lambda: Unprintable(),
    )
    return rng.choice(makers)()


def _value(rng: random.Random, depth: int = 0) -> Any:
    pick = rng.random()
    if depth < 5 and pick < 0.08:
        size = rng.choice((0, 2, 70) if depth == 0 else (0, 2))  # 70: past MAX_ITEMS
        return [_value(rng, depth + 1) for _ in range(size)]
    if depth < 5 and pick < 0.14:
        return {rng.choice(("k", "é", 3, "event")): _value(rng, depth + 1) for _ in range(2)}
    if depth < 5 and pick < 0.17:
        return (_value(rng, depth + 1), _value(rng, depth + 1))
    if pick < 0.19:
        return frozenset({1, 2})
    return _scalar(rng)


def _count(rng: random.Random) -> Any:
    if rng.random() < 0.85:
        return rng.choice((0, 1, 1234, 10**6, 10**15, 2**49, 2**49 - 1))
    return rng.choice(
        (
            None,
            -1,
            10**15 + 1,
            12.5,
            7.49,
            float("nan"),
            float("inf"),
            True,
            "9",
            Number(5),
            Real(3.0),
            1e16,
        )
    )


def _latency(rng: random.Random) -> Any:
    if rng.random() < 0.7:
        return rng.choice((rng.uniform(0, 20000), 812.4, 812.0, 0.0004, 3))
    return rng.choice(
        (
            None,
            -1.0,
            float("nan"),
            float("inf"),
            True,
            "12",
            10**13,
            1e16,
            Real(9.5),
            Number(4),
            10**12,
        )
    )


def _environment(rng: random.Random) -> dict[str, str | None]:
    choices: dict[str, tuple[str | None, ...]] = {
        "GENAI_SERVICE": (None, "checkout", "", "é-svc", "s" * 300),
        "AWS_LAMBDA_FUNCTION_NAME": (None, "genai-agent"),
        "AWS_REGION": (None, "us-east-1", "eu-west-1", ""),
        "AWS_DEFAULT_REGION": (None, "ap-northeast-1"),
        "_X_AMZN_TRACE_ID": (
            None,
            "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=557abcec3ee5a047;Sampled=1",
            "Parent=1;Sampled=0",
            "Root=" + "r" * 80,
        ),
        "GENAI_MODEL_PRICES": (
            None,
            None,
            None,
            '{"no.such-model": {"input": 1.0, "output": 2.0}}',
            '{"amazon.nova-micro-v1:0": {"input": 1e300, "output": 1e300}}',
            "not json",
        ),
    }
    return {name: rng.choice(values) for name, values in choices.items()}


def _binding(rng: random.Random) -> dict[str, Any]:
    context = rng.choice(
        (None, "req-1", "", Context("req-ctx"), Context(None), Context(5), 7, "r" * 300)
    )
    names = ("tenant", "user", "Bad-Name", "event", "model", "x" * 70, "t2", "t3")
    attributes = {rng.choice(names): _value(rng) for _ in range(rng.choice((0, 0, 1, 2, 11)))}
    if rng.random() < 0.05:
        attributes.update({f"k{i}": i for i in range(12)})
    return {"context": context, "attributes": attributes}


def _llm_call(rng: random.Random) -> tuple[list[Any], dict[str, Any]]:
    model = rng.choice(MODELS) if rng.random() < 0.8 else _scalar(rng)
    args = [model, _count(rng), _count(rng), _latency(rng)]
    kwargs: dict[str, Any] = {}
    optional = {
        "cache_read_tokens": lambda: _count(rng),
        "cache_write_tokens": lambda: _count(rng),
        "cache_write_1h_tokens": lambda: _count(rng),
        "operation": lambda: rng.choice(("converse", "invoke_model", "o" * 80, None, 3)),
        "status": lambda: rng.choice(("ok", "error", "weird", None)),
        "error_type": lambda: rng.choice(("ThrottlingException", "", None, 5, "e" * 200)),
        "service": lambda: rng.choice(("svc", "é", None, 12, "s" * 300, Unprintable())),
        "request_id": lambda: rng.choice(("rid", None, 5, "r" * 300)),
        "ttft_ms": lambda: _latency(rng),
        "service_tier": lambda: rng.choice((*WORDS, None, 1, "")),
        "latency_mode": lambda: rng.choice(("standard", "optimized", None, 2.0)),
        "region": lambda: rng.choice(("us-east-1", "", None, 5, Text("eu-west-1"))),
        "stop_reason": lambda: rng.choice(("end_turn", None, "s" * 100)),
        "trace_id": lambda: rng.choice(("1-abc", None, "", 3)),
    }
    for name, make in optional.items():
        if rng.random() < 0.3:
            kwargs[name] = make()
    for _ in range(rng.choice((0, 0, 0, 1, 3))):
        key = rng.choice(
            ("tenant", "attr", "event", "cost_usd", "é", "k" * 200, "nested", "tenant")
        )
        kwargs[key] = _value(rng)
    if rng.random() < 0.01:
        kwargs.update({f"big{i}": "z" * 1000 for i in range(70)})
    return args, kwargs


def _metric_call(rng: random.Random) -> tuple[list[Any], dict[str, Any]]:
    args = [rng.choice(("AICost", 5, "m" * 300)), _scalar(rng)]
    kwargs: dict[str, Any] = {}
    if rng.random() < 0.5:
        kwargs["unit"] = rng.choice(("USD", "Count", None, "u" * 80))
    if rng.random() < 0.6:
        kwargs["properties"] = rng.choice(
            (
                {"model": "m"},
                {"metric": 1, "x": _value(rng)},
                ["no"],
                None,
                {f"p{i}": "z" * 1000 for i in range(70)},
            )
        )
    return args, kwargs


def draw_calls(seed: int = SEED) -> Iterator[dict[str, Any]]:
    """The corpus's calls, without their lines: the same for the same seed."""
    rng = random.Random(seed)
    base_ms = 1_796_529_996_000
    for index in range(CALLS + METRIC_CALLS):
        metric = index % 11 == 10
        args, kwargs = (_metric_call if metric else _llm_call)(rng)
        yield {
            "function": "log_metric" if metric else "record_llm_call",
            "environment": _environment(rng),
            "binding": encode(_binding(rng)),
            "clock_ms": base_ms + rng.choice((0, 1, 999, 1000, 86_400_000 * rng.randint(0, 400))),
            "args": encode(args),
            "kwargs": encode(kwargs),
        }


# --------------------------------------------------------------------------- running calls


@contextlib.contextmanager
def frozen_clock(ms: int) -> Iterator[None]:
    """``time.time`` and ``time.time_ns`` stopped at ``ms`` (plus half a millisecond)."""
    saved = time.time, time.time_ns
    time.time = lambda: (ms + 0.5) / 1000  # type: ignore[assignment]
    time.time_ns = lambda: ms * 1_000_000 + 500_000  # type: ignore[assignment]
    try:
        yield
    finally:
        time.time, time.time_ns = saved  # type: ignore[misc]


def run_call(call: dict[str, Any]) -> str:
    """Run one call on the ``genai_observability`` importable now; return what it wrote."""
    import genai_observability as obs

    for name, value in call["environment"].items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    binding = decode(call["binding"])
    out = io.StringIO()
    saved_out, saved_err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, io.StringIO()
    try:
        obs.bind_request(binding["context"], **binding["attributes"])
        with frozen_clock(call["clock_ms"]):
            getattr(obs, call["function"])(*decode(call["args"]), **decode(call["kwargs"]))
    finally:
        sys.stdout, sys.stderr = saved_out, saved_err
        obs.bind_request(None)
    return out.getvalue()


def read_corpus(path: Path) -> Iterator[dict[str, Any]]:
    with lzma.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            yield json.loads(line)


def _run_all(out_path: str) -> None:
    """Write the corpus from the package importable now (the old code, when generating)."""
    preset = 9 | lzma.PRESET_EXTREME  # a window over the whole file: repeated values are free
    with lzma.open(out_path, "wt", encoding="utf-8", preset=preset) as out:
        for call in draw_calls():
            call["line"] = run_call(call)
            out.write(json.dumps(call, ensure_ascii=True) + "\n")


def generate(revision: str, out_path: str) -> None:
    """Extract the package at ``revision`` and write the corpus from it, in a fresh process."""
    repo = Path(__file__).resolve().parents[2]
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(
            ["git", "-C", str(repo), "archive", revision, "lambda/genai_observability"],
            check=True,
            capture_output=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        env = {k: v for k, v in os.environ.items() if k not in ENV_NAMES}
        env["PYTHONPATH"] = str(Path(tmp) / "lambda")
        code = (
            "import sys, genai_observability as old\n"
            f"assert old.__file__.startswith({tmp!r}), old.__file__\n"
            f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
            "import line_corpus\n"
            f"line_corpus._run_all({os.path.abspath(out_path)!r})\n"
        )
        subprocess.run([sys.executable, "-c", code], env=env, check=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["generate"] and len(sys.argv) == 4:
        generate(sys.argv[2], sys.argv[3])
    else:
        sys.exit(f"usage: {sys.argv[0]} generate REVISION OUT.jsonl.xz")
