"""InvokeModel: tokens from the ``x-amzn-bedrock-*-token-count`` response headers.

The body is the caller's to read (a stream botocore hands over unread): it is never touched.
"""

from __future__ import annotations

from typing import Any

from ..call import PendingCall
from .bedrock import BedrockReader, header_count, header_facts, headers_of

__all__ = ["READER", "InvokeModelReader"]

_PREFIX = "x-amzn-bedrock-"


class InvokeModelReader(BedrockReader):
    """``InvokeModel``: token counts and tier from the headers, any model family."""

    operation = "invoke_model"

    def on_success(self, call: PendingCall, response: Any) -> Any:
        headers = headers_of(response)
        input_tokens = header_count(headers, f"{_PREFIX}input-token-count")
        output_tokens = header_count(headers, f"{_PREFIX}output-token-count")
        if input_tokens is not None and output_tokens is None:
            output_tokens = 0  # embeddings report no output tokens
        call.set_usage(
            input_tokens,
            output_tokens,
            header_count(headers, f"{_PREFIX}cache-read-input-token-count"),
            header_count(headers, f"{_PREFIX}cache-write-input-token-count"),
        )
        header_facts(call, response)
        return response


READER = InvokeModelReader()
