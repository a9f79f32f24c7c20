"""`alive(obj)`: is the C++ side of a Qt object still there? Callbacks of background jobs check it before they
touch a widget that may have been closed while the job ran."""

from __future__ import annotations

import shiboken6


def alive(obj: object) -> bool:
    try:
        return bool(shiboken6.isValid(obj))
    except TypeError:  # not a Qt wrapper at all
        return True
