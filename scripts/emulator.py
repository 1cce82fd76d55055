"""Embedded AWS emulator for offline tests and demos: moto's server on 127.0.0.1.

Use it as a context manager::

    from emulator import moto_server

    with moto_server() as endpoint:
        ...  # point boto3 / Terraform at endpoint (http://127.0.0.1:<port>)

or from the command line, to run one command against a fresh emulator::

    python scripts/emulator.py -- terraform -chdir=examples/complete apply

The server is moto's own ``ThreadedMotoServer``: a werkzeug server in a daemon thread of
this process (one thread per request), on the loopback address and a port the operating
system picks (port 0) unless one is given. Terraform and other commands are child
processes that reach it over HTTP; while they run, this process waits in ``subprocess``
(which releases the GIL), so the server threads answer at full speed. It is stopped when
the block exits or the interpreter exits; being a thread, it cannot outlive the process.
Its request log goes to a file (``log_text()``), not to the terminal.

moto keeps what it emulates in this process's memory, so one emulator runs per process
at a time, and each start() begins empty (moto's reset API), as a fresh process would.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import logging
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from typing import Any

__all__ = [
    "SERVICES",
    "EmulatorError",
    "MotoServer",
    "child_env",
    "client",
    "free_port",
    "moto_server",
    "provider_override",
]

HOST = "127.0.0.1"

# hashicorp/aws endpoint names of every service the deck's modules use.
SERVICES = ("cloudwatch", "iam", "kms", "lambda", "logs", "scheduler", "sns", "sqs", "sts")

REGION = "us-east-1"
# Fake keys: moto accepts any; real ones must never reach the emulator (or leave it).
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
# Settings that would send a child process to a real account instead.
_REAL_ACCOUNT_VARS = ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_CONFIG_FILE")

# Settings moto reads from the environment while the server runs (restored on stop).
MOTO_ENV = {"MOTO_ALLOW_NONEXISTENT_REGION": "true"}


class EmulatorError(RuntimeError):
    """The emulator could not be started (moto missing, port taken)."""


def free_port(host: str = HOST) -> int:
    """Return a TCP port that is free on host right now.

    Args:
        host: Interface to bind.

    Returns:
        A port number the operating system just handed out.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _check_free(host: str, port: int) -> None:
    """Raise EmulatorError if host:port cannot be bound (werkzeug would exit its thread)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as werkzeug binds
        try:
            sock.bind((host, port))
        except OSError as exc:
            raise EmulatorError(
                f"moto server could not listen on http://{host}:{port}: {exc.strerror}"
            ) from None


def _threaded_server(host: str, port: int) -> Any:
    """A ThreadedMotoServer whose start() reports a failed bind instead of hanging."""
    try:
        from moto.server import ThreadedMotoServer
    except ImportError as exc:  # pragma: no cover - moto[server] is a dev requirement
        raise EmulatorError(f"moto[server] is not installed: {exc}") from None

    class _Server(ThreadedMotoServer):  # type: ignore[misc]
        error: BaseException | None = None

        def _server_entry(self) -> None:
            try:
                super()._server_entry()
            except BaseException as exc:  # werkzeug calls sys.exit(1) when it cannot bind
                self.error = exc
                self._server_ready_event.set()  # start() would wait for it forever

    return _Server(ip_address=host, port=port, verbose=False)


class MotoServer:
    """moto's ThreadedMotoServer on 127.0.0.1, started (empty) and stopped by this object.

    Args:
        port: Port to listen on; None or 0 lets the operating system pick a free one.
        host: Interface to bind (keep the loopback address).
        log_path: File receiving the server's request log; None uses a temporary file.
    """

    _running: MotoServer | None = None  # moto's state is per process: one server at a time

    def __init__(
        self,
        port: int | None = None,
        host: str = HOST,
        log_path: str | os.PathLike[str] | None = None,
    ) -> None:
        self.host = host
        self.port = port or 0
        self.log_path = str(log_path) if log_path is not None else None
        self._server: Any = None
        self._handler: logging.Handler | None = None
        self._saved_logger: tuple[int, bool] | None = None
        self._saved_env: dict[str, str | None] = {}

    @property
    def url(self) -> str:
        """Endpoint URL of the server, such as http://127.0.0.1:5000."""
        return f"http://{self.host}:{self.port}"

    @property
    def running(self) -> bool:
        """True between start() and stop()."""
        return self._server is not None

    def start(self) -> str:
        """Start the server; it answers when this returns.

        Returns:
            The endpoint URL.

        Raises:
            EmulatorError: moto is not installed, the address cannot be bound, or another
                emulator runs in this process.
        """
        if self._server is not None:
            return self.url
        if MotoServer._running is not None:
            raise EmulatorError(
                f"an emulator already runs in this process at {MotoServer._running.url};"
                " moto keeps one state per process"
            )
        if self.port:
            _check_free(self.host, self.port)
        server = _threaded_server(self.host, self.port)
        self._log_to_file()
        for name, value in MOTO_ENV.items():
            self._saved_env[name] = os.environ.get(name)
            os.environ.setdefault(name, value)
        server.start()
        if server.error is not None:
            self._server = server
            self.stop()
            raise EmulatorError(f"moto server could not listen on {self.url} ({server.error!r})")
        self._server = server
        MotoServer._running = self
        self.port = int(server.get_host_and_port()[1])
        atexit.register(self.stop)
        self.reset()  # what an earlier emulator (or mock_aws) of this process left
        return self.url

    def stop(self) -> None:
        """Stop the server and wait for its thread; safe to call more than once."""
        server, self._server = self._server, None
        if MotoServer._running is self:
            MotoServer._running = None
        if server is not None:
            if server.error is None:
                server.stop()
            with contextlib.suppress(ValueError):
                atexit.unregister(self.stop)
        for name, value in self._saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        self._saved_env.clear()
        self._restore_logger()

    def reset(self) -> None:
        """Drop every resource the emulator holds (moto's reset API)."""
        request = urllib.request.Request(f"{self.url}/moto-api/reset", method="POST")
        with urllib.request.urlopen(request, timeout=10):
            pass

    def log_text(self) -> str:
        """Return what the server logged so far (for failure messages)."""
        if self._handler is not None:
            self._handler.flush()
        if self.log_path is None or not os.path.exists(self.log_path):
            return ""
        with open(self.log_path, encoding="utf-8", errors="replace") as handle:
            return handle.read()

    def __enter__(self) -> MotoServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _log_to_file(self) -> None:
        # werkzeug logs every request; without a handler it would add one on stderr.
        if self.log_path is None:
            with tempfile.NamedTemporaryFile(
                prefix="moto-server-", suffix=".log", delete=False
            ) as handle:
                self.log_path = handle.name
        logger = logging.getLogger("werkzeug")
        self._saved_logger = (logger.level, logger.propagate)
        self._handler = logging.FileHandler(self.log_path, encoding="utf-8")
        logger.addHandler(self._handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False

    def _restore_logger(self) -> None:
        logger = logging.getLogger("werkzeug")
        if self._handler is not None:
            logger.removeHandler(self._handler)
            self._handler.close()
            self._handler = None
        if self._saved_logger is not None:
            logger.setLevel(self._saved_logger[0])
            logger.propagate = self._saved_logger[1]
            self._saved_logger = None


def provider_override(endpoint: str, region: str = "us-east-1") -> str:
    """Return a Terraform ``provider "aws"`` block that sends every call to the emulator.

    Written as ``*_override.tf`` next to a configuration, it replaces that
    configuration's own provider settings: fake keys, no account or metadata lookups,
    up to three attempts per call (a connection the server dropped is tried again
    rather than failing the apply), and every service the deck uses at ``endpoint``.

    Args:
        endpoint: Emulator URL, such as http://127.0.0.1:5000.
        region: Region the provider reports.

    Returns:
        HCL text of the provider block.
    """
    width = max(len(s) for s in SERVICES)
    endpoints = "\n".join(f'    {s.ljust(width)} = "{endpoint}"' for s in SERVICES)
    return f"""# Generated: sends the AWS provider to the embedded emulator at {endpoint}.
provider "aws" {{
  region                      = "{region}"
  access_key                  = "testing"
  secret_key                  = "testing"
  max_retries                 = 3
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  skip_requesting_account_id  = true

  endpoints {{
{endpoints}
  }}
}}
"""


def client(service: str, endpoint: str, region: str = REGION) -> Any:
    """Return a boto3 client of ``service`` that talks to the emulator at ``endpoint``."""
    import boto3

    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )


def child_env(endpoint: str, base: dict[str, str] | None = None, **extra: str) -> dict[str, str]:
    """Return the environment of a child process (Terraform, boto3) aimed at the emulator.

    Args:
        endpoint: Emulator URL, such as http://127.0.0.1:5000.
        base: Environment to start from (default: this process's).
        **extra: More variables, e.g. ``TF_VAR_package_path``.

    Returns:
        ``base`` with AWS_ENDPOINT_URL, fake keys and a region set, and no profile or
        session token that could reach a real account.
    """
    env = dict(os.environ if base is None else base)
    for name in _REAL_ACCOUNT_VARS:
        env.pop(name, None)
    env.update(CREDENTIALS)
    env["AWS_ENDPOINT_URL"] = endpoint
    env.setdefault("AWS_REGION", env.get("AWS_DEFAULT_REGION", REGION))
    env.setdefault("AWS_DEFAULT_REGION", env["AWS_REGION"])
    env.update(extra)
    return env


@contextlib.contextmanager
def moto_server(port: int | None = None) -> Iterator[str]:
    """Run moto's server for the duration of the block.

    Args:
        port: Port to listen on; None lets the operating system pick a free one.

    Yields:
        The endpoint URL (http://127.0.0.1:<port>).
    """
    with MotoServer(port=port) as server:
        yield server.url


def main(argv: list[str] | None = None) -> int:
    """Start the emulator; run a command against it, or wait for Ctrl-C.

    Args:
        argv: Arguments; everything after ``--`` is the command to run.

    Returns:
        The command's exit code, or 0.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=None, help="port (default: a free one)")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- command to run")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    with MotoServer(port=args.port) as server:
        env = child_env(server.url, TF_VAR_emulator_endpoint=server.url)
        if not command:
            print(f"moto server on {server.url}; Ctrl-C stops it", flush=True)
            with contextlib.suppress(KeyboardInterrupt):
                while True:
                    time.sleep(1)
            return 0
        return subprocess.call(command, env=env)


if __name__ == "__main__":
    sys.exit(main())
