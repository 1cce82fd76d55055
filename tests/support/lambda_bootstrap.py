"""Stand-ins for the AWS Lambda Python runtime, for the layer tests.

As a script, it is the runtime's bootstrap. Like the runtime (awslambdaric), it puts the
task root and the layers' ``python`` directories on ``sys.path``, imports ``_HANDLER``
(``module.function``, the module path may use ``/``) once, at init, and calls the handler
once per event with a context that carries ``aws_request_id``. Results go, one JSON line
each, to the file named by ``--results``; stdout is left to the function (the deck's lines).

    python lambda_bootstrap.py --task-root DIR --opt DIR --results FILE EVENTS_JSON

A failing import or handler exits non-zero with the traceback on stderr, as the runtime
would report an init or invocation error.

With ``--ric`` it runs the real runtime instead: after the same ``sys.path`` it calls
awslambdaric's ``main`` with ``_HANDLER``, as Lambda's ``/var/runtime/bootstrap.py`` does,
against the Runtime API at ``AWS_LAMBDA_RUNTIME_API`` (a :class:`FakeRuntimeAPI`).

    python lambda_bootstrap.py --ric --task-root DIR --opt DIR

Imported, it offers :func:`extract` (unzip a layer as Lambda does) and
:class:`FakeRuntimeAPI` (the Lambda Runtime API on 127.0.0.1, recording what the runtime
posts).
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import threading
import time
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

API = "/2018-06-01/runtime"
"""The Runtime API's path prefix (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html)."""


class Context:
    """The Lambda context's attributes and method the payload and handlers read."""

    def __init__(self, request_id: str, function_name: str, timeout_s: float = 60.0) -> None:
        self.aws_request_id = request_id
        self.function_name = function_name
        self.invoked_function_arn = (
            f"arn:aws:lambda:us-east-1:123456789012:function:{function_name}"
        )
        self._deadline = time.monotonic() + timeout_s

    def get_remaining_time_in_millis(self) -> int:
        return max(0, int((self._deadline - time.monotonic()) * 1000))


def extract(zip_path: Path, dest: Path) -> None:
    """Unzip like Lambda does: keep each entry's Unix mode (zipfile.extractall drops it)."""
    with zipfile.ZipFile(zip_path) as zf:
        for info in zf.infolist():
            target = dest / info.filename
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(zf.read(info))
            mode = (info.external_attr >> 16) & 0o777
            if mode:
                os.chmod(target, mode)


class FakeRuntimeAPI:
    """The Lambda Runtime API on 127.0.0.1 (a free port), for one runtime process.

    It hands out the queued events one by one on ``invocation/next`` (and holds the runtime
    there once they are used up), and records what the runtime posts: ``init_errors``,
    ``responses`` and ``invocation_errors``, each as ``(error type header, JSON body)``.
    Use it as a context manager; ``address`` is the value of ``AWS_LAMBDA_RUNTIME_API``.
    """

    def __init__(self, events: list[Any] | None = None) -> None:
        self.events = list(events or [])
        self.init_errors: list[tuple[str | None, Any]] = []
        self.responses: list[tuple[str | None, Any]] = []
        self.invocation_errors: list[tuple[str | None, Any]] = []
        self.served = threading.Event()  # every event answered
        self._stop = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self.address = f"127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> FakeRuntimeAPI:
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()

    def next_invocation(self) -> tuple[int, dict[str, str], bytes]:
        if not self.events:
            self._stop.wait(30)  # the runtime waits here until the test stops it
            return 500, {}, b"{}"
        index = len(self.responses) + len(self.invocation_errors)
        headers = {
            "Lambda-Runtime-Aws-Request-Id": f"req-{index:04d}",
            "Lambda-Runtime-Deadline-Ms": str(int(time.time() * 1000) + 60_000),
            "Lambda-Runtime-Invoked-Function-Arn": (
                "arn:aws:lambda:us-east-1:123456789012:function:orders-agent"
            ),
            "Content-Type": "application/json",
        }
        return 200, headers, json.dumps(self.events.pop(0)).encode()

    def record(self, path: str, error_type: str | None, body: Any) -> None:
        if path == f"{API}/init/error":
            self.init_errors.append((error_type, body))
        elif path.endswith("/response"):
            self.responses.append((error_type, body))
        else:
            self.invocation_errors.append((error_type, body))
        if not self.events and (self.responses or self.invocation_errors):
            self.served.set()

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                status, headers, body = api.next_invocation()
                self._reply(status, body, headers)

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                body = json.loads(raw) if raw else None
                api.record(self.path, self.headers.get("Lambda-Runtime-Function-Error-Type"), body)
                self._reply(202, b'{"status":"OK"}', {})

            def _reply(self, status: int, body: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        return Handler


def run_events(handler_name: str, events: list[Any], results_path: str) -> None:
    """The stand-in runtime: import the handler once, call it once per event."""
    module_name, _, function_name = handler_name.rpartition(".")
    handler = getattr(importlib.import_module(module_name.replace("/", ".")), function_name)
    with open(results_path, "w", encoding="utf-8") as results:
        for index, event in enumerate(events):
            context = Context(f"req-{index:04d}", os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "fn"))
            results.write(
                json.dumps(
                    {"request_id": context.aws_request_id, "result": handler(event, context)}
                )
                + "\n"
            )
            results.flush()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--task-root", required=True)
    parser.add_argument("--opt", required=True)
    parser.add_argument("--results")
    parser.add_argument("--ric", action="store_true", help="run the real runtime (awslambdaric)")
    parser.add_argument("events", nargs="?", default="[]")
    args = parser.parse_args()
    layer_python = os.path.join(args.opt, "python")
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    sys.path[:0] = [
        args.task_root,
        os.path.join(layer_python, "lib", version, "site-packages"),
        layer_python,
    ]
    if args.ric:
        from awslambdaric import __main__ as ric

        # Lambda's /var/runtime/bootstrap.py: main([LAMBDA_TASK_ROOT, _HANDLER]).
        ric.main([args.task_root, os.environ["_HANDLER"]])
        return 0
    run_events(os.environ["_HANDLER"], json.loads(args.events), args.results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
