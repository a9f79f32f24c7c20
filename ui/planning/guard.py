"""`alive`: a decorator for job callbacks of widgets, which may arrive after the widget was closed and deleted
(a query finishing as the window closes): the callback is dropped when the C++ object is gone."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from shiboken6 import isValid

F = TypeVar("F", bound=Callable[..., Any])


def alive(fn: F) -> F:
    @functools.wraps(fn)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        if not isValid(self):
            return None
        return fn(self, *args, **kwargs)

    return wrapper  # type: ignore[return-value]  # same signature as `fn` (functools.wraps)
