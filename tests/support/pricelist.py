"""Price List Query API answers shaped like real ``pricing:GetProducts`` responses.

Each ``PriceList`` entry is a JSON *string* (as the API sends it) holding one product, its
attributes and its on-demand term. The attribute names and usage types follow the Bedrock
price files (``AmazonBedrockFoundationModels/current/us-west-2/index.json``, publicationDate
2026-09-30: ``servicename`` and ``usagetype`` such as ``USW2-MP:USW2_InputTokenCount_Global-Units``;
``AmazonBedrock``: ``model``, ``inferenceType`` and usage types such as
``USE1-NovaMicro-input-tokens``).
"""

from __future__ import annotations

import itertools
import json
from typing import Any

PUBLISHED = "2026-09-30T00:19:12Z"
_sku = itertools.count(1)
_PREFIX = {"us-east-1": "USE1", "us-east-2": "USE2", "us-west-2": "USW2", "eu-west-1": "EU"}


def product(
    *,
    service: str,
    region: str,
    usagetype: str,
    usd: str,
    name: str,
    unit: str = "1M tokens",
    inference_type: str | None = None,
) -> str:
    """Return one PriceList entry (a JSON string) for a per-token price."""
    sku = f"SKU{next(_sku):06d}"
    attributes: dict[str, Any] = {
        "servicecode": service,
        "regionCode": region,
        "location": region,
        "locationType": "AWS Region",
        "usagetype": usagetype,
        "operation": "",
    }
    if service == "AmazonBedrock":
        attributes["model"] = name
        attributes["servicename"] = "Amazon Bedrock"
        if inference_type:
            attributes["inferenceType"] = inference_type
    else:
        attributes["servicename"] = f"{name} (Amazon Bedrock Edition)"
    term = f"{sku}.JRTCKXETXF"
    return json.dumps(
        {
            "product": {"productFamily": "Amazon Bedrock", "attributes": attributes, "sku": sku},
            "serviceCode": service,
            "terms": {
                "OnDemand": {
                    term: {
                        "priceDimensions": {
                            f"{term}.6YS6EN2CT7": {
                                "unit": unit,
                                "endRange": "Inf",
                                "description": f"{usd} USD per {unit} for {usagetype}",
                                "appliesTo": [],
                                "rateCode": f"{term}.6YS6EN2CT7",
                                "beginRange": "0",
                                "pricePerUnit": {"USD": usd},
                            }
                        },
                        "sku": sku,
                        "effectiveDate": "2026-09-01T00:00:00Z",
                        "offerTermCode": "JRTCKXETXF",
                        "termAttributes": {},
                    }
                }
            },
            "version": "20260930001912",
            "publicationDate": PUBLISHED,
        }
    )


def marketplace(region: str, name: str, usage: str, usd: str) -> str:
    """An ``AmazonBedrockFoundationModels`` price, usage type ``<P>-MP:<P>_<usage>-Units``."""
    p = _PREFIX[region]
    return product(
        service="AmazonBedrockFoundationModels",
        region=region,
        usagetype=f"{p}-MP:{p}_{usage}-Units",
        usd=usd,
        name=name,
    )


def first_party(region: str, name: str, usage: str, usd: str, inference_type: str) -> str:
    """An ``AmazonBedrock`` price (Amazon's models), priced per 1K tokens."""
    usagetype = f"{_PREFIX[region]}-{name.replace(' ', '')}-{usage}"
    per_1k = {"unit": "1K tokens", "inference_type": inference_type}
    return product(
        service="AmazonBedrock", region=region, usagetype=usagetype, usd=usd, name=name, **per_1k
    )


def answer(items: list[str], next_token: str | None = None) -> dict[str, Any]:
    """One GetProducts response page."""
    page: dict[str, Any] = {"FormatVersion": "aws_v1", "PriceList": items}
    if next_token:
        page["NextToken"] = next_token
    return page


def request(service: str, region: str | None = None, token: str | None = None) -> dict[str, Any]:
    """The GetProducts parameters the refresh sends for one page."""
    params: dict[str, Any] = {"ServiceCode": service, "FormatVersion": "aws_v1", "MaxResults": 100}
    if region:
        params["Filters"] = [{"Type": "TERM_MATCH", "Field": "regionCode", "Value": region}]
    if token:
        params["NextToken"] = token
    return params


