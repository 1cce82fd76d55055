"""httpx and its forks: the HTTP clients the SDKs send Bedrock calls with.

Which library each SDK really uses, in the versions the dev requirements pin (read in
their sources):

* ``anthropic`` 2.x imports ``httpx2`` (a fork of httpx with the same ``Client.send`` /
  ``AsyncClient.send``; ``anthropic/_base_client.py``): ``AnthropicBedrock`` sends
  ``/model/{id}/invoke`` and ``/invoke-with-response-stream`` with it and uses botocore
  only to sign and to decode the event stream, so botocore's transport never sees them;
* ``openai`` imports ``httpx`` (``openai/_base_client.py``);
* ``litellm`` sends its ``bedrock/`` routes (``/converse``, ``/converse-stream``,
  ``/invoke``, ``/invoke-with-response-stream``) through its own ``httpx`` clients
  (``litellm/llms/custom_httpx/http_handler.py``), botocore only signing.

Per process (:func:`install`, once per library module: ``httpx``, ``httpx2``), one patch
of ``Client.send`` and ``AsyncClient.send``, the one door every request of those clients
goes through. A request that is not a POST to a Bedrock endpoint's LLM route
(:mod:`..endpoints`; an SDK's Bedrock client counts as one at any base URL, see
``transports/stainless.py``) goes on untouched, after a host check. A Bedrock call is sent as the
caller asked, its response's byte stream wrapped by a tee that hands a copy of each chunk
to an :class:`~..exchange.Exchange` as the caller reads it: the caller's bytes are never
consumed, reordered or altered (a caller that asked for no stream gets the body read, as
``send`` itself does). The line is written at the body's end, close or collection.
"""

from __future__ import annotations

import contextlib
import functools

from ..call import enter_call, in_call, leave_call
from ..endpoints import is_bedrock, route
from ..exchange import Exchange, in_bedrock_client
from ..registry import READERS
from . import PatchSet

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import Any

__all__ = ["PATCHES", "install", "tee_types", "uninstall"]

PATCHES = PatchSet(("Client", "send"), ("AsyncClient", "send"))
"""Our patches of ``Client.send`` and ``AsyncClient.send``, by library module name."""


def _to_bedrock(request: Any) -> bool:
    """A request to a Bedrock endpoint, or made by an SDK's Bedrock client (any base URL)."""
    return is_bedrock(request.url) or in_bedrock_client()


def _exchange(request: Any, attributes: dict[str, Any]) -> Exchange | None:
    """An :class:`Exchange` for a request to a Bedrock endpoint when it is an LLM call.

    None when it is not, or when anything about the request cannot be read: the request
    then goes on untouched (recording never breaks the caller's call).
    """
    try:
        found = route(request.method, request.url.raw_path)
        if found is None:
            return None
        reader = READERS.find(found[0].api, found[0].operation)
        if reader is None:
            return None
        try:
            body = request.content
        except Exception:  # a streamed request body: its params stay unknown
            body = None
        return Exchange(reader, found[0], found[1], body, attributes)
    except Exception:
        return None


@contextlib.contextmanager
def _sending(exchange: Exchange) -> Iterator[None]:
    """Around the library's own send: inner layers do not record; a failure is recorded."""
    token = enter_call()
    try:
        yield
    except Exception as exc:
        exchange.failed(exc)
        raise
    finally:
        leave_call(token)


def _attach(response: Any, exchange: Exchange, tee: type) -> None:
    """Give ``exchange`` the response's headers and a copy of its body as it is read."""
    with contextlib.suppress(Exception):
        headers = {key.lower(): value for key, value in response.headers.items()}
        exchange.responded(response.status_code, headers)
        response.stream = tee(response.stream, exchange)


class _Tee:
    """What both tees share: the inner stream, the exchange, and how a read of it ends."""

    def __init__(self, inner: Any, exchange: Exchange) -> None:
        self.inner = inner
        self.exchange = exchange

    @contextlib.contextmanager
    def _reading(self) -> Iterator[Exchange]:
        """Around a read of the body: the exchange ends with the error, or at the body's end."""
        exchange = self.exchange
        try:
            yield exchange
        except Exception as exc:
            exchange.end(exc)
            raise
        exchange.end()


def tee_types(sync_base: type, async_base: type) -> tuple[type, type]:
    """Byte streams over a response's stream (subclasses of the library's stream types)."""

    class SyncTee(_Tee, sync_base):  # type: ignore[misc, valid-type]
        def __iter__(self) -> Any:
            with self._reading() as exchange:
                for chunk in self.inner:
                    exchange.feed(chunk)
                    yield chunk

        def close(self) -> None:
            try:
                self.inner.close()
            finally:
                with contextlib.suppress(Exception):
                    self.exchange.end()

    class AsyncTee(_Tee, async_base):  # type: ignore[misc, valid-type]
        async def __aiter__(self) -> Any:
            with self._reading() as exchange:
                async for chunk in self.inner:
                    exchange.feed(chunk)
                    yield chunk

        async def aclose(self) -> None:
            try:
                await self.inner.aclose()
            finally:
                with contextlib.suppress(Exception):
                    self.exchange.end()

    return SyncTee, AsyncTee


def _make_send(original: Callable[..., Any], switch: Any, tee: type) -> Callable[..., Any]:
    @functools.wraps(original)
    def send(self: Any, request: Any, *args: Any, **kwargs: Any) -> Any:
        if switch.enabled and _to_bedrock(request) and not in_call():
            exchange = _exchange(request, switch.attributes)
            if exchange is not None:
                stream = kwargs.pop("stream", False)
                with _sending(exchange):
                    response = original(self, request, *args, stream=True, **kwargs)
                _attach(response, exchange, tee)
                if not stream:  # read the body here, as the library's send does
                    try:
                        response.read()
                    except BaseException:
                        response.close()
                        raise
                return response
        return original(self, request, *args, **kwargs)

    return send


def _make_async_send(original: Callable[..., Any], switch: Any, tee: type) -> Callable[..., Any]:
    @functools.wraps(original)
    async def send(self: Any, request: Any, *args: Any, **kwargs: Any) -> Any:
        if switch.enabled and _to_bedrock(request) and not in_call():
            exchange = _exchange(request, switch.attributes)
            if exchange is not None:
                stream = kwargs.pop("stream", False)
                with _sending(exchange):
                    response = await original(self, request, *args, stream=True, **kwargs)
                _attach(response, exchange, tee)
                if not stream:
                    try:
                        await response.aread()
                    except BaseException:
                        await response.aclose()
                        raise
                return response
        return await original(self, request, *args, **kwargs)

    return send


def install(module: Any, switch: Any) -> bool:
    """Patch ``module.Client.send`` and ``module.AsyncClient.send`` (httpx, httpx2)."""
    if not hasattr(module, "SyncByteStream") or not hasattr(module, "AsyncByteStream"):
        return False
    sync_tee, async_tee = tee_types(module.SyncByteStream, module.AsyncByteStream)
    return PATCHES.install(
        module,
        lambda now: _make_send(now, switch, sync_tee),
        lambda now: _make_async_send(now, switch, async_tee),
    )


uninstall = PATCHES.uninstall
"""Put ``send`` back where ours is still the outermost; else ours stays idle."""
