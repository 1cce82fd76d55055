"""Lambda handler shim of the genai-observability layer (``genai_observability_shim.handler``).

The layer's exec wrapper points ``_HANDLER`` here and keeps the function's own handler
(``module.function``, the module path may use ``/``) in ``GENAI_OBSERVABILITY_HANDLER``. On
import, during the function's init, this module switches on process-wide recording of
Bedrock Runtime calls (``genai_observability.instrument_all``), loads the function's handler
and exposes ``handler``, which binds each invocation's request id and calls it.

It stands outside the package on purpose: if the package cannot load (a broken or
incompatible layer), the function's own handler runs unchanged and one line on stderr says
so. The layer never changes what the runtime reports about the function's own code: the
handler is loaded by the runtime's own loader, so a module that cannot be imported, a
missing handler, a malformed name, a syntax error or an exception at import reach the
runtime as the same error type and message, naming the function's module, as without the
layer (see ``_load_user_handler``).
"""

import os as _os
import sys as _sys

_ENV = "GENAI_OBSERVABILITY_HANDLER"


def _import_handler(path):
    """Import ``module.function`` as the runtime does: ``/`` in the module path is ``.``."""
    import importlib

    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module.replace("/", ".")), name)


def _runtime_frames(exc, loader):
    """``exc``'s traceback as the runtime reports it: from the import of the function's module.

    awslambdaric's ``build_fault_result`` drops the frames of its own ``bootstrap.py`` before
    the import and formats the rest as 4-tuples (no column carets). Here the import was made
    by the shim, through the runtime's ``loader``: drop the shim's frames and the loader's.
    """
    import traceback

    loader_file = getattr(getattr(loader, "__code__", None), "co_filename", None)
    frames = [
        (f.filename, f.lineno, f.name, f.line) for f in traceback.extract_tb(exc.__traceback__)
    ]
    start = next((i for i, frame in enumerate(frames) if frame[0] == loader_file), None)
    if start is not None:
        frames = frames[start:]
        while frames and frames[0][0] == loader_file:
            frames.pop(0)
    return traceback.format_list(frames)


def _load_user_handler(path):
    """Load the function's handler with the running Lambda runtime's own loader.

    Lambda's Python runtime is awslambdaric (aws/aws-lambda-python-runtime-interface-client):
    ``/var/runtime/bootstrap.py`` calls its ``main`` with ``_HANDLER``, and ``bootstrap.run``
    loads the handler with ``bootstrap._get_handler``. That function turns each way a handler
    can fail to load into a ``FaultException``, which ``run`` posts to the Runtime API's
    ``init/error`` as the errorType: ``Runtime.ImportModuleError`` ("Unable to import module
    '<module>': ..."), ``Runtime.UserCodeSyntaxError``, ``Runtime.HandlerNotFound``,
    ``Runtime.MalformedHandlerName``, ``Runtime.BuiltInModuleConflict``; any other exception
    at import is reported by its own type, message and traceback.

    Called here, while the runtime imports this module, the same loader raises the same
    ``FaultException``, which passes through the runtime's load of the shim unchanged (it is
    neither an ImportError nor a SyntaxError, which that load would rename after the shim).
    Any other exception becomes the ``FaultException`` the runtime would have built from it
    (its type, message and traceback without the shim's frames). Where the runtime is not
    awslambdaric, the handler is imported plainly and its errors pass as they are.
    (Wrapper scripts: https://docs.aws.amazon.com/lambda/latest/dg/runtimes-modify.html.)
    """
    bootstrap = _sys.modules.get("awslambdaric.bootstrap")
    loader = getattr(bootstrap, "_get_handler", None)
    fault = getattr(bootstrap, "FaultException", None)
    if not callable(loader) or not isinstance(fault, type):
        return _import_handler(path)
    try:
        return loader(path)
    except fault:
        raise
    except Exception as exc:
        try:
            reported = fault(type(exc).__name__, str(exc), _runtime_frames(exc, loader))
        except Exception:
            raise exc from None  # an awslambdaric we do not know: its own report, as it is
        raise reported from None


_original = _os.environ.get(_ENV, "")
if _original:
    _os.environ["_HANDLER"] = _original  # the function's code sees its own handler name
else:
    _sys.stderr.write(
        f"genai-observability: {_ENV} is empty: keep _HANDLER on the function's own handler"
        " and set AWS_LAMBDA_EXEC_WRAPPER=/opt/genai-observability\n"
    )
try:
    from genai_observability._layer import wrap_handler as _wrap
except Exception as _exc:  # never stop the function: run its handler unchanged
    _wrap = None
    _sys.stderr.write(
        "genai-observability: recording is off, the layer's package did not load"
        f" ({type(_exc).__name__}: {_exc}); {_original or 'the handler'} runs unchanged\n"
    )

_user_handler = _load_user_handler(_original)
handler = _user_handler
if _wrap is not None:
    try:
        handler = _wrap(_user_handler)
    except Exception as _exc:
        _sys.stderr.write(
            "genai-observability: recording is off"
            f" ({type(_exc).__name__}: {_exc}); {_original} runs unchanged\n"
        )
