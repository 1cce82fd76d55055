"""The prices the Terraform observability module reads, generated from the price catalog.

``modules/observability`` prices the account view (Amazon Bedrock's own token metrics) with
the same catalog the payload uses. A Terraform module must read no file outside its own
directory: users source it by an absolute path, ``git::`` or a registry, or copy it alone.
So the part of the catalog the module needs, each model's and inference profile's standard
price (``input``, ``output``, ``cache_read``, ``cache_write`` in USD per 1M tokens), is
written into the module as ``price_catalog.json``, with ``mantle_ids`` (the bedrock-mantle ids
priced under another id, :data:`genai_observability.pricing.MANTLE_IDS`: the account view's
candidate-id rule for ``AWS/BedrockMantle`` models):

* ``genai-obs prices refresh`` writes it after it writes a new catalog;
* ``python -m genai_observability.pricing_terraform modules/observability`` writes it from
  the bundled catalog;
* a test fails when the module's file differs from :func:`render_module_prices` of the
  bundled catalog.

The text is deterministic (sorted ids, one model a line, ``\\n`` line ends), so the same
catalog always gives the same file.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from .pricing import MANTLE_IDS, Catalog, load_catalog

__all__ = [
    "MODULE_PRICES_FILE",
    "MODULE_PRICE_FIELDS",
    "module_prices",
    "render_module_prices",
    "write_module_prices",
]

MODULE_PRICES_FILE = "price_catalog.json"
"""Name of the generated file inside ``modules/observability``."""

MODULE_PRICE_FIELDS = ("input", "output", "cache_read", "cache_write")
"""The price fields the module reads (its ``model_prices`` variable has the same ones)."""

_MODULE = "genai_observability.pricing_terraform"
_GENERATED_BY = (
    "Generated from the payload's price catalog (lambda/genai_observability/prices.json) by"
    " genai_observability.pricing_terraform; do not edit: run `genai-obs prices refresh` or"
    " `python -m genai_observability.pricing_terraform modules/observability`."
)


def module_prices(catalog: Catalog) -> dict[str, dict[str, float | None]]:
    """Return the standard prices the module needs: model or profile id -> price fields.

    Args:
        catalog: A parsed catalog (:func:`genai_observability.pricing.load_catalog`).

    Returns:
        Every model and inference-profile id of the catalog, sorted, with ``input``,
        ``output``, ``cache_read`` and ``cache_write`` (None where the catalog says unknown).
    """
    return {
        ident: {field: getattr(price, field) for field in MODULE_PRICE_FIELDS}
        for ident, price in sorted(catalog.models.items())
    }


def render_module_prices(catalog: Catalog | None = None) -> str:
    """Return the text of the module's ``price_catalog.json`` for a catalog.

    Args:
        catalog: The catalog; default the bundled one.

    Returns:
        A JSON document: ``generated_by``, ``as_of``, ``unit``, ``mantle_ids`` (mantle id ->
        the id priced the same) and ``prices`` (id -> price fields), one id a line, ending
        in a newline.
    """
    cat = load_catalog() if catalog is None else catalog
    header = {
        "generated_by": _GENERATED_BY,
        "as_of": cat.info.get("as_of"),
        "unit": cat.info.get("unit", "USD per 1M tokens"),
        "mantle_ids": dict(sorted(MANTLE_IDS.items())),
    }
    lines = ["{"]
    lines += [f"  {json.dumps(key)}: {json.dumps(value)}," for key, value in header.items()]
    lines.append('  "prices": {')
    entries = list(module_prices(cat).items())
    for i, (ident, fields) in enumerate(entries):
        comma = "," if i < len(entries) - 1 else ""
        lines.append(f"    {json.dumps(ident)}: {json.dumps(fields, allow_nan=False)}{comma}")
    lines += ["  }", "}"]
    return "\n".join(lines) + "\n"


def write_module_prices(path: str | os.PathLike[str], catalog: Catalog | None = None) -> bool:
    """Write the module's ``price_catalog.json`` for a catalog, atomically.

    Args:
        path: The module directory (the file is ``MODULE_PRICES_FILE`` inside it) or the
            file itself.
        catalog: The catalog; default the bundled one.

    Returns:
        True when the file changed, False when it already held this text.
    """
    target = Path(path)
    if target.is_dir():
        target = target / MODULE_PRICES_FILE
    text = render_module_prices(catalog)
    if target.is_file() and target.read_text(encoding="utf-8") == text:
        return False
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".price_catalog.", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m genai_observability.pricing_terraform MODULE_DIR [CATALOG]``."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not 1 <= len(args) <= 2:
        sys.stderr.write(f"usage: python -m {_MODULE} MODULE_DIR [CATALOG]\n")
        return 2
    catalog = load_catalog(args[1]) if len(args) == 2 else None
    changed = write_module_prices(args[0], catalog)
    sys.stdout.write(f"{'wrote' if changed else 'unchanged:'} {args[0]}\n")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
