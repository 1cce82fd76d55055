"""Deterministic builds of the project's artifacts (today: the Lambda deployment zip).

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

With ``bytecode=True`` (``genai-obs package --bytecode``) each module also ships its bytecode,
compiled by the Python that builds (``__pycache__/<module>.<cache tag>.pyc``, PEP 3147):
Lambda's code directories are read-only, so without it every cold start compiles the payload
again (``make bench``, python3.11: the layer adds +16.1 ms to a Bedrock handler's init
with sources only, +2.8 ms with its bytecode). The files are
checked-hash pycs (PEP 552): the bytes depend only on the source and the Python version (no
timestamp; compiled with a fixed hash seed), and Python uses one only while the source beside
it is the one it was compiled from. A runtime of another Python version ignores them and
compiles, as without them: build with the Python of the runtime the artifact runs on.

Each artifact is one entry of :data:`ARTIFACTS` (its kind, default path and which files it
holds); :func:`build` builds any of them and :meth:`Built.summary` is the one line every
entry point prints. This module never imports the command (``cli``); the command imports
it. Usage (both run the ``genai-obs package`` command; the second is ``package/__main__.py``)::

    genai-obs package [dist/genai_observability.zip]
    python -m genai_observability.package [dist/genai_observability.zip]

print ``wrote dist/genai_observability.zip (N files, sha256 HEX, base64 B64)``; the base64
sha256 is Terraform's ``filebase64sha256``.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from genai_observability import GenAIObservabilityError

__all__ = [
    "ARTIFACTS",
    "Artifact",
    "Built",
    "PackageError",
    "build",
    "build_zip",
    "layer_files",
    "package_files",
    "pyc_name",
]

PACKAGE = "genai_observability"
EXCLUDED_DIRS = frozenset({"__pycache__", "cli"})
EXCLUDED_SUFFIXES = (".pyc", ".pyo", ".so.tmp", "~")
TEXT_SUFFIXES = (".py", ".json", ".typed", ".txt", ".md")
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)

PACKAGE_DIR = Path(__file__).resolve().parent.parent
"""The installed ``genai_observability`` directory (this builder is its ``package/``)."""

Files = list[tuple[str, Path]]

# The layer (``genai-obs package --layer``): the package under python/, the exec wrapper at
# the zip's root (mode 0755: Lambda runs it as AWS_LAMBDA_EXEC_WRAPPER=/opt/genai-observability)
# and the handler shim beside the package (it must import even when the package cannot).
LAYER_WRAPPER = "genai-observability"
LAYER_SHIM = "genai_observability_shim.py"
LAYER_ONLY = frozenset({f"_layer/{LAYER_WRAPPER}", f"_layer/{LAYER_SHIM}"})
"""Package files that only the layer holds, at their own places."""
EXECUTABLES = frozenset({LAYER_WRAPPER})
"""Archive names stored with mode 0755 (everything else is 0644)."""


# Run by the Python that builds, with a fixed hash seed: set and frozenset constants are
# marshalled in hash order, which would otherwise differ between runs.
_COMPILE = """
import json, py_compile, sys
for source, target, shown in json.load(sys.stdin):
    py_compile.compile(source, target, shown, doraise=True,
                       invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH)
