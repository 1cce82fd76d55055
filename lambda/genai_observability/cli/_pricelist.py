"""Bedrock prices from the AWS Price List Query API, in the catalog's format.

``pricing:GetProducts`` answers with ``PriceList``: a list of JSON *strings*, each one product
with its on-demand terms::

    {"product": {"sku": "...", "productFamily": "...",
                 "attributes": {"servicecode": "AmazonBedrockFoundationModels",
                                "regionCode": "us-west-2",
                                "servicename": "Claude Haiku 4.5 (Amazon Bedrock Edition)",
                                "usagetype": "USW2-MP:USW2_InputTokenCount_Global-Units"}},
     "terms": {"OnDemand": {"SKU.TERM": {"priceDimensions": {"SKU.TERM.RATE": {
         "unit": "1M tokens", "pricePerUnit": {"USD": "1.0000000000"}}}}}},
     "publicationDate": "2026-09-30T00:19:12Z"}

Bedrock is under two service codes: ``AmazonBedrock`` (Amazon's own models; the model's name
in the ``model`` attribute, the token class in ``inferenceType`` and ``usagetype``) and
``AmazonBedrockFoundationModels`` (models sold through AWS Marketplace; the name in
``servicename``). The usage type says what a price is for: the token class (input, output,
cache read, cache write, 1-hour cache write), the endpoint kind (``_Global`` /
``global`` for the global endpoint, else regional), the service tier (``priority``,
``flex``), latency-optimized inference, and kinds we do not price per call (batch,
provisioned throughput, reserved, long context: ``long_ctx`` and the older ``_LCtx``, images),
which are skipped. Both naming styles seen in the price files are understood:
``InputTokenCount_Global-Units`` and ``input_tokens_global_standard-Units``,
``CacheWrite1hInputTokenCount-Units`` and ``cache_write_tokens_1h_standard-Units``; so are
Amazon Nova's own (``USE1-Nova2.0Lite-cache-write-input-token-count``, ``...-flex``).

Sources: the Price List Query API reference (GetProducts, PriceList as JSON strings) and
the Bedrock price files ``AmazonBedrock``/``AmazonBedrockFoundationModels``
``current/<region>/index.json`` (publicationDate 2026-09-30), whose usage types are the ones
above.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

SERVICE_CODES = ("AmazonBedrock", "AmazonBedrockFoundationModels")
"""The Price List service codes Bedrock's token prices appear under."""

API_REGIONS = ("us-east-1", "eu-central-1", "ap-south-1")
"""Regions where the Price List Query API answers (commercial partition)."""

BASE_REGION = "us-east-1"

_SKIP = re.compile(
    r"batch|provision|reserved|commit|custom|training|storage|long[_-]?ctx|long[_-]?context|lctx"
    r"|image|video|second|speech|audio|search|rerank|guardrail|knowledge|agent|modelunit",
    re.IGNORECASE,
)
_EDITION = re.compile(r"\(?\s*amazon bedrock( edition)?\s*\)?", re.IGNORECASE)
_GEO_PREFIXES = ("us-gov.", "us.", "eu.", "apac.", "jp.", "au.", "ca.", "global.")


@dataclass(frozen=True)
class Fact:
    """One price from the Price List: model, where, how, which token class, USD per 1M."""

    model: str
    region: str
    endpoint: str  # "regional" or "global"
    tier: str  # "" (standard), "priority" or "flex"
    latency: str  # "" (standard) or "optimized"
    field: str  # input, output, cache_read, cache_write, cache_write_1h
    price: float


@dataclass
class Collected:
    """What a Price List read produced."""

    facts: list[Fact]
    unmatched: dict[str, int]
    publication_dates: set[str]
    products: int


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def id_keys(model_id: str) -> set[str]:
    """Return the normalized names a model id answers to (with and without its provider)."""
    provider, _, rest = model_id.partition(".")
    rest = re.sub(r"-(v1|1):\d+$", "", rest)
    rest = re.sub(r":\d+$", "", rest)
    rest = re.sub(r"-\d{8}", "", rest)
    keys = {_norm(rest), _norm(provider + rest)}
    keys |= {k.replace("instruct", "") for k in keys}
    return {k for k in keys if k}


