"""Helpers for tests against moto (in process or the emulator server)."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

LAMBDA_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}


def create_function(clients: dict[str, Any], name: str, env: dict[str, str] | None = None) -> None:
    """A Python Lambda function ``name`` with a role of its own; ``clients`` holds boto3
    clients ``iam`` and ``lambda``."""
    role = clients["iam"].create_role(
        RoleName=f"role-{name}", AssumeRolePolicyDocument=json.dumps(LAMBDA_TRUST)
    )["Role"]["Arn"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("index.py", "def handler(event, context):\n    return 1\n")
    extra = {"Environment": {"Variables": env}} if env is not None else {}
    clients["lambda"].create_function(
        FunctionName=name,
        Runtime="python3.12",
        Role=role,
        Handler="index.handler",
        Code={"ZipFile": buffer.getvalue()},
        **extra,
    )
