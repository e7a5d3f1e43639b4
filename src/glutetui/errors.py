"""Errors that carry a message meant for the runner, not a traceback."""


class UserFacingError(Exception):
    """A problem the user can fix; `str(error)` names it and the fix."""

    exit_code = 2


class OptionError(UserFacingError):
    """One command-line value (or the form field behind it) is wrong; `option` names it."""

    def __init__(self, option: str, message: str) -> None:
        super().__init__(f"{option}: {message}")
        self.option = option


class ConfigError(UserFacingError):
    pass


class StoreError(UserFacingError):
    pass


class AlreadyRunning(UserFacingError):
    exit_code = 1

    def __init__(self, db_path, pid: "int | None") -> None:
        who = f"pid {pid}" if pid else "pid unknown"
        super().__init__(
            f"already open on {db_path} in another terminal ({who}). "
            "Switch to that terminal, or quit it with ctrl+q first."
        )
        self.pid = pid
