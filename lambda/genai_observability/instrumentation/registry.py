"""The two tables of the capture: readers by API shape, transports by client library.

A reader entry maps ``(api, operation)`` to the module under ``readers/`` that reads that
shape (its ``READER`` object); a transport entry maps a name to the library module whose
import switches the transport on and to our module under ``transports/`` that patches it.
Modules load on first use, so the tables cost nothing until a call needs them.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs cold start (the layer's shim reaches this module)
if TYPE_CHECKING:
    from typing import Any

    from .reader import Reader

__all__ = ["BEDROCK_RUNTIME", "READERS", "TRANSPORTS", "ReaderRegistry", "load"]

BEDROCK_RUNTIME = "bedrock-runtime"
"""The API of Amazon Bedrock Runtime (botocore's service name)."""

TRANSPORTS: dict[str, tuple[str, str]] = {
    # name: (library module whose import installs the transport, our module in transports/)
    # aiobotocore before botocore: instrument() offers a client to each in turn, and an
    # async client is aiobotocore's (its methods are coroutines).
    "aiobotocore": ("aiobotocore.client", "aiobotocore"),
    "botocore": ("botocore.client", "botocore"),
    # The HTTP clients of the SDKs (anthropic imports the httpx2 fork, openai and litellm
    # httpx) and the SDKs' retry loop (one line per logical call across their retries).
    "httpx": ("httpx", "httpx"),
    "httpx2": ("httpx2", "httpx"),
    "openai": ("openai._base_client", "stainless"),
    "anthropic": ("anthropic._base_client", "stainless"),
    # LiteLLM's own retries (num_retries, the Router): one line per logical call.
    "litellm": ("litellm.main", "litellm"),
    "litellm.router": ("litellm.router", "litellm"),
}
"""Transports :func:`~genai_observability.instrument_all` switches on, in this order."""


def load(package: str, module: str) -> Any:
    """Import ``module`` from this package's ``package`` folder (``readers``, ``transports``)."""
    import importlib

    return importlib.import_module(f"{__package__}.{package}.{module}")


class ReaderRegistry:
    """Readers by ``(api, operation)``; an entry is a module name in ``readers/`` or a reader.

    Lookups are dictionary reads; a module entry is imported on its first lookup and kept.

    Attributes:
        operation_names: Every operation that has a reader, whatever its API: a transport
            lets every other call through after one set lookup (kept up to date in place).
    """

    def __init__(self, entries: dict[tuple[str, str], str | Reader]) -> None:
        self._entries = dict(entries)
        self._loaded: dict[tuple[str, str], Reader] = {}
        self.operation_names: set[str] = {operation for _, operation in self._entries}

    def register(self, api: str, operation: str, reader: str | Reader) -> None:
        """Read ``operation`` of ``api`` with ``reader`` (replaces an earlier entry)."""
        self._entries[(api, operation)] = reader
        self._loaded.pop((api, operation), None)
        self.operation_names.add(operation)

    def unregister(self, api: str, operation: str) -> None:
        """Forget the reader of ``operation`` of ``api`` (no error when there is none)."""
        self._entries.pop((api, operation), None)
        self._loaded.pop((api, operation), None)
        if operation not in {name for _, name in self._entries}:
            self.operation_names.discard(operation)

    def keys(self) -> list[tuple[str, str]]:
        """Every ``(api, operation)`` that has a reader, in registration order."""
        return list(self._entries)

    def operations(self, api: str) -> list[str]:
        """The operations of ``api`` that have a reader, in registration order."""
        return [operation for (name, operation) in self._entries if name == api]

    def find(self, api: str | None, operation: str) -> Reader | None:
        """The reader of ``operation`` of ``api``, or None when nobody reads it."""
        key = (api or "", operation)
        reader = self._loaded.get(key)
        if reader is None:
            entry = self._entries.get(key)
            if entry is None:
                return None
            reader = load("readers", entry).READER if isinstance(entry, str) else entry
            self._loaded[key] = reader
        return reader


READERS = ReaderRegistry(
    {
        (BEDROCK_RUNTIME, "Converse"): "converse",
        (BEDROCK_RUNTIME, "ConverseStream"): "converse_stream",
        (BEDROCK_RUNTIME, "InvokeModel"): "invoke_model",
        (BEDROCK_RUNTIME, "InvokeModelWithResponseStream"): "invoke_stream",
        # The OpenAI- and Anthropic-compatible APIs Bedrock serves over HTTP (readers/compat.py)
        ("openai", "ChatCompletions"): "openai_chat",
        ("openai", "Responses"): "openai_responses",
        ("anthropic", "Messages"): "anthropic_messages",
    }
)
"""Every API shape the capture reads (add an entry here for a new reader module)."""
