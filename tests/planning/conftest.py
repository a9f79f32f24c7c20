"""Fixtures of the planning tests: a store holding the small hand-made district of `tests.planning.district`."""

from __future__ import annotations

import pytest

from app.planning.config import PlanningConfig
from tests.planning import district


@pytest.fixture
def planned(store):
    """The store with the hand-made district."""
    district.build(store)
    return store


@pytest.fixture
def config() -> PlanningConfig:
    return PlanningConfig.from_dict({})
