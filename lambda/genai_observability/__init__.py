"""genai_observability: one JSON line per LLM call, read by the CloudWatch deck.

Record a call yourself::

    from genai_observability import record_llm_call
    record_llm_call("amazon.nova-micro-v1:0", 1200, 350, 812.4)

or record every Bedrock Runtime call of the process, whoever made the client (agent
frameworks included)::

    from genai_observability import instrument_all
    instrument_all()

or let one instrumented Bedrock Runtime client record its calls::

    import boto3
    from genai_observability import bind_request, instrument

    bedrock = instrument(boto3.client("bedrock-runtime"))

    def handler(event, context):
        bind_request(context)  # every line of this invocation carries its request id
        return bedrock.converse(modelId="amazon.nova-micro-v1:0", messages=[...])

Each call writes exactly one JSON line to stdout, in one write, and never raises: the keys,
their order and meaning are the contract (``genai_observability._contract``, published as
``docs/contract.md``), then the attribution keys bound with
``bind_request(context, tenant=...)`` or :func:`set_attributes`. The blog-style
``log_metric`` line is supported too. The standard library is all it needs; heavier parts
(pricing, instrumentation, capture) load on first use.
"""

from __future__ import annotations

from ._context import bind_request, current_request_id, observe_handler, set_attributes
from ._errors import ConfigurationError, GenAIObservabilityError, PricingError
from ._events import log_metric, record_llm_call

TYPE_CHECKING = False  # typing costs ~10 ms of cold start; annotations are strings here
if TYPE_CHECKING:
    from typing import Any

    from ._capture import CapturedEvents, capture
    from .instrumentation import instrument, instrument_all, uninstrument_all
    from .pricing import ModelPrice, cost_usd

__version__ = "0.1.0"

__all__ = [
    "CapturedEvents",
    "ConfigurationError",
    "GenAIObservabilityError",
    "ModelPrice",
    "PricingError",
    "__version__",
    "bind_request",
    "capture",
    "cost_usd",
    "current_request_id",
    "instrument",
    "instrument_all",
    "log_metric",
    "observe_handler",
    "record_llm_call",
    "set_attributes",
    "uninstrument_all",
]

_LAZY = {
    "capture": "._capture",
    "CapturedEvents": "._capture",
    "instrument": ".instrumentation",
    "instrument_all": ".instrumentation",
    "uninstrument_all": ".instrumentation",
    "cost_usd": ".pricing",
    "ModelPrice": ".pricing",
}


def __getattr__(name: str) -> Any:
    """Load the heavier parts of the public API on first use (keeps import fast)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
