"""Text input read whatever encoding and line endings a common tool wrote it in.

Log lines reach ``genai-obs report`` from many tools: ``aws logs tail`` and ``sam logs``
(UTF-8), Windows PowerShell 5's ``>`` and ``Out-File`` (UTF-16 LE with a byte order mark),
``Set-Content`` (the ANSI code page, Windows-1252), ``-Encoding UTF8`` (UTF-8 with a BOM),
``-Encoding BigEndianUnicode`` / ``UTF32`` (UTF-16 BE / UTF-32 with a BOM), editors and
``iconv`` (UTF-16 without a BOM), Windows and classic Mac line ends (CRLF, CR). The rules:

* a byte order mark names the encoding (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE) and is dropped;
* without one, NUL bytes beside the first character mean UTF-16 or UTF-32 (LE or BE: JSON
  lines start with ASCII);
* otherwise UTF-8, where each byte that is not valid UTF-8 is read as Windows-1252 (which
  is Latin-1 but for 0x80-0x9F), the code page of the Windows tools that do not write UTF-8;
* CRLF, CR and LF all end a line;
* a gzip file, or a start holding control characters that no text has (NUL among them),
  is refused in one line (:class:`~._errors.UsageError`), never read as garbage.
"""

from __future__ import annotations

import codecs
import contextlib
import io
import re
import sys
from collections.abc import Iterator
from typing import BinaryIO

from ._errors import UsageError

__all__ = ["lines_of", "sniff"]

_LEGACY = "genai-obs-windows-1252"
"""The codec error handler that reads a byte that is not UTF-8 as Windows-1252."""

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: its BOM starts the same
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
"""Byte order mark -> the codec that reads it and drops it."""

_HEAD = 8192
"""Bytes looked at to tell the encoding and whether the input is text at all."""

_NOT_TEXT = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f]")
"""C0 controls no text file holds (tab, line ends, form feed, ESC of colours allowed)."""

_GZIP = b"\x1f\x8b"


def _windows_1252(exc: UnicodeError) -> tuple[str, int]:
    """Read the bytes a decoder refused as Windows-1252 (Latin-1 where it has no char)."""
    if not isinstance(exc, UnicodeDecodeError):  # pragma: no cover - decoding only
        raise exc
    chars = []
    for byte in exc.object[exc.start : exc.end]:
        try:
            chars.append(bytes([byte]).decode("cp1252"))
        except UnicodeDecodeError:  # 0x81, 0x8D, 0x8F, 0x90, 0x9D: the Latin-1 char
            chars.append(chr(byte))
    return "".join(chars), exc.end


codecs.register_error(_LEGACY, _windows_1252)


def sniff(head: bytes) -> str:
    """The codec for bytes that start with ``head`` (see the module's rules).

    Args:
        head: The first bytes (four are enough; more do no harm).

    Returns:
        A codec name for :func:`codecs.lookup` (``utf-8``, ``utf-8-sig``, ``utf-16``,
        ``utf-16-le``, ...).
    """
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return codec
    if len(head) >= 4 and head[0] and not any(head[1:4]):
        return "utf-32-le"
    if len(head) >= 4 and not any(head[:3]) and head[3]:
        return "utf-32-be"
    if len(head) >= 2 and head[0] and not head[1]:
        return "utf-16-le"
    if len(head) >= 2 and not head[0] and head[1]:
        return "utf-16-be"
    return "utf-8"


def _check_text(name: str, head: bytes, codec: str) -> None:
    """Refuse, in one line, what is not text."""
    if head.startswith(_GZIP):
        raise UsageError(
            f"{name} is gzip-compressed: unpack it first (gzip -dc FILE | genai-obs report -)"
        )
    if _NOT_TEXT.search(head.decode(codec, errors=_LEGACY)):
        raise UsageError(
            f"{name} is not text: it holds control characters (NUL bytes) that no text"
            " encoding this reads (UTF-8, UTF-16, UTF-32, Windows-1252) puts in text"
        )


def _buffered(stream: BinaryIO) -> io.BufferedReader:
    """The stream with ``peek`` (a file or stdin has it; a BytesIO gets a reader)."""
    if isinstance(stream, io.BufferedReader):
        return stream
    return io.BufferedReader(stream)  # type: ignore[arg-type]


@contextlib.contextmanager
def lines_of(path: str) -> Iterator[Iterator[str]]:
    """The lines of a file (``-``: stdin), decoded by the module's rules.

    Args:
        path: A file path, or ``-`` for standard input.

    Yields:
        The lines, each ending with ``\\n`` (but maybe the last), whatever ended it.

    Raises:
        UsageError: The file cannot be opened, or is not text.
    """
    if path == "-":
        raw = getattr(sys.stdin, "buffer", None)
        if raw is None:  # a text stream without bytes under it (an embedding): as it is
            yield iter(sys.stdin)
            return
        yield _decoded(_buffered(raw), "stdin")
        return
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below, after the lines are read
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    with handle:
        yield _decoded(handle, path)


def _decoded(stream: io.BufferedReader, name: str) -> Iterator[str]:
    """The stream's lines as text, once its start was found to be text."""
    head = stream.peek(_HEAD)[:_HEAD]
    codec = sniff(head)
    _check_text(name, head, codec)
    text = io.TextIOWrapper(stream, encoding=codec, errors=_LEGACY, newline=None)
    try:
        yield from text
    finally:
        text.detach()  # the stream is closed by its owner (or is stdin)
