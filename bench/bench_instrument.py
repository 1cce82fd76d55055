"""Benchmark: what ``instrument_all()`` and the layer's shim cost, side by side (``make bench``).

Three measurements in one run, each patched against unpatched, reported as ratios:

* ``bedrock converse``: one Converse call over real HTTP to the fake Bedrock Runtime endpoint
  on 127.0.0.1 (tests/support/fake_bedrock.py), the same client without and with
  ``instrument_all()`` (the patched side also writes the line, to /dev/null);
* ``sts``/``s3``: one non-Bedrock call (STS GetCallerIdentity, S3 ListBuckets) to a local moto
  server: the price every other AWS call of the process pays for the class-level patch;
* ``dispatch alone``: the same price without the network's noise: the botocore transport's
  patch around a ``_make_api_call`` that does nothing, called for an STS operation;
* ``httpx other host``: one non-Bedrock httpx POST over real HTTP to a local server, and
  ``httpx send alone``: the HTTP transport's patch around a ``Client.send`` that does
  nothing, for a request to ``api.openai.com`` (goal: at most +2 µs);
* ``aiobotocore converse``: one awaited Converse call to the fake, without and with the
  aiobotocore transport;
* ``shim import``: the function's init through the layer: importing the layer's shim (which
  imports the package, switches on instrument_all() and imports the handler) against
  importing the same handler directly, each in a fresh interpreter, median of the runs.
  The handler imports boto3 and creates its client at init, like most Bedrock handlers.
  Goal: under +5 ms, over 21 starts, for the layer built with ``--bytecode`` by the
  runtime's Python (a layer of sources compiles the payload at every start; both shown).

Rounds alternate unpatched and patched so drift on a busy machine hits both alike; each
figure is the median over the rounds.

Usage: ``python bench/bench_instrument.py [--calls N] [--rounds R] [--import-runs K] [--check]``
(``--check`` exits 1 when the shim's cold start misses its goal).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "lambda"), str(ROOT / "tests")]

import boto3  # noqa: E402
import genai_observability as obs  # noqa: E402
from botocore.config import Config  # noqa: E402
from genai_observability.instrumentation.transports import botocore as transport  # noqa: E402
from support.fake_bedrock import FakeBedrock  # noqa: E402

MODEL = "amazon.nova-micro-v1:0"
MESSAGES = [{"role": "user", "content": [{"text": "What is 2+2?"}]}]
COLD_START_GOAL_MS = 5.0
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}

HANDLER = """
import boto3

bedrock = boto3.client("bedrock-runtime", region_name="us-east-1")


def handler(event, context):
    return bedrock.converse(modelId=event["model"], messages=event["messages"])
