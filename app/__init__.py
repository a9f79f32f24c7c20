"""联巡通 domain core: models, store, services and rules. Imports neither Qt nor requests."""

__version__ = "0.1.0"
APP_NAME = "联巡通"
APP_ID = "lianxuntong"
