"""Deterministic build of the Lambda deployment zip.

Same source, same bytes, on every machine, so Terraform's ``source_code_hash``
(``filebase64sha256(zip)``) only changes when the code does:

* entries sorted by path, the package at the zip's root (``genai_observability/...``);
* every timestamp 1980-01-01 00:00:00, mode 0644, Unix ``create_system``;
* entries stored uncompressed (deflate output differs between zlib builds, e.g. zlib and
  zlib-ng, which would change the hash across machines; the payload is small);
* text files (``.py``, ``.json``, ``.typed``, ``.txt``, ``.md``) with LF line endings, so a
  Windows checkout builds the same zip;
* no ``__pycache__``, compiled files or hidden files, and not the ``cli`` subpackage (the
  terminal command is not shipped in the function).

Usage::

    python -m genai_observability.package dist/genai_observability.zip

prints the zip's path, its sha256 (hex) and its base64 sha256 (Terraform's
``filebase64sha256``).
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import os
import sys
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path

__all__ = ["build_zip", "main", "package_files"]

PACKAGE = "genai_observability"
EXCLUDED_DIRS = frozenset({"__pycache__", "cli"})
EXCLUDED_SUFFIXES = (".pyc", ".pyo", ".so.tmp", "~")
TEXT_SUFFIXES = (".py", ".json", ".typed", ".txt", ".md")
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def package_files(source_dir: str | os.PathLike[str] | None = None) -> list[tuple[str, Path]]:
    """Return the (archive name, file) pairs of the package, sorted by archive name.

    Args:
        source_dir: The package directory; default the installed ``genai_observability``.

    Returns:
        Pairs such as ``("genai_observability/__init__.py", Path(...))``.
    """
    root = Path(source_dir) if source_dir is not None else Path(__file__).resolve().parent
    files: list[tuple[str, Path]] = []
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        top = here == root
        dirnames[:] = [
            d
            for d in dirnames
            if not d.startswith(".") and d != "__pycache__" and not (top and d in EXCLUDED_DIRS)
        ]
        for name in filenames:
            if name.startswith(".") or name.endswith(EXCLUDED_SUFFIXES):
                continue
            path = here / name
            rel = path.relative_to(root).as_posix()
            files.append((f"{PACKAGE}/{rel}", path))
    files.sort(key=lambda item: item[0])
    return files


def build_zip(
    out_path: str | os.PathLike[str], source_dir: str | os.PathLike[str] | None = None
) -> str:
    """Build the deployment zip at ``out_path`` (written atomically) and return its sha256.

    Args:
        out_path: Where to write the zip; parent directories are created.
        source_dir: The package directory; default the installed ``genai_observability``.

    Returns:
        The zip's sha256 as lowercase hex.
    """
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".genai-obs-", suffix=".zip", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_STORED) as zf:
            for arcname, path in package_files(source_dir):
                data = path.read_bytes()
                if arcname.endswith(TEXT_SUFFIXES):
                    data = data.replace(b"\r\n", b"\n")
                info = zipfile.ZipInfo(arcname, date_time=ZIP_EPOCH)
                info.create_system = 3
                info.external_attr = 0o100644 << 16
                info.compress_type = zipfile.ZIP_STORED
                zf.writestr(info, data)
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, out)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    return hashlib.sha256(out.read_bytes()).hexdigest()


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: build the zip and print its path, sha256 and base64 sha256."""
    parser = argparse.ArgumentParser(
        prog="python -m genai_observability.package",
        description="Build the deterministic Lambda zip of genai_observability.",
    )
    parser.add_argument("out", help="path of the zip to write, e.g. dist/genai_observability.zip")
    parser.add_argument("--source-dir", help="package directory (default: this package)")
    args = parser.parse_args(argv)
    digest = build_zip(args.out, args.source_dir)
    b64 = base64.b64encode(bytes.fromhex(digest)).decode("ascii")
    sys.stdout.write(f"{args.out}\nsha256: {digest}\nbase64sha256: {b64}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
