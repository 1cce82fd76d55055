"""Binding of the Lambda request id, so every line of one invocation carries it.

A Lambda execution environment runs one invocation at a time, so the binding is process-wide
(threads started by the handler see it too). Bind it at the top of the handler with
:func:`bind_request`, or decorate the handler with :func:`observe_handler`.

The binding is one immutable :class:`Binding` in :data:`current`, replaced as a whole, so a
line written by another thread sees either the old or the new binding, never half of each.
"""

from __future__ import annotations

from ._sanitize import json_str

TYPE_CHECKING = False  # keep typing (~10 ms) out of the cold start
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar

    F = TypeVar("F", bound=Callable[..., Any])

__all__ = ["Binding", "bind_request", "current", "current_request_id", "observe_handler"]


class Binding:
    """What every line of the invocation carries: the request id, and its JSON literal."""

    __slots__ = ("request_id", "request_id_json")

    def __init__(self, request_id: str | None = None) -> None:
        self.request_id = request_id
        self.request_id_json = "null" if request_id is None else json_str(request_id, 256)


current = Binding()
"""The binding in force; read by every recorded line."""


def bind_request(context: Any = None) -> str | None:
    """Bind the request id that every following line carries as ``request_id``.

    Args:
        context: The Lambda context object (its ``aws_request_id`` is used), a request id
            string, or None to unbind.

    Returns:
        The bound request id, or None when there is none. Never raises.
    """
    global current
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
    current = Binding(rid)
    return rid


def current_request_id() -> str | None:
    """Return the request id bound by :func:`bind_request`, or None."""
    return current.request_id


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
        global current
        previous = current
        bind_request(context)
        try:
            return handler(event, context, *args, **kwargs)
        finally:
            current = previous

    return wrapper  # type: ignore[return-value]
