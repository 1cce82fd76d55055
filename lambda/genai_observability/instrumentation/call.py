"""One logical LLM call between its request and its line: start, facts, finish once.

Transports run a call with :func:`run`; readers fill the :class:`PendingCall`; a stream the
reader hands back through :meth:`PendingCall.watch` finishes the call at its end, close or
garbage collection. Nothing here raises into the caller's code, and the caller's errors are
re-raised unchanged.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import threading
import time
from collections.abc import Mapping

from .._events import record_llm_call

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import Any

    from .reader import Reader

__all__ = [
    "PendingCall",
    "WatchedStream",
    "clear_last_event",
    "enter_call",
    "error_type",
    "failed",
    "in_call",
    "last_event",
    "leave_call",
    "log_content_enabled",
    "run",
    "start",
    "succeeded",
]

_local = threading.local()
_perf = time.perf_counter
_active: contextvars.ContextVar[bool] = contextvars.ContextVar("genai_in_call", default=False)
# A context variable, not a thread-local: async tasks share a thread (aiobotocore, httpx).


def last_event() -> dict[str, Any] | None:
    """Return the event recorded last by an instrumented call in this thread, or None."""
    return getattr(_local, "event", None)


def clear_last_event() -> None:
    """Forget the event recorded last in this thread (see :func:`last_event`)."""
    _local.event = None


def in_call() -> bool:
    """True while this thread or task is inside a call a transport records (one line per call)."""
    return _active.get()


def enter_call() -> contextvars.Token[bool]:
    """Mark this thread or task as inside a recorded call; give the token to :func:`leave_call`."""
    return _active.set(True)


def leave_call(token: contextvars.Token[bool]) -> None:
    """Undo :func:`enter_call` (a transport's inner layers record again)."""
    _active.reset(token)


def log_content_enabled() -> bool:
    """Return True when ``GENAI_LOG_CONTENT`` opts in to logging prompt and response text."""
    return os.environ.get("GENAI_LOG_CONTENT", "").strip().lower() in ("true", "1", "yes")


def error_type(exc: BaseException) -> str:
    """The AWS error code of ``exc`` when it has one, else its class name."""
    try:
        response = getattr(exc, "response", None)
        if isinstance(response, Mapping):
            code = (response.get("Error") or {}).get("Code")
            if code:
                return str(code)
    except Exception:
        pass
    return type(exc).__name__


class PendingCall:
    """What is known of one call until its line is written (once).

    Attributes:
        operation: The line's ``operation``.
        model: The model id as called (set by the reader's ``on_request``).
        start: ``time.perf_counter()`` when the request left.
        latency_ms: Wall time to the response, or to the stream's end (None until then).
        usage: Token counts under the line's keys, or None when the API did not say.
        facts: Other line keys the response stated (``stop_reason``, ``service_tier`` ...).
        prompt: The prompt's text when content is logged, else None.
        answer: Parts of the answer's text when content is logged, else None.
        notes: The reader's own notes between its hooks (never written to the line).
    """

    def __init__(self, operation: str, attributes: dict[str, Any]) -> None:
        self.operation = operation
        self.attributes = attributes
        self.model: Any = None
        self.start = _perf()
        self.latency_ms: float | None = None
        self.usage: dict[str, Any] | None = None
        self.facts: dict[str, Any] = {}
        self.prompt: str | None = None
        self.answer: list[str] | None = None
        self.notes: Any = None
        self.watched = False
        self.done = False
        self.watcher: Callable[[Any, PendingCall, Reader], Any] = WatchedStream

    def set_usage(
        self,
        input_tokens: Any,
        output_tokens: Any,
        cache_read_tokens: Any = None,
        cache_write_tokens: Any = None,
    ) -> None:
        """Keep the call's token counts (None for a count the API did not state)."""
        self.usage = {
            "input_tokens": input_tokens,
            "output_tokens": output_tokens,
            "cache_read_tokens": cache_read_tokens,
            "cache_write_tokens": cache_write_tokens,
        }

    def put(self, key: str, value: Any) -> None:
        """Keep a fact the response stated (a short string); leave the key out otherwise."""
        if isinstance(value, str) and value and len(value) <= 64:
            self.facts[key] = value

    def mark_first_token(self) -> None:
        """Note the time from the call to the first content delta as ``ttft_ms`` (once)."""
        if "ttft_ms" not in self.facts:
            self.facts["ttft_ms"] = round((_perf() - self.start) * 1000.0, 3)

    def watch(self, stream: Any, reader: Reader) -> Any:
        """Hand ``stream`` to ``reader``'s stream hooks; the call finishes at its end.

        The stream comes back wrapped by ``watcher`` (:class:`WatchedStream`; an async
        transport sets its async twin).
        """
        self.watched = True
        return self.watcher(stream, self, reader)

    def finish(self, error: BaseException | None = None) -> None:
        """Write the call's line (the first time only); never raises."""
        if self.done:
            return
        self.done = True
        try:
            latency = self.latency_ms
            if latency is None:
                latency = (_perf() - self.start) * 1000.0
            usage = self.usage or {}
            extra = dict(self.attributes)
            extra.update(self.facts)
            if self.answer is not None:
                extra["prompt"] = self.prompt or ""
                extra["response"] = "".join(self.answer)
            if error is not None:
                extra["status"] = "error"
                extra["error_type"] = error_type(error)
            _local.event = record_llm_call(
                self.model,
                usage.get("input_tokens"),
                usage.get("output_tokens"),
                latency,
                cache_read_tokens=usage.get("cache_read_tokens"),
                cache_write_tokens=usage.get("cache_write_tokens"),
                operation=self.operation,
                **extra,
            )
        except Exception:  # pragma: no cover - record_llm_call never raises
            pass


def start(reader: Reader, params: Mapping[str, Any], attributes: dict[str, Any]) -> PendingCall:
    """A new call of ``reader``'s shape: the request read, the clock started."""
    call = PendingCall(reader.operation, attributes)
    with contextlib.suppress(Exception):
        reader.on_request(call, params)
    call.start = _perf()
    return call


def failed(call: PendingCall, reader: Reader, error: BaseException) -> None:
    """The call raised ``error`` before any response: read it and write the line."""
    call.latency_ms = (_perf() - call.start) * 1000.0
    with contextlib.suppress(Exception):
        reader.on_error(call, error)
    call.finish(error)


def succeeded(call: PendingCall, reader: Reader, response: Any) -> Any:
    """The call answered: read the response; write the line unless a stream is watched."""
    call.latency_ms = (_perf() - call.start) * 1000.0
    with contextlib.suppress(Exception):
        response = reader.on_success(call, response)
    if not call.watched:
        call.finish()
    return response


def run(
    reader: Reader, params: Mapping[str, Any], attributes: dict[str, Any], send: Callable[[], Any]
) -> Any:
    """Make one call through ``send()``, read it with ``reader`` and write its line once.

    The transport's part: it found ``reader`` for the call and gives the request's
    ``params``, the line's ``attributes`` (``service`` and the user's keys) and ``send``,
    which makes the call as the caller asked. An error of ``send()`` is recorded, then
    re-raised unchanged; the response is returned as the reader hands it back.
    """
    call = start(reader, params, attributes)
    token = _active.set(True)
    try:
        response = send()
    except Exception as exc:
        failed(call, reader, exc)
        raise
    finally:
        _active.reset(token)
    return succeeded(call, reader, response)


class WatchedStream:
    """Wraps an event stream for a reader; finishes the call once at its end, close or drop.

    Every event reaches the caller unchanged and in order; the reader only looks at it.
    """

    def __init__(self, inner: Any, call: PendingCall, reader: Reader) -> None:
        self._inner = inner
        self._call = call
        self._reader = reader

    def __iter__(self) -> Iterator[Any]:
        with self._ending():
            for event in self._inner:
                with contextlib.suppress(Exception):
                    self._reader.on_stream_event(self._call, event)
                yield event

    @contextlib.contextmanager
    def _ending(self) -> Iterator[None]:
        """Around an iteration (sync or async): end the call with its error, or at its end."""
        try:
            yield
        except Exception as exc:
            self.end(exc)
            raise
        finally:
            self.end(None)

    def end(self, error: BaseException | None) -> None:
        """Finish the call once: the stream ended, failed with ``error``, closed or dropped."""
        call = self._call
        if call.done:
            return
        with contextlib.suppress(Exception):
            call.latency_ms = (_perf() - call.start) * 1000.0
            self._reader.on_stream_end(call, error)
        call.finish(error)

    def close(self) -> None:
        """Close the underlying stream and record the call if it was not yet recorded."""
        try:
            close = getattr(self._inner, "close", None)
            if close is not None:
                close()
        finally:
            self.end(None)

    def __getattr__(self, name: str) -> Any:
        if name in ("_inner", "_call", "_reader"):
            raise AttributeError(name)
        return getattr(self._inner, name)

    def __del__(self) -> None:
        with contextlib.suppress(Exception):
            self.end(None)
