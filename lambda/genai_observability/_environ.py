"""Cheap reads of the process environment for the hot path.

Reading ``os.environ`` costs about a microsecond per variable (key and value codecs), and a
recorded call reads several. The mapping's own dict holds the same data, updated by every
``os.environ[...] = ...``; :data:`ENV` is that dict when this interpreter has it (else
``os.environ`` itself). Its values are raw (bytes on POSIX): compare them by identity to see
whether a variable changed, and decode one with :func:`text` only when it did.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # keep typing (~10 ms) out of the cold start
if TYPE_CHECKING:
    from typing import Any

__all__ = ["ENV", "key", "text"]

ENV: Any = os.environ
_encodekey: Any = None
_decodevalue: Any = None
try:
    _data = os.environ._data  # type: ignore[attr-defined]
    if type(_data) is dict:
        ENV = _data
        _encodekey = os.environ.encodekey  # type: ignore[attr-defined]
        _decodevalue = os.environ.decodevalue  # type: ignore[attr-defined]
except AttributeError:  # pragma: no cover - other interpreters
    pass


def key(name: str) -> Any:
    """Return ``name`` as the key :data:`ENV` uses for it."""
    return name if _encodekey is None else _encodekey(name)


def text(raw: Any) -> str | None:
    """Return a raw value of :data:`ENV` as text (None stays None); never raises."""
    if raw is None or type(raw) is str:
        return raw
    try:
        return _decodevalue(raw)
    except Exception:
        return None
