"""Fixtures for field-recording tests: a seeded small district, the service, a started inspection."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.inspections import InspectionService
from app.paths import DataPaths
from app.store import Store
from tests.inspection.district import OFFICER, seed_district


@pytest.fixture
def district(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(DataPaths(tmp_path / "data"))
    seed_district(s)
    yield s
    s.close()


@pytest.fixture
def service(district: Store) -> InspectionService:
    return InspectionService(district, OFFICER)


@pytest.fixture
def started(service: InspectionService) -> str:
    return service.start_from_plan("p1")


