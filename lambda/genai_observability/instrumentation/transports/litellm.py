"""LiteLLM's own retries: one logical call across them.

LiteLLM sends its ``bedrock/`` routes with its own httpx clients, which the HTTP transport
records request by request. It also retries on its own, in two places (litellm 1.106, read
in its sources):

* ``litellm.completion(..., num_retries=N)`` and ``acompletion``: the ``client`` wrapper of
  ``litellm/utils.py`` catches the first attempt's error and calls
  ``completion_with_retries`` (tenacity), which calls ``completion`` again;
* ``Router.completion`` / ``Router.acompletion``: the Router's retries and fallbacks call
  ``litellm.completion`` / ``acompletion`` once per attempt.

This transport runs those entry points inside a retry scope (``stainless.scoped``, as the
openai and anthropic SDKs' request loop): a failed attempt that is retried writes no line,
and one that ends the call is written once, when the call is over. The calls the entry
points make inside (``completion`` again, the SDKs' own loops) use the same scope. It
records nothing itself and changes no argument, result or error.

It patches ``litellm.main.completion`` and ``acompletion`` when ``litellm.main`` is loaded
(``litellm``'s ``from .main import *`` then binds the patched ones), the names ``litellm``
itself holds when it is loaded already, and ``Router``'s methods when ``litellm.router`` is.
A ``completion`` imported by name before :func:`~genai_observability.instrument_all` keeps
LiteLLM's own: its retries are then a line each.
"""

from __future__ import annotations

import sys

from . import Patch
from .stainless import scoped

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["TARGETS", "install", "uninstall"]

TARGETS: dict[str, tuple[str | None, tuple[str, ...]]] = {
    # library module: (class in it or None for its functions, the entry points)
    "litellm.main": (None, ("completion", "acompletion")),
    "litellm.router": ("Router", ("completion", "acompletion")),
}
"""What this transport wraps in each LiteLLM module it is installed for."""

_patches: dict[tuple[str, str], Patch] = {}


def _owners(module: Any) -> list[Any] | None:
    """Where the entry points of ``module`` live (its class, or it and ``litellm``)."""
    owner_name, _ = TARGETS.get(getattr(module, "__name__", ""), (None, ()))
    if owner_name is not None:
        owner = getattr(module, owner_name, None)
        return None if owner is None else [owner]
    package = sys.modules.get("litellm")
    return [module] if package is None or package is module else [module, package]


def install(module: Any, switch: Any) -> bool:
    """Wrap the entry points of ``module`` (``litellm.main`` or ``litellm.router``)."""
    name = getattr(module, "__name__", "")
    owners = _owners(module) if name in TARGETS else None
    if not owners:
        return False
    for index, owner in enumerate(owners):
        for entry in TARGETS[name][1]:
            current = getattr(owner, entry, None)
            if not callable(current):
                continue
            patch = _patches.setdefault((f"{name}:{index}", entry), Patch())
            patch.apply(owner, entry, lambda now: scoped(now, switch))
    return True


def uninstall(module: Any) -> None:
    """Put LiteLLM's own functions back where ours are still on top; else ours stay idle."""
    name = getattr(module, "__name__", "")
    for index, owner in enumerate(_owners(module) or []):
        for entry in TARGETS.get(name, (None, ()))[1]:
            patch = _patches.pop((f"{name}:{index}", entry), None)
            if patch is not None:
                patch.restore(owner, entry)
