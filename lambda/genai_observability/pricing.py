"""Model prices (USD per 1M tokens) and the cost of one call.

Prices come from two places, checked in this order:

1. **Overrides**: the JSON environment variable ``GENAI_MODEL_PRICES`` (Terraform's
   ``model_prices`` variable), e.g.
   ``{"amazon.nova-micro-v1:0": {"input": 0.035, "output": 0.14, "cache_read": null}}``.
   They win over the catalog; ``pricing`` says ``"override"``.
2. **The bundled catalog** ``prices.json`` (its ``as_of`` date and source are in
   :func:`catalog_info`); ``pricing`` says ``"catalog"``.

A model id is looked up as called, then as the id derived from it:

* an ARN of a foundation model or of a system inference profile gives its id
  (``arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-micro-v1:0`` ->
  ``amazon.nova-micro-v1:0``; ``arn:...:inference-profile/us.amazon.nova-micro-v1:0`` ->
  ``us.amazon.nova-micro-v1:0``); an application inference profile or provisioned model
  ARN hides its model, so only an override keyed by that ARN prices it;
* an inference-profile id (``us.``, ``eu.``, ``apac.``, ``jp.``, ``au.``, ``ca.``, ``us-gov.``,
  ``global.``) uses its own catalog entry when its price differs from the model's (the 10%
  geographic premium of Claude 4.5 and later, regional Amazon Nova prices), else the model's.

Each candidate id is tried against the overrides first, then against the catalog: an override
for ``amazon.nova-micro-v1:0`` also prices ``us.amazon.nova-micro-v1:0``.

Unknown is never zero. :func:`cost_usd` returns None (and a recorded line says
``pricing: "unknown"``, which the deck counts as ``UnpricedCalls``) when the model has no
price, when the call used cache-read or cache-write tokens whose price is unknown (a null
``cache_read``/``cache_write``), or when a token count is not a valid count.

A bad ``GENAI_MODEL_PRICES`` never breaks recording: :func:`resolve_price` ignores what it
cannot read and warns once on stderr, while :func:`overrides` raises :class:`PricingError` so
a deployment check can fail loudly.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass
from typing import Any

from . import _environ
from ._emit import warn_once
from ._errors import PricingError
from ._sanitize import count

__all__ = [
    "ENV_MODEL_PRICES",
    "ModelPrice",
    "PricingError",
    "catalog",
    "catalog_info",
    "cost_usd",
    "overrides",
    "price_call",
    "resolve_price",
]

ENV_MODEL_PRICES = "GENAI_MODEL_PRICES"
"""Name of the environment variable holding the JSON price overrides."""

PROFILE_PREFIXES = ("us-gov.", "us.", "eu.", "apac.", "jp.", "au.", "ca.", "global.")
"""Inference-profile prefixes understood in model ids."""

_CACHE_LIMIT = 1024
_ENV = _environ.ENV
_K_PRICES = _environ.key(ENV_MODEL_PRICES)


@dataclass(frozen=True, slots=True)
class ModelPrice:
    """Price of one model in USD per 1M tokens.

    Attributes:
        input: Price of input (prompt) tokens.
        output: Price of output (completion) tokens.
        cache_read: Price of tokens read from the prompt cache; None when unknown.
        cache_write: Price of tokens written to the prompt cache; None when unknown.
    """

    input: float
    output: float
    cache_read: float | None = None
    cache_write: float | None = None


_catalog: dict[str, ModelPrice] | None = None
_catalog_info: dict[str, Any] = {}
_resolved: dict[str, tuple[ModelPrice | None, str]] = {}
"""The one price cache: model id as called -> (price, source), for the overrides in force."""
_overrides_raw: Any = None  # the raw GENAI_MODEL_PRICES value _overrides was read from
_overrides: dict[str, ModelPrice] = {}


def _is_price(value: Any) -> bool:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value >= 0
    )


def _to_price(name: str, entry: Any) -> ModelPrice:
    """Build a :class:`ModelPrice` from one JSON entry or raise PricingError."""
    if not isinstance(entry, dict):
        raise PricingError(f"price of {name!r} must be an object, got {type(entry).__name__}")
    unknown = set(entry) - {"input", "output", "cache_read", "cache_write"}
    if unknown:
        raise PricingError(f"price of {name!r} has unknown keys {sorted(unknown)}")
    values: dict[str, float | None] = {}
    for key in ("input", "output", "cache_read", "cache_write"):
        value = entry.get(key)
        if value is None and key in ("cache_read", "cache_write"):
            values[key] = None
        elif _is_price(value):
            values[key] = float(value)
        else:
            raise PricingError(
                f"price of {name!r}: {key!r} must be a non-negative number"
                f" (USD per 1M tokens), got {value!r}"
            )
    return ModelPrice(**values)  # type: ignore[arg-type]


def _load_catalog() -> dict[str, ModelPrice]:
    global _catalog, _catalog_info
    if _catalog is None:
        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "prices.json")
        try:
            with open(path, "rb") as fh:
                raw = fh.read()
        except OSError:  # imported from a zip (zipimport): ask the loader
            raw = __loader__.get_data(path)  # type: ignore[name-defined]
        data = json.loads(raw)
        table: dict[str, ModelPrice] = {}
        for section in ("models", "profiles"):
            for name, entry in data.get(section, {}).items():
                table[name] = _to_price(name, entry)
        _catalog_info = {k: data[k] for k in ("as_of", "source", "unit", "notes") if k in data}
        _catalog = table
    return _catalog


def catalog() -> dict[str, ModelPrice]:
    """Return a copy of the bundled catalog: model and inference-profile id -> price."""
    return dict(_load_catalog())


def catalog_info() -> dict[str, Any]:
    """Return the catalog's metadata: ``as_of`` (date), ``source``, ``unit`` and ``notes``."""
    _load_catalog()
    return dict(_catalog_info)


