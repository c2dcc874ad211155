"""A module imported when one of its names is first read, so a cold start imports only what registering the
routes and handlers needs: the use cases, adapters and event contracts behind them load on the first request
that calls them (issue #13 part 7: cold start)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


class LazyModule:
    """Stands for the module ``name``; ``importlib`` imports it (once, under the import lock) on first use."""

    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attribute: str) -> Any:
        return getattr(importlib.import_module(self._name), attribute)

    def __repr__(self) -> str:
        return f"<lazy module {self._name!r}>"


def lazy_module(name: str) -> Any:
    return LazyModule(name)


def lazy_callable(module: str, name: str) -> Callable[..., Any]:
    """``module.name(...)`` with ``module`` imported on the first call (e.g. a service's wiring, which imports
    every adapter)."""

    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(module), name)(*args, **kwargs)

    call.__name__ = call.__qualname__ = name
    return call
