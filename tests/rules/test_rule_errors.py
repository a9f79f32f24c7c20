"""Tests for app.errors: code/message shape, str(), pickling."""

from __future__ import annotations

import pickle

import pytest

from app.errors import (
    DomainError,
    NumberingError,
    OfficerRuleError,
    StoreError,
    ThresholdError,
    TransitionError,
    ValidationError,
)


@pytest.mark.parametrize(
    ("cls", "default_code", "is_domain"),
    [
        (DomainError, "domain_error", True),
        (TransitionError, "illegal_transition", True),
        (ValidationError, "invalid", True),
        (OfficerRuleError, "officer_rule", True),
        (ThresholdError, "threshold", True),
        (NumberingError, "numbering", True),
        (StoreError, "store_error", False),
    ],
)
def test_error_shape(cls: type[DomainError | StoreError], default_code: str, is_domain: bool) -> None:
    error = cls("出错了")
    assert str(error) == "出错了"
    assert error.message == "出错了"
    assert error.code == default_code
    assert isinstance(error, DomainError) is is_domain


@pytest.mark.parametrize("cls", [TransitionError, StoreError])
def test_explicit_code_survives_pickle(cls: type[DomainError | StoreError]) -> None:
    error = cls("数据库版本较新，请升级程序", code="schema_too_new")
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is cls
    assert copy.code == "schema_too_new"
    assert str(copy) == "数据库版本较新，请升级程序"
