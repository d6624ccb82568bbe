"""Modules the window needs only after its first paint, imported lazily until then.

numpy and OpenCV take about 0.13 s to import on the reference 2-core machine, a third of what
the app adds to an empty window's start-up (issue 9, ``benchmarks/bench_startup.py``). Nearly
every module of the state and tool layers imports them at the top, yet none uses them while the
window is built: they are first used when a folder opens or a tool draws. So ``main()`` puts a
stand-in module in ``sys.modules`` for each before importing the window: ``import numpy as np``
then binds the stand-in, and the real import runs on the first attribute the app asks of it.
:func:`finish` runs it on the GUI thread as the first thing after the first paint, before any
background thread starts, so two threads never race to load the same module.

(The standard library's ``importlib.util.LazyLoader`` cannot do this on Python 3.11: the
``import`` statement itself reads the module's ``__spec__``, which makes it load at once.)

Only the app's entry point does this; the library, the CLI and the tests import normally.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
from types import ModuleType

DEFERRED = ("numpy", "cv2")
# PySide6's import hook reads the source of every module imported after it (inspect.getsource,
# to see whether the module uses PySide's feature switches); inspect first probes these.
_PROBES = frozenset({"__wrapped__"})
_lock = threading.Lock()
_loaded: set[str] = set()  # names whose stand-in has the real namespace


class DeferredModule(ModuleType):
    """Stands in for a module until first used; then holds the real module's namespace."""

    def __getattr__(self, attr: str) -> object:  # only called for names not in __dict__
        if attr in _PROBES:
            raise AttributeError(attr)  # asked of every module by inspect; numpy and cv2 have none
        return getattr(self._load(), attr)

    def _load(self) -> ModuleType:
        with _lock:
            real = sys.modules.get(self.__name__)
            if real is self or real is None:
                del sys.modules[self.__name__]
                try:
                    real = importlib.import_module(self.__name__)
                except BaseException:
                    sys.modules.setdefault(self.__name__, self)
                    raise
            # The stand-in's own lookups are plain dictionary hits from now on.
            self.__dict__.update(real.__dict__)
            _loaded.add(self.__name__)
            return real


def defer(names: tuple[str, ...] = DEFERRED) -> list[DeferredModule]:
    """Put a stand-in in ``sys.modules`` for each of ``names`` not imported yet; returns them."""
    deferred = []
    for name in names:
        if name in sys.modules:
            continue
        spec = importlib.util.find_spec(name)
        if spec is None:
            continue  # not installed: the import fails where it is made, as without deferring
        module = DeferredModule(name)
        module.__spec__ = spec  # what the import statement reads; the real one loads later
        module.__file__ = spec.origin  # what inspect reads (see _PROBES)
        sys.modules[name] = module
        deferred.append(module)
    return deferred


def is_loaded(module: ModuleType) -> bool:
    """False while ``module`` is a stand-in that nothing has used yet."""
    return not isinstance(module, DeferredModule) or module.__name__ in _loaded


def finish(modules: list[DeferredModule]) -> None:
    """Import every deferred module now."""
    for module in modules:
        module._load()
