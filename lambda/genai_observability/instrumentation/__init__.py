"""Capture: every LLM call a client makes becomes one ``llm_call`` line.

Two parts that never know each other's details, as opentelemetry-python-contrib's botocore
extensions are built:

* **Transports** (``transports/``) see a call go out and come back: botocore's
  ``BaseClient._make_api_call``, aiobotocore's async override and the HTTP clients the SDKs
  send with (httpx, httpx2; :mod:`.exchange` decodes the framing), per process
  (:func:`instrument_all`) or per client (:func:`instrument`). A transport maps what it
  sees to an ``(api, operation)`` key (an HTTP request: by :mod:`.endpoints`), asks
  ``registry.READERS`` for its reader, and runs the call through :func:`.call.run`; a call
  no reader reads passes straight through.
* **Readers** (``readers/``) know one API shape each (Converse, ConverseStream, InvokeModel,
  InvokeModelWithResponseStream and its model families' chunk bodies; the OpenAI Chat
  Completions, OpenAI Responses and Anthropic Messages APIs Bedrock serves over HTTP). Their hooks
  (:class:`.reader.Reader`: ``on_request``, ``on_success``, ``on_error``,
  ``on_stream_event``, ``on_stream_end``) turn a request and its response, or its stream's
  events, into the usage and facts of one :class:`.call.PendingCall`.

The rules both keep (in :mod:`.call`): one logical call is one line, retries included; a
stream is recorded once, at its end, close or garbage collection, and every event reaches
the caller unchanged; an error is recorded, then re-raised unchanged; a stream without usage
is ``usage_unknown``; a hook that fails costs the line its facts, never the caller its call.

How to add a reader (a new API shape):
    1. Write ``readers/<shape>.py`` with a :class:`.reader.Reader` subclass: set
       ``operation`` (the line's value), read the model in ``on_request``, the usage and
       facts in ``on_success`` (or hand a stream back with ``call.watch(stream, self)`` and
       read it in ``on_stream_event`` / ``on_stream_end``); end with ``READER = YourReader()``.
    2. Add one entry to ``registry.READERS``: ``(api, operation): "<shape>"``, where ``api``
       and ``operation`` are what the transports see (botocore: the service name and the
       operation name, e.g. ``("bedrock-runtime", "Converse")``; over HTTP: the route's
       key in ``endpoints.ROUTES``, e.g. ``("openai", "ChatCompletions")``). What an HTTP
       transport hands the hooks is described in :mod:`.exchange`.
    Test the reader by its own hooks (tests/python/test_instrument_readers.py).

How to add a transport (a new client library):
    1. Write ``transports/<library>.py`` with ``install(library_module, switch) -> bool``
       (patch the library once for the process; read ``switch.enabled`` and
       ``switch.attributes`` on each call; skip when :func:`.call.in_call` is true),
       ``uninstall(library_module)``, and ``instrument_client(client, attributes) -> bool``
       when its clients can be wrapped one by one (:func:`instrument`).
       On a call, find the reader with ``READERS.find(api, operation)`` and hand the call to
       :func:`.call.run` (an async client: :func:`.call_async.run_async`); know nothing of
       the shapes.
    2. Add one entry to ``registry.TRANSPORTS``: ``name: (library module, "<library>")``.
       :func:`instrument_all` then installs it right after the user imports that module
       (an import hook), so switching recording on imports nothing heavy.
"""

from __future__ import annotations

from .registry import READERS, TRANSPORTS
from .switch import instrument, instrument_all, uninstrument_all

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .call import clear_last_event, last_event

__all__ = [
    "READERS",
    "TRANSPORTS",
    "clear_last_event",
    "instrument",
    "instrument_all",
    "last_event",
    "uninstrument_all",
]


def __getattr__(name: str) -> Any:
    """``last_event`` and ``clear_last_event`` load :mod:`.call` on first use."""
    if name in ("last_event", "clear_last_event"):
        from . import call

        return getattr(call, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
