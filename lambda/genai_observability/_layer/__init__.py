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


def wrap_handler(user_handler: Callable[..., Any]) -> Callable[..., Any]:
    """Switch on :func:`~genai_observability.instrument_all` and wrap ``user_handler``.

    The returned handler binds the invocation's request id (from the context's
    ``aws_request_id``) for every line it records, calls ``user_handler`` and unbinds it
    afterwards; the handler's result and exceptions pass through unchanged.

    Args:
        user_handler: The function's own handler ``handler(event, context)``.

    Returns:
        The handler to give the runtime.
    """
    import functools

    from .. import _context
    from ..instrumentation import instrument_all

    instrument_all()
    bind = _context.bind_request

    @functools.wraps(user_handler)
    def handler(event: Any, context: Any = None, *args: Any, **kwargs: Any) -> Any:
        bind(context)
        try:
            return user_handler(event, context, *args, **kwargs)
        finally:
            bind(None)

    return handler
