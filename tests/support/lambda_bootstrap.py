"""Stand-in for the AWS Lambda Python runtime's bootstrap, for the layer tests.

Like the runtime (awslambdaric), it puts the task root and the layers' ``python``
directories on ``sys.path``, imports ``_HANDLER`` (``module.function``, the module path may
use ``/``) once, at init, and calls the handler once per event with a context that carries
``aws_request_id``. Results go, one JSON line each, to the file named by ``--results``;
stdout is left to the function (the deck's lines).

    python lambda_bootstrap.py --task-root DIR --opt DIR --results FILE EVENTS_JSON

A failing import or handler exits non-zero with the traceback on stderr, as the runtime
would report an init or invocation error.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import time
from typing import Any


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


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--task-root", required=True)
    parser.add_argument("--opt", required=True)
    parser.add_argument("--results", required=True)
    parser.add_argument("events")
    args = parser.parse_args()
    layer_python = os.path.join(args.opt, "python")
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    sys.path[:0] = [
        args.task_root,
        os.path.join(layer_python, "lib", version, "site-packages"),
        layer_python,
    ]
    module_name, _, function_name = os.environ["_HANDLER"].rpartition(".")
    handler = getattr(importlib.import_module(module_name.replace("/", ".")), function_name)
    events: list[Any] = json.loads(args.events)
    with open(args.results, "w", encoding="utf-8") as results:
        for index, event in enumerate(events):
            context = Context(f"req-{index:04d}", os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "fn"))
            results.write(
                json.dumps(
                    {"request_id": context.aws_request_id, "result": handler(event, context)}
                )
                + "\n"
            )
            results.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
