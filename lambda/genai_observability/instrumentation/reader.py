"""The interface of a reader: the hooks a transport calls for one call of one API shape."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

    from .call import PendingCall

__all__ = ["Reader"]


class Reader:
    """Turns one API shape's request and response (or stream events) into one line's facts.

    A reader knows one shape and nothing of the transport that carried it. Every hook gets
    the :class:`~.call.PendingCall` and fills it (``model``, ``set_usage``, ``put``); the
    call writes its line once, when the transport says the call is over (or, for a watched
    stream, when the stream ends). Hooks may raise: the transport drops their errors, the
    line keeps what they filled in, and the caller's call is never affected.

    Attributes:
        operation: The line's ``operation`` (``converse``, ``invoke_model`` ...).
    """

    operation = "unknown"

    def on_request(self, call: PendingCall, params: Mapping[str, Any]) -> None:
        """Read the request (the model id, the prompt when content is logged)."""

    def on_success(self, call: PendingCall, response: Any) -> Any:
        """Read the response and return it; a stream goes back as ``call.watch(stream)``."""
        return response

    def on_error(self, call: PendingCall, error: BaseException) -> None:
        """Read a call that failed before any response: nothing was billed."""
        call.set_usage(input_tokens=0, output_tokens=0)

    def on_stream_event(self, call: PendingCall, event: Any) -> None:
        """Read one event of a watched stream (usage, the first content delta)."""

    def on_stream_end(self, call: PendingCall, error: BaseException | None) -> None:
        """Read the end of a watched stream (ended, failed with ``error``, closed or dropped)."""
