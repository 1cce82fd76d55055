"""Which HTTP requests are Bedrock calls: the endpoint (host) and the route (method, path).

An HTTP transport asks :func:`is_bedrock` first (a substring test and a few environment
reads: every other request goes on untouched), then :func:`route` for the API shape.

Bedrock endpoints (Amazon Bedrock User Guide: "Regional availability by endpoints" names
the two inference endpoints, ``bedrock-runtime`` and ``bedrock-mantle``; "Use interface VPC
endpoints (AWS PrivateLink)" lists ``bedrock-runtime`` and ``bedrock-mantle`` as the
endpoint suffixes of their VPC endpoints, whose DNS names are
``vpce-<id>.<service>.<region>.vpce.amazonaws.com``; FIPS names add ``-fips`` to the
service, as the AWS General Reference's "FIPS endpoints" describes):

* ``bedrock-runtime.<region>.amazonaws.com`` and ``bedrock-runtime-fips.<region>...``
  (``.amazonaws.com.cn`` in China), with Bedrock's OpenAI-compatible ``/openai/v1`` paths;
* ``bedrock-mantle.<region>.api.aws`` (OpenAI Responses and Chat Completions under
  ``/v1``, Anthropic Messages under ``/anthropic/v1``), and its FIPS name;
* a VPC endpoint's name for either service;
* an endpoint the process is configured with, matched by host and port, so private
  endpoints and test servers work: ``AWS_ENDPOINT_URL_BEDROCK_RUNTIME`` and
  ``AWS_ENDPOINT_URL`` (botocore's endpoint settings), LiteLLM's
  ``AWS_BEDROCK_RUNTIME_ENDPOINT`` (``litellm/llms/bedrock/base_aws_llm.py``), and the
  Anthropic SDK's ``ANTHROPIC_BEDROCK_BASE_URL`` / ``ANTHROPIC_BEDROCK_MANTLE_BASE_URL``
  (``anthropic/lib/bedrock/_client.py`` and ``_mantle.py``).
"""

from __future__ import annotations

import os
import re
import urllib.parse

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

__all__ = ["ENDPOINT_SETTINGS", "ROUTES", "Route", "is_bedrock", "route"]

ENDPOINT_SETTINGS = (
    "AWS_ENDPOINT_URL_BEDROCK_RUNTIME",
    "AWS_ENDPOINT_URL",
    "AWS_BEDROCK_RUNTIME_ENDPOINT",
    "ANTHROPIC_BEDROCK_BASE_URL",
    "ANTHROPIC_BEDROCK_MANTLE_BASE_URL",
)
"""Environment settings naming a Bedrock endpoint (read on every request, as the SDKs do)."""

_SERVICES = frozenset(
    {"bedrock-runtime", "bedrock-runtime-fips", "bedrock-mantle", "bedrock-mantle-fips"}
)
_AWS_DOMAINS = (".amazonaws.com", ".amazonaws.com.cn", ".api.aws")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_parsed: dict[Any, tuple[str, int | None]] = {}  # endpoint URL -> (host, port), a cache


def _settings_reader() -> tuple[Callable[[Any], Any], tuple[Any, ...]]:
    """How to read ENDPOINT_SETTINGS now, as cheaply as the platform allows: (get, keys).

    ``os.environ.get`` encodes the name and decodes the value on every call (about 2 µs
    each, measured by bench/bench_instrument.py); every non-Bedrock request of the process
    pays this check, so the environment's own mapping (``os.environ._data``, changed in
    place by every ``os.environ`` write) is read with names encoded once. A value is used
    only to find its host and port (parsed once per value, cached).
    """
    data = getattr(os.environ, "_data", None)
    encode = getattr(os.environ, "encodekey", None)
    if isinstance(data, dict) and callable(encode):
        return data.get, tuple(encode(name) for name in ENDPOINT_SETTINGS)
    return os.environ.get, ENDPOINT_SETTINGS


_get_setting, _setting_keys = _settings_reader()


def _host_port(url: Any) -> tuple[str, int | None]:
    found = _parsed.get(url)
    if found is None:
        try:
            text = os.fsdecode(url) if isinstance(url, bytes) else str(url)
            parts = urllib.parse.urlsplit(text)
            found = ((parts.hostname or "").lower(), parts.port or _DEFAULT_PORTS.get(parts.scheme))
        except ValueError:
            found = ("", None)
        if len(_parsed) < 64:
            _parsed[url] = found
    return found


def is_bedrock(url: Any) -> bool:
    """True when ``url`` (an object with ``host``, ``port`` and ``scheme``, as ``httpx.URL``)
    is a Bedrock endpoint; port and scheme are read only for a configured endpoint's host."""
    host = url.host
    if (
        "bedrock-" in host
        and host.endswith(_AWS_DOMAINS)
        and any(label in _SERVICES for label in host.split("."))
    ):
        return True
    for key in _setting_keys:
        setting = _get_setting(key)
        if setting:
            configured_host, configured_port = _host_port(setting)
            if configured_host == host and configured_port == (
                url.port or _DEFAULT_PORTS.get(url.scheme)
            ):
                return True
    return False


class Route:
    """One API operation reached over HTTP: the reader's key and where the path names the model.

    Attributes:
        api, operation: The key of ``registry.READERS``.
        pattern: Matches the end of the request's raw path (a base URL may add a prefix).
    """

    def __init__(self, api: str, operation: str, pattern: str) -> None:
        self.api = api
        self.operation = operation
        self.pattern = re.compile(pattern)

    def model_of(self, match: re.Match[str]) -> str | None:
        """The model id the path names (URL-decoded), or None when the body names it."""
        model = match.groupdict().get("model")
        return urllib.parse.unquote(model) if model else None


ROUTES = (
    Route("bedrock-runtime", "Converse", r"/model/(?P<model>[^/]+)/converse$"),
    Route("bedrock-runtime", "ConverseStream", r"/model/(?P<model>[^/]+)/converse-stream$"),
    Route("bedrock-runtime", "InvokeModel", r"/model/(?P<model>[^/]+)/invoke$"),
    Route(
        "bedrock-runtime",
        "InvokeModelWithResponseStream",
        r"/model/(?P<model>[^/]+)/invoke-with-response-stream$",
    ),
    Route("openai", "ChatCompletions", r"/v1/chat/completions$"),
    Route("openai", "Responses", r"/v1/responses$"),
    Route("anthropic", "Messages", r"/v1/messages$"),
)
"""POST routes of the Bedrock APIs: (api, operation) by the end of the path, first match wins.

Paths: the Bedrock Runtime API reference (``/model/{modelId}/converse`` ...), Bedrock's
OpenAI-compatible ``/openai/v1/chat/completions``, bedrock-mantle's ``/v1/responses``,
``/v1/chat/completions`` and ``/anthropic/v1/messages``.
"""


def route(method: str, raw_path: Any) -> tuple[Route, str | None] | None:
    """The route of a request and the model its path names; None when it is no LLM call.

    ``raw_path`` is the path as sent (bytes or str, percent-encoded, query allowed).
    """
    if method != "POST":
        return None
    if isinstance(raw_path, (bytes, bytearray)):
        raw_path = bytes(raw_path).decode("ascii", "replace")
    path = raw_path.split("?", 1)[0].rstrip("/")
    for candidate in ROUTES:
        match = candidate.pattern.search(path)
        if match is not None:
            return candidate, candidate.model_of(match)
    return None
