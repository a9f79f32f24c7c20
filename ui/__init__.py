"""The PySide6 desktop UI: windows, views, Qt models over app services, and background workers.

Only this package imports Qt. Long work runs through `ui.runner.TaskRunner`; results reach widgets by signals.
"""
