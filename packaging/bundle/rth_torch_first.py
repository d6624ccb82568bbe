"""Runtime hook, run before PyInstaller's own (which import PySide6.QtCore): import torch first.

torch's shared libraries (libtorch_cpu, its OpenMP runtime) use initial-exec thread-local storage,
which glibc can only place while the static TLS surplus lasts; loaded after Qt's many libraries,
``import torch`` can fail with "cannot allocate memory in static TLS block". Loading torch first is
the order every entry point of the bundle uses. ``--version`` and ``--help`` skip it (no torch needed).
"""

import sys

if not {"--version", "--help", "-h"} & set(sys.argv[1:]):
    import torch  # noqa: F401
