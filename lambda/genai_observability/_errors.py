"""The library's own exceptions; they share one base class.

Recording a call never raises any of them: the emit path swallows every problem. They are
raised only by calls a developer makes on purpose (the Lambda handler's configuration,
:func:`genai_observability.pricing.overrides`, :func:`genai_observability.instrument`).
"""

from __future__ import annotations


class GenAIObservabilityError(Exception):
    """Base class of every error raised by ``genai_observability``."""


class ConfigurationError(GenAIObservabilityError, ValueError):
    """A required setting is missing or invalid (handler input, environment, arguments)."""


class PricingError(GenAIObservabilityError, ValueError):
    """``GENAI_MODEL_PRICES`` is not valid JSON of the expected shape."""
