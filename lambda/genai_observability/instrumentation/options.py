"""The line options a caller gives :func:`instrument` / :func:`instrument_all`, checked once."""

from __future__ import annotations

from .._contract import CONTRACT_KEYS  # the one import of the contract's keys in this package
from .._errors import ConfigurationError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["line_attributes"]

_PARAMETERS = frozenset(
    {"model", "input_tokens", "output_tokens", "latency_ms", "service", "attributes"}
)
_CONTENT_KEYS = frozenset({"prompt", "response"})
_FACT_KEYS = frozenset(
    {
        "ttft_ms",
        "service_tier",
        "latency_mode",
        "stop_reason",
        "cache_write_1h_tokens",
        "region",
        "trace_id",
    }
)
_RESERVED = CONTRACT_KEYS | _PARAMETERS | _CONTENT_KEYS | _FACT_KEYS


def line_attributes(caller: str, service: str | None, attributes: dict[str, Any]) -> dict[str, Any]:
    """The keys every line of ``caller`` carries: ``attributes``, then ``service`` if given.

    Raises:
        ConfigurationError: An attribute would replace a line key.
    """
    clash = sorted(set(attributes) & _RESERVED)
    if clash:
        raise ConfigurationError(f"{caller}: attributes {clash} would replace line keys")
    keys = dict(attributes)
    if service is not None:
        keys["service"] = service
    return keys
