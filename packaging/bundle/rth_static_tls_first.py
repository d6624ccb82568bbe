"""Runtime hook, run before PyInstaller's own (which import PySide6.QtCore): load the OpenMP runtime first.

GNU OpenMP (``libgomp``, which torch and some wheels ship) is linked with initial-exec thread-local
storage (its ELF flags say STATIC_TLS; no other library of torch's is). glibc can place such a
library only while its static TLS reserve lasts, and Qt's many libraries use it up: loaded after
them, ``import torch`` can fail with "cannot allocate memory in static TLS block". So the bundle
loads every ``libgomp`` it ships now, globally, before Qt; torch finds it loaded when it is
imported later, on a background thread after the window is painted (see meddisseg_studio.main).
This costs milliseconds, where importing torch here (the earlier way) cost seconds of start-up.
Where no libgomp is found, torch itself is imported here as before.
"""

import ctypes
import glob
import os
import sys


def _openmp_libraries(base: str) -> list[str]:
    patterns = ("torch/lib/libgomp*.so*", "libgomp*.so*", "*.libs/libgomp*.so*")
    return sorted({path for pattern in patterns for path in glob.glob(os.path.join(base, pattern))})


if sys.platform.startswith("linux") and not {"--version", "--help", "-h"} & set(sys.argv[1:]):
    _libraries = _openmp_libraries(getattr(sys, "_MEIPASS", os.path.dirname(sys.executable)))
    for _path in _libraries:
        ctypes.CDLL(_path, mode=ctypes.RTLD_GLOBAL)
    if not _libraries:
        import torch  # noqa: F401
