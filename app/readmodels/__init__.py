"""Read models: the Qt-free queries behind the views (inbox, task detail, sync status, conflicts, documents,
cases). Each returns detached plain data (dataclasses, ids, counts) that a store worker hands to a view; none
writes. Views in ui/ call these and never touch SQLAlchemy themselves (tests/app/test_layering.py)."""
