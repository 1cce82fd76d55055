"""Lambda handler shim of the genai-observability layer (``genai_observability_shim.handler``).

The layer's exec wrapper points ``_HANDLER`` here and keeps the function's own handler
(``module.function``, the module path may use ``/``) in ``GENAI_OBSERVABILITY_HANDLER``. On
import, during the function's init, this module switches on process-wide recording of
Bedrock Runtime calls (``genai_observability.instrument_all``), imports the function's
handler, and exposes ``handler``, which binds each invocation's request id and calls it.

It stands outside the package on purpose: if the package cannot load (a broken or
incompatible layer), the function's own handler runs unchanged and one line on stderr says
so. Errors of the function's own code (its import, its handler) reach the runtime unchanged.
"""

import os as _os
import sys as _sys

_ENV = "GENAI_OBSERVABILITY_HANDLER"
_SELF = "genai_observability_shim.handler"


def _load(path):
    module, _, name = path.rpartition(".")
    if not module or not name or path == _SELF:
        raise ValueError(
            f"{_ENV} must name the function's handler as module.function, got {path!r}"
        )
    import importlib

    return getattr(importlib.import_module(module.replace("/", ".")), name)


_original = _os.environ.get(_ENV, "")
if _original:
    _os.environ["_HANDLER"] = _original  # the function's code sees its own handler name
try:
    from genai_observability._layer import wrap_handler as _wrap
except Exception as _exc:  # never stop the function: run its handler unchanged
    _wrap = None
    _sys.stderr.write(
        "genai-observability: recording is off, the layer's package did not load"
        f" ({type(_exc).__name__}: {_exc}); {_original or 'the handler'} runs unchanged\n"
    )

_user_handler = _load(_original)
handler = _user_handler
if _wrap is not None:
    try:
        handler = _wrap(_user_handler)
    except Exception as _exc:
        _sys.stderr.write(
            "genai-observability: recording is off"
            f" ({type(_exc).__name__}: {_exc}); {_original} runs unchanged\n"
        )
