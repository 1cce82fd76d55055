"""``genai-obs prices``: the prices the payload knows, a fresh catalog, and a freshness check.

* ``prices``: the catalog in use and the ``GENAI_MODEL_PRICES`` overrides;
* ``prices MODEL``: every price known for a model, by endpoint kind, Region, tier and latency
  mode (exit status 1 when none is);
* ``prices refresh [--out FILE]``: build a catalog in the payload's format from the AWS Price
  List Query API (``pricing:GetProducts``, service codes ``AmazonBedrock`` and
  ``AmazonBedrockFoundationModels``), write it, and print what changed against the bundled
  catalog. The payload uses it when ``GENAI_PRICE_CATALOG`` names it; ``genai-obs package
  --price-catalog FILE`` ships it in the zip;
* ``prices --check [--max-age DAYS]``: exit status 1 when the catalog in use is older than
  ``--max-age`` days or disagrees with a fresh read of the Price List (``--no-fetch``: the
  age only).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import json
import os
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from .. import _aws, _options, _pricelist
from .._errors import AWSError, CLIError, UsageError
from .._format import render

VARIANT_COLUMNS = (
    "id",
    "endpoint",
    "region",
    "tier",
    "latency",
    "input_usd",
    "output_usd",
    "cache_read_usd",
    "cache_write_usd",
    "cache_write_1h_usd",
    "source",
)
PRICE_COLUMNS = ("model", "source", "input_usd", "output_usd", "cache_read_usd", "cache_write_usd")
DEFAULT_MAX_AGE_DAYS = 30
SHOWN_CHANGES = 40


DESCRIPTION = (
    "Show the price catalog in use and the GENAI_MODEL_PRICES overrides; MODEL: every"
    " price known for one model by endpoint kind, Region, tier and latency mode (exit"
    " status 1 when none is); 'refresh': build a catalog from the AWS Price List Query"
    " API and print what changed; --check: exit status 1 when the catalog in use is"
    " too old or disagrees with the Price List."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``prices``' options: AWS, format, the model (or ``refresh``), refresh's and check's."""
    _options.add_aws(parser)
    _options.add_format(parser)
    parser.add_argument(
        "model", metavar="MODEL|refresh", nargs="?", help="model id, profile or ARN; or refresh"
    )
    parser.add_argument(
        "--out",
        metavar="FILE",
        default="prices.json",
        help="refresh: where to write the catalog (default: prices.json)",
    )
    parser.add_argument(
        "--terraform-module",
        metavar="DIR",
        help="refresh: also write DIR/price_catalog.json, the prices the observability"
        " module reads (e.g. modules/observability)",
    )
    parser.add_argument(
        "--regions",
        metavar="R1,R2",
        help="refresh/--check: only these Bedrock Regions (default: every Region listed)",
    )
    parser.add_argument(
        "--replace",
        action="store_true",
        help="refresh: the Price List alone (default: over the bundled catalog)",
    )
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when the catalog in use is stale or wrong"
    )
    parser.add_argument(
        "--max-age",
        metavar="DAYS",
        type=int,
        default=DEFAULT_MAX_AGE_DAYS,
        help=f"--check: the oldest as_of date accepted, in days (default: {DEFAULT_MAX_AGE_DAYS})",
    )
    parser.add_argument(
        "--no-fetch", action="store_true", help="--check: check the age only, offline"
    )


def make_pricing_client(region: str | None, profile: str | None) -> Any:
    """Create a Price List Query API client (it answers in us-east-1 and a few Regions)."""
    where = region or _pricelist.BASE_REGION
    if where not in _pricelist.API_REGIONS:
        raise UsageError(
            f"the Price List Query API answers in {', '.join(_pricelist.API_REGIONS)};"
            f" got --region {where}"
        )
    return _aws.make_client("pricing", where, profile)


def _today() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


def _regions(args: argparse.Namespace) -> list[str] | None:
    if not args.regions:
        return None
    regions = [r.strip() for r in args.regions.split(",") if r.strip()]
    if not regions:
        raise UsageError("--regions needs at least one Region, e.g. us-east-1,eu-west-1")
    return regions


def _read_fresh(args: argparse.Namespace, model_ids: list[str]) -> _pricelist.Collected:
    client = make_pricing_client(args.region, args.profile)
    with _aws.aws_errors("pricing", "GetProducts"):
        collected = _pricelist.collect(client, model_ids, _regions(args))
    if not collected.facts:
        raise AWSError(
            f"the Price List returned no Bedrock token prices ({collected.products} products"
            " read): check --regions"
        )
    return collected


def _bundled_document() -> dict[str, Any]:
    from genai_observability import pricing

    return json.loads(Path(pricing.__file__).with_name("prices.json").read_text("utf-8"))


def _document_in_use() -> tuple[dict[str, Any], str]:
    """The catalog the payload would use, read strictly (a broken file is an error)."""
    from genai_observability import pricing

    path = os.environ.get(pricing.ENV_PRICE_CATALOG) or str(
        Path(pricing.__file__).with_name("prices.json")
    )
    try:
        pricing.load_catalog(path)
    except pricing.PricingError as exc:
        raise CLIError(str(exc)) from None
    return json.loads(Path(path).read_text("utf-8")), path


