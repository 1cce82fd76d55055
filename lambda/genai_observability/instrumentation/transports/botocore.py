"""botocore: the transport of boto3 clients, through ``BaseClient._make_api_call``.

Per process (:func:`install`), one class-level patch, as opentelemetry-instrumentation-botocore
and ddtrace do: every client, created before or after, from any Session, is recorded, and
calls that no reader reads pass straight through. Per client (:func:`instrument_client`),
the client's methods of the operations that have a reader are wrapped. A call through a
wrapped client's method is recorded once, by that wrapper (its attributes win).

The transport knows botocore, not the APIs: it asks ``READERS`` for the reader of the
client's service name and the operation name, and lets :func:`~..call.run` do the rest.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping

from ..call import in_call, run
from ..registry import BEDROCK_RUNTIME, READERS
from . import MARK, ClassPatch, Patch, mark

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from ..reader import Reader

__all__ = [
    "PATCH",
    "Patch",
    "install",
    "instrument_client",
    "params_of",
    "reader_of",
    "service_of",
    "uninstall",
    "wrap_methods",
]


def service_of(client: Any) -> str | None:
    """The botocore service name of ``client`` (``bedrock-runtime``), or None."""
    return getattr(getattr(client, "_service_model", None), "service_name", None)


def reader_of(client: Any, operation_name: str, switch: Any) -> Reader | None:
    """The reader of this class-level call when it is recorded, else None.

    Recorded: recording is on, no wrapper of ours is recording already, and a reader reads
    the client's service and operation.
    """
    if not switch.enabled or in_call():
        return None
    return READERS.find(service_of(client), operation_name)


def params_of(api_params: Any) -> Mapping[str, Any]:
    """The request parameters as the readers take them (a mapping; else none)."""
    return api_params if isinstance(api_params, Mapping) else {}


def _make_patched(original: Callable[..., Any], switch: Any) -> Callable[..., Any]:
    read = READERS.operation_names  # one set lookup lets every other call through

    @functools.wraps(original)
    def _make_api_call(self: Any, operation_name: str, api_params: Any) -> Any:
        reader = reader_of(self, operation_name, switch) if operation_name in read else None
        if reader is None:
            return original(self, operation_name, api_params)
        call = functools.partial(original, self, operation_name, api_params)
        return run(reader, params_of(api_params), switch.attributes, call)

    return _make_api_call


PATCH = ClassPatch("BaseClient", "_make_api_call", _make_patched)
"""Our patch of ``BaseClient._make_api_call`` (``botocore.client``), for the whole process."""

install = PATCH.install
"""Put our patch on ``module.BaseClient._make_api_call`` (``module`` is ``botocore.client``)."""

uninstall = PATCH.uninstall
"""Put botocore's method back when ours is still the outermost; else ours stays idle."""


def _wrap(
    api: str, operation: str, original: Callable[..., Any], attributes: dict[str, Any]
) -> Callable[..., Any]:
    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        # None inside a call another wrapper of ours is already recording
        reader = None if in_call() else READERS.find(api, operation)
        if reader is None:
            return original(*args, **kwargs)
        return run(reader, kwargs, attributes, functools.partial(original, *args, **kwargs))

    return wrapper


def _method_names(client: Any) -> dict[str, str]:
    """Operation name -> the client's method name (botocore's own table, else snake_case)."""
    mapping = getattr(getattr(client, "meta", None), "method_to_api_mapping", None)
    if isinstance(mapping, Mapping):
        return {operation: method for method, operation in mapping.items()}
    return {}


def _snake_case(operation: str) -> str:
    """``ConverseStream`` -> ``converse_stream`` (botocore's method name of an operation)."""
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in operation).lstrip("_")


def wrap_methods(
    client: Any,
    attributes: dict[str, Any],
    wrap: Callable[[str, str, Callable[..., Any], dict[str, Any]], Callable[..., Any]],
) -> bool:
    """Replace each method of ``client`` whose operation has a reader by ``wrap(...)``.

    The API is the client's service name (``bedrock-runtime`` for an object without one).
    Returns False when no method was wrapped.
    """
    api = service_of(client) or BEDROCK_RUNTIME
    methods = _method_names(client)
    wrapped = 0
    for operation in READERS.operations(api):
        name = methods.get(operation) or _snake_case(operation)
        original = getattr(client, name, None)
        if callable(original) and not getattr(original, MARK, False):
            setattr(client, name, mark(wrap(api, operation, original, attributes)))
            wrapped += 1
    return wrapped > 0


def instrument_client(client: Any, attributes: dict[str, Any]) -> bool:
    """Wrap the methods of ``client`` whose operations have a reader; False when none."""
    return wrap_methods(client, attributes, _wrap)
