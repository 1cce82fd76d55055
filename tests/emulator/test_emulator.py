"""The embedded emulator (scripts/emulator.py): moto's ThreadedMotoServer on 127.0.0.1.

Started and stopped here; real HTTP from boto3 in this process and from child processes.
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import emulator
import pytest
from emulator import (
    SERVICES,
    EmulatorError,
    MotoServer,
    child_env,
    client,
    free_port,
    moto_server,
    provider_override,
)
from support import REPO

pytest.importorskip("moto.server", reason="moto[server] is needed for the emulator")
pytest.importorskip("boto3")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/moto-api/data.json", timeout=2):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


def test_server_listens_on_loopback_at_a_picked_port_and_stops(tmp_path: Path) -> None:
    with MotoServer(log_path=tmp_path / "moto.log") as server:
        assert server.running
        assert server.url.startswith("http://127.0.0.1:")
        assert server.port > 0
        sqs = client("sqs", server.url)
        sqs.create_queue(QueueName="emulator-check")
        assert [u.rsplit("/", 1)[1] for u in sqs.list_queues()["QueueUrls"]] == ["emulator-check"]
        url = server.url
    assert not server.running
    assert not _answers(url)


def test_moto_server_context_takes_a_given_port() -> None:
    port = free_port()
    with moto_server(port=port) as endpoint:
        assert endpoint == f"http://127.0.0.1:{port}"
        assert _answers(endpoint)
    assert not _answers(endpoint)


def test_a_taken_port_is_an_emulator_error_not_a_hang() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        server = MotoServer(port=port)
        with pytest.raises(EmulatorError, match=rf"could not listen on http://127.0.0.1:{port}"):
            server.start()
        assert not server.running


def test_a_port_taken_after_the_check_is_still_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    # werkzeug calls sys.exit(1) in the server thread; start() must report it, not wait.
    monkeypatch.setattr(emulator, "_check_free", lambda host, port: None)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        server = MotoServer(port=sock.getsockname()[1])
        with pytest.raises(EmulatorError, match=r"could not listen .*SystemExit"):
            server.start()
        assert not server.running


def test_request_log_goes_to_the_file_not_the_terminal(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    log = tmp_path / "moto.log"
    with MotoServer(log_path=log) as server:
        client("sts", server.url).get_caller_identity()
    assert "POST / HTTP" in log.read_text(encoding="utf-8")
    captured = capfd.readouterr()
    assert "HTTP/1.1" not in captured.out + captured.err
    assert logging.getLogger("werkzeug").handlers == []


def test_reset_drops_what_the_emulator_holds() -> None:
    with MotoServer() as server:
        sns = client("sns", server.url)
        sns.create_topic(Name="emulator-check")
        server.reset()
        assert sns.list_topics()["Topics"] == []


def test_each_server_starts_empty_and_one_runs_at_a_time() -> None:
    # moto keeps its state in this process: a second server would see the first one's.
    with MotoServer() as first:
        client("sqs", first.url).create_queue(QueueName="left-behind")
        with pytest.raises(EmulatorError, match="already runs in this process"):
            MotoServer().start()
    with MotoServer() as second:
        assert client("sqs", second.url).list_queues().get("QueueUrls", []) == []


def test_moto_settings_are_set_while_running_and_restored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MOTO_ALLOW_NONEXISTENT_REGION", raising=False)
    with MotoServer():
        assert os.environ["MOTO_ALLOW_NONEXISTENT_REGION"] == "true"
    assert "MOTO_ALLOW_NONEXISTENT_REGION" not in os.environ


def test_command_line_runs_a_child_process_against_the_server() -> None:
    # The child reaches the in-process server over HTTP while this side waits in subprocess.
    code = (
        "import os, boto3;"
        "s = boto3.client('sqs', region_name='us-east-1');"
        "[s.create_queue(QueueName=f'q{i}') for i in range(20)];"
        "print(os.environ['AWS_ENDPOINT_URL'], len(s.list_queues()['QueueUrls']));"
        "raise SystemExit(7)"
    )
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "emulator.py"), "--", sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 7, result.stderr
    endpoint, count = result.stdout.split()
    assert endpoint.startswith("http://127.0.0.1:")
    assert count == "20"
    assert "HTTP/1.1" not in result.stderr


def test_child_env_aims_at_the_emulator_and_drops_real_account_settings() -> None:
    base = {
        "AWS_PROFILE": "prod",
        "AWS_SESSION_TOKEN": "t",
        "AWS_ACCESS_KEY_ID": "AKIAREAL",
        "X": "1",
    }
    env = child_env("http://127.0.0.1:4566", base, TF_VAR_x="y")
    assert env == {
        "X": "1",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_ENDPOINT_URL": "http://127.0.0.1:4566",
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "TF_VAR_x": "y",
    }
    assert base["AWS_PROFILE"] == "prod"  # the caller's mapping is not changed


def test_provider_override_sends_every_service_to_the_endpoint() -> None:
    hcl = provider_override("http://127.0.0.1:4566")
    for service in SERVICES:
        assert any(
            line.split() == [service, "=", '"http://127.0.0.1:4566"'] for line in hcl.splitlines()
        ), service
    assert "skip_requesting_account_id  = true" in hcl