def name_keys(name: str) -> set[str]:
    """Return the normalized forms of a Price List model name."""
    clean = _EDITION.sub("", name).strip()
    key = _norm(clean)
    return {key, key.replace("instruct", "")} - {""}


def name_index(model_ids: Iterable[str]) -> dict[str, list[str]]:
    """Map each normalized name to the model ids it can mean."""
    index: dict[str, list[str]] = {}
    for model in sorted(model_ids):
        if model.startswith(_GEO_PREFIXES):
            continue
        for key in id_keys(model):
            index.setdefault(key, []).append(model)
    return index


def match_model(name: str, index: dict[str, list[str]]) -> str | None:
    """Return the one model id a Price List name means, or None (unknown or ambiguous)."""
    found: set[str] = set()
    for key in name_keys(name):
        found.update(index.get(key, []))
    return found.pop() if len(found) == 1 else None


def classify(
    usagetype: str, inference_type: str = "", service_tier: str = ""
) -> tuple[str, str, str, str] | None:
    """Return ``(field, endpoint, tier, latency)`` for a usage type, or None to skip it.

    Args:
        usagetype: The product's ``usagetype`` (e.g. ``USE1-MP:USE1_InputTokenCount-Units``).
        inference_type: The ``inferenceType`` attribute, when the product has one.
        service_tier: The ``service_tier`` attribute, when the product has one.
    """
    text = f"{usagetype} {inference_type} {service_tier}".lower()
    if _SKIP.search(text):
        return None
    squashed = text.replace("_", "").replace("-", "").replace(" ", "")
    if "cache" in squashed and "read" in squashed:
        field = "cache_read"
    elif "cache" in squashed and "write" in squashed:
        field = "cache_write_1h" if re.search(r"1h|1hour|onehour", squashed) else "cache_write"
        ttl = re.search(r"\d+m(?!odel)", squashed.split("write", 1)[1])
        if field == "cache_write" and ttl and ttl.group() != "5m":
            return None  # another TTL (e.g. 30 minutes) we do not price
    elif "input" in squashed:
        field = "input"
    elif "output" in squashed or "response" in squashed:
        field = "output"
    else:
        return None
    endpoint = "global" if "global" in squashed else "regional"
    tier = "priority" if "priority" in squashed else "flex" if "flex" in squashed else ""
    latency = "optimized" if "latency" in squashed and "optim" in squashed else ""
    return field, endpoint, tier, latency


def _per_million(usd: str, unit: str) -> float | None:
    try:
        value = float(usd)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(value) or value < 0:
        return None
    lowered = unit.lower().replace(",", "")
    if "1m" in lowered or "million" in lowered:
        return value
    if "1k" in lowered or "thousand" in lowered or "1000" in lowered:
        return round(value * 1000, 10)
    return None


def parse_product(
    document: str | dict[str, Any], index: dict[str, list[str]]
) -> tuple[list[Fact], str | None, str | None]:
    """Parse one ``PriceList`` entry.

    Returns:
        ``(facts, unmatched_name, publication_date)``: the prices it holds (none when it is
        not a per-token price we use), the model name when no model id matched it.
    """
    data = json.loads(document) if isinstance(document, str) else document
    product = data.get("product") or {}
    attrs = product.get("attributes") or {}
    published = data.get("publicationDate")
    region = attrs.get("regionCode")
    kind = classify(
        attrs.get("usagetype", ""), attrs.get("inferenceType", ""), attrs.get("service_tier", "")
    )
    if not region or kind is None:
        return [], None, published
    name = attrs.get("model") or attrs.get("servicename") or ""
    if not name or name.lower() in ("amazon bedrock", "amazon bedrock service"):
        return [], None, published
    model = match_model(name, index)
    if model is None:
        return [], _EDITION.sub("", name).strip(), published
    facts = []
    for term in ((data.get("terms") or {}).get("OnDemand") or {}).values():
        for dim in (term.get("priceDimensions") or {}).values():
            price = _per_million((dim.get("pricePerUnit") or {}).get("USD"), dim.get("unit", ""))
            if price is not None:
                field, endpoint, tier, latency = kind
                facts.append(Fact(model, region, endpoint, tier, latency, field, price))
    return facts, None, published


