"""The one AWS client factory and error translation of ``genai-obs``: messages name the
service that failed."""

from __future__ import annotations

import pytest
from botocore import exceptions as bx
from genai_observability.cli import _aws
from genai_observability.cli._errors import AWSError, NotFoundError

ENDPOINTS = {
    "logs": ("https://logs.eu-west-1.amazonaws.com", "CloudWatch Logs"),
    "cloudwatch": ("https://monitoring.eu-west-1.amazonaws.com", "CloudWatch"),
    "ce": ("https://ce.us-east-1.amazonaws.com", "Cost Explorer"),
    "pricing": ("https://api.pricing.us-east-1.amazonaws.com", "the AWS Price List Query API"),
    "lambda": ("https://lambda.eu-west-1.amazonaws.com", "AWS Lambda"),
}


def _client_error(code: str, message: str = "no") -> bx.ClientError:
    return bx.ClientError({"Error": {"Code": code, "Message": message}}, "Operation")


def _translated(service: str, context: str, raised: Exception) -> AWSError:
    """What ``aws_errors(service, context)`` turns ``raised`` into."""
    try:
        with _aws.aws_errors(service, context):
            raise raised
    except AWSError as exc:
        return exc
    raise AssertionError("aws_errors let the error through")  # pragma: no cover


@pytest.mark.parametrize("service", sorted(ENDPOINTS))
def test_aws_errors_unreachable_names_the_service(service: str) -> None:
    url, shown = ENDPOINTS[service]
    error = _translated(service, "Call", bx.EndpointConnectionError(endpoint_url=url))
    assert str(error).startswith(f"cannot reach {shown}: ")
    assert url in str(error)


def test_aws_errors_logs_limit_is_about_concurrent_queries() -> None:
    error = _translated("logs", "StartQuery", _client_error("LimitExceededException"))
    assert str(error).startswith("StartQuery: too many concurrent Logs Insights queries")


def test_aws_errors_another_services_limit_is_not_called_logs_insights() -> None:
    raised = _client_error("LimitExceededException", "slow down")
    error = _translated("ce", "GetCostAndUsage", raised)
    assert str(error) == "GetCostAndUsage: LimitExceededException: slow down"


def test_aws_errors_not_found_and_access_denied_keep_the_operation() -> None:
    raised = _client_error("ResourceNotFoundException", "gone")
    error = _translated("lambda", "GetFunctionConfiguration", raised)
    assert isinstance(error, NotFoundError)
    assert str(error) == "GetFunctionConfiguration: not found: gone"
    error = _translated("pricing", "GetProducts", _client_error("AccessDeniedException"))
    assert str(error) == "GetProducts: access denied: no"


def test_make_client_builds_the_named_service(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    client = _aws.make_client("ce", "us-east-1")
    assert client.meta.service_model.service_name == "ce"
    assert client.meta.endpoint_url == "https://ce.us-east-1.amazonaws.com"


def test_make_client_unknown_profile_is_one_line() -> None:
    with pytest.raises(AWSError, match=r"^AWS profile not found: no-such-profile-here$"):
        _aws.make_client("logs", "eu-west-1", "no-such-profile-here")
