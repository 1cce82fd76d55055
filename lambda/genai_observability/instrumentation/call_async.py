"""The async twin of :func:`.call.run` and of the stream watcher, for async transports.

Same rules as :mod:`.call`: one line per logical call, an error recorded then re-raised
unchanged, a stream recorded once at its end, close or garbage collection, every event
reaching the caller unchanged and in order.
"""

from __future__ import annotations

import contextlib

from .call import WatchedStream, enter_call, failed, leave_call, start, succeeded

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
    from typing import Any

    from .reader import Reader

__all__ = ["AsyncWatchedStream", "run_async"]


class AsyncWatchedStream(WatchedStream):
    """Wraps an async event stream (``async for``); finishes the call once at its end.

    ``close()`` stays synchronous, as aiobotocore's ``AioEventStream.close`` is.
    """

    def __aiter__(self) -> AsyncIterator[Any]:
        return self._events()

    async def _events(self) -> AsyncIterator[Any]:
        call, reader = self._call, self._reader
        with self._ending():
            async for event in self._inner:
                with contextlib.suppress(Exception):
                    reader.on_stream_event(call, event)
                yield event

    def __iter__(self) -> Iterator[Any]:
        return iter(self._inner)  # what the inner stream says of sync iteration, unchanged


async def run_async(
    reader: Reader,
    params: Mapping[str, Any],
    attributes: dict[str, Any],
    send: Callable[[], Awaitable[Any]],
) -> Any:
    """Await one call through ``send()``, read it with ``reader`` and write its line once.

    The async twin of :func:`.call.run`: a stream the reader watches comes back as an
    :class:`AsyncWatchedStream`.
    """
    call = start(reader, params, attributes)
    call.watcher = AsyncWatchedStream
    token = enter_call()
    try:
        response = await send()
    except Exception as exc:
        failed(call, reader, exc)
        raise
    finally:
        leave_call(token)
    return succeeded(call, reader, response)