def get_products(client: Any, service_code: str, regions: list[str] | None) -> Iterator[str]:
    """Yield every ``PriceList`` entry of a service code (all pages, optionally per Region)."""
    for region in regions or [None]:
        kwargs: dict[str, Any] = {
            "ServiceCode": service_code,
            "FormatVersion": "aws_v1",
            "MaxResults": 100,
        }
        if region:
            kwargs["Filters"] = [{"Type": "TERM_MATCH", "Field": "regionCode", "Value": region}]
        while True:
            answer = client.get_products(**kwargs)
            yield from answer.get("PriceList") or []
            token = answer.get("NextToken")
            if not token:
                break
            kwargs["NextToken"] = token


def collect(client: Any, model_ids: Iterable[str], regions: list[str] | None = None) -> Collected:
    """Read Bedrock's token prices from the Price List Query API.

    Args:
        client: A boto3 ``pricing`` client.
        model_ids: The model ids to recognise (the bundled catalog's).
        regions: Only these Regions (default: every Region the Price List has).

    Returns:
        The facts, the names no model id matched (with their product counts), the
        publication dates seen and the number of products read.
    """
    index = name_index(model_ids)
    facts: list[Fact] = []
    unmatched: dict[str, int] = {}
    published: set[str] = set()
    products = 0
    for code in SERVICE_CODES:
        for document in get_products(client, code, regions):
            products += 1
            found, name, date = parse_product(document, index)
            facts.extend(found)
            if name:
                unmatched[name] = unmatched.get(name, 0) + 1
            if date:
                published.add(date)
    return Collected(facts, unmatched, published, products)


def _entry(fields: dict[str, float]) -> dict[str, Any] | None:
    if "input" not in fields or "output" not in fields:
        return None
    return {
        "input": fields["input"],
        "output": fields["output"],
        "cache_read": fields.get("cache_read"),
        "cache_write": fields.get("cache_write"),
    }


def build_catalog(
    collected: Collected, base: dict[str, Any] | None, today: str, *, merge: bool = True
) -> dict[str, Any]:
    """Build a catalog document from Price List facts.

    Args:
        collected: What :func:`collect` read.
        base: The catalog to start from (the bundled one); its entries the Price List does
            not cover are kept when ``merge`` is true.
        today: The date of the read (the new catalog's ``as_of``).
        merge: Keep ``base``'s other entries (default); False gives the Price List alone.

    Returns:
        A document in the ``prices.json`` format; every price from the Price List names the
        source ``price-list-<today>``.
    """
    sid = f"price-list-{today}"
    doc = _start_document(collected, base, today, sid, merge=merge)
    grouped: dict[_Where, dict[str, float]] = {}
    for fact in collected.facts:
        key = _Where(fact.model, fact.region, fact.endpoint, fact.tier, fact.latency)
        grouped.setdefault(key, {})[fact.field] = fact.price
    for where, fields in sorted(grouped.items()):
        _put(doc, sid, where, fields)
    _drop_restated(doc)
    return sort_catalog(doc)


