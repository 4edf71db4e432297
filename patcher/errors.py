"""The one exception type the CLI turns into a one-line error and a non-zero exit."""


class PatcherError(Exception):
    """A user-facing failure: the message says what was wrong and what to do."""

    exit_code = 2

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
