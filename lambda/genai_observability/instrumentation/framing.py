"""The framings of a response body, decoded from a copy of the bytes the caller reads.

An HTTP transport sees the body chunk by chunk as the caller reads it; these decoders take
the same chunks (never the caller's objects) and give whole messages: the AWS event stream
(``application/vnd.amazon.eventstream``, as botocore/eventstream.py frames it), server-sent
events (``text/event-stream``, the WHATWG event-stream format), or the whole body (JSON).
A ``Content-Encoding`` of gzip or deflate is undone first; any other leaves the body unread.
"""

from __future__ import annotations

import json
import struct
import zlib

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["EVENTSTREAM", "MAX_BODY", "SSE", "BodyDecoder", "EventStreamDecoder", "SseDecoder"]

EVENTSTREAM = "application/vnd.amazon.eventstream"
SSE = "text/event-stream"

MAX_BODY = 32 * 1024 * 1024
"""A JSON body longer than this (bytes) is not kept for its reader: its usage is unknown."""

# Event stream header value types (botocore/eventstream.py): type -> fixed size, or None
# for the length-prefixed types (6 bytes, 7 string).
_FIXED = {0: 0, 1: 0, 2: 1, 3: 2, 4: 4, 5: 8, 8: 8, 9: 16}


class BodyDecoder:
    """Undoes ``Content-Encoding`` (gzip, deflate) on a copy of the body's chunks.

    Attributes:
        readable: False for an encoding we do not decode (the body's facts stay unknown).
    """

    def __init__(self, encoding: str) -> None:
        encoding = encoding.strip().lower()
        self.readable = encoding in ("", "identity", "gzip", "x-gzip", "deflate")
        self._inflate: Any = None
        if encoding in ("gzip", "x-gzip"):
            self._inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._inflate = zlib.decompressobj(zlib.MAX_WBITS)

    def decode(self, chunk: bytes) -> bytes:
        """The decoded bytes of ``chunk`` (b"" when the encoding is not readable)."""
        if not self.readable:
            return b""
        return self._inflate.decompress(chunk) if self._inflate is not None else chunk


class EventStreamDecoder:
    """AWS event stream messages: ``(headers, payload)`` pairs as whole messages arrive."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def feed(self, data: bytes) -> list[tuple[dict[str, Any], bytes]]:
        """Add ``data``; return the messages it completed, in order."""
        self._buffer += data
        messages = []
        while len(self._buffer) >= 12:
            total, headers_length = struct.unpack_from(">II", self._buffer)
            if total < 16 or len(self._buffer) < total:
                break
            message = bytes(self._buffer[:total])
            del self._buffer[:total]
            headers = _headers(message[12 : 12 + headers_length])
            messages.append((headers, message[12 + headers_length : total - 4]))
        return messages


def _headers(raw: bytes) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    at = 0
    while at < len(raw):
        name_length = raw[at]
        name = raw[at + 1 : at + 1 + name_length].decode("utf-8", "replace")
        at += 1 + name_length
        kind = raw[at]
        at += 1
        size = _FIXED.get(kind)
        if size is None:  # bytes (6) or string (7): a uint16 length first
            (size,) = struct.unpack_from(">H", raw, at)
            at += 2
        value = raw[at : at + size]
        at += size
        headers[name] = value.decode("utf-8", "replace") if kind == 7 else value
    return headers


class SseDecoder:
    """Server-sent events: ``{"event": name or None, "data": parsed JSON or the raw text}``."""

    def __init__(self) -> None:
        self._buffer = b""
        self._event: str | None = None
        self._data: list[str] = []

    def feed(self, data: bytes) -> list[dict[str, Any]]:
        """Add ``data``; return the events it completed, in order."""
        self._buffer += data
        events: list[dict[str, Any]] = []
        while True:
            end = self._buffer.find(b"\n")
            if end < 0:
                return events
            line = self._buffer[:end].rstrip(b"\r").decode("utf-8", "replace")
            self._buffer = self._buffer[end + 1 :]
            self._line(line, events)

    def _line(self, line: str, events: list[dict[str, Any]]) -> None:
        if not line:
            if self._data:
                events.append({"event": self._event, "data": _json_or_text("\n".join(self._data))})
            self._event, self._data = None, []
            return
        field, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if field == "event":
            self._event = value
        elif field == "data":
            self._data.append(value)


def _json_or_text(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text