def _start_document(
    collected: Collected, base: dict[str, Any] | None, today: str, sid: str, *, merge: bool
) -> dict[str, Any]:
    """The new catalog before its prices: ``base`` (when merging), dated, sourced, sectioned."""
    dates = sorted(collected.publication_dates)
    source = {
        "title": "AWS Price List Query API (pricing:GetProducts), service codes "
        + " and ".join(SERVICE_CODES)
        + (f", publicationDate {dates[-1]}" if dates else ""),
        "url": "https://pricing.us-east-1.amazonaws.com",
        "as_of": today,
    }
    doc: dict[str, Any] = json.loads(json.dumps(base)) if (merge and base) else {}
    doc["as_of"] = today
    doc.setdefault("unit", "USD per 1M tokens")
    doc["source"] = (
        "Amazon Bedrock prices in USD per 1M tokens from the AWS Price List Query API"
        + (", over the bundled catalog" if merge and base else "")
        + "; each price names its source and date in sources."
    )
    doc.setdefault("notes", [])
    doc.setdefault("sources", {})[sid] = source
    doc.setdefault("models_source", sid)
    doc.setdefault("profiles_source", sid)
    doc.setdefault("source_of", {})
    for section in ("models", "profiles", "regions", "cache_write_1h", "latency_optimized"):
        doc.setdefault(section, {})
    doc.setdefault("tiers", {})
    for tier in ("flex", "priority"):
        doc["tiers"].setdefault(tier, {})
    return doc


class _Where(NamedTuple):
    """What a price entry is for: a model, called where and how."""

    model: str
    region: str
    endpoint: str
    tier: str
    latency: str


def _put(doc: dict[str, Any], sid: str, where: _Where, fields: dict[str, float]) -> None:
    """Put one price entry where the catalog keeps its kind (tier, latency, Region, base)."""
    entry = _entry(fields)
    if entry is None:
        return
    ident = ("global." if where.endpoint == "global" else "") + where.model
    tier, latency, region = where.tier, where.latency, where.region
    if tier:
        doc["tiers"][tier][ident] = {**entry, "source": sid}
    elif latency:
        old = doc["latency_optimized"].get(ident, {})
        where = sorted({*old.get("regions", []), region}) if old.get("source") == sid else [region]
        doc["latency_optimized"][ident] = {**entry, "regions": where, "source": sid}
    elif region == BASE_REGION:
        section = "profiles" if where.endpoint == "global" else "models"
        doc[section][ident] = entry
        doc["source_of"].setdefault(section, {})[ident] = sid
        if "cache_write_1h" in fields:
            doc["cache_write_1h"][ident] = {"price": fields["cache_write_1h"], "source": sid}
    else:
        doc["regions"].setdefault(region, {})[ident] = {**entry, "source": sid}


def _drop_restated(doc: dict[str, Any]) -> None:
    """Drop what says nothing new: Region prices equal to the base price, default sources."""
    # Keep the regions section to the differences, as documented.
    standard = {**doc["models"], **doc["profiles"]}
    for region in list(doc["regions"]):
        table = doc["regions"][region]
        for ident in list(table):
            mine = {
                k: table[ident].get(k) for k in ("input", "output", "cache_read", "cache_write")
            }
            if standard.get(ident) == mine:
                del table[ident]
        if not table:
            del doc["regions"][region]
    source_of = doc["source_of"]
    for section in ("models", "profiles"):
        default = doc.get(f"{section}_source")
        named = source_of.get(section, {})
        for ident in list(named):
            if named[ident] == default or ident not in doc[section]:
                del named[ident]


def sort_catalog(doc: dict[str, Any]) -> dict[str, Any]:
    """Return the document with every map sorted by key (the file's order)."""

    def sort(value: Any, depth: int) -> Any:
        if isinstance(value, dict) and depth > 0:
            return {k: sort(value[k], depth - 1) for k in sorted(value)}
        return value

    out = dict(doc)
    for section, depth in (
        ("models", 1),
        ("profiles", 1),
        ("regions", 2),
        ("tiers", 2),
        ("cache_write_1h", 1),
        ("latency_optimized", 1),
        ("source_of", 2),
        ("sources", 1),
    ):
        if section in out:
            out[section] = sort(out[section], depth)
    return out


