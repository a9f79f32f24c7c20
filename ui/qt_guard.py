"""Guards for callbacks of background jobs, which may arrive after their widget was closed and deleted (a query
finishing as the window closes): `alive(obj)` asks whether the C++ side of a Qt object is still there;
`@alive_slot` drops a method's call when its object is gone."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import shiboken6

F = TypeVar("F", bound=Callable[..., Any])


def alive(obj: object) -> bool:
    try:
        return bool(shiboken6.isValid(obj))
    except TypeError:  # not a Qt wrapper at all
        return True


def alive_slot(fn: F) -> F:
    """A method decorator: the call is dropped (returns None) once `self`'s C++ object is deleted."""

    @functools.wraps(fn)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        if not alive(self):
            return None
        return fn(self, *args, **kwargs)

    return wrapper  # type: ignore[return-value]  # same signature as `fn` (functools.wraps)
