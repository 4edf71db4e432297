"""The exception family the CLI turns into a one-line error and a documented exit code.

Exit codes (README, "Exit codes"): 0 success; 1 the thing checked failed (validation, verify,
a test run); 2 usage or bad input; 3 a missing tool or environment; 4 an internal error (a bug:
rerun with --traceback); 130 interrupted. `run` passes the component's own exit code through.
"""

EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_ENVIRONMENT = 3
EXIT_INTERNAL = 4


class PatcherError(Exception):
    """A user-facing failure: the message says what was wrong and what to do."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str, *, hint: str | None = None, exit_code: int | None = None):
        super().__init__(message)
        self.hint = hint
        if exit_code is not None:
            self.exit_code = exit_code

    def one_line(self) -> str:
        msg = " ".join(str(self).split())
        if self.hint:
            msg += f" ({' '.join(self.hint.split())})"
        return msg


class UsageError(PatcherError):
    """Bad arguments or bad input files (exit 2)."""

    exit_code = EXIT_USAGE


class MissingToolError(PatcherError):
    """A tool, toolchain, source or network the command needs is not there (exit 3)."""

    exit_code = EXIT_ENVIRONMENT


class CheckFailed(PatcherError):
    """What was checked did not pass (exit 1)."""

    exit_code = EXIT_FAILED