def format_catalog(doc: dict[str, Any]) -> str:
    """Write a catalog document as the project's ``prices.json`` text (one entry a line)."""
    one_line = {"models", "profiles", "cache_write_1h", "latency_optimized"}
    two_level = {"regions", "tiers"}
    lines = ["{"]
    items = list(doc.items())
    for i, (key, value) in enumerate(items):
        comma = "," if i < len(items) - 1 else ""
        if key in one_line | two_level and isinstance(value, dict) and value:
            lines.append(f"  {json.dumps(key)}: {{")
            subs = list(value.items())
            for j, (sub, entry) in enumerate(subs):
                sub_comma = "," if j < len(subs) - 1 else ""
                if key in one_line or not entry:
                    text = json.dumps(entry, separators=(", ", ": "))
                    lines.append(f"    {json.dumps(sub)}: {text}{sub_comma}")
                    continue
                lines.append(f"    {json.dumps(sub)}: {{")
                rows = list(entry.items())
                for n, (ident, price) in enumerate(rows):
                    text = json.dumps(price, separators=(", ", ": "))
                    row_comma = "," if n < len(rows) - 1 else ""
                    lines.append(f"      {json.dumps(ident)}: {text}{row_comma}")
                lines.append(f"    }}{sub_comma}")
            lines.append(f"  }}{comma}")
        else:
            body = json.dumps(value, indent=2).replace("\n", "\n  ")
            lines.append(f"  {json.dumps(key)}: {body}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


PRICE_KEYS = ("input", "output", "cache_read", "cache_write")


def flatten(doc: dict[str, Any]) -> dict[tuple[str, str, str], float | None]:
    """Return ``(section, id, field) -> price`` for every price of a catalog document."""
    out: dict[tuple[str, str, str], float | None] = {}
    for section in ("models", "profiles"):
        for ident, entry in (doc.get(section) or {}).items():
            for field in PRICE_KEYS:
                out[(section, ident, field)] = entry.get(field)
    for region, table in (doc.get("regions") or {}).items():
        for ident, entry in table.items():
            for field in PRICE_KEYS:
                out[(f"regions/{region}", ident, field)] = entry.get(field)
    for tier, table in (doc.get("tiers") or {}).items():
        for ident, entry in table.items():
            for field in PRICE_KEYS:
                out[(f"tiers/{tier}", ident, field)] = entry.get(field)
    for ident, entry in (doc.get("latency_optimized") or {}).items():
        for field in PRICE_KEYS:
            out[("latency_optimized", ident, field)] = entry.get(field)
    for ident, entry in (doc.get("cache_write_1h") or {}).items():
        out[("cache_write_1h", ident, "price")] = entry.get("price")
    return out


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


@dataclass
class Diff:
    """What changed between two catalogs, price by price."""

    added: list[tuple[str, str, str, float | None]]
    removed: list[tuple[str, str, str, float | None]]
    changed: list[tuple[str, str, str, float | None, float | None]]

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


def diff(old: dict[str, Any], new: dict[str, Any]) -> Diff:
    """Compare two catalog documents price by price."""
    a, b = flatten(old), flatten(new)
    added = [(*k, b[k]) for k in sorted(b.keys() - a.keys()) if b[k] is not None]
    removed = [(*k, a[k]) for k in sorted(a.keys() - b.keys()) if a[k] is not None]
    changed = [(*k, a[k], b[k]) for k in sorted(a.keys() & b.keys()) if not _same(a[k], b[k])]
    return Diff(added, removed, changed)  # type: ignore[arg-type]


def disagreements(
    in_use: dict[str, Any], fresh: dict[str, Any]
) -> list[tuple[str, str, str, float | None, float | None]]:
    """Prices both catalogs have (a number on both sides) that differ."""
    a, b = flatten(in_use), flatten(fresh)
    out = []
    for key in sorted(a.keys() & b.keys()):
        if a[key] is not None and b[key] is not None and not _same(a[key], b[key]):
            out.append((*key, a[key], b[key]))
    return out