def _write(path: str, text: str) -> None:
    target = Path(path)
    if target.is_dir():
        raise UsageError(f"--out {path} is a directory; name a file, e.g. {path}/prices.json")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".prices.", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, target)
    except OSError as exc:
        raise CLIError(f"cannot write {path}: {exc.strerror or exc}") from None


def write_catalog(path: str, document: dict[str, Any]) -> None:
    """Write a refreshed catalog: checked as the payload reads it, then written atomically.

    The one place ``prices refresh`` writes; what is generated from the catalog is
    written from here too.
    """
    from genai_observability import pricing

    pricing.parse_catalog(document, path)  # the payload must be able to read it
    _write(path, _pricelist.format_catalog(document))


def _write_module_prices(directory: str, catalog: Any) -> None:
    """Write the observability module's ``price_catalog.json`` from a refreshed catalog."""
    from genai_observability.pricing_terraform import write_module_prices

    try:
        write_module_prices(directory, catalog)
    except OSError as exc:
        raise CLIError(f"cannot write into {directory}: {exc.strerror or exc}") from None


def _fmt(value: float | None) -> str:
    return "null" if value is None else f"{value:g}"


def _print_diff(out: TextIO, change: _pricelist.Diff, against: str) -> None:
    if not change:
        out.write(f"No price changed against {against}.\n")
        return
    out.write(
        f"Against {against}: {len(change.changed)} changed, {len(change.added)} added,"
        f" {len(change.removed)} removed.\n"
    )
    lines = [f"  changed {s} {i} {f}: {_fmt(a)} -> {_fmt(b)}" for s, i, f, a, b in change.changed]
    lines += [f"  added   {s} {i} {f}: {_fmt(v)}" for s, i, f, v in change.added]
    lines += [f"  removed {s} {i} {f}: {_fmt(v)}" for s, i, f, v in change.removed]
    for line in lines[:SHOWN_CHANGES]:
        out.write(line + "\n")
    if len(lines) > SHOWN_CHANGES:
        out.write(f"  ... and {len(lines) - SHOWN_CHANGES} more (compare the files for all)\n")


