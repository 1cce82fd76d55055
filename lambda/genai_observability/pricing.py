"""Model prices (USD per 1M tokens) and the cost of one call.

Prices come from two places, checked in this order:

1. **Overrides**: the JSON environment variable ``GENAI_MODEL_PRICES`` (Terraform's
   ``model_prices`` variable), e.g.
   ``{"amazon.nova-micro-v1:0": {"input": 0.035, "output": 0.14, "cache_read": null}}``.
   They win over the catalog; ``pricing`` says ``"override"``. An override prices the
   standard tier at standard latency; a key ``"<id>@priority"``, ``"<id>@flex"`` or
   ``"<id>@optimized"`` prices that tier or latency mode.
2. **The catalog**: the bundled ``prices.json``, or the file ``GENAI_PRICE_CATALOG`` names
   (written by ``genai-obs prices refresh``); ``pricing`` says ``"catalog"``. Its ``as_of``
   date, sources and notes are in :func:`catalog_info`; every price names its source.

What the response says selects the price:

* **the endpoint kind**, from the model id as called: a ``global.`` profile (the global
  price), a geographic profile (``us.``, ``eu.``, ``apac.``, ``jp.``, ``au.``, ``ca.``,
  ``us-gov.``), or the bare in-region id. For Claude 4.5 and later the geographic profiles
  and the bare id are regional endpoints, 10% above global. An ARN of a foundation model or
  system inference profile gives its id; an application inference profile ARN hides its
  model, so it is priced by an override keyed by the ARN, or through
  ``GENAI_APPLICATION_PROFILES`` (JSON: ARN -> the model or profile id it routes to);
* **the service tier** (``default``, ``priority``, ``flex``, ``reserved``);
* **the latency mode** (``standard`` or ``optimized``);
* **the cache-write TTL**: 1-hour cache writes have their own price (``cache_write_1h``);
* **the calling Region** (cross-Region inference is billed at the source Region's price).

A combination without a published price is unknown, never the standard price: a priority
call of a model with no priority price, a 1-hour cache write of a model with no 1-hour price,
a reserved-tier call (billed by the reservation) all give ``(None, "unknown")``.

Each candidate id is tried against the overrides first, then against the catalog: an override
for ``amazon.nova-micro-v1:0`` also prices ``us.amazon.nova-micro-v1:0``.

Unknown is never zero. :func:`cost_usd` returns None (and a recorded line says
``pricing: "unknown"``, which the deck counts as ``UnpricedCalls``) when the model has no
price for the combination, when the call used cache tokens whose price is unknown, or when a
token count is not a valid count.

A bad ``GENAI_MODEL_PRICES`` or ``GENAI_PRICE_CATALOG`` never breaks recording:
:func:`resolve_price` ignores what it cannot read and warns once on stderr, while
:func:`overrides` and :func:`load_catalog` raise :class:`PricingError` so a deployment check
can fail loudly.
"""

from __future__ import annotations

import json
import math
import os
from dataclasses import dataclass, field
from typing import Any

from . import _environ
from ._emit import warn_once
from ._errors import PricingError

__all__ = [
    "ENV_APPLICATION_PROFILES",
    "ENV_MODEL_PRICES",
    "ENV_PRICE_CATALOG",
    "MANTLE_IDS",
    "Catalog",
    "ModelPrice",
    "PricingError",
    "catalog",
    "catalog_info",
    "cost_usd",
    "current_catalog",
    "load_catalog",
    "overrides",
    "price_call",
    "resolve_price",
    "variants",
]

ENV_MODEL_PRICES = "GENAI_MODEL_PRICES"
"""Name of the environment variable holding the JSON price overrides."""

ENV_PRICE_CATALOG = "GENAI_PRICE_CATALOG"
"""Name of the environment variable naming a catalog file to use instead of the bundled one."""

ENV_APPLICATION_PROFILES = "GENAI_APPLICATION_PROFILES"
"""Name of the environment variable mapping application inference profile ARNs to model ids."""

PROFILE_PREFIXES = ("us-gov.", "us.", "eu.", "apac.", "jp.", "au.", "ca.", "global.")
"""Inference-profile prefixes understood in model ids."""