print(sys.implementation.cache_tag)
"""


class PackageError(GenAIObservabilityError):
    """An artifact could not be built (unknown kind, unwritable path)."""


def package_files(source_dir: str | os.PathLike[str] | None = None) -> Files:
    """Return the (archive name, file) pairs of the package, sorted by archive name.

    Args:
        source_dir: The package directory; default the installed ``genai_observability``.

    Returns:
        Pairs such as ``("genai_observability/__init__.py", Path(...))``.
    """
    root = Path(source_dir) if source_dir is not None else PACKAGE_DIR
    files: Files = []
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
            if rel in LAYER_ONLY:
                continue
            files.append((f"{PACKAGE}/{rel}", path))
    files.sort(key=lambda item: item[0])
    return files


def layer_files(source_dir: str | os.PathLike[str] | None = None) -> Files:
    """Return the (archive name, file) pairs of the Lambda layer, sorted by archive name.

    Args:
        source_dir: The package directory; default the installed ``genai_observability``.

    Returns:
        ``("genai-observability", ...)``, ``("python/genai_observability/...", ...)`` and
        ``("python/genai_observability_shim.py", ...)`` pairs.
    """
    root = Path(source_dir) if source_dir is not None else PACKAGE_DIR
    files: Files = [(f"python/{name}", path) for name, path in package_files(source_dir)]
    files.append((LAYER_WRAPPER, root / "_layer" / LAYER_WRAPPER))
    files.append((f"python/{LAYER_SHIM}", root / "_layer" / LAYER_SHIM))
    files.sort(key=lambda item: item[0])
    return files


@dataclass(frozen=True)
class Artifact:
    """One thing the project builds: its kind, where it goes, and which files it holds.

    Attributes:
        kind: The artifact's name, e.g. ``function``.
        default_out: Path written when none is given (relative to the working directory).
        description: What it is, for help texts.
        files: Given the package directory (None: this package), the sorted
            (archive name, file) pairs to store.
    """

    kind: str
    default_out: str
    description: str
    files: Callable[[str | os.PathLike[str] | None], Files]


# A new artifact (e.g. a Lambda layer) is one more entry here.
ARTIFACTS: dict[str, Artifact] = {
    "function": Artifact(
        kind="function",
        default_out="dist/genai_observability.zip",
        description="the Lambda deployment zip (the payload at the zip's root, without cli)",
        files=package_files,
    ),
    "layer": Artifact(
        kind="layer",
        default_out="dist/genai_observability_layer.zip",
        description=(
            "the Lambda layer (the payload under python/, the exec wrapper"
            " genai-observability at the zip's root)"
        ),
        files=layer_files,
    ),
}


@dataclass(frozen=True)
class Built:
    """What :func:`build` wrote."""

    kind: str
    path: str
    files: int
    sha256: str
    bytecode: str | None = None
    """The cache tag of the bytecode it holds (``cpython-311``), or None: sources only."""

    @property
    def sha256_base64(self) -> str:
        """The sha256 in base64: Terraform's ``filebase64sha256`` / ``source_code_hash``."""
        return base64.b64encode(bytes.fromhex(self.sha256)).decode("ascii")

    def summary(self) -> str:
        """The one line every entry point prints (no newline)."""
        shipped = f", bytecode {self.bytecode}" if self.bytecode else ""
        return (
            f"wrote {self.path} ({self.files} files{shipped}, sha256 {self.sha256}, "
            f"base64 {self.sha256_base64})"
        )

    def as_dict(self) -> dict[str, Any]:
        """The JSON document of ``genai-obs package --format json``."""
        return {
            "kind": self.kind,
            "path": self.path,
            "files": self.files,
            "sha256": self.sha256,
            "sha256_base64": self.sha256_base64,
            "bytecode": self.bytecode,
        }


def _stored(arcname: str, path: Path) -> bytes:
    """The bytes the zip stores for ``path`` (text with LF line endings)."""
    data = path.read_bytes()
    if arcname.endswith(TEXT_SUFFIXES) or arcname in EXECUTABLES:
        data = data.replace(b"\r\n", b"\n")
    return data


def pyc_name(arcname: str, cache_tag: str) -> str:
    """Where a module's bytecode goes in the zip: ``a/b.py`` -> ``a/__pycache__/b.<tag>.pyc``."""
    head, _, name = arcname.rpartition("/")
    pyc = f"__pycache__/{name[: -len('.py')]}.{cache_tag}.pyc"
    return f"{head}/{pyc}" if head else pyc


