"""Registers ``Series.tongbao`` (:mod:`tongbao._accessor`) without importing pandas.

When pandas is already imported, :func:`install` registers the accessor at
once; otherwise a one-shot meta-path finder waits for the first ``import
pandas``, lets the normal finders find it, and registers the accessor as
soon as pandas' own module has run. Nothing else is imported here: this is
on the path of every ``import tongbao``.
"""
from __future__ import annotations

import sys
from typing import Any, Optional, Sequence


class _Loader:
    """The pandas loader, registering the accessor once pandas has run."""

    def __init__(self, loader: Any) -> None:
        self._loader = loader

    def create_module(self, spec: Any) -> Any:
        return self._loader.create_module(spec)

    def exec_module(self, module: Any) -> None:
        self._loader.exec_module(module)
        from ._accessor import register

        register()

    def __getattr__(self, name: str) -> Any:  # get_resource_reader, is_package, …
        return getattr(self._loader, name)


class _PandasHook:
    """A one-shot meta-path finder: on the first ``import pandas`` it finds
    pandas with the other finders and wraps its loader."""

    def find_spec(self, name: str, path: Optional[Sequence[str]] = None, target: Any = None) -> Any:
        if name != "pandas":
            return None
        try:
            sys.meta_path.remove(self)
        except ValueError:
            pass
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            if find is None:
                continue
            spec = find(name, path, target)
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                    spec.loader = _Loader(spec.loader)
                return spec
        return None


def install() -> None:
    """Called by ``import tongbao``: register now if pandas is loaded, else on its import."""
    pandas = sys.modules.get("pandas")
    if pandas is not None and hasattr(pandas, "api"):
        from ._accessor import register

        register()
    elif not any(isinstance(f, _PandasHook) for f in sys.meta_path):
        sys.meta_path.insert(0, _PandasHook())