"""

CHILD = """
import sys, time
sys.path[:0] = [{task!r}, {layer!r}]
{preload}
start = time.perf_counter()
{statement}
print((time.perf_counter() - start) * 1000.0)
"""
PLAIN = "import app"
SHIM_IMPORT = "import genai_observability_shim"
OURS = "from genai_observability._layer import wrap_handler; wrap_handler(lambda e, c: None)"


@contextlib.contextmanager
def quiet_stdout() -> Iterator[None]:
    """Send the lines to /dev/null (a real file write, like stdout to Lambda's pipe)."""
    saved = sys.stdout
    with open(os.devnull, "w") as sink:
        sys.stdout = sink
        try:
            yield
        finally:
            sys.stdout = saved


def per_call_us(call: Callable[[], Any], calls: int) -> float:
    start = time.perf_counter()
    for _ in range(calls):
        call()
    return (time.perf_counter() - start) / calls * 1e6


HTTP_GOAL_US = 2.0


def side_by_side(call: Callable[[], Any], calls: int, rounds: int) -> tuple[float, float]:
    """Median µs per call unpatched and patched, rounds alternating between the two."""
    plain: list[float] = []
    patched: list[float] = []
    call()  # warm the connection pool and the caches
    for _ in range(rounds):
        obs.uninstrument_all()
        plain.append(per_call_us(call, calls))
        obs.instrument_all()
        with quiet_stdout():
            patched.append(per_call_us(call, calls))
    obs.uninstrument_all()
    return statistics.median(plain), statistics.median(patched)


def dispatch_alone(calls: int, rounds: int) -> tuple[float, float]:
    """Median µs per call of a do-nothing ``_make_api_call`` for STS, without and with our patch."""

    class BaseClient:
        _service_model = SimpleNamespace(service_name="sts")

        def _make_api_call(self, operation_name: str, api_params: Any) -> Any:
            return None

    library = SimpleNamespace(BaseClient=BaseClient)
    client = BaseClient()
    switch = SimpleNamespace(enabled=True, attributes={})
    plain: list[float] = []
    patched: list[float] = []
    for _ in range(rounds):
        plain.append(per_call_us(lambda: client._make_api_call("GetCallerIdentity", {}), calls))
        transport.install(library, switch)
        patched.append(per_call_us(lambda: client._make_api_call("GetCallerIdentity", {}), calls))
        transport.uninstall(library)
    return statistics.median(plain), statistics.median(patched)


def httpx_send_alone(calls: int, rounds: int) -> tuple[float, float]:
    """Median µs per ``Client.send`` that does nothing, for a non-Bedrock request, +/- patch."""
    import httpx
    from genai_observability.instrumentation.transports import httpx as http_transport

    class Client:
        def send(self, request: Any, **kwargs: Any) -> Any:
            return None

    class AsyncClient(Client):
        pass

    library = SimpleNamespace(
        __name__="bench_httpx",
        Client=Client,
        AsyncClient=AsyncClient,
        SyncByteStream=httpx.SyncByteStream,
        AsyncByteStream=httpx.AsyncByteStream,
    )
    client = Client()
    request = httpx.Request("POST", "https://api.openai.com/v1/chat/completions", content=b"{}")
    switch = SimpleNamespace(enabled=True, attributes={})
    plain: list[float] = []
    patched: list[float] = []
    for _ in range(rounds):
        plain.append(per_call_us(lambda: client.send(request, stream=True), calls))
        http_transport.install(library, switch)
        patched.append(per_call_us(lambda: client.send(request, stream=True), calls))
        http_transport.uninstall(library)
    return statistics.median(plain), statistics.median(patched)


def http_and_async_rows(url: str, calls: int, rounds: int) -> list[tuple[str, float, float]]:
    """httpx to another host over HTTP, its send alone, and aiobotocore Converse to the fake."""
    import asyncio

    import httpx
    from aiobotocore.config import AioConfig
    from aiobotocore.session import get_session

    rows: list[tuple[str, float, float]] = []
    with httpx.Client() as client:  # the fake is just another host: no endpoint setting
        rows.append(
            (
                "httpx other host",
                *side_by_side(
                    lambda: client.post(f"{url}/elsewhere", content=b"{}"), calls, rounds
                ),
            )
        )
    rows.append(("httpx send alone", *httpx_send_alone(calls * 500, rounds)))

    async def converse_loop(client: Any) -> float:
        start = time.perf_counter()
        for _ in range(calls):
            await client.converse(modelId=MODEL, messages=MESSAGES)
        return (time.perf_counter() - start) / calls * 1e6

    async def aio_side_by_side() -> tuple[float, float]:
        config = AioConfig(retries={"total_max_attempts": 1})
        session = get_session()
        async with session.create_client(
            "bedrock-runtime",
            region_name="us-east-1",
            endpoint_url=url,
            config=config,
            **CREDENTIALS,
        ) as client:
            await client.converse(modelId=MODEL, messages=MESSAGES)
            plain, patched = [], []
            for _ in range(rounds):
                obs.uninstrument_all()
                plain.append(await converse_loop(client))
                obs.instrument_all()
                with quiet_stdout():
                    patched.append(await converse_loop(client))
            obs.uninstrument_all()
            return statistics.median(plain), statistics.median(patched)

    rows.append(("aiobotocore converse", *asyncio.run(aio_side_by_side())))
    return rows


@contextlib.contextmanager
def moto_server() -> Iterator[str]:
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def layer_dirs(tmp: Path) -> dict[str, Path]:
    """The layer as ``genai-obs package --layer`` builds it, with and without ``--bytecode``,
    each extracted as Lambda lays it out (``<dir>/python`` is ``/opt/python``)."""
    from genai_observability import package

    dirs = {}
    for name, bytecode in (("sources", False), ("bytecode", True)):
        built = package.build("layer", tmp / f"{name}.zip", bytecode=bytecode)
        with zipfile.ZipFile(built.path) as archive:
            archive.extractall(tmp / name)
        dirs[name] = tmp / name / "python"
    return dirs


def cold_start_ms(runs: int) -> dict[str, tuple[float, float]]:
    """Median init ms of the handler imported directly and through the layer's shim.

    ``full``: a fresh interpreter imports it all (boto3 included, the noisiest part).
    ``boto3 loaded``: boto3 is imported before the clock starts, on both sides, so the
    difference is what the shim adds to a Bedrock handler (our package, instrument_all()
    and the patch). ``ours alone``: our package and instrument_all() with no handler and
    no botocore (the first figure is 0: nothing to compare with): every hook (botocore,
    aiobotocore, httpx, httpx2, openai, anthropic) waits for its library's import.
    ``--bytecode``: the same with the layer built with its bytecode (the rows above use
    the layer of sources, the default build).
    """
    with tempfile.TemporaryDirectory(prefix="genai-bench-") as tmp:
        task = Path(tmp) / "task"
        task.mkdir()
        (task / "app.py").write_text(HANDLER)
        layers = layer_dirs(Path(tmp))
        env = {
            **os.environ,
            "GENAI_OBSERVABILITY_HANDLER": "app.handler",
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            # Lambda's /opt and /var/task are read-only: nothing compiled at a start is kept
            # (the handler and a layer of sources compile at every cold start).
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        env.pop("PYTHONPATH", None)

        def child(statement: str, preload: str = "", layer: str = "sources") -> float:
            code = CHILD.format(
                task=str(task), layer=str(layers[layer]), statement=statement, preload=preload
            )
            out = subprocess.run(
                [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
            )
            return float(out.stdout.strip().splitlines()[-1])

        child(PLAIN)  # warm the file system cache, for both sides alike
        child(SHIM_IMPORT)
        child(SHIM_IMPORT, layer="bytecode")
        cases = {
            "full": (PLAIN, SHIM_IMPORT, "", "sources"),
            "boto3 loaded": (PLAIN, SHIM_IMPORT, "import boto3", "sources"),
            "boto3 loaded, --bytecode": (PLAIN, SHIM_IMPORT, "import boto3", "bytecode"),
            "ours alone": (None, OURS, "", "sources"),
            "ours alone, --bytecode": (None, OURS, "", "bytecode"),
        }
        samples: dict[str, tuple[list[float], list[float]]] = {k: ([], []) for k in cases}
        for _ in range(runs):
            for name, (plain, shim, preload, layer) in cases.items():
                samples[name][0].append(child(plain, preload, layer) if plain else 0.0)
                samples[name][1].append(child(shim, preload, layer))
    return {k: (statistics.median(a), statistics.median(b)) for k, (a, b) in samples.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=200, help="calls per round")
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds")
    parser.add_argument("--import-runs", type=int, default=21, help="fresh interpreters each")
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal is missed")
    args = parser.parse_args(argv)

    rows: list[tuple[str, float, float]] = []
    config = Config(retries={"total_max_attempts": 1})
    with FakeBedrock() as fake:
        bedrock = boto3.client(
            "bedrock-runtime",
            region_name="us-east-1",
            endpoint_url=fake.url,
            config=config,
            **CREDENTIALS,
        )
        rows.append(
            (
                "bedrock converse",
                *side_by_side(
                    lambda: bedrock.converse(modelId=MODEL, messages=MESSAGES),
                    args.calls,
                    args.rounds,
                ),
            )
        )
        rows.extend(http_and_async_rows(fake.url, args.calls, args.rounds))
    with moto_server() as url:
        sts = boto3.client("sts", region_name="us-east-1", endpoint_url=url, **CREDENTIALS)
        s3 = boto3.client("s3", region_name="us-east-1", endpoint_url=url, **CREDENTIALS)
        rows.append(
            (
                "sts get_caller_identity",
                *side_by_side(sts.get_caller_identity, args.calls, args.rounds),
            )
        )
        rows.append(("s3 list_buckets", *side_by_side(s3.list_buckets, args.calls, args.rounds)))
    rows.append(("dispatch alone (sts)", *dispatch_alone(args.calls * 500, args.rounds)))

    print(f"Python {sys.version.split()[0]}, {args.rounds} rounds x {args.calls} calls per side")
    print()
    print(f"{'per call':<26}{'unpatched us':>14}{'patched us':>12}{'ratio':>8}{'delta us':>10}")
    for name, plain, patched in rows:
        ratio, delta_us = patched / plain, patched - plain
        print(f"{name:<26}{plain:>14.3f}{patched:>12.3f}{ratio:>8.3f}{delta_us:>10.3f}")
    print()
    init = cold_start_ms(args.import_runs)
    title = f"init, median of {args.import_runs}"
    print(f"{title:<26}{'handler ms':>14}{'shim ms':>12}{'ratio':>8}{'delta ms':>10}")
    for name, (plain_ms, shim_ms) in init.items():
        ratio = f"{shim_ms / plain_ms:.3f}" if plain_ms else "-"
        delta = shim_ms - plain_ms
        print(f"{name:<26}{plain_ms:>14.1f}{shim_ms:>12.1f}{ratio:>8}{delta:>10.1f}")
    added = {
        layer: init[name][1] - init[name][0]
        for layer, name in (("sources", "boto3 loaded"), ("bytecode", "boto3 loaded, --bytecode"))
    }
    http_added = next(patched - plain for name, plain, patched in rows if "send alone" in name)
    print()
    http_verdict = "PASS" if http_added <= HTTP_GOAL_US else "MISS"
    print(
        f"{http_verdict}  a non-Bedrock httpx request pays {http_added:+.2f} us"
        f" (goal <= +{HTTP_GOAL_US:.0f})"
    )
    goal = COLD_START_GOAL_MS
    for layer, how in (("sources", "of sources"), ("bytecode", "built with --bytecode")):
        verdict = "PASS" if added[layer] < goal else "MISS"
        print(
            f"{verdict}  the shim (layer {how}) adds {added[layer]:+.1f} ms to a Bedrock"
            f" handler's init (goal < +{goal:.0f})"
        )
    # --check: the goal holds for the layer built for speed (--bytecode, same Python).
    ok = added["bytecode"] < goal and http_added <= HTTP_GOAL_US
    return 1 if args.check and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