def _parse_overrides(raw: str, strict: bool) -> dict[str, ModelPrice]:
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise PricingError(f"{ENV_MODEL_PRICES} is not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise PricingError(f"{ENV_MODEL_PRICES} must be a JSON object of model id -> price")
    table: dict[str, ModelPrice] = {}
    problems: list[str] = []
    for name, entry in data.items():
        try:
            table[name] = _to_price(name, entry)
        except PricingError as exc:
            if strict:
                raise
            problems.append(str(exc))
    if problems:
        warn_once(
            "overrides:" + raw,
            f"ignoring invalid entries of {ENV_MODEL_PRICES}: {'; '.join(problems)}",
        )
    return table


def overrides(*, strict: bool = True) -> dict[str, ModelPrice]:
    """Return the price overrides read from ``GENAI_MODEL_PRICES`` (empty when unset).

    Args:
        strict: Raise on any invalid entry (the default). With False, return what the emit
            path uses: the valid entries, or nothing when the variable is not a JSON object.

    Returns:
        Model id (or ARN) -> price.

    Raises:
        PricingError: With ``strict``, the variable is not a JSON object of valid prices.
    """
    raw = os.environ.get(ENV_MODEL_PRICES, "")
    if not raw.strip():
        return {}
    if strict:
        return _parse_overrides(raw, strict=True)
    return dict(_current_overrides())


def _current_overrides() -> dict[str, ModelPrice]:
    """Overrides for the emit path: cached per value of the variable, never raises."""
    raw = _ENV.get(_K_PRICES)
    if raw is not _overrides_raw and raw != _overrides_raw:
        _load_overrides(raw)
    return _overrides


def _load_overrides(raw: Any) -> None:
    """Read the overrides from a new raw ``GENAI_MODEL_PRICES`` value; drop the price cache."""
    global _overrides_raw, _overrides
    value = _environ.text(raw)
    table: dict[str, ModelPrice] = {}
    if value and value.strip():
        try:
            table = _parse_overrides(value, strict=False)
        except PricingError as exc:
            warn_once("overrides:" + value, f"{exc}; prices come from the catalog")
    _overrides = table
    _overrides_raw = raw
    _resolved.clear()


def candidates(model: str) -> list[str]:
    """Return the ids tried for ``model``, most specific first.

    Args:
        model: A model id, inference-profile id or ARN.

    Returns:
        The id as given, the id inside an ARN, and the id without its profile prefix.
    """
    out = [model]
    ident = model
    if model.startswith("arn:"):
        parts = model.split(":", 5)
        resource = parts[5] if len(parts) == 6 else ""
        kind, _, rest = resource.partition("/")
        if kind in ("foundation-model", "inference-profile") and rest:
            ident = rest
            out.append(ident)
        else:
            return out
    for prefix in PROFILE_PREFIXES:
        if ident.startswith(prefix):
            base = ident[len(prefix) :]
            if base:
                out.append(base)
            break
    return out


def resolve_price(model: str) -> tuple[ModelPrice | None, str]:
    """Return the price of ``model`` and where it came from; never raises.

    Results are cached per model id (at most 1024) until ``GENAI_MODEL_PRICES`` changes; a
    hit costs one dict lookup and one identity check of the variable's raw value.

    Args:
        model: Model id, inference-profile id or ARN, as passed to Bedrock.

    Returns:
        ``(price, "override")``, ``(price, "catalog")`` or ``(None, "unknown")``.
    """
    try:
        raw = _ENV.get(_K_PRICES)
        if raw is not _overrides_raw and raw != _overrides_raw:
            _load_overrides(raw)
        hit = _resolved.get(model)
        if hit is not None:
            return hit
        result: tuple[ModelPrice | None, str] = (None, "unknown")
        if isinstance(model, str) and model:
            names = candidates(model.strip())
            table = _overrides
            found = next((table[n] for n in names if n in table), None)
            if found is not None:
                result = (found, "override")
            else:
                cat = _load_catalog()
                found = next((cat[n] for n in names if n in cat), None)
                if found is not None:
                    result = (found, "catalog")
            if len(_resolved) >= _CACHE_LIMIT:
                _resolved.clear()
            _resolved[model] = result
        return result
    except Exception:
        return (None, "unknown")


def price_call(
    model: str,
    input_tokens: int,
    output_tokens: int,
    cache_read: int,
    cache_write: int,
    cache_write_1h: int | None = None,
    service_tier: str | None = None,
    latency_mode: str | None = None,
    region: str | None = None,
) -> tuple[float | None, str]:
    """Return the cost in USD of one call with valid token counts, and its price's source.

    This is the price step of every recorded line, so a cached price costs one dict lookup.
    Token counts are billed separately at their own price (Bedrock reports cache-read and
    cache-write tokens apart from ``inputTokens``). Never raises.

    The call's 1-hour cache writes, service tier, latency mode and Region are handed in as
    the response and environment tell them; the catalog has no prices per tier, mode, TTL
    or Region yet, so they do not change the price today (every call is priced as the
    standard on-demand price of its model).

    Args:
        model: Model id, inference-profile id or ARN.
        input_tokens: Billed input tokens (a valid count).
        output_tokens: Billed output tokens (a valid count).
        cache_read: Tokens read from the prompt cache (a valid count).
        cache_write: Tokens written to the prompt cache (a valid count).
        cache_write_1h: The part of ``cache_write`` written with a 1-hour TTL, or None.
        service_tier: The tier that served the call (``default``, ``priority``, ``flex``...).
        latency_mode: ``standard`` or ``optimized``, when the response says.
        region: The Region the call was made from.

    Returns:
        ``(cost rounded to 10 decimals, "catalog" or "override")``, or ``(None, "unknown")``
        when the model has no price, cache tokens were used at an unknown cache price, or
        the total overflows.
    """
    try:
        raw = _ENV.get(_K_PRICES)
        hit = _resolved.get(model) if raw is _overrides_raw else None
        price, source = hit if hit is not None else resolve_price(model)
        if price is None:
            return None, source
        total = input_tokens * price.input + output_tokens * price.output
        if cache_read:
            if price.cache_read is None:
                return None, "unknown"
            total += cache_read * price.cache_read
        if cache_write:
            if price.cache_write is None:
                return None, "unknown"
            total += cache_write * price.cache_write
        if not total < math.inf:  # absurd override prices can overflow
            return None, "unknown"
        return round(total / 1_000_000, 10), source
    except Exception:
        return None, "unknown"


def cost_usd(
    model: str,
    input_tokens: int,
    output_tokens: int,
    cache_read_tokens: int = 0,
    cache_write_tokens: int = 0,
) -> float | None:
    """Return the cost of one call in USD, rounded to 10 decimal places; never raises.

    Token counts are billed separately at their own price (Bedrock reports cache-read and
    cache-write tokens apart from ``inputTokens``).

    Args:
        model: Model id, inference-profile id or ARN.
        input_tokens: Billed input tokens.
        output_tokens: Billed output tokens.
        cache_read_tokens: Tokens read from the prompt cache (None counts as 0).
        cache_write_tokens: Tokens written to the prompt cache (None counts as 0).

    Returns:
        The cost, or None when it is unknown: the model has no price, cache tokens were used
        at an unknown cache price, or a count is not a non-negative number.

    Example:
        >>> cost_usd("amazon.nova-micro-v1:0", 1_000_000, 1_000_000)
        0.175
    """
    counts = [
        count(input_tokens),
        count(output_tokens),
        0 if cache_read_tokens is None else count(cache_read_tokens),
        0 if cache_write_tokens is None else count(cache_write_tokens),
    ]
    if None in counts:
        return None
    return price_call(model, *counts)[0]  # type: ignore[arg-type]
