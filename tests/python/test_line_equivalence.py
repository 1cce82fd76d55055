"""The line, rewritten for people, writes the bytes the old emit code wrote.

``fixtures/line_corpus.jsonl.xz`` holds 11,000 random calls (10,000 ``record_llm_call``, 1,000
``log_metric``; hostile values included: NaN, infinities, bools, huge ints, unicode, control
characters, lone surrogates, bad types, odd Lambda contexts, bound attribution keys, price
overrides in the environment) and the line the old code wrote for each, with the clock frozen
(see ``line_corpus``). Every call is replayed on the code of today and its line compared byte
for byte.

One difference is intended: the old code wrote a float inside an attribute (a bound
attribution key or an extra attribute) the way ``json.dumps`` does, ``1e-07``, while every
number of the line is now plain decimal (``0.0000001``), the form the contract keys always
had. The old line is compared after that one rewrite, and nothing else.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from genai_observability._strict_json import plain_number
from line_corpus import ENV_NAMES, read_corpus, run_call

CORPUS = Path(__file__).parent / "fixtures" / "line_corpus.jsonl.xz"

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?[eE][-+]?\d+')


def plain_exponents(line: str) -> str:
    """``line`` with every number written in exponent form rewritten as a plain decimal."""

    def plain(match: re.Match[str]) -> str:
        token = match.group(0)
        return token if token.startswith('"') else plain_number(float(token))

    return _TOKEN.sub(plain, line)


def test_plain_exponents_rewrites_numbers_and_leaves_strings() -> None:
    line = '{"a":1e-07,"b":"1e-07","c":-2.5e+20,"d":"\\"1e5","e":1.5}'
    assert plain_exponents(line) == (
        '{"a":0.0000001,"b":"1e-07","c":-250000000000000000000,"d":"\\"1e5","e":1.5}'
    )


def test_every_corpus_call_writes_the_old_line(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV_NAMES:  # run_call sets each of them per call; monkeypatch restores them
        monkeypatch.delenv(name, raising=False)
    differences: list[str] = []
    calls = 0
    for call in read_corpus(CORPUS):
        calls += 1
        line = run_call(call)
        expected = plain_exponents(call["line"])
        if line != expected and len(differences) < 5:
            differences.append(f"call {calls}: {call}\n  old: {expected!r}\n  new: {line!r}")
    assert calls >= 11_000
    assert not differences, "\n".join(differences)
