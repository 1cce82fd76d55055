"""Transports, one module per client library; each is listed in ``registry.TRANSPORTS``.

A transport module provides ``install(library_module, switch) -> bool`` (patch the library
for the whole process; False when the module is not ready yet), ``uninstall(library_module)``
and ``instrument_client(client, attributes) -> bool`` (wrap one client; False when the
client is not of this library).
"""

from __future__ import annotations

MARK = "_genai_observability_instrumented"
"""Attribute set on every function and client we wrapped (so we never wrap twice)."""
