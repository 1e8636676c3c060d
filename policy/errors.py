"""The project's exceptions: every failure a user can cause is one of these.

``PolicyError`` is the root. Each error knows where the problem is (file, line,
field) so the CLI can print a single line such as::

    games/bad.yaml:12: payoffs.inspect.comply[1]: unknown symbol 'fine'; declared: c, f, g

Examples
--------
>>> err = GameFileError("unknown symbol 'x'", path="g.yaml", line=3, field="payoffs.a.b[0]")
>>> str(err)
"g.yaml:3: payoffs.a.b[0]: unknown symbol 'x'"
>>> err.exit_code
2
"""

from __future__ import annotations

__all__ = [
    "PolicyError",
    "GameFileError",
    "ExpressionError",
    "ModelError",
    "SolverError",
    "ReportError",
]


class PolicyError(Exception):
    """Base class of every error the tool reports to its user.

    ``exit_code`` is the process exit status the CLI uses for it: 2 for bad
    input or usage (the default).
    """

    exit_code = 2

    def __init__(self, message: str, *, path: str | None = None,
                 line: int | None = None, field: str | None = None) -> None:
        self.message = message
        self.path = path
        self.line = line
        self.field = field
        super().__init__(self.__str__())

    def located(self, *, path: str | None = None, line: int | None = None,
                field: str | None = None) -> "PolicyError":
        """Return a copy of this error with missing location details filled in."""
        err = type(self)(
            self.message,
            path=self.path or path,
            line=self.line if self.line is not None else line,
            field=self.field or field,
        )
        err.__cause__ = self.__cause__ or self
        return err

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = self.path + (f":{self.line}" if self.line is not None else "") + ": "
        elif self.line is not None:
            where = f"line {self.line}: "
        field = f"{self.field}: " if self.field else ""
        # One line whatever the file holds: line breaks in echoed text are shown escaped.
        return f"{where}{field}{self.message}".replace("\r", "\\r").replace("\n", "\\n")


class GameFileError(PolicyError):
    """A game file is malformed: bad YAML/NFG, unknown names, wrong shapes."""


class ExpressionError(GameFileError):
    """A payoff or parameter expression is not allowed or cannot be parsed."""


class ModelError(PolicyError):
    """A request does not fit the game (unknown player, missing value, …)."""


class SolverError(PolicyError):
    """A solver failed in a way that is not a result status (e.g. not installed)."""


class ReportError(PolicyError):
    """A report could not be written (read-only folder, disk full, …)."""