def _with_bytecode(files: Files, workdir: Path) -> tuple[Files, str]:
    """``files`` plus each module's checked-hash pyc, compiled by this Python; and its tag.

    The pyc is compiled from the bytes the zip stores (its hash must match them) and names
    its source by the archive name, so no path of the building machine is in it.
    """
    jobs, sources = [], workdir / "src"
    for index, (arcname, path) in enumerate(files):
        if arcname.endswith(".py"):
            source = sources / f"{index}.py"
            source.parent.mkdir(parents=True, exist_ok=True)
            source.write_bytes(_stored(arcname, path))
            jobs.append((arcname, source, workdir / "pyc" / f"{index}.pyc"))
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    done = subprocess.run(
        [sys.executable, "-c", _COMPILE],
        input=json.dumps([[str(s), str(t), a] for a, s, t in jobs]),
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise PackageError(f"cannot compile the payload with {sys.executable}: {last}")
    tag = done.stdout.strip()
    compiled = [(pyc_name(arcname, tag), target) for arcname, _, target in jobs]
    return sorted(files + compiled, key=lambda item: item[0]), tag


def _write_zip(out: Path, files: Files) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".genai-obs-", suffix=".zip", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_STORED) as zf:
            for arcname, path in files:
                data = _stored(arcname, path)
                info = zipfile.ZipInfo(arcname, date_time=ZIP_EPOCH)
                info.create_system = 3
                info.external_attr = (0o100755 if arcname in EXECUTABLES else 0o100644) << 16
                info.compress_type = zipfile.ZIP_STORED
                zf.writestr(info, data)
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, out)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise


def build(
    kind: str = "function",
    out_path: str | os.PathLike[str] | None = None,
    source_dir: str | os.PathLike[str] | None = None,
    price_catalog: str | os.PathLike[str] | None = None,
    bytecode: bool = False,
) -> Built:
    """Build one artifact of :data:`ARTIFACTS` (written atomically).

    Args:
        kind: Which artifact, a key of :data:`ARTIFACTS`.
        out_path: Where to write it; default the artifact's ``default_out``. Parent
            directories are created.
        source_dir: The package directory; default the installed ``genai_observability``.
        price_catalog: A catalog file (``genai-obs prices refresh``) shipped as the
            artifact's ``prices.json`` instead of the bundled one; it must be valid.
        bytecode: Also ship each module's bytecode, compiled by this Python (see the
            module's docstring); the artifact then serves runtimes of this Python version.

    Returns:
        The path (as given), the number of files and the sha256 of what was written.

    Raises:
        PackageError: Unknown kind, an invalid price catalog, a module this Python cannot
            compile, or the path cannot be written.
    """
    if price_catalog is not None:
        from genai_observability import pricing

        try:
            pricing.load_catalog(price_catalog)
        except pricing.PricingError as exc:
            raise PackageError(f"--price-catalog: {exc}") from None
    artifact = ARTIFACTS.get(kind)
    if artifact is None:
        raise PackageError(f"unknown artifact {kind!r}; known: {', '.join(sorted(ARTIFACTS))}")
    shown = str(out_path) if out_path is not None else artifact.default_out
    out = Path(shown)
    try:
        files = artifact.files(source_dir)
        if price_catalog is not None:
            catalog = f"{PACKAGE}/prices.json"
            files = [(n, Path(price_catalog) if n.endswith(catalog) else f) for n, f in files]
        tag = None
        with tempfile.TemporaryDirectory(prefix="genai-obs-pyc-") as workdir:
            if bytecode:
                files, tag = _with_bytecode(files, Path(workdir))
            _write_zip(out, files)
        digest = hashlib.sha256(out.read_bytes()).hexdigest()
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename and str(exc.filename) != shown else ""
        raise PackageError(f"cannot write {shown}: {exc.strerror or exc}{where}") from None
    return Built(kind=kind, path=shown, files=len(files), sha256=digest, bytecode=tag)


def build_zip(
    out_path: str | os.PathLike[str], source_dir: str | os.PathLike[str] | None = None
) -> str:
    """Build the Lambda deployment zip at ``out_path`` and return its sha256 (hex).

    Shorthand for ``build("function", out_path, source_dir).sha256``.
    """
    return build("function", out_path, source_dir).sha256
