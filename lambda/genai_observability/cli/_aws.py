"""The one place the command builds AWS clients and turns AWS errors into one line.

Every command gets its clients from :func:`make_client` and wraps its calls in
:func:`aws_errors`, which names the service that failed (``cannot reach Cost Explorer``,
not ``CloudWatch Logs`` whatever failed). boto3 and botocore are imported here, lazily,
and nowhere else in the command: the rest of the package (and the Lambda payload) needs
only the standard library.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from ._errors import AWSError, CLIError, NotFoundError, UsageError

__all__ = ["SERVICE_NAMES", "aws_errors", "ignore_aws_errors", "make_client", "service_name"]

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
# botocore reads the region from AWS_DEFAULT_REGION or the profile's `region`, not
# AWS_REGION (botocore 1.43 configprovider.py: 'region': ('region', 'AWS_DEFAULT_REGION', ...)).
NO_REGION = (
    "no AWS region: pass --region, set AWS_DEFAULT_REGION "
    "or set region in the AWS profile (aws configure)"
)

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


def make_client(service: str, region: str | None = None, profile: str | None = None) -> Any:
    """Create a boto3 client, the one way the command does.

    Args:
        service: The boto3 service name (``logs``, ``cloudwatch``, ``ce``, ...).
        region: The AWS region, or None for the configured default.
        profile: The AWS profile name, or None for the default credential chain.

    Returns:
        The client.

    Raises:
        AWSError: When boto3 is missing, the profile does not exist or no region is set.
    """
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
