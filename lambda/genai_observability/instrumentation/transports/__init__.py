"""Transports, one module per client library; each is listed in ``registry.TRANSPORTS``.

A transport module provides ``install(library_module, switch) -> bool`` (patch the library
for the whole process; False when the module is not ready yet) and
``uninstall(library_module)``; a transport whose clients can be wrapped one by one also
provides ``instrument_client(client, attributes) -> bool`` (False when the client is not of
this library). Every wrapper put on by :class:`Patch` or :func:`mark` carries ``MARK``.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

__all__ = ["MARK", "ClassPatch", "Patch", "PatchSet", "mark"]

MARK = "_genai_observability_instrumented"
"""Attribute set on every function and client we wrapped (so we never wrap twice)."""


def mark(wrapper: Callable[..., Any]) -> Callable[..., Any]:
    """``wrapper``, marked as ours (:data:`MARK`)."""
    setattr(wrapper, MARK, True)
    return wrapper


class Patch:
    """Our class-level patch: the method we wrapped and our wrapper (None when not patched)."""

    def __init__(self) -> None:
        self.original: Callable[..., Any] | None = None
        self.patched: Callable[..., Any] | None = None

    def apply(
        self, owner: Any, name: str, make: Callable[[Callable[..., Any]], Callable[..., Any]]
    ) -> None:
        """Put ``make(current method)`` on ``owner.name``, unless ours is already on top.

        Not ours on top (first call, or another tool patched over ours): wrap it. A stale
        patch of ours put back by someone else's unpatch is unwrapped first.
        """
        current = getattr(owner, name)
        if current is self.patched:
            return
        while getattr(current, MARK, False) and hasattr(current, "__wrapped__"):
            current = current.__wrapped__
        self.original = current
        self.patched = mark(make(current))
        setattr(owner, name, self.patched)

    def restore(self, owner: Any, name: str) -> None:
        """Put the original back when ours is still the outermost; else ours stays idle."""
        if getattr(owner, name, None) is self.patched and self.original is not None:
            setattr(owner, name, self.original)
            self.patched = self.original = None


class ClassPatch(Patch):
    """Our patch of one method of one class of a library module, per process.

    Args:
        owner: The class's name in the library module (``BaseClient``).
        name: The method's name (``_make_api_call``).
        make: ``make(current method, switch)``, our wrapper of the method.
    """

    def __init__(
        self,
        owner: str,
        name: str,
        make: Callable[[Callable[..., Any], Any], Callable[..., Any]],
    ) -> None:
        super().__init__()
        self.owner = owner
        self.name = name
        self.make = make

    def install(self, module: Any, switch: Any) -> bool:
        """Put our patch on ``module.<owner>.<name>`` (the caller holds the lock).

        ``switch`` says whether recording is on (``enabled``) and what every line carries
        (``attributes``). Returns False when ``module`` has no ``owner`` (not ready yet).
        """
        cls = getattr(module, self.owner, None)
        if cls is None:
            return False
        self.apply(cls, self.name, lambda current: self.make(current, switch))
        return True

    def uninstall(self, module: Any) -> None:
        """Put the library's method back when ours is still the outermost; else ours stays idle."""
        cls = getattr(module, self.owner, None)
        if cls is not None:
            self.restore(cls, self.name)


class PatchSet:
    """Our patches of several methods of one library, per library module (httpx, httpx2 ...).

    Args:
        targets: ``(class name, method name)`` pairs, in the order :meth:`install` gets
            their wrapper makers.
    """

    def __init__(self, *targets: tuple[str, str]) -> None:
        self.targets = targets
        self.patches: dict[str, list[Patch]] = {}

    def install(self, module: Any, *makers: Callable[[Callable[..., Any]], Any]) -> bool:
        """Wrap each target of ``module`` with its maker; False when a class is missing."""
        owners = [getattr(module, owner, None) for owner, _ in self.targets]
        if any(owner is None for owner in owners):
            return False
        patches = self.patches.setdefault(module.__name__, [Patch() for _ in self.targets])
        for patch, owner, (_, name), make in zip(
            patches, owners, self.targets, makers, strict=True
        ):
            patch.apply(owner, name, make)
        return True

    def uninstall(self, module: Any) -> None:
        """Put each method back where ours is still the outermost; else ours stays idle."""
        patches = self.patches.pop(getattr(module, "__name__", ""), None)
        if patches is None:
            return
        for patch, (owner, name) in zip(patches, self.targets, strict=True):
            patch.restore(getattr(module, owner), name)
