"""aiobotocore: the transport of async AWS clients (aiobotocore, aioboto3), the botocore twin.

``AioBaseClient._make_api_call`` is an async override of botocore's method (aiobotocore
3.x, ``aiobotocore/client.py``), so botocore's class-level patch never sees these calls:
this transport patches the override itself, per process (:func:`install`), and wraps an
async client's methods per client (:func:`instrument_client`). Retries happen inside the
awaited method (aiobotocore's endpoint loop), so one awaited call is one line; a call
through a wrapped client's method is recorded once, by that wrapper. Streams
(``ConverseStream``, ``InvokeModelWithResponseStream``) come back as
:class:`~..call_async.AsyncWatchedStream` and are recorded at their end, close or
garbage collection. This module imports nothing of aiobotocore: it patches the module the
import hook hands it.
"""

from __future__ import annotations

import functools
import inspect

from ..call import in_call
from ..call_async import run_async
from ..registry import READERS
from . import ClassPatch
from .botocore import params_of, reader_of, wrap_methods

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

__all__ = ["PATCH", "install", "instrument_client", "uninstall"]


def _make_patched(original: Callable[..., Any], switch: Any) -> Callable[..., Any]:
    read = READERS.operation_names  # one set lookup lets every other call through

    @functools.wraps(original)
    async def _make_api_call(self: Any, operation_name: str, api_params: Any) -> Any:
        reader = reader_of(self, operation_name, switch) if operation_name in read else None
        if reader is None:
            return await original(self, operation_name, api_params)
        call = functools.partial(original, self, operation_name, api_params)
        return await run_async(reader, params_of(api_params), switch.attributes, call)

    return _make_api_call


PATCH = ClassPatch("AioBaseClient", "_make_api_call", _make_patched)
"""Our patch of ``AioBaseClient._make_api_call`` (``aiobotocore.client``), for the whole process."""

install = PATCH.install
"""Patch ``module.AioBaseClient._make_api_call`` (``module`` is ``aiobotocore.client``)."""

uninstall = PATCH.uninstall
"""Put aiobotocore's method back when ours is still the outermost; else ours stays idle."""


def _wrap(
    api: str, operation: str, original: Callable[..., Any], attributes: dict[str, Any]
) -> Callable[..., Any]:
    @functools.wraps(original)
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        # None inside a call another wrapper of ours is already recording
        reader = None if in_call() else READERS.find(api, operation)
        if reader is None:
            return await original(*args, **kwargs)
        call = functools.partial(original, *args, **kwargs)
        return await run_async(reader, kwargs, attributes, call)

    return wrapper


def instrument_client(client: Any, attributes: dict[str, Any]) -> bool:
    """Wrap the async methods of ``client`` whose operations have a reader; False when none.

    Only a client whose ``_make_api_call`` is a coroutine function (an aiobotocore client)
    is taken; a sync botocore client is left to the botocore transport.
    """
    if not inspect.iscoroutinefunction(getattr(type(client), "_make_api_call", None)):
        return False
    return wrap_methods(client, attributes, _wrap)