def cmd_refresh(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Build a catalog from the Price List, write it and print what changed."""
    from genai_observability import pricing

    if args.terraform_module and not Path(args.terraform_module).is_dir():
        raise UsageError(
            f"--terraform-module {args.terraform_module} is not a directory; name the"
            " module's folder, e.g. modules/observability"
        )
    bundled = _bundled_document()
    collected = _read_fresh(args, list(bundled.get("models", {})))
    today = _today().isoformat()
    document = _pricelist.build_catalog(collected, bundled, today, merge=not args.replace)
    write_catalog(args.out, document)
    count = len(collected.facts)
    out.write(
        f"wrote {args.out} ({count} prices from {collected.products} Price List products;"
        f" as_of {today})\n"
    )
    if args.terraform_module:
        _write_module_prices(args.terraform_module, pricing.parse_catalog(document, args.out))
        out.write(f"wrote the Terraform module's prices into {args.terraform_module}\n")
    _print_diff(out, _pricelist.diff(bundled, document), "the bundled catalog")
    if collected.unmatched:
        names = sorted(collected.unmatched.items(), key=lambda kv: (-kv[1], kv[0]))
        shown = ", ".join(f"{n} ({c})" for n, c in names[:10])
        more = f" and {len(names) - 10} more" if len(names) > 10 else ""
        err.write(
            f"genai-obs: note: {len(names)} Price List models match no model id of the"
            f" catalog and stay unpriced: {shown}{more}\n"
        )
    out.write(f"Use it: set {pricing.ENV_PRICE_CATALOG}={args.out}, or ship it in the zip.\n")
    return 0


def cmd_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Exit 1 when the catalog in use is older than --max-age or disagrees with the Price List."""
    if args.max_age < 0:
        raise UsageError("--max-age must be a number of days, 0 or more")
    document, path = _document_in_use()
    try:
        as_of = dt.date.fromisoformat(str(document.get("as_of")))
    except ValueError:
        raise CLIError(
            f"catalog {path} has no valid as_of date: {document.get('as_of')!r}"
        ) from None
    age = (_today() - as_of).days
    problems = 0
    if age > args.max_age:
        err.write(
            f"genai-obs: catalog {path} is {age} days old (as_of {as_of}), older than"
            f" --max-age {args.max_age}: run genai-obs prices refresh\n"
        )
        problems += 1
    else:
        out.write(f"catalog {path}: as_of {as_of}, {age} days old (limit {args.max_age})\n")
    if not args.no_fetch:
        collected = _read_fresh(args, list(document.get("models", {})))
        fresh = _pricelist.build_catalog(collected, None, _today().isoformat(), merge=False)
        wrong = _pricelist.disagreements(document, fresh)
        compared = len(_pricelist.flatten(document).keys() & _pricelist.flatten(fresh).keys())
        if wrong:
            err.write(
                f"genai-obs: catalog {path} disagrees with the Price List on {len(wrong)} of"
                f" {compared} prices:\n"
            )
            for section, ident, field, ours, theirs in wrong[:SHOWN_CHANGES]:
                err.write(f"  {section} {ident} {field}: {_fmt(ours)} here, {_fmt(theirs)} now\n")
            problems += 1
        else:
            out.write(f"agrees with the Price List on all {compared} prices both have\n")
    return 1 if problems else 0


def _variant_rows(model: str) -> list[dict[str, Any]]:
    from genai_observability import pricing

    rows = []
    for row in pricing.variants(model):
        price = row["price"]
        rows.append(
            {
                "id": row["id"],
                "endpoint": row["endpoint"],
                "region": row["region"],
                "tier": row["tier"],
                "latency": row["latency"],
                "input_usd": price.input,
                "output_usd": price.output,
                "cache_read_usd": price.cache_read,
                "cache_write_usd": price.cache_write,
                "cache_write_1h_usd": price.cache_write_1h,
                "source": row["source"],
            }
        )
    return rows


def exact_usd(price: float | None) -> str | None:
    """Show a unit price exactly (``$1.375``, ``$0.04125``, ``$0.00``), never rounded.

    A price per 1M tokens is a rate, not an amount: rounding it to cents would misstate
    every call it prices. At least two decimals, at most ten, no trailing zeros beyond two.
    """
    if price is None:
        return None
    text = f"{Decimal(repr(float(price))).quantize(Decimal('1e-10')):f}".rstrip("0")
    head, _, tail = text.partition(".")
    return f"${head}.{tail.ljust(2, '0')}"


def cmd_model(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Every price known for one model, by endpoint kind, Region, tier and latency mode."""
    from genai_observability import pricing

    rows = _variant_rows(args.model)
    info = pricing.catalog_info()
    if args.format == "table":
        out.write(
            f"Prices of {args.model} in USD per 1M tokens, catalog as of {info.get('as_of')}.\n"
            "Region * is every Region without a row of its own; - is unknown; a tier or\n"
            "latency mode not listed is unknown (such calls log cost_usd null).\n\n"
        )
    extra = {"as_of": info.get("as_of"), "sources": info.get("sources")}
    shown = rows
    if args.format == "table":
        shown = [{k: exact_usd(v) if k.endswith("_usd") else v for k, v in r.items()} for r in rows]
    out.write(
        render(
            args.format,
            list(VARIANT_COLUMNS),
            shown,
            missing="-",
            extra=extra,
        )
    )
    if not rows:
        err.write(
            f"genai-obs: no price for {args.model}: its calls log cost_usd null; "
            "add it to model_prices (GENAI_MODEL_PRICES)\n"
        )
        return 1
    return 0


def _price_row(model: str, price: Any, source: str) -> dict[str, Any]:
    return {
        "model": model,
        "source": source,
        "input_usd": getattr(price, "input", None),
        "output_usd": getattr(price, "output", None),
        "cache_read_usd": getattr(price, "cache_read", None),
        "cache_write_usd": getattr(price, "cache_write", None),
    }


def cmd_list(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Show the price catalog in use and the overrides (exit 1 when the overrides are bad)."""
    from genai_observability import pricing

    info = pricing.catalog_info()
    status = 0
    try:
        overrides = pricing.overrides()
    except pricing.PricingError as exc:
        # Show what the payload will really use (it skips what it cannot read), and fail.
        err.write(f"genai-obs: error: {exc}; the payload skips what it cannot read, as below\n")
        with contextlib.redirect_stderr(io.StringIO()):  # one line of error is enough
            overrides = pricing.overrides(strict=False)
        status = 1
    merged: dict[str, tuple[Any, str]] = {m: (p, "catalog") for m, p in pricing.catalog().items()}
    merged.update({m: (p, "override") for m, p in overrides.items()})
    rows = [_price_row(m, p, s) for m, (p, s) in sorted(merged.items())]
    extra = {"as_of": info.get("as_of"), "source": info.get("source"), "overrides": len(overrides)}
    if args.format == "table":
        out.write(
            f"Catalog as of {info.get('as_of')}\n"
            f"Source: {info.get('source')}\n"
            f"Overrides from GENAI_MODEL_PRICES: {len(overrides)}\n"
            "Prices in USD per 1M tokens; - is unknown.\n\n"
        )
    out.write(
        render(
            args.format,
            list(PRICE_COLUMNS),
            rows,
            missing="-",
            extra=extra,
        )
    )
    return status


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Dispatch ``prices``: list, one model, refresh or check."""
    if args.check:
        if args.model:
            raise UsageError("--check takes no MODEL: it checks the whole catalog in use")
        return cmd_check(args, out, err)
    if args.model == "refresh":
        return cmd_refresh(args, out, err)
    if args.model:
        return cmd_model(args, out, err)
    return cmd_list(args, out, err)