MANTLE_IDS: dict[str, str] = {
    # bedrock-mantle names models without a version suffix or a profile prefix: the id the
    # catalog prices the same model under. Each pair has the same published prices: the pinned
    # litellm 1.106.2 price map (model_prices_and_context_window_backup.json, MIT) lists
    # bedrock_mantle/openai.gpt-oss-120b at 0.15/0.60, bedrock_mantle/openai.gpt-oss-20b at
    # 0.07/0.30 (source: the AWS Price List, AmazonBedrock us-east-1) and
    # bedrock_mantle/anthropic.claude-haiku-4-5 at 1.00/5.00, cache read 0.10, cache write
    # 1.25 (1 hour: 2.00): the catalog's prices of the ids on the right.
    "openai.gpt-oss-120b": "openai.gpt-oss-120b-1:0",
    "openai.gpt-oss-20b": "openai.gpt-oss-20b-1:0",
    "anthropic.claude-haiku-4-5": "global.anthropic.claude-haiku-4-5-20251001-v1:0",
}
"""bedrock-mantle model ids (Chat Completions, Responses, Messages) -> the id priced the same.

Mantle ids the catalog already names (``anthropic.claude-opus-4-8``, ``mistral.*``,
``qwen.*`` ...) need no entry; any other mantle id is unpriced until a source prices it.
"""

BASE_REGION = "us-east-1"
"""The Region whose prices are the catalog's ``models`` and ``profiles``."""

ANY_REGION = "*"
"""What :func:`variants` says for a price that applies in every Region without its own."""

PRICE_FIELDS = ("input", "output", "cache_read", "cache_write", "cache_write_1h")
_NULLABLE = frozenset({"cache_read", "cache_write", "cache_write_1h"})
_STANDARD_TIERS = frozenset({"", "default", "standard"})
_PRICED_TIERS = ("priority", "flex")
_STANDARD_LATENCY = frozenset({"", "standard"})
_MAX_TOKENS = 10**15
_INF = math.inf
_CACHE_LIMIT = 1024
_BUNDLED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "prices.json")


@dataclass(frozen=True, slots=True)
class ModelPrice:
    """Price of one model in USD per 1M tokens.

    Attributes:
        input: Price of input (prompt) tokens.
        output: Price of output (completion) tokens.
        cache_read: Price of tokens read from the prompt cache; None when unknown.
        cache_write: Price of tokens written to the prompt cache with the default 5-minute
            TTL; None when unknown.
        cache_write_1h: Price of tokens written to the prompt cache with a 1-hour TTL; None
            when unknown.
    """

    input: float
    output: float
    cache_read: float | None = None
    cache_write: float | None = None
    cache_write_1h: float | None = None


@dataclass(frozen=True)
class Catalog:
    """A parsed price catalog.

    Attributes:
        models: Model and inference-profile id -> standard price in ``us-east-1``.
        regions: Region -> id -> price where the Region's price differs.
        tiers: ``priority``/``flex`` -> id -> price.
        latency_optimized: id -> (price, Regions where it applies; empty means any).
        sources: Source id -> ``{"title", "url", "as_of"}``.
        source_of: ``(section, id)`` -> source id of that price, for every price.
        info: ``as_of``, ``source``, ``unit`` and ``notes``.
        path: The file it was read from.
    """

    models: dict[str, ModelPrice]
    regions: dict[str, dict[str, ModelPrice]] = field(default_factory=dict)
    tiers: dict[str, dict[str, ModelPrice]] = field(default_factory=dict)
    latency_optimized: dict[str, tuple[ModelPrice, frozenset[str]]] = field(default_factory=dict)
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    source_of: dict[tuple[str, str], str] = field(default_factory=dict)
    info: dict[str, Any] = field(default_factory=dict)
    path: str = ""


# The price step checks three variables per call: it reads the raw values of the environment's
# own dict (genai_observability._environ) and compares them by identity with the ones it saw.
_ENV = _environ.ENV
_K_PRICES = _environ.key(ENV_MODEL_PRICES)
_K_CATALOG = _environ.key(ENV_PRICE_CATALOG)
_K_PROFILES = _environ.key(ENV_APPLICATION_PROFILES)
_UNSEEN = object()
_env_seen: tuple[Any, Any, Any] = (_UNSEEN, _UNSEEN, _UNSEEN)
"""The raw values of the three variables when ``_resolved`` was last consulted (replaced whole)."""

_catalog: Catalog | None = None
_catalog_env: str | None = None
_resolved: dict[tuple[Any, ...], tuple[ModelPrice | None, str]] = {}
_overrides_raw: str | None = None
_overrides: dict[str, ModelPrice] = {}
_profiles_raw: str | None = None
_profiles: dict[str, str] = {}


