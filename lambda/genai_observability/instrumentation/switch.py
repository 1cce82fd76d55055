"""Switch recording on for the process (every transport) or for one client.

:func:`instrument_all` installs every transport of ``registry.TRANSPORTS`` right away when
its library is imported already, else right after its import (an :class:`~.hooks.ImportHook`),
so it imports nothing now; :func:`uninstrument_all` undoes it; :func:`instrument` wraps one
client with the first transport that knows it.
"""

from __future__ import annotations

import contextlib
import sys
import threading

from .._errors import ConfigurationError
from .hooks import ImportHook
from .options import line_attributes
from .registry import TRANSPORTS, load
from .transports import MARK

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["SWITCH", "Switch", "instrument", "instrument_all", "uninstrument_all"]


class Switch:
    """The state of :func:`instrument_all` (one per process, guarded by its lock).

    Attributes:
        enabled: True while recording is on; transports read it on every call.
        attributes: The keys every line carries (``service`` and the caller's attributes).
        hooks: Import hooks waiting for a transport's library.
        installed: The transports installed, by name (uninstalled by :func:`uninstrument_all`).
    """

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.enabled = False
        self.attributes: dict[str, Any] = {}
        self.hooks: list[ImportHook] = []
        self.installed: dict[str, Any] = {}


SWITCH = Switch()


def _start(name: str, module: Any) -> bool:
    """Install the transport ``name`` on its library's ``module`` (caller holds the lock)."""
    if not SWITCH.enabled:
        return True
    transport = load("transports", TRANSPORTS[name][1])
    if not transport.install(module, SWITCH):
        return False
    SWITCH.installed[name] = transport
    return True


def _when_imported(name: str) -> None:
    """Start the transport ``name`` now if its library is imported, else right after."""
    library = TRANSPORTS[name][0]
    module = sys.modules.get(library)
    if module is not None and _start(name, module):
        return
    hook = ImportHook(library, lambda new: _start(name, new), SWITCH.lock)
    hook.insert()
    SWITCH.hooks.append(hook)
    module = sys.modules.get(library)  # imported meanwhile by another thread?
    if module is not None and _start(name, module):
        hook.remove()


def instrument_all(*, service: str | None = None, **attributes: Any) -> bool:
    """Record every Bedrock Runtime call of the process as one ``llm_call`` line.

    Patches ``botocore.client.BaseClient._make_api_call`` once, so every ``bedrock-runtime``
    client (created before or after, from any ``boto3.Session``, by any framework) records
    ``Converse``, ``ConverseStream``, ``InvokeModel`` and ``InvokeModelWithResponseStream``
    exactly like :func:`instrument`; calls of other services pass through untouched. When
    botocore is not imported yet, the patch is applied right after its import (no import
    cost now). Async clients (aiobotocore, aioboto3) are recorded the same way through
    aiobotocore's async ``AioBaseClient._make_api_call``. Thread-safe; calling it again
    while active changes nothing.

    Args:
        service: Service label for the lines (default: ``GENAI_SERVICE``, then the Lambda
            function name).
        **attributes: Extra keys added to every line (e.g. ``team="search"``).

    Returns:
        True when this call switched recording on, False when it was already on.

    Raises:
        ConfigurationError: An attribute would replace a line key.

    Example:
        >>> from genai_observability import instrument_all  # doctest: +SKIP
        >>> instrument_all()  # doctest: +SKIP
        True
    """
    keys = line_attributes("instrument_all()", service, attributes)
    with SWITCH.lock:
        if SWITCH.enabled:
            return False
        SWITCH.attributes = keys
        SWITCH.enabled = True
        for name in TRANSPORTS:
            _when_imported(name)
        return True


def uninstrument_all() -> bool:
    """Undo :func:`instrument_all`; clients instrumented by :func:`instrument` stay so.

    Restores botocore's original method when ours is still the outermost; when another
    tool patched over it since, ours stays in place but passes every call through.

    Returns:
        True when recording was on and is now off, False when it was not on.
    """
    with SWITCH.lock:
        if not SWITCH.enabled:
            return False
        SWITCH.enabled = False
        for hook in SWITCH.hooks:
            hook.remove()
        SWITCH.hooks.clear()
        for name, transport in SWITCH.installed.items():
            module = sys.modules.get(TRANSPORTS[name][0])
            if module is not None:
                transport.uninstall(module)
        SWITCH.installed.clear()
        return True


def instrument(client: Any, *, service: str | None = None, **attributes: Any) -> Any:
    """Record every Bedrock Runtime call made through ``client`` as one ``llm_call`` line.

    Wraps ``converse``, ``converse_stream``, ``invoke_model`` and
    ``invoke_model_with_response_stream`` on this client instance. Calling it again on the
    same client changes nothing.

    Args:
        client: A boto3 ``bedrock-runtime`` client, or an aiobotocore one (its async
            methods are wrapped).
        service: Service label for this client's lines (default: ``GENAI_SERVICE``, then the
            Lambda function name).
        **attributes: Extra keys added to every line of this client (e.g. ``team="search"``).

    Returns:
        The same client, instrumented.

    Raises:
        ConfigurationError: ``client`` has none of the four methods, or an attribute would
            replace a contract key.

    Example:
        >>> import boto3  # doctest: +SKIP
        >>> bedrock = instrument(boto3.client("bedrock-runtime"))  # doctest: +SKIP
    """
    if getattr(client, MARK, False):
        return client
    keys = line_attributes("instrument()", service, attributes)
    wrappers = [
        getattr(load("transports", module), "instrument_client", None)
        for _, module in TRANSPORTS.values()
    ]
    if not any(wrap(client, keys) for wrap in wrappers if wrap is not None):
        raise ConfigurationError(
            "instrument() expects a boto3 bedrock-runtime client"
            f" (got {type(client).__name__} without converse/invoke_model)"
        )
    with contextlib.suppress(Exception):  # objects without __dict__
        setattr(client, MARK, True)
    return client