def sample() -> tuple[list[str], list[str]]:
    """A small but real-shaped price list: (AmazonBedrockFoundationModels, AmazonBedrock)."""
    haiku = "Claude Haiku 4.5"
    sonnet = "Claude Sonnet 4.5"
    fm = [
        # Claude Haiku 4.5 in us-east-1, legacy usage-type naming, both endpoint kinds.
        marketplace("us-east-1", haiku, "InputTokenCount", "1.1000000000"),
        marketplace("us-east-1", haiku, "OutputTokenCount", "5.5000000000"),
        marketplace("us-east-1", haiku, "CacheReadInputTokenCount", "0.1100000000"),
        marketplace("us-east-1", haiku, "CacheWriteInputTokenCount", "1.3750000000"),
        marketplace("us-east-1", haiku, "CacheWrite1hInputTokenCount", "2.2000000000"),
        marketplace("us-east-1", haiku, "InputTokenCount_Global", "1.0000000000"),
        marketplace("us-east-1", haiku, "OutputTokenCount_Global", "5.0000000000"),
        marketplace("us-east-1", haiku, "CacheReadInputTokenCount_Global", "0.1000000000"),
        marketplace("us-east-1", haiku, "CacheWriteInputTokenCount_Global", "1.2500000000"),
        marketplace("us-east-1", haiku, "CacheWrite1hInputTokenCount_Global", "2.0000000000"),
        # Batch and provisioned throughput are not per-call prices: skipped.
        marketplace("us-east-1", haiku, "InputTokenCount_Batch", "0.5500000000"),
        # Claude Sonnet 4.5 with a changed price, current usage-type naming.
        marketplace("us-east-1", sonnet, "input_tokens_standard", "3.6000000000"),
        marketplace("us-east-1", sonnet, "output_tokens_standard", "18.0000000000"),
        marketplace("us-east-1", sonnet, "input_tokens_global_standard", "3.0000000000"),
        marketplace("us-east-1", sonnet, "output_tokens_global_standard", "15.0000000000"),
        # A model the catalog does not know: reported, not priced.
        marketplace("us-east-1", "Acme Turbo 9", "InputTokenCount", "9.0000000000"),
    ]
    bedrock = [
        # Amazon Nova Pro in us-east-1: standard, priority, flex and latency-optimized.
        first_party("us-east-1", "Nova Pro", "input-tokens", "0.0008", "Input tokens"),
        first_party("us-east-1", "Nova Pro", "output-tokens", "0.0032", "Output tokens"),
        first_party("us-east-1", "Nova Pro", "cache-read-input-tokens", "0.0002", "Cache read"),
        first_party(
            "us-east-1", "Nova Pro", "input-tokens-priority", "0.0014", "Input tokens priority"
        ),
        first_party(
            "us-east-1", "Nova Pro", "output-tokens-priority", "0.0056", "Output tokens priority"
        ),
        first_party("us-east-1", "Nova Pro", "input-tokens-flex", "0.0004", "Input tokens flex"),
        first_party("us-east-1", "Nova Pro", "output-tokens-flex", "0.0016", "Output tokens flex"),
        first_party(
            "us-east-2",
            "Nova Pro",
            "input-tokens-latency-optimized",
            "0.001",
            "Input tokens latency optimized",
        ),
        first_party(
            "us-east-2",
            "Nova Pro",
            "output-tokens-latency-optimized",
            "0.004",
            "Output tokens latency optimized",
        ),
        # Nova Micro in eu-west-1 costs more than in us-east-1.
        first_party("us-east-1", "Nova Micro", "input-tokens", "0.000035", "Input tokens"),
        first_party("us-east-1", "Nova Micro", "output-tokens", "0.00014", "Output tokens"),
        first_party("eu-west-1", "Nova Micro", "input-tokens", "0.000046", "Input tokens"),
        first_party("eu-west-1", "Nova Micro", "output-tokens", "0.000184", "Output tokens"),
    ]
    return fm, bedrock
