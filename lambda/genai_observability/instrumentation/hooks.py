"""Run a function right after a library's module is first imported (a ``sys.meta_path`` finder).

So a transport waits for the user's import of its client library: switching recording on
imports nothing heavy, and a process that never imports the library pays nothing.
"""

from __future__ import annotations

import contextlib
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

__all__ = ["ImportHook"]


class ImportHook:
    """Calls ``then(module)`` once, right after the module ``name`` is executed.

    Args:
        name: The module's full name (``botocore.client``).
        then: Called with the new module, under ``lock``; its errors are dropped.
        lock: Held while ``then`` runs (the caller's state lock).
    """

    def __init__(self, name: str, then: Callable[[Any], Any], lock: Any) -> None:
        self.name = name
        self.then = then
        self.lock = lock
        self.active = False

    def insert(self) -> None:
        """Watch imports (first in ``sys.meta_path``)."""
        self.active = True
        sys.meta_path.insert(0, self)

    def remove(self) -> None:
        """Stop watching imports (no error when not watching)."""
        self.active = False
        with contextlib.suppress(ValueError):
            sys.meta_path.remove(self)

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        """Find the watched module as the path finder does, and patch its loader."""
        if fullname != self.name or not self.active:
            return None
        from importlib.machinery import PathFinder

        spec = PathFinder.find_spec(fullname, path)
        loader = getattr(spec, "loader", None)
        exec_module = getattr(loader, "exec_module", None)
        if exec_module is None:
            return None

        def exec_then(module: Any) -> None:
            exec_module(module)
            with contextlib.suppress(Exception), self.lock:
                if self.active:
                    self.remove()
                    self.then(module)

        loader.exec_module = exec_then  # type: ignore[union-attr]
        return spec
