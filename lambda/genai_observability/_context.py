"""Binding of the Lambda request id, so every line of one invocation carries it.

A Lambda execution environment runs one invocation at a time, so the binding is process-wide
(threads started by the handler see it too). Bind it at the top of the handler with
:func:`bind_request`, or decorate the handler with :func:`observe_handler`.
"""

from __future__ import annotations

from ._emit import json_str

TYPE_CHECKING = False  # keep typing (~10 ms) out of the cold start
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar

    F = TypeVar("F", bound=Callable[..., Any])

_request_id: str | None = None
_request_id_json = "null"


def bind_request(context: Any = None) -> str | None:
    """Bind the request id that every following line carries as ``request_id``.

    Args:
        context: The Lambda context object (its ``aws_request_id`` is used), a request id
            string, or None to unbind.

    Returns:
        The bound request id, or None when there is none. Never raises.
    """
    global _request_id, _request_id_json
    rid: Any = context
    if context is not None and not isinstance(context, str):
        try:
            rid = getattr(context, "aws_request_id", None)
        except Exception:
            rid = None
    if rid is not None and not isinstance(rid, str):
        rid = None
    if rid == "":
        rid = None
    _request_id = rid
    _request_id_json = "null" if rid is None else json_str(rid, 256)
    return rid


def current_request_id() -> str | None:
    """Return the request id bound by :func:`bind_request`, or None."""
    return _request_id


def request_id_json() -> str:
    """Return the bound request id as a JSON literal (``null`` when unbound)."""
    return _request_id_json


def observe_handler(handler: F) -> F:
    """Decorate a Lambda handler so its invocation's request id is bound while it runs.

    The previous binding is restored when the handler returns or raises.

    Args:
        handler: A function ``handler(event, context)``.

    Returns:
        The wrapped handler.
    """
    import functools

    @functools.wraps(handler)
    def wrapper(event: Any, context: Any = None, *args: Any, **kwargs: Any) -> Any:
        previous = _request_id
        bind_request(context)
        try:
            return handler(event, context, *args, **kwargs)
        finally:
            bind_request(previous)

    return wrapper  # type: ignore[return-value]
