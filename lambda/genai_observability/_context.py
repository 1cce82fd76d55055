"""Binding of the invocation: its request id and attribution keys ride on every line.

A Lambda execution environment runs one invocation at a time, so the binding is process-wide
(threads started by the handler see it too). Bind it at the top of the handler with
:func:`bind_request` (``bind_request(context, tenant="acme")``), or decorate the handler with
:func:`observe_handler`; code outside a handler sets attribution keys with
:func:`set_attributes`.

Attribution keys (cost per tenant, user, ...) are bounded: a name is snake_case
(``^[a-z][a-z0-9_]{0,63}$``) and not a contract key, at most :data:`MAX_ATTRIBUTES` of them;
a value is cut to 256 characters and sanitized like any attribute, once, at bind time. A bad
name is dropped with a one-time warning on stderr, never an exception. They follow the
contract keys and precede the per-call extra attributes, which never replace them.

The binding is one immutable :class:`Binding` in :data:`current`, replaced as a whole, so a
line written by another thread sees either the old or the new binding, never half of each.

Under the layer nothing wraps the function's handler (a wrapper would be one more frame in
every error the runtime reports): :func:`follow_runtime` hands this module the runtime's own
record of the invocation it is running, and :func:`binding` starts each invocation clean with
its request id, as a wrapper calling :func:`bind_request` at the top would.
"""

from __future__ import annotations

from ._contract import CONTRACT_KEYS
from ._emit import warn_once
from ._sanitize import clean_value, dumps, to_str

TYPE_CHECKING = False  # keep typing (~10 ms) out of the cold start
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar

    F = TypeVar("F", bound=Callable[..., Any])

__all__ = [
    "MAX_ATTRIBUTES",
    "Binding",
    "bind_request",
    "binding",
    "current",
    "current_request_id",
    "follow_runtime",
    "observe_handler",
    "set_attributes",
]

MAX_ATTRIBUTES = 10
"""Most attribution keys bound at once; the ones after it are dropped with a warning."""

_MAX_VALUE = 256


class Binding:
    """What every line of the invocation carries; immutable, replaced as a whole.

    Attributes:
        request_id: The bound request id, or None.
        attributes: The attribution keys and their cleaned values.
        names: The attribution key names (per-call extra attributes never replace them).
        attributes_length: Length of their JSON members on a line (``,"tenant":"acme"``; 0
            when none), counted against the line's 64 KiB.
        invocation: The runtime's request id when it was made, while the module follows the
            runtime (:func:`follow_runtime`); else None.
    """

    __slots__ = ("attributes", "attributes_length", "invocation", "names", "request_id")

    def __init__(
        self,
        request_id: str | None = None,
        attributes: dict[str, Any] | None = None,
        invocation: Any = None,
    ) -> None:
        self.request_id = request_id
        self.invocation = invocation  # the runtime's invocation it was made in (follow_runtime)
        self.attributes = attributes or {}
        self.names = frozenset(self.attributes)
        self.attributes_length = len(dumps(self.attributes)) - 1 if self.attributes else 0


current = Binding()
"""The binding made last; every recorded line reads it through :func:`binding`."""

_runtime_invocation: Callable[[], Any] | None = None
"""Reads the request id of the invocation the runtime is running (see follow_runtime)."""


def follow_runtime(invocation: Callable[[], Any] | None) -> None:
    """Take each invocation's start from the runtime: ``invocation()`` names the one running.

    From then on a binding made in another invocation (or before the first) no longer
    holds: the first line or bind of each invocation starts clean, bound to the request id
    ``invocation()`` returns (a string, or None between invocations). None stops following.
    """
    global _runtime_invocation
    _runtime_invocation = invocation


def _runtime_request_id() -> Any:
    read = _runtime_invocation
    if read is None:
        return None
    try:
        rid = read()
    except Exception:
        return None
    return rid if isinstance(rid, str) and rid else None


def binding() -> Binding:
    """The binding in force now (what the next line carries).

    It is :data:`current`; following the runtime, a binding made in another invocation is
    replaced by a clean one bound to the running invocation's request id.
    """
    global current
    now = current
    if _runtime_invocation is None:
        return now
    rid = _runtime_request_id()
    if now.invocation != rid:
        now = current = Binding(rid, invocation=rid)
    return now


def _valid_name(name: Any) -> bool:
    if type(name) is not str or not 1 <= len(name) <= 64 or not name.isascii():
        return False
    if not ("a" <= name[0] <= "z") or not all(
        c == "_" or c.isdigit() or "a" <= c <= "z" for c in name
    ):
        return False
    return name not in CONTRACT_KEYS


def _clean_attributes(attributes: dict[str, Any]) -> dict[str, Any]:
    """The valid attribution keys with cleaned values; warn once about each one dropped."""
    out: dict[str, Any] = {}
    for name, value in attributes.items():
        if not _valid_name(name):
            shown = to_str(name, 80)
            warn_once(
                "attribute:" + shown,
                f"attribution key {shown!r} dropped: a name is snake_case"
                " (^[a-z][a-z0-9_]{0,63}$) and not a contract key",
            )
            continue
        if len(out) >= MAX_ATTRIBUTES:
            warn_once(
                "attributes:max",
                f"attribution keys after the first {MAX_ATTRIBUTES} dropped ({name!r}, ...)",
            )
            break
        value = clean_value(value)
        if value is not None and type(value) not in (str, int, float, bool):
            value = to_str(value, _MAX_VALUE)  # lists and mappings: their text
        elif type(value) is str and len(value) > _MAX_VALUE:
            value = to_str(value, _MAX_VALUE)
        out[name] = value
    return out


def _bind(request_id: str | None, attributes: dict[str, Any]) -> None:
    global current
    invocation = _runtime_request_id()
    try:
        cleaned = _clean_attributes(attributes) if attributes else None
        current = Binding(request_id, cleaned, invocation)
    except Exception:  # pragma: no cover - defensive: attribution never breaks the caller
        current = Binding(request_id, invocation=invocation)


def set_attributes(**attributes: Any) -> dict[str, Any]:
    """Put attribution keys on every following line (replacing those set before).

    For code outside a handler (a script, a worker); a handler binds them with
    :func:`bind_request`. ``set_attributes()`` with no arguments clears them. The request id
    stays bound. Never raises: a bad name is dropped with a one-time warning on stderr.

    Args:
        **attributes: Snake_case names (not contract keys, at most 10) and their values
            (cut to 256 characters).

    Returns:
        The attribution keys now bound, as written on the lines.
    """
    _bind(binding().request_id, attributes)
    return dict(current.attributes)


def bind_request(context: Any = None, **attributes: Any) -> str | None:
    """Bind the invocation: its request id and attribution keys go on every following line.

    Everything bound before is replaced (a new invocation starts clean).

    Args:
        context: The Lambda context object (its ``aws_request_id`` is used), a request id
            string, or None to unbind.
        **attributes: Attribution keys for every line of the invocation, e.g.
            ``tenant="acme"``: snake_case names that are not contract keys, at most 10,
            values cut to 256 characters. A bad name is dropped with a one-time warning.

    Returns:
        The bound request id, or None when there is none. Never raises.
    """
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
    _bind(rid, attributes)
    return rid


def current_request_id() -> str | None:
    """Return the request id bound by :func:`bind_request` (or the layer), or None."""
    return binding().request_id


def observe_handler(handler: F) -> F:
    """Decorate a Lambda handler so its invocation's request id is bound while it runs.

    The previous binding (request id and attribution keys) is restored when the handler
    returns or raises.

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
