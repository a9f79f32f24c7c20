"""Errors a person can cause or meet, each with a stable machine `code` and a Simplified Chinese `message`.

Domain rules raise `DomainError` subclasses; the store raises `StoreError`. `str(error)` is the message, so
the UI can show it as is, and the sync layer can send `code` + `message` as a `rejected{code, reason}` result.
"""

from __future__ import annotations

from typing import Any


class _CodedError(Exception):
    """Shared shape: `code` (stable, ASCII, for programs) and `message` (Chinese, for people)."""

    default_code: str = "error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message: str = message
        self.code: str = code or self.default_code

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}(code={self.code!r}, message={self.message!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        # keyword-only `code` would otherwise be lost when pickling (e.g. across processes)
        return (_rebuild, (type(self), self.message, self.code))


def _rebuild(cls: type[_CodedError], message: str, code: str) -> _CodedError:
    return cls(message, code=code)


class DomainError(_CodedError):
    """A domain rule refused an operation."""

    default_code = "domain_error"


class TransitionError(DomainError):
    """A task (指令) state transition is not allowed."""

    default_code = "illegal_transition"


class ValidationError(DomainError):
    """Input data is malformed (a credit code, an ID number, an unknown matter …)."""

    default_code = "invalid"


class OfficerRuleError(DomainError):
    """The two-certified-officers rule or recusal (回避) is violated."""

    default_code = "officer_rule"


class ThresholdError(DomainError):
    """A statutory threshold (e.g. the on-the-spot fine limit) is exceeded."""

    default_code = "threshold"


class NumberingError(DomainError):
    """A document number (文号) cannot be formatted or allocated."""

    default_code = "numbering"


class StoreError(_CodedError):
    """The local store cannot be used (newer schema, disk full, locked …); not a domain rule."""

    default_code = "store_error"
