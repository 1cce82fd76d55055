"""The deterministic Lambda zip: same tree, same bytes; no cli/, no caches; importable."""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from genai_observability import GenAIObservabilityError, package
from genai_observability.package.__main__ import main as package_main
from support import LAMBDA_DIR

SOURCE = LAMBDA_DIR / "genai_observability"


def _copy_tree(dst: Path) -> Path:
    target = dst / "genai_observability"
    shutil.copytree(SOURCE, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def test_build_zip_twice_gives_the_same_sha256(tmp_path: Path) -> None:
    first = package.build_zip(tmp_path / "a.zip")
    second = package.build_zip(tmp_path / "b.zip")
    assert first == second
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()
    assert first == hashlib.sha256((tmp_path / "a.zip").read_bytes()).hexdigest()


def test_build_zip_ignores_timestamps_modes_and_caches(tmp_path: Path) -> None:
    copy = _copy_tree(tmp_path / "src")
    reference = package.build_zip(tmp_path / "ref.zip", copy)
    for path in copy.rglob("*.py"):
        os.utime(path, (1_000_000_000, 1_000_000_000))
        path.chmod(0o755)
    (copy / "__pycache__").mkdir(exist_ok=True)
    (copy / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"junk")
    (copy / "stale.pyc").write_bytes(b"junk")
    (copy / ".DS_Store").write_bytes(b"junk")
    assert package.build_zip(tmp_path / "again.zip", copy) == reference


def test_build_zip_normalizes_windows_line_endings(tmp_path: Path) -> None:
    copy = _copy_tree(tmp_path / "src")
    reference = package.build_zip(tmp_path / "ref.zip", copy)
    init = copy / "__init__.py"
    init.write_bytes(init.read_bytes().replace(b"\n", b"\r\n"))
    assert package.build_zip(tmp_path / "crlf.zip", copy) == reference


def test_build_zip_changes_when_the_code_changes(tmp_path: Path) -> None:
    copy = _copy_tree(tmp_path / "src")
    reference = package.build_zip(tmp_path / "ref.zip", copy)
    (copy / "_emit.py").write_text((copy / "_emit.py").read_text() + "\n# changed\n")
    assert package.build_zip(tmp_path / "changed.zip", copy) != reference


def test_build_zip_entries_are_sorted_fixed_and_without_cli(tmp_path: Path) -> None:
    package.build_zip(tmp_path / "p.zip")
    with zipfile.ZipFile(tmp_path / "p.zip") as zf:
        infos = zf.infolist()
        names = [i.filename for i in infos]
        assert names == sorted(names)
        assert "genai_observability/__init__.py" in names
        assert "genai_observability/handler.py" in names
        assert "genai_observability/prices.json" in names
        assert "genai_observability/py.typed" in names
        assert not [n for n in names if "/cli/" in n or "__pycache__" in n or n.endswith(".pyc")]
        for info in infos:
            assert info.date_time == (1980, 1, 1, 0, 0, 0)
            assert info.external_attr >> 16 == 0o100644
            assert info.create_system == 3
            assert info.compress_type == zipfile.ZIP_STORED


def test_package_main_prints_the_builders_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "dist" / "genai_observability.zip"
    assert package_main([str(out)]) == 0
    lines = capsys.readouterr().out.splitlines()
    digest = hashlib.sha256(out.read_bytes()).digest()
    count = len(zipfile.ZipFile(out).namelist())
    assert lines == [
        f"wrote {out} ({count} files, sha256 {digest.hex()}, "
        f"base64 {base64.b64encode(digest).decode()})"
    ]


def test_build_returns_what_it_wrote(tmp_path: Path) -> None:
    out = tmp_path / "fn.zip"
    built = package.build("function", out)
    digest = hashlib.sha256(out.read_bytes()).digest()
    assert built == package.Built("function", str(out), len(package.package_files()), digest.hex())
    assert built.sha256_base64 == base64.b64encode(digest).decode()
    assert built.summary() == (
        f"wrote {out} ({built.files} files, sha256 {digest.hex()}, base64 {built.sha256_base64})"
    )


def test_build_unknown_kind_names_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(
        package.PackageError, match=r"unknown artifact 'wheel'; known: function, layer"
    ):
        package.build("wheel", tmp_path / "x.zip")
    assert not (tmp_path / "x.zip").exists()


def test_build_unwritable_path_is_a_package_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    with pytest.raises(package.PackageError, match=r"^cannot write .*x\.zip: "):
        package.build("function", blocker / "x.zip")
    assert issubclass(package.PackageError, GenAIObservabilityError)


def test_a_new_artifact_is_one_table_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def only_pricing(source_dir: object) -> list[tuple[str, Path]]:
        return [(a, p) for a, p in package.package_files(source_dir) if a.endswith("pricing.py")]

    extra = package.Artifact("pricing-only", "dist/p.zip", "test artifact", only_pricing)
    monkeypatch.setitem(package.ARTIFACTS, "pricing-only", extra)
    monkeypatch.chdir(tmp_path)
    built = package.build("pricing-only")
    assert (built.kind, built.path, built.files) == ("pricing-only", "dist/p.zip", 1)
    assert zipfile.ZipFile(tmp_path / "dist" / "p.zip").namelist() == [
        "genai_observability/pricing.py"
    ]


def test_packaged_zip_runs_the_handler_module(tmp_path: Path) -> None:
    zip_path = tmp_path / "fn.zip"
    package.build_zip(zip_path)
    code = (
        "import genai_observability as g, genai_observability.handler as h;"
        f"assert g.__file__.startswith({str(zip_path)!r});"
        "g.record_llm_call('amazon.nova-micro-v1:0', 1000000, 1000000, 1.0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={"PYTHONPATH": str(zip_path), "PATH": os.environ.get("PATH", "")},
        capture_output=True,
        text=True,
        check=True,
    )
    assert '"cost_usd":0.175' in result.stdout


def test_python_m_package_command(tmp_path: Path) -> None:
    out = tmp_path / "m.zip"
    result = subprocess.run(
        [sys.executable, "-m", "genai_observability.package", str(out)],
        env={"PYTHONPATH": str(LAMBDA_DIR), "PATH": os.environ.get("PATH", "")},
        capture_output=True,
        text=True,
        check=True,
    )
    assert f" files, sha256 {package.build_zip(tmp_path / 'n.zip')}, base64 " in result.stdout


def test_function_zip_leaves_out_the_layers_wrapper_and_shim(tmp_path: Path) -> None:
    package.build("function", tmp_path / "f.zip")
    names = zipfile.ZipFile(tmp_path / "f.zip").namelist()
    assert "genai_observability/_layer/__init__.py" in names
    assert not any(
        n.endswith(("genai-observability", "genai_observability_shim.py")) for n in names
    )