def _is_price(value: Any) -> bool:
    return (
        isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value >= 0
    )


def _to_price(name: str, entry: Any, extra: frozenset[str] = frozenset()) -> ModelPrice:
    """Build a :class:`ModelPrice` from one JSON entry or raise PricingError."""
    if not isinstance(entry, dict):
        raise PricingError(f"price of {name!r} must be an object, got {type(entry).__name__}")
    unknown = set(entry) - set(PRICE_FIELDS) - extra
    if unknown:
        raise PricingError(f"price of {name!r} has unknown keys {sorted(unknown)}")
    values: dict[str, float | None] = {}
    for key in PRICE_FIELDS:
        value = entry.get(key)
        if value is None and key in _NULLABLE:
            values[key] = None
        elif _is_price(value):
            values[key] = float(value)
        else:
            raise PricingError(
                f"price of {name!r}: {key!r} must be a non-negative number"
                f" (USD per 1M tokens), got {value!r}"
            )
    return ModelPrice(**values)  # type: ignore[arg-type]


def _section(data: dict[str, Any], name: str) -> dict[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise PricingError(f"catalog section {name!r} must be an object")
    return value


def parse_catalog(data: Any, path: str = "") -> Catalog:
    """Parse a catalog document (the ``prices.json`` format) or raise PricingError.

    Args:
        data: The decoded JSON document.
        path: Where it came from, for messages.

    Returns:
        The catalog.

    Raises:
        PricingError: The document is not a valid catalog, or a price has no known source.
    """
    if not isinstance(data, dict):
        raise PricingError(f"price catalog {path or ''} must be a JSON object".replace("  ", " "))
    sources = _section(data, "sources")
    for sid, src in sources.items():
        if not isinstance(src, dict) or not isinstance(src.get("as_of"), str):
            raise PricingError(f"catalog source {sid!r} must be an object with an as_of date")
    source_of: dict[tuple[str, str], str] = {}

    def sourced(section: str, name: str, sid: Any) -> None:
        if not isinstance(sid, str) or sid not in sources:
            raise PricingError(f"catalog {section} price of {name!r} has no known source ({sid!r})")
        source_of[(section, name)] = sid

    exceptions = _section(data, "source_of")
    models: dict[str, ModelPrice] = {}
    for section in ("models", "profiles"):
        default = data.get(f"{section}_source")
        named = exceptions.get(section, {}) if isinstance(exceptions.get(section), dict) else {}
        for name, entry in _section(data, section).items():
            models[name] = _to_price(name, entry)
            sourced(section, name, named.get(name, default))
    for name, entry in _section(data, "cache_write_1h").items():
        if not isinstance(entry, dict) or not _is_price(entry.get("price")):
            raise PricingError(f"catalog cache_write_1h price of {name!r} must be a number")
        if name not in models:
            raise PricingError(f"catalog cache_write_1h names {name!r}, which has no price")
        models[name] = _replace(models[name], cache_write_1h=float(entry["price"]))
        sourced("cache_write_1h", name, entry.get("source"))
    regions: dict[str, dict[str, ModelPrice]] = {}
    for region, table in _section(data, "regions").items():
        if not isinstance(table, dict):
            raise PricingError(f"catalog regions[{region!r}] must be an object")
        regions[region] = {}
        for name, entry in table.items():
            regions[region][name] = _to_price(name, entry, frozenset({"source"}))
            sourced(f"regions/{region}", name, entry.get("source"))
    tiers: dict[str, dict[str, ModelPrice]] = {}
    for tier, table in _section(data, "tiers").items():
        if tier not in _PRICED_TIERS or not isinstance(table, dict):
            raise PricingError(f"catalog tiers[{tier!r}]: tiers are {', '.join(_PRICED_TIERS)}")
        tiers[tier] = {}
        for name, entry in table.items():
            tiers[tier][name] = _to_price(name, entry, frozenset({"source"}))
            sourced(f"tiers/{tier}", name, entry.get("source"))
    latency: dict[str, tuple[ModelPrice, frozenset[str]]] = {}
    for name, entry in _section(data, "latency_optimized").items():
        price = _to_price(name, entry, frozenset({"source", "regions"}))
        where = entry.get("regions") or []
        if not isinstance(where, list) or not all(isinstance(r, str) for r in where):
            raise PricingError(f"catalog latency_optimized[{name!r}].regions must be a list")
        latency[name] = (price, frozenset(where))
        sourced("latency_optimized", name, entry.get("source"))
    info = {k: data[k] for k in ("as_of", "source", "unit", "notes") if k in data}
    info["sources"] = sources
    return Catalog(models, regions, tiers, latency, sources, source_of, info, path)


def _replace(price: ModelPrice, **changes: Any) -> ModelPrice:
    values = {k: getattr(price, k) for k in PRICE_FIELDS}
    values.update(changes)
    return ModelPrice(**values)


def _read(path: str) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError:
        if path != _BUNDLED:
            raise
        return __loader__.get_data(path)  # type: ignore[name-defined]  # zipimport


def load_catalog(path: str | os.PathLike[str] | None = None) -> Catalog:
    """Read and check a catalog file (default: the bundled one) or raise PricingError.

    Args:
        path: The file; default the bundled ``prices.json``.

    Returns:
        The catalog.

    Raises:
        PricingError: The file cannot be read or is not a valid catalog.
    """
    where = _BUNDLED if path is None else os.fspath(path)
    try:
        raw = _read(where)
    except OSError as exc:
        raise PricingError(f"cannot read price catalog {where}: {exc.strerror or exc}") from None
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise PricingError(f"price catalog {where} is not valid JSON: {exc}") from None
    return parse_catalog(data, where)


def current_catalog() -> Catalog:
    """Return the catalog in use: ``GENAI_PRICE_CATALOG``'s file, else the bundled one.

    A file that cannot be read is reported once on stderr and the bundled catalog is used.
    """
    global _catalog, _catalog_env
    env = os.environ.get(ENV_PRICE_CATALOG) or None
    if _catalog is None or env != _catalog_env:
        chosen: Catalog | None = None
        if env:
            try:
                chosen = load_catalog(env)
            except PricingError as exc:
                warn_once("catalog:" + env, f"{exc}; prices come from the bundled catalog")
        if chosen is None:
            chosen = load_catalog()
        _catalog, _catalog_env = chosen, env
        _resolved.clear()
    return _catalog


def catalog() -> dict[str, ModelPrice]:
    """Return a copy of the catalog's standard prices: model and profile id -> price."""
    return dict(current_catalog().models)


def catalog_info() -> dict[str, Any]:
    """Return the catalog's metadata: ``as_of``, ``source``, ``unit``, ``notes``, ``sources``."""
    cat = current_catalog()
    return {**cat.info, "path": cat.path}


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
        Model id (or ARN, optionally with ``@priority``/``@flex``/``@optimized``) -> price.

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
    global _overrides_raw, _overrides
    raw = os.environ.get(ENV_MODEL_PRICES)
    if raw != _overrides_raw:
        table: dict[str, ModelPrice] = {}
        if raw and raw.strip():
            try:
                table = _parse_overrides(raw, strict=False)
            except PricingError as exc:
                warn_once("overrides:" + raw, f"{exc}; prices come from the catalog")
        _overrides = table
        _overrides_raw = raw
        _resolved.clear()
    return _overrides


def application_profiles(*, strict: bool = False) -> dict[str, str]:
    """Return ``GENAI_APPLICATION_PROFILES``: application inference profile ARN -> model id.

    Args:
        strict: Raise PricingError when the variable is not a JSON object of strings;
            otherwise (the emit path) warn once and use nothing.

    Returns:
        ARN -> the foundation model or system inference profile id the profile routes to.
    """
    global _profiles_raw, _profiles
    raw = os.environ.get(ENV_APPLICATION_PROFILES)
    if raw == _profiles_raw and not strict:
        return _profiles
    table: dict[str, str] = {}
    if raw and raw.strip():
        try:
            data = json.loads(raw)
            if not isinstance(data, dict) or not all(
                isinstance(k, str) and isinstance(v, str) and v for k, v in data.items()
            ):
                raise ValueError("must be a JSON object of profile ARN -> model id")
            table = dict(data)
        except ValueError as exc:
            message = f"{ENV_APPLICATION_PROFILES} {exc}"
            if strict:
                raise PricingError(message) from None
            warn_once("profiles:" + raw, f"{message}; application profiles stay unpriced")
    if not strict:
        _profiles, _profiles_raw = table, raw
        _resolved.clear()
    return table


def candidates(model: str) -> list[str]:
    """Return the ids tried for ``model``, most specific first.

    Args:
        model: A model id, inference-profile id or ARN.

    Returns:
        The id as given, the id inside an ARN (or the model an application inference profile
        routes to, from ``GENAI_APPLICATION_PROFILES``), and the id without its profile prefix;
        for a bedrock-mantle id, then the id priced the same (:data:`MANTLE_IDS`).
    """
    if model in MANTLE_IDS:
        return [model, MANTLE_IDS[model]]
    out = [model]
    ident = model
    if model.startswith("arn:"):
        parts = model.split(":", 5)
        resource = parts[5] if len(parts) == 6 else ""
        kind, _, rest = resource.partition("/")
        if kind in ("foundation-model", "inference-profile") and rest:
            ident = rest
        elif kind == "application-inference-profile":
            target = application_profiles().get(model)
            if not target or target.startswith("arn:"):
                return out
            ident = target
        else:
            return out
        out.append(ident)
    for prefix in PROFILE_PREFIXES:
        if ident.startswith(prefix):
            base = ident[len(prefix) :]
            if base:
                out.append(base)
            break
    return out


def _mode(value: Any, standard: frozenset[str]) -> str | None:
    """Normalise a tier or latency value: "" for standard, the lowered name, None if odd."""
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > 64:
        return None
    lowered = value.strip().lower()
    return "" if lowered in standard else lowered


def _lookup(
    names: list[str], tier: str, latency: str, region: str
) -> tuple[ModelPrice | None, str]:
    table = _current_overrides()
    qualifier = "@" + tier if tier else ("@" + latency if latency else "")
    if tier and latency:
        return (None, "unknown")  # no source prices a tier and a latency mode together
    found = next((table[n + qualifier] for n in names if n + qualifier in table), None)
    if found is not None:
        return (found, "override")
    cat = current_catalog()
    if tier:
        prices = cat.tiers.get(tier, {})
        found = next((prices[n] for n in names if n in prices), None)
    elif latency == "optimized":
        for n in names:
            hit = cat.latency_optimized.get(n)
            if hit is not None:
                if not hit[1] or not region or region in hit[1]:
                    found = hit[0]
                break
    elif not latency:
        local = cat.regions.get(region, {}) if region and region != BASE_REGION else {}
        for n in names:
            found = local.get(n) or cat.models.get(n)
            if found is not None:
                break
    return (found, "catalog") if found is not None else (None, "unknown")


def resolve_price(
    model: str,
    *,
    service_tier: str | None = None,
    latency_mode: str | None = None,
    region: str | None = None,
) -> tuple[ModelPrice | None, str]:
    """Return the price of a call and where it came from; never raises.

    Args:
        model: Model id, inference-profile id or ARN, as passed to Bedrock.
        service_tier: The tier the response says served the call (``default``,
            ``priority``, ``flex``, ``reserved``); None means the standard tier.
        latency_mode: ``standard`` or ``optimized`` as the response says; None is standard.
        region: The Region the call was made from; None means ``us-east-1``.

    Returns:
        ``(price, "override")``, ``(price, "catalog")`` or ``(None, "unknown")`` when no price
        is published for that combination.
    """
    try:
        current_catalog()
        _current_overrides()
        application_profiles()
        key = (model, service_tier, latency_mode, region)
        hit = _resolved.get(key)
        if hit is not None:
            return hit
        result: tuple[ModelPrice | None, str] = (None, "unknown")
        tier = _mode(service_tier, _STANDARD_TIERS)
        latency = _mode(latency_mode, _STANDARD_LATENCY)
        where = region.strip() if isinstance(region, str) else ""
        known_tier = tier is not None and (tier == "" or tier in _PRICED_TIERS)
        known_latency = latency in ("", "optimized")
        if isinstance(model, str) and model and known_tier and known_latency:
            result = _lookup(candidates(model.strip()), tier or "", latency or "", where)
        if len(_resolved) >= _CACHE_LIMIT:
            _resolved.clear()
        _resolved[key] = result
        return result
    except Exception:
        return (None, "unknown")


def price_call(
    model: str,
    input_tokens: int,
    output_tokens: int,
    cache_read: int,
    cache_write: int,
    cache_write_1h: int | None = 0,
    service_tier: str | None = None,
    latency_mode: str | None = None,
    region: str | None = None,
) -> tuple[float | None, str]:
    """Return the cost in USD of one call with valid token counts, and its price's source.

    The price step of every recorded line: while ``GENAI_MODEL_PRICES``,
    ``GENAI_PRICE_CATALOG`` and ``GENAI_APPLICATION_PROFILES`` stay as they were, a price
    seen before costs one dict lookup. Never raises.

    Args:
        model: Model id, inference-profile id or ARN.
        input_tokens: Billed input tokens (a valid count).
        output_tokens: Billed output tokens (a valid count).
        cache_read: Tokens read from the prompt cache (a valid count).
        cache_write: Tokens written to the prompt cache, all TTLs (a valid count).
        cache_write_1h: The part of ``cache_write`` written with a 1-hour TTL (None: 0).
        service_tier: The tier the response says served the call.
        latency_mode: ``standard`` or ``optimized``, as the response says.
        region: The Region the call was made from.

    Returns:
        ``(cost rounded to 10 decimals, "catalog" or "override")``, or ``(None, "unknown")``
        when no price is published for the combination, cache tokens were used at an unknown
        cache price, or the total overflows.
    """
    global _env_seen
    try:
        get = _ENV.get
        seen = _env_seen
        hit = (
            _resolved.get((model, service_tier, latency_mode, region))
            if get(_K_PRICES) is seen[0]
            and get(_K_CATALOG) is seen[1]
            and get(_K_PROFILES) is seen[2]
            else None
        )
        if hit is None:  # a new price, or a variable changed: resolve_price re-reads them
            seen = (get(_K_PRICES), get(_K_CATALOG), get(_K_PROFILES))
            hit = resolve_price(
                model, service_tier=service_tier, latency_mode=latency_mode, region=region
            )
            _env_seen = seen
        price, source = hit
        if price is None:
            return None, source
        if cache_read or cache_write or cache_write_1h:
            cost = price_tokens(
                price, input_tokens, output_tokens, cache_read, cache_write, cache_write_1h or 0
            )
            return (None, "unknown") if cost is None else (cost, source)
        # No cache tokens (the common call): price_tokens' sum and rounding, inline.
        total = input_tokens * price.input + output_tokens * price.output
        if not total < _INF:
            return None, "unknown"
        return round(total / 1_000_000, 10), source
    except Exception:
        return None, "unknown"


def _count(value: Any) -> int | None:
    """Return a token count as an int, or None when it is not a valid count."""
    if type(value) is int:
        return value if 0 <= value <= _MAX_TOKENS else None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        if not math.isfinite(value) or not 0 <= value <= _MAX_TOKENS:
            return None
        return round(value)
    except Exception:
        return None


def price_tokens(
    price: ModelPrice,
    input_tokens: int,
    output_tokens: int,
    cache_read: int,
    cache_write: int,
    cache_write_1h: int = 0,
) -> float | None:
    """Return the cost of valid token counts at ``price``; None when a needed price is unknown.

    ``cache_write_1h`` is the part of ``cache_write`` written with a 1-hour TTL.
    """
    if cache_write_1h > cache_write:
        return None
    total = input_tokens * price.input + output_tokens * price.output
    if cache_read:
        if price.cache_read is None:
            return None
        total += cache_read * price.cache_read
    if cache_write_1h:
        if price.cache_write_1h is None:
            return None
        total += cache_write_1h * price.cache_write_1h
    if cache_write - cache_write_1h:
        if price.cache_write is None:
            return None
        total += (cache_write - cache_write_1h) * price.cache_write
    if not total < math.inf:  # absurd override prices can overflow
        return None
    return round(total / 1_000_000, 10)


def cost_usd(
    model: str,
    input_tokens: int,
    output_tokens: int,
    cache_read_tokens: int = 0,
    cache_write_tokens: int = 0,
    *,
    cache_write_1h_tokens: int = 0,
    service_tier: str | None = None,
    latency_mode: str | None = None,
    region: str | None = None,
) -> float | None:
    """Return the cost of one call in USD, rounded to 10 decimal places; never raises.

    Token counts are billed separately at their own price (Bedrock reports cache-read and
    cache-write tokens apart from ``inputTokens``).

    Args:
        model: Model id, inference-profile id or ARN.
        input_tokens: Billed input tokens.
        output_tokens: Billed output tokens.
        cache_read_tokens: Tokens read from the prompt cache (None counts as 0).
        cache_write_tokens: Tokens written to the prompt cache, all TTLs (None counts as 0).
        cache_write_1h_tokens: The part of ``cache_write_tokens`` written with a 1-hour TTL.
        service_tier: The tier that served the call (see :func:`resolve_price`).
        latency_mode: ``standard`` or ``optimized``.
        region: The Region the call was made from (default ``us-east-1`` prices).

    Returns:
        The cost, or None when it is unknown: no price for the combination, cache tokens at
        an unknown cache price, or a count that is not a non-negative number.

    Example:
        >>> cost_usd("amazon.nova-micro-v1:0", 1_000_000, 1_000_000)
        0.175
    """
    price, _ = resolve_price(
        model, service_tier=service_tier, latency_mode=latency_mode, region=region
    )
    if price is None:
        return None
    counts = [
        _count(input_tokens),
        _count(output_tokens),
        0 if cache_read_tokens is None else _count(cache_read_tokens),
        0 if cache_write_tokens is None else _count(cache_write_tokens),
        0 if cache_write_1h_tokens is None else _count(cache_write_1h_tokens),
    ]
    if None in counts:
        return None
    return price_tokens(price, *counts)  # type: ignore[arg-type]


def variants(model: str) -> list[dict[str, Any]]:
    """Return every price the catalog (and the overrides) know for ``model``.

    One row per endpoint kind, Region, tier and latency mode that has a price: the id as
    called and its related ids (the bare id, ``global.`` and geographic profiles of the same
    model). Each row has ``id``, ``endpoint`` (``global``, ``geographic`` or ``in-region``),
    ``region`` (``*``: every Region without a row of its own), ``tier``, ``latency``,
    ``price``, ``pricing`` and ``source`` (the source id, or ``override``).

    Args:
        model: A model id, inference-profile id or ARN.

    Returns:
        The rows, sorted; empty when nothing is known.
    """
    cat = current_catalog()
    names = candidates(model.strip()) if isinstance(model, str) and model.strip() else []
    if not names:
        return []
    base = names[-1]
    related = [base] + [p + base for p in PROFILE_PREFIXES]
    ids = list(dict.fromkeys([*names, *(r for r in related if _known(cat, r))]))
    table = _current_overrides()
    rows: list[dict[str, Any]] = []

    def kind(ident: str) -> str:
        if ident.startswith("global."):
            return "global"
        return "geographic" if ident.startswith(PROFILE_PREFIXES) else "in-region"

    def add(ident: str, region: str, tier: str, latency: str, price: Any, source: str) -> None:
        pricing = "override" if source == "override" else "catalog"
        rows.append(
            {
                "id": ident,
                "endpoint": kind(ident) if not ident.startswith("arn:") else "application",
                "region": region,
                "tier": tier,
                "latency": latency,
                "price": price,
                "pricing": pricing,
                "source": source,
            }
        )

    for ident in ids:
        for qualifier, tier, latency in (
            ("", "default", "standard"),
            ("@priority", "priority", "standard"),
            ("@flex", "flex", "standard"),
            ("@optimized", "default", "optimized"),
        ):
            if ident + qualifier in table:
                add(ident, ANY_REGION, tier, latency, table[ident + qualifier], "override")
        if ident in cat.models:
            add(ident, ANY_REGION, "default", "standard", cat.models[ident], _src(cat, ident))
        for region in sorted(cat.regions):
            if ident in cat.regions[region]:
                src = cat.source_of.get((f"regions/{region}", ident), "")
                add(ident, region, "default", "standard", cat.regions[region][ident], src)
        for tier in sorted(cat.tiers):
            if ident in cat.tiers[tier]:
                src = cat.source_of.get((f"tiers/{tier}", ident), "")
                add(ident, ANY_REGION, tier, "standard", cat.tiers[tier][ident], src)
        if ident in cat.latency_optimized:
            price, where = cat.latency_optimized[ident]
            src = cat.source_of.get(("latency_optimized", ident), "")
            add(ident, ", ".join(sorted(where)) or ANY_REGION, "default", "optimized", price, src)
    return rows


def _known(cat: Catalog, ident: str) -> bool:
    return (
        ident in cat.models
        or any(ident in t for t in cat.regions.values())
        or any(ident in t for t in cat.tiers.values())
        or ident in cat.latency_optimized
    )


def _src(cat: Catalog, ident: str) -> str:
    for section in ("models", "profiles"):
        if (section, ident) in cat.source_of:
            src = cat.source_of[(section, ident)]
            one_h = cat.source_of.get(("cache_write_1h", ident))
            return src if one_h is None or one_h == src else f"{src}; 1h: {one_h}"
    return ""
