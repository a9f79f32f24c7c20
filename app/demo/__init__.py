"""The demo district (富阳区): curated reference data from `resources/demo/`, a deterministic generator of
officers, targets and instructions on top of it, seeding into a local store, and a volume generator for
benchmarks. Used by `python -m lianxuntong seed`, demo mode, the reference server and the tests."""

from app.demo.dataset import DEMO_ACCOUNTS, DEMO_PASSWORD, build_dataset
from app.demo.seed import seed_store

__all__ = ["DEMO_ACCOUNTS", "DEMO_PASSWORD", "build_dataset", "seed_store"]
