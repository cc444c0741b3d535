"""Public names of a package loaded on first use (PEP 562), so that importing the package
for one job (a header sweep's command) does not import every other job's dependencies."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any


def lazy_exports(package: str, exports: dict[str, str],
                 namespace: dict[str, Any]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``(__getattr__, __dir__)`` for ``package``: ``exports`` maps a public name to the
    module defining it; a name is imported when first asked for, then kept in ``namespace``."""

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted([*namespace, *exports])

    return __getattr__, __dir__


class _FunctionsFirst(ModuleType):
    """A package whose public functions share their names with submodules: importing the
    submodule binds it on the package (the import system's ``setattr``), which would hide
    the function of the same name. That binding is skipped, so the lazy ``__getattr__``
    hands out the function; the submodule stays in ``sys.modules`` under its full name."""

    _shadowed: frozenset[str] = frozenset()

    def __setattr__(self, name: str, value: Any) -> None:
        if name in self._shadowed and isinstance(value, ModuleType):
            return
        super().__setattr__(name, value)


def keep_functions(package: str, exports: dict[str, str]) -> None:
    """Make ``package`` keep its exported names over submodules of the same name (e.g.
    ``phidetect.scan``, the function, over ``phidetect.scan``, the module)."""
    module = sys.modules[package]
    shadowed = frozenset(name for name, where in exports.items() if where == f"{package}.{name}")
    module.__class__ = type("Package", (_FunctionsFirst,), {"_shadowed": shadowed})
