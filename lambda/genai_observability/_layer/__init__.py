"""The Lambda layer's side inside the package: record every call, bind each request id.

The layer holds the package under ``python/`` and, at its root, the exec wrapper
``genai-observability`` (this directory's file of that name). The wrapper points ``_HANDLER``
at ``genai_observability_shim.handler`` (this directory's ``genai_observability_shim.py``,
copied to ``python/``), which calls :func:`wrap_handler` on the function's own handler.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing and pathlib would cost the function's cold start
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

__all__ = ["SHIM", "WRAPPER", "wrap_handler"]

_HERE = os.path.dirname(os.path.abspath(__file__))
WRAPPER = os.path.join(_HERE, "genai-observability")
"""Path of the exec wrapper script (the layer's ``genai-observability``, mode 0755)."""
SHIM = os.path.join(_HERE, "genai_observability_shim.py")
"""Path of the handler shim (the layer's ``python/genai_observability_shim.py``)."""


def _runtime_invocation() -> Callable[[], Any] | None:
    """How to read the request id of the invocation the Lambda runtime is running, or None.

    Lambda's Python runtime, awslambdaric (``/var/runtime/bootstrap.py`` runs its ``main``),
    keeps it in ``awslambdaric.bootstrap._GLOBAL_AWS_REQUEST_ID``: ``run`` sets it from each
    invocation's ``Lambda-Runtime-Aws-Request-Id`` before calling the handler, for the
    ``aws_request_id`` of its log records (awslambdaric 4.2.2, ``bootstrap.run`` and
    ``LambdaLoggerFilter``). None where the runtime is another or keeps no such record.
    """
    import sys

    bootstrap = sys.modules.get("awslambdaric.bootstrap")
    if bootstrap is None or not hasattr(bootstrap, "_GLOBAL_AWS_REQUEST_ID"):
        return None
    return lambda: getattr(bootstrap, "_GLOBAL_AWS_REQUEST_ID", None)


def wrap_handler(user_handler: Callable[..., Any]) -> Callable[..., Any]:
    """Switch on :func:`~genai_observability.instrument_all`; return the handler to run.

    Under awslambdaric (Lambda's Python runtime) that is ``user_handler`` itself: each line
    takes the running invocation's request id from the runtime (``_context.follow_runtime``),
    so nothing stands between the runtime and the function's code, and an error the handler
    raises reaches the runtime with exactly its own frames. Elsewhere it is a wrapper that
    binds the request id (from the context's ``aws_request_id``) for every line, calls
    ``user_handler`` and unbinds it afterwards; results and exceptions pass unchanged.

    Args:
        user_handler: The function's own handler ``handler(event, context)``.

    Returns:
        The handler to give the runtime.
    """
    import functools

    from .. import _context
    from ..instrumentation import instrument_all

    instrument_all()
    invocation = _runtime_invocation()
    if invocation is not None:
        _context.follow_runtime(invocation)
        return user_handler
    bind = _context.bind_request

    @functools.wraps(user_handler)
    def handler(event: Any, context: Any = None, *args: Any, **kwargs: Any) -> Any:
        bind(context)
        try:
            return user_handler(event, context, *args, **kwargs)
        finally:
            bind(None)

    return handler
