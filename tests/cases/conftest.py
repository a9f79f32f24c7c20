"""Fixtures of the case tests: a store with the case district."""

from __future__ import annotations

import pytest

from app.store import Store
from tests.cases import district


@pytest.fixture
def cases_store(store: Store) -> Store:
    district.build(store)
    return store
