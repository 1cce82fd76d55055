"""Errors raised by the ``genai-obs`` command.

Every error the command reports on purpose is a :class:`CLIError`; ``main`` prints its
message as one line on stderr and exits with its ``exit_code``, never with a traceback.
"""

from __future__ import annotations

from genai_observability import GenAIObservabilityError

EXIT_OK = 0
EXIT_RUNTIME = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class CLIError(GenAIObservabilityError):
    """An error the command reports as one line on stderr (exit status 1)."""

    exit_code = EXIT_RUNTIME

    def __init__(self, message: str) -> None:
        # One line, whatever the cause said: AWS messages sometimes carry newlines.
        super().__init__(" ".join(str(message).split()))


class UsageError(CLIError):
    """Bad input on the command line: unknown question, bad time range (exit status 2)."""

    exit_code = EXIT_USAGE


class AWSError(CLIError):
    """An AWS service could not be reached or refused the request (exit status 1)."""


class NotFoundError(AWSError):
    """The deck's query definitions or a log group do not exist (exit status 1)."""


class QueryFailedError(AWSError):
    """A Logs Insights query ended in Failed, Cancelled, Timeout or Unknown (exit status 1)."""


class QueryTimeoutError(AWSError):
    """A Logs Insights query ran longer than ``--timeout``; it was stopped (exit status 1)."""


class QueryInterruptedError(CLIError):
    """The user pressed Ctrl-C while a query ran; it was stopped (exit status 130)."""

    exit_code = EXIT_INTERRUPTED
