"""The one JSON encoder: strict JSON with numbers in plain decimal form; never raises.

Used for every line the payload writes and for the ``genai-obs`` command's JSON output.
Unlike :func:`json.dumps`:

* a float is written in plain decimal form, never with an exponent (``0.000084``, not
  ``8.4e-05``; ``10000000000000000``, not ``1e+16``): metric filter value selectors and Logs
  Insights read plain decimals, and exponent form is not something to bet a cost metric on;
* NaN and the infinities are written as ``null`` (never the invalid ``NaN``/``Infinity``);
* an object JSON has no form for (a set, bytes, a custom class) is written as its ``str()``,
  or ``"<TypeName>"`` when that fails, instead of raising.

Compact output (no ``indent``) uses ``,`` and ``:`` separators and ASCII escapes, as a log
line wants; with ``indent`` the layout is :func:`json.dumps`'s (``", "``/``": "``, ``[]`` and
``{}`` for empty containers). A leaf module: standard library only, nothing of ours.
"""

from __future__ import annotations

try:  # The C accelerators ship with CPython; the pure-Python fallbacks are equivalent.
    from _json import encode_basestring as _escape_utf8
    from _json import encode_basestring_ascii as escape
except ImportError:  # pragma: no cover - other interpreters
    from json.encoder import encode_basestring as _escape_utf8
    from json.encoder import encode_basestring_ascii as escape

TYPE_CHECKING = False  # keep typing (~10 ms) out of the cold start
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

__all__ = ["dumps", "escape", "plain_number"]

_INF = float("inf")


def plain_number(number: float) -> str:
    """JSON for a finite float in plain decimal form: ``8.4e-05`` becomes ``0.000084``.

    ``repr()`` when it has no exponent (``812.4``, ``1.0``). Below 1e-4, ``repr()``'s digits
    (the shortest that read back as the same float) behind the zeros: ``0.0000025``. From
    1e16 up a float is a whole number, written exactly: ``1e+16`` is ``10000000000000000``.
    Either way the text reads back as the same float.
    """
    text = float.__repr__(number)
    if "e" not in text:
        return text
    mantissa, _, exponent = text.partition("e")
    if exponent.startswith("+"):
        return f"{number:.0f}"
    sign = "-" if mantissa.startswith("-") else ""
    whole, _, fraction = mantissa.lstrip("-").partition(".")
    return sign + "0." + "0" * (-int(exponent) - 1) + whole + fraction


def dumps(value: Any, *, indent: int | None = None, ensure_ascii: bool = True) -> str:
    """Serialize ``value`` as strict JSON with plain decimal numbers; never raises.

    Args:
        value: Any object: dicts (keys become strings), lists and tuples, strings, numbers,
            booleans and None; anything else is written as its ``str()``.
        indent: Spaces per nesting level (``json.dumps``'s pretty layout), or None for one
            compact line.
        ensure_ascii: Escape every non-ASCII character (``\\u00e9``); False writes them as is.

    Returns:
        The JSON text, without a trailing newline.
    """
    string = escape if ensure_ascii else _escape_utf8
    try:
        if indent is None:
            return _compact(value, string)
        return _pretty(value, string, "\n", " " * indent)
    except RecursionError:  # a container that holds itself, or nesting beyond the stack
        return "null"


def _integer(value: int) -> str:
    """An int's digits; ``null`` for one too long to print (``sys.set_int_max_str_digits``)."""
    try:
        return int.__repr__(value)
    except ValueError:
        return "null"


def _scalar(value: Any, string: Callable[[str], str]) -> str | None:
    """The JSON of a scalar value (str, number, bool, None), or None for a container."""
    t = type(value)
    if t is str:
        return string(value)
    if t is int:
        return _integer(value)
    if t is float:
        return plain_number(value) if -_INF < value < _INF else "null"
    if value is None:
        return "null"
    if t is bool:
        return "true" if value else "false"
    if isinstance(value, (dict, list, tuple)):
        return None
    if isinstance(value, str):
        return string(str.__str__(value))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return _integer(int.__index__(value))
    if isinstance(value, float):
        return _scalar(float.__float__(value), string)
    return string(_text_of(value))


def _key(key: Any, string: Callable[[str], str]) -> str:
    """A mapping key as a JSON string, as :func:`json.dumps` turns keys into strings."""
    if type(key) is str:
        return string(key)
    scalar = _scalar(key, string)
    if scalar is None:
        return string(_text_of(key))
    return scalar if scalar.startswith('"') else '"' + scalar + '"'


def _compact(value: Any, string: Callable[[str], str]) -> str:
    """One line: ``{"k":v,...}``. The common types are handled inline (the line's hot path)."""
    t = type(value)
    if t is dict:
        members = []
        for key, item in value.items():
            kind = type(item)
            if kind is str:
                text = string(item)
            elif kind is int:
                text = _integer(item)
            elif kind is float:
                text = float.__repr__(item)
                if "e" in text or "n" in text:  # exponent, inf or nan
                    text = plain_number(item) if -_INF < item < _INF else "null"
            elif item is None:
                text = "null"
            else:
                text = _compact(item, string)
            members.append((string(key) if type(key) is str else _key(key, string)) + ":" + text)
        return "{" + ",".join(members) + "}"
    scalar = _scalar(value, string)
    if scalar is not None:
        return scalar
    if isinstance(value, dict):
        return _compact(dict(value), string)
    return "[" + ",".join([_compact(v, string) for v in value]) + "]"


def _pretty(value: Any, string: Callable[[str], str], newline: str, step: str) -> str:
    """:func:`json.dumps`'s indented layout, ``newline`` being the current line start."""
    scalar = _scalar(value, string)
    if scalar is not None:
        return scalar
    if not value:
        return "{}" if isinstance(value, dict) else "[]"
    inner = newline + step
    if isinstance(value, dict):
        members = (
            _key(k, string) + ": " + _pretty(v, string, inner, step) for k, v in value.items()
        )
        return "{" + inner + ("," + inner).join(members) + newline + "}"
    items = (_pretty(v, string, inner, step) for v in value)
    return "[" + inner + ("," + inner).join(items) + newline + "]"


def _text_of(value: Any) -> str:
    """``str(value)``, or ``<TypeName>`` when it cannot be printed."""
    try:
        text = str(value)
        return text if type(text) is str else str.__str__(text)
    except Exception:
        try:
            return f"<{type(value).__name__}>"
        except Exception:
            return "<unrepresentable>"
