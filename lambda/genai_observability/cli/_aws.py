"""The one place the command builds AWS clients and turns AWS errors into one line.

Every command gets its clients from :func:`make_client` and wraps its calls in
:func:`aws_errors`, which names the service that failed (``cannot reach Cost Explorer``,
not ``CloudWatch Logs`` whatever failed). boto3 and botocore are imported here, lazily,
and nowhere else in the command: the rest of the package (and the Lambda payload) needs
only the standard library.
"""

from __future__ import annotations

import argparse
import contextlib
import os
from collections.abc import Iterator
from typing import Any

from ._errors import AWSError, CLIError, NotFoundError, UsageError

__all__ = [
    "REGION_VARIABLES",
    "SERVICE_NAMES",
    "aws_errors",
    "ignore_aws_errors",
    "make_client",
    "region_option",
    "resolve_region",
    "service_name",
]

SERVICE_NAMES = {
    "ce": "Cost Explorer",
    "cloudwatch": "CloudWatch",
    "lambda": "AWS Lambda",
    "logs": "CloudWatch Logs",
    "pricing": "the AWS Price List Query API",
}
"""boto3 service name -> the name a message gives it."""

NO_CREDENTIALS = (
    "no AWS credentials found: pass --profile, set AWS_PROFILE or configure "
    "credentials (aws configure, aws sso login)"
)
NO_REGION = (
    "no AWS region: pass --region, set AWS_REGION (or AWS_DEFAULT_REGION) "
    "or set region in the AWS profile (aws configure)"
)

REGION_VARIABLES = ("AWS_REGION", "AWS_DEFAULT_REGION")
"""Where the Region comes from without ``--region``, first set first, as in the AWS CLI v2.

The AWS CLI v2 user guide ("Environment variables to configure the AWS CLI",
cli-configure-envvars): AWS_REGION, when defined, overrides AWS_DEFAULT_REGION and the
profile's ``region``. Its source agrees (aws-cli v2, awscli/botocore/configprovider.py:
``'region': ('region', ['AWS_REGION', 'AWS_DEFAULT_REGION'], None, None)``), and Lambda sets
AWS_REGION. The botocore that boto3 installs reads only AWS_DEFAULT_REGION, so the command
resolves these two itself. A variable that is set counts even when empty (the CLI's
EnvironmentProvider returns any value present, and an empty Region then fails): here an
empty one is a usage error naming it, never a silent fall-through to the next."""

_EXAMPLE_REGION = "a Region such as eu-west-1"
_CREDENTIAL_CODES = frozenset(
    {
        "UnrecognizedClientException",
        "InvalidClientTokenId",
        "ExpiredToken",
        "ExpiredTokenException",
        "InvalidSignatureException",
    }
)


def service_name(service: str) -> str:
    """The name messages give a boto3 service (``ce`` -> ``Cost Explorer``)."""
    return SERVICE_NAMES.get(service, service)


def region_option(text: str) -> str:
    """Read ``--region``: a Region name, not empty (argparse ``type``)."""
    if not text.strip():
        raise argparse.ArgumentTypeError(f"empty: name {_EXAMPLE_REGION}, or leave it out")
    return text


def resolve_region(region: str | None) -> str | None:
    """The Region a client is made for: ``--region``, else :data:`REGION_VARIABLES`.

    Args:
        region: ``--region``, or None.

    Returns:
        The Region, or None for the profile's ``region`` (botocore reads it).

    Raises:
        UsageError: When ``--region`` or the first Region variable set is empty.
    """
    if region is not None:
        if not region.strip():
            raise UsageError(f"empty --region: name {_EXAMPLE_REGION}, or leave it out")
        return region
    for name in REGION_VARIABLES:
        if name in os.environ:
            value = os.environ[name]
            if not value.strip():
                raise UsageError(
                    f"{name} is set but empty: set it to {_EXAMPLE_REGION}, or unset it"
                )
            return value
    return None


def make_client(service: str, region: str | None = None, profile: str | None = None) -> Any:
    """Create a boto3 client, the one way the command does.

    Args:
        service: The boto3 service name (``logs``, ``cloudwatch``, ``ce``, ...).
        region: The AWS region, or None for AWS_REGION, AWS_DEFAULT_REGION or the
            profile's (:func:`resolve_region`).
        profile: The AWS profile name, or None for the default credential chain.

    Returns:
        The client.

    Raises:
        AWSError: When boto3 is missing, the profile does not exist or no region is set.
        UsageError: When the region given or set is empty or malformed.
    """
    region = resolve_region(region)
    try:
        import boto3
    except ImportError:  # pragma: no cover - boto3 is a dependency of the cli extra
        raise AWSError("boto3 is not installed: pip install 'genai-observability[cli]'") from None
    with aws_errors(service):
        return boto3.Session(profile_name=profile, region_name=region).client(service)


@contextlib.contextmanager
def ignore_aws_errors() -> Iterator[None]:
    """Suppress what an AWS call raises (for best-effort calls such as StopQuery)."""
    from botocore import exceptions as bx

    with contextlib.suppress(bx.BotoCoreError, bx.ClientError):
        yield


@contextlib.contextmanager
def aws_errors(service: str, context: str = "") -> Iterator[None]:
    """Turn botocore exceptions into one-line :class:`AWSError` messages.

    Args:
        service: The boto3 service called in the block, named in messages that need it.
        context: What was being done, prefixed to the message (e.g. ``StartQuery``).

    Yields:
        Nothing; exceptions raised in the block are translated.
    """
    from botocore import exceptions as bx

    try:
        yield
    except (bx.BotoCoreError, bx.ClientError) as exc:
        raise _translate(service, f"{context}: " if context else "", exc) from None


def _translate(service: str, prefix: str, exc: Exception) -> CLIError:
    """The one-line error for what botocore raised."""
    from botocore import exceptions as bx

    if isinstance(exc, bx.NoCredentialsError | bx.PartialCredentialsError):
        return AWSError(NO_CREDENTIALS)
    if isinstance(exc, bx.ProfileNotFound):
        return AWSError(f"AWS profile not found: {exc.kwargs.get('profile')}")
    if isinstance(exc, bx.InvalidRegionError):
        return UsageError(f"bad --region: {exc}")
    if isinstance(exc, bx.NoRegionError):
        return AWSError(NO_REGION)
    if isinstance(exc, bx.EndpointConnectionError):
        return AWSError(f"cannot reach {service_name(service)}: {exc}")
    if isinstance(exc, bx.ClientError):
        return _client_error(service, prefix, exc.response.get("Error", {}), str(exc))
    return AWSError(f"{prefix}{exc}")


def _client_error(service: str, prefix: str, error: dict[str, Any], text: str) -> AWSError:
    """The one-line error for a service's error response."""
    code = error.get("Code", "Unknown")
    message = error.get("Message") or text
    if code == "ResourceNotFoundException":
        return NotFoundError(f"{prefix}not found: {message}")
    if code in _CREDENTIAL_CODES:
        return AWSError(f"AWS rejected the credentials ({code}): {message}")
    if code in {"AccessDeniedException", "AccessDenied"}:
        return AWSError(f"{prefix}access denied: {message}")
    if service == "logs" and code == "MalformedQueryException":
        return AWSError(f"Logs Insights rejected the query: {message}")
    if service == "logs" and code == "LimitExceededException":
        return AWSError(f"{prefix}too many concurrent Logs Insights queries: {message}")
    return AWSError(f"{prefix}{code}: {message}")
