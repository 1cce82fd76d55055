"""Embedded AWS emulator for offline tests and demos: a moto server on 127.0.0.1.

Use it as a context manager::

    from emulator import moto_server

    with moto_server() as endpoint:
        ...  # point boto3 / Terraform at endpoint (http://127.0.0.1:<port>)

or from the command line, to run one command against a fresh emulator::

    python scripts/emulator.py -- terraform -chdir=examples/complete apply

The server runs as a child process; it is stopped by its process id (never by name)
when the block exits, when the interpreter exits, or when SIGTERM / SIGINT arrives.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from types import FrameType
from typing import Any

__all__ = [
    "SERVICES",
    "EmulatorError",
    "MotoServer",
    "free_port",
    "moto_server",
    "provider_override",
]

HOST = "127.0.0.1"

# hashicorp/aws endpoint names of every service the deck's modules use.
SERVICES = ("cloudwatch", "iam", "kms", "lambda", "logs", "scheduler", "sns", "sqs", "sts")


class EmulatorError(RuntimeError):
    """The emulator could not be started or did not answer in time."""


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


class MotoServer:
    """A moto server child process bound to 127.0.0.1.

    Args:
        port: Port to listen on; None picks a free one.
        host: Interface to bind (keep the loopback address).
        startup_timeout: Seconds to wait for the server to answer.
        python: Interpreter that has moto[server] installed.
        log_path: File receiving the server's output; None uses a temporary file.
    """

    def __init__(
        self,
        port: int | None = None,
        host: str = HOST,
        startup_timeout: float = 30.0,
        python: str = sys.executable,
        log_path: str | os.PathLike[str] | None = None,
    ) -> None:
        self.host = host
        self.port = port if port is not None else free_port(host)
        self.startup_timeout = startup_timeout
        self.python = python
        self.log_path = str(log_path) if log_path is not None else None
        self._process: subprocess.Popen[bytes] | None = None
        self._log: Any = None
        self._previous_handlers: dict[int, Any] = {}

    @property
    def url(self) -> str:
        """Endpoint URL of the server, such as http://127.0.0.1:5000."""
        return f"http://{self.host}:{self.port}"

    @property
    def pid(self) -> int | None:
        """Process id of the running server, or None."""
        return self._process.pid if self._process is not None else None

    def start(self) -> str:
        """Start the server and wait until it answers.

        Returns:
            The endpoint URL.

        Raises:
            EmulatorError: The server exited or did not answer within startup_timeout.
        """
        if self._process is not None:
            return self.url
        if self.log_path is None:
            self._log = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed in stop()
                prefix="moto-server-", suffix=".log", delete=False
            )
            self.log_path = self._log.name
        else:
            self._log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        env = dict(os.environ)
        env.setdefault("MOTO_ALLOW_NONEXISTENT_REGION", "true")
        self._process = subprocess.Popen(
            [self.python, "-m", "moto.server", "-H", self.host, "-p", str(self.port)],
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env=env,
        )
        atexit.register(self.stop)
        self._install_signal_handlers()
        self._wait_until_ready()
        return self.url

    def stop(self) -> None:
        """Stop the server by its process id; safe to call more than once."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            os.kill(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        if self._log is not None:
            self._log.close()
            self._log = None
        self._restore_signal_handlers()
        with contextlib.suppress(ValueError):
            atexit.unregister(self.stop)

    def reset(self) -> None:
        """Drop every resource the emulator holds (moto's reset API)."""
        request = urllib.request.Request(f"{self.url}/moto-api/reset", method="POST")
        with urllib.request.urlopen(request, timeout=10):
            pass

    def log_text(self) -> str:
        """Return what the server wrote so far (for failure messages)."""
        if self.log_path is None or not os.path.exists(self.log_path):
            return ""
        with open(self.log_path, encoding="utf-8", errors="replace") as handle:
            return handle.read()

    def __enter__(self) -> MotoServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self._process is None or self._process.poll() is not None:
                log = self.log_text()
                self.stop()
                raise EmulatorError(f"moto server exited during startup:\n{log}")
            try:
                with urllib.request.urlopen(f"{self.url}/moto-api/data.json", timeout=1):
                    return
            except urllib.error.HTTPError:
                return  # It answered, even if not with 200.
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise EmulatorError(f"moto server did not answer on {self.url} in {self.startup_timeout}s")

    def _install_signal_handlers(self) -> None:
        # Turn SIGTERM / SIGINT into SystemExit, so that context managers and atexit run
        # and the child is stopped; only possible from the main thread.
        def _exit(signum: int, frame: FrameType | None) -> None:
            self.stop()
            raise SystemExit(128 + signum)

        for signum in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(ValueError):
                previous = signal.getsignal(signum)
                if previous in (signal.SIG_DFL, signal.default_int_handler):
                    self._previous_handlers[signum] = previous
                    signal.signal(signum, _exit)

    def _restore_signal_handlers(self) -> None:
        for signum, previous in self._previous_handlers.items():
            with contextlib.suppress(ValueError):
                signal.signal(signum, previous)
        self._previous_handlers.clear()


def provider_override(endpoint: str, region: str = "us-east-1") -> str:
    """Return a Terraform ``provider "aws"`` block that sends every call to the emulator.

    Written as ``*_override.tf`` next to a configuration, it replaces that
    configuration's own provider settings: fake keys, no account or metadata lookups,
    one retry, and every service the deck uses at ``endpoint``.

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
  max_retries                 = 1
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
  skip_requesting_account_id  = true

  endpoints {{
{endpoints}
  }}
}}
"""


@contextlib.contextmanager
def moto_server(port: int | None = None, startup_timeout: float = 30.0) -> Iterator[str]:
    """Run a moto server for the duration of the block.

    Args:
        port: Port to listen on; None picks a free one.
        startup_timeout: Seconds to wait for the server to answer.

    Yields:
        The endpoint URL (http://127.0.0.1:<port>).
    """
    server = MotoServer(port=port, startup_timeout=startup_timeout)
    server.start()
    try:
        yield server.url
    finally:
        server.stop()


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
        env = dict(os.environ)
        env.update(
            {
                "AWS_ENDPOINT_URL": server.url,
                "TF_VAR_emulator_endpoint": server.url,
                "AWS_ACCESS_KEY_ID": "testing",
                "AWS_SECRET_ACCESS_KEY": "testing",
                "AWS_DEFAULT_REGION": env.get("AWS_DEFAULT_REGION", "us-east-1"),
            }
        )
        if not command:
            print(f"moto server on {server.url} (pid {server.pid}); Ctrl-C stops it", flush=True)
            with contextlib.suppress(KeyboardInterrupt):
                while True:
                    time.sleep(1)
            return 0
        return subprocess.call(command, env=env)


if __name__ == "__main__":
    sys.exit(main())
