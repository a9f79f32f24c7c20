"""Fixtures for the reference platform: a small two-township dataset, a seeded template database copied per
test (password hashing runs once per session), a TestClient and helpers to log in, push and pull."""

from __future__ import annotations

import os
import shutil
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

warnings.filterwarnings("ignore", message=".*httpx.*")

from server_helpers import ACCOUNTS, small_dataset  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402

from sync.server.app import create_app  # noqa: E402
from sync.server.seed import seed_demo  # noqa: E402
from sync.server.settings import DB_FILE_NAME, ServerSettings  # noqa: E402
from sync.server.storage import Base, init_db, make_engine  # noqa: E402


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("template")
    settings = ServerSettings(data_dir=directory)
    engine = make_engine(settings.database_url)
    init_db(engine)
    seed_demo(engine, small_dataset(), ACCOUNTS)
    engine.dispose()
    return directory / DB_FILE_NAME


#: set LXT_TEST_PG_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/lxt_test — a database the tests may
#: wipe) to run every platform test on PostgreSQL as well
PG_URL = os.environ.get("LXT_TEST_PG_URL")
BACKENDS = ["sqlite", *(["postgresql"] if PG_URL else [])]


@pytest.fixture(params=BACKENDS)
def settings(request: pytest.FixtureRequest, tmp_path: Path, template_db: Path) -> ServerSettings:
    data = tmp_path / "platform"
    data.mkdir()
    if request.param == "sqlite":
        shutil.copy(template_db, data / DB_FILE_NAME)
        return ServerSettings(data_dir=data)
    assert PG_URL
    engine = make_engine(PG_URL)
    Base.metadata.drop_all(engine)
    init_db(engine)
    seed_demo(engine, small_dataset(), ACCOUNTS)
    engine.dispose()
    return ServerSettings(data_dir=data, db_url=PG_URL)


@pytest.fixture
def client(settings: ServerSettings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as c:
        yield c


@pytest.fixture
def engine(client: TestClient) -> Any:
    return client.app.state.engine
